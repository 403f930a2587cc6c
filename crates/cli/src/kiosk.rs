//! `panelist kiosk …`: kiosk settings an attendant sets from a shell.

use std::io::Read;

use anyhow::{bail, Context};
use clap::Subcommand;
use panelist_kiosk::KioskSettings;

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum KioskCommand {
    /// Sets the admin PIN that leaves the kiosk (stored as an argon2id hash in kiosk.toml).
    SetPin {
        /// Read the PIN from standard input (so it stays out of the shell history).
        #[arg(long, required = true)]
        pin_stdin: bool,
    },
}

pub fn run(cli: &Cli, cmd: &KioskCommand) -> anyhow::Result<()> {
    match cmd {
        KioskCommand::SetPin { pin_stdin } => {
            if !pin_stdin {
                bail!("pass --pin-stdin and the PIN on standard input");
            }
            let dir = crate::data_dir(cli.data_dir.as_deref())?;
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut pin = String::new();
            std::io::stdin()
                .take(256)
                .read_to_string(&mut pin)
                .context("cannot read the PIN from standard input")?;
            let mut settings = KioskSettings::load(&dir)?;
            settings.set_pin(pin.trim())?;
            settings.save(&dir)?;
            println!("the kiosk's admin PIN is set");
            Ok(())
        }
    }
}
