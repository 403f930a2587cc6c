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
    /// Whether the kiosk is set up: an administrator account exists and a PIN is set.
    /// Exit code 0 when both are, 1 otherwise (for scripts).
    Status,
    /// First-run setup: creates the kiosk's administrator account (refused once any
    /// account exists). Until one exists the kiosk starts no candidate journey.
    FirstAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read the password (at least 12 characters) from standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
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
        KioskCommand::Status => {
            let dir = crate::data_dir(cli.data_dir.as_deref())?;
            let settings = KioskSettings::load(&dir)?;
            let accounts = crate::open(cli)?.user_count()?;
            let pin_set = settings.admin_pin_hash.is_some();
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({"administrator": accounts > 0, "pin_set": pin_set})
                );
            } else {
                println!(
                    "administrator account: {}\nadmin PIN: {}",
                    if accounts > 0 {
                        "yes"
                    } else {
                        "no (panelist kiosk first-admin)"
                    },
                    if pin_set {
                        "set"
                    } else {
                        "not set (panelist kiosk set-pin)"
                    }
                );
            }
            if accounts > 0 && pin_set {
                Ok(())
            } else {
                anyhow::bail!("the kiosk is not set up yet")
            }
        }
        KioskCommand::FirstAdmin {
            email,
            name,
            password_stdin,
        } => {
            if !password_stdin {
                bail!("pass --password-stdin and the password on standard input");
            }
            let mut password = String::new();
            std::io::stdin()
                .take(2048)
                .read_to_string(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let mut admin = panelist_admin::Admin::new(crate::open(cli)?);
            let account = admin.create_first_admin(email, name, password)?;
            admin.logout();
            println!("{} is the kiosk's administrator", account.email);
            Ok(())
        }
    }
}
