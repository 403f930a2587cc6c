//! `panelist`: the headless face of Panelist. It calls the same service layer as the
//! kiosk, for scripting, batch work and tests that run whole interviews.
//!
//! Exit codes: 0 success, 2 usage error, 1 any other error (one line on stderr).

mod admin;
mod answers;
mod brain;
mod interview;
mod kiosk;
mod report;
mod resume;
mod score;
mod server;
mod session;
mod sync;
mod voice;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use panelist_resume::Extractor;
use panelist_service::Panelist;

#[derive(Parser)]
#[command(
    name = "panelist",
    version,
    about = "Panelist offline interview kiosk: headless commands"
)]
struct Cli {
    /// Data directory (default: the platform's data folder for Panelist).
    #[arg(long, global = true, env = "PANELIST_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print data as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create, publish and run interviews.
    #[command(subcommand)]
    Interview(interview::InterviewCommand),
    /// List, inspect, resume or close sessions.
    #[command(subcommand)]
    Session(session::SessionCommand),
    /// LLM providers: check them, show the chain, store API keys.
    #[command(subcommand)]
    Brain(brain::BrainCommand),
    /// Show and export reports.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Candidates: list, erase one, apply the retention rules.
    #[command(subcommand)]
    Candidate(admin::CandidateCommand),
    /// The audit log: verify its hash chain, list entries.
    #[command(subcommand)]
    Audit(admin::AuditCommand),
    /// Copy the database to a file with SQLite's online backup (safe while in use).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Score answers in batch (JSON lines in, JSON lines out) to calibrate the bank.
    Score {
        /// A JSON-lines file: {"id", "question", "reference_answer" or "key_points", "answer"}.
        #[arg(long)]
        input: PathBuf,
    },
    /// Transcribe a WAV file with the local whisper model.
    Transcribe {
        file: PathBuf,
        /// The whisper model: a name (tiny.en, tiny.en-q8_0, base, base-q8_0, … as models/
        /// holds them) or a ggml file (default: PANELIST_WHISPER_MODEL, then kiosk.toml's
        /// whisper_model, then tiny.en).
        #[arg(long, value_name = "NAME|FILE")]
        model: Option<String>,
        /// Context for the transcriber: the question and the words it should expect.
        #[arg(long)]
        prompt: Option<String>,
    },
    /// Speak text with the offline voice into a WAV file, with the avatar's mouth shapes.
    Say {
        text: String,
        #[arg(long)]
        out: PathBuf,
        /// Also write the viseme timeline as JSON.
        #[arg(long)]
        visemes: Option<PathBuf>,
        #[arg(long, default_value = "en-us")]
        voice: String,
        /// Words per minute.
        #[arg(long, default_value_t = 165)]
        rate: u32,
    },
    /// List audio input devices.
    Devices,
    /// Record from a microphone into a WAV file (16 kHz mono): a microphone check.
    Record {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Input device name or id (default: the system's default input).
        #[arg(long)]
        device: Option<String>,
    },
    /// Run and administer the Panelist server.
    #[command(subcommand)]
    Server(server::ServerCommand),
    /// Enroll this kiosk with a Panelist server using a one-time code.
    Enroll {
        #[arg(long)]
        server: String,
        #[arg(long)]
        code: String,
        /// A name for this kiosk (default: the host name).
        #[arg(long)]
        name: Option<String>,
        /// Allow plain http to a server on another machine (a lab network only: the
        /// device token and candidates' data cross the network unencrypted).
        #[arg(long)]
        insecure_http: bool,
        #[command(flatten)]
        retry: sync::RetryArgs,
    },
    /// Pull interview revisions from the server and push sessions, answers and reports.
    Sync {
        /// Only print the enrollment and outbox state (and what was set aside).
        #[arg(long)]
        status: bool,
        /// Changes per push request.
        #[arg(long, default_value_t = 50)]
        batch: usize,
        #[command(flatten)]
        retry: sync::RetryArgs,
    },
    /// Check a résumé file and print the text Panelist would use.
    Resume {
        file: PathBuf,
        /// Print what the offline brain understands from it (JSON) instead of the text.
        #[arg(long)]
        facts: bool,
        /// The job's role and description, to show the résumé question for that job.
        #[arg(long)]
        job: Option<String>,
    },
    /// Kiosk settings (the admin PIN).
    #[command(subcommand)]
    Kiosk(kiosk::KioskCommand),
    /// Internal: extract a PDF's text in this (disposable) process.
    #[command(name = "__extract-pdf", hide = true)]
    ExtractPdf { file: PathBuf },
}

/// Time allowed for reading one PDF.
const PDF_TIMEOUT: Duration = Duration::from_secs(20);

fn extractor() -> anyhow::Result<Extractor> {
    let exe = std::env::current_exe().context("cannot locate the panelist executable")?;
    let timeout = std::env::var("PANELIST_PDF_TIMEOUT_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(PDF_TIMEOUT, Duration::from_secs_f64);
    Ok(Extractor {
        program: exe,
        args: vec!["__extract-pdf".into()],
        timeout,
    })
}

fn data_dir(cli_value: Option<&Path>) -> anyhow::Result<PathBuf> {
    match cli_value {
        Some(p) => Ok(p.to_path_buf()),
        None => panelist_service::default_data_dir()
            .context("no data directory: pass --data-dir or set PANELIST_DATA_DIR"),
    }
}

fn open(cli: &Cli) -> anyhow::Result<Panelist> {
    let dir = data_dir(cli.data_dir.as_deref())?;
    let mut app = Panelist::open(&dir, extractor()?)
        .with_context(|| format!("cannot open the data directory {}", dir.display()))?;
    // Interviews run from the shell are the CLI's in the audit log, not the kiosk's.
    app.set_caller(panelist_service::Actor::Cli);
    Ok(app)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Interview(cmd) => interview::run(&cli, cmd),
        Command::Kiosk(cmd) => kiosk::run(&cli, cmd),
        Command::Session(cmd) => session::run(&cli, cmd),
        Command::Report(cmd) => report::run(&cli, cmd),
        Command::Brain(cmd) => brain::run(&cli, cmd),
        Command::Candidate(cmd) => admin::candidate(&cli, cmd),
        Command::Audit(cmd) => admin::audit(&cli, cmd),
        Command::Backup { out } => admin::backup(&cli, out),
        Command::Score { input } => {
            let data_dir = data_dir(cli.data_dir.as_deref()).ok();
            score::run(input, data_dir.as_deref())
        }
        Command::Transcribe {
            file,
            model,
            prompt,
        } => {
            let data_dir = data_dir(cli.data_dir.as_deref()).ok();
            let model = voice::model_path(model.as_deref(), data_dir.as_deref())?;
            voice::transcribe(file, &model, prompt.as_deref(), cli.json)
        }
        Command::Say {
            text,
            out,
            visemes,
            voice: name,
            rate,
        } => voice::say(text, out, visemes.as_deref(), name, *rate),
        Command::Devices => voice::devices(cli.json),
        Command::Record {
            out,
            seconds,
            device,
        } => voice::record(device.as_deref(), *seconds, out),
        Command::Server(cmd) => server::run(cmd, cli.json),
        Command::Enroll {
            server,
            code,
            name,
            insecure_http,
            retry,
        } => sync::enroll(
            &data_dir(cli.data_dir.as_deref())?,
            server,
            code,
            name.as_deref(),
            *insecure_http,
            retry,
        ),
        Command::Sync {
            status,
            batch,
            retry,
        } => sync::sync(
            &data_dir(cli.data_dir.as_deref())?,
            *status,
            *batch,
            retry,
            cli.json,
        ),
        Command::Resume { file, facts, job } => {
            resume::run(file, &extractor()?, *facts, job.as_deref())
        }
        Command::ExtractPdf { file } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let text = panelist_resume::extract_pdf_text_unisolated(&bytes)?;
            print!("{text}");
            Ok(())
        }
    }
}

/// Diagnostics (including whisper.cpp's own logging) go to stderr through `tracing`,
/// filtered by `PANELIST_LOG` (for example `PANELIST_LOG=debug`); by default only errors,
/// so that a failing command still prints one line. The server logs structured JSON
/// lines at `info` by default.
fn init_logging(server: bool) {
    let default = if server { "info" } else { "off" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PANELIST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if server {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn main() -> ExitCode {
    panelist_service::private_files();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging(matches!(
        cli.command,
        Command::Server(server::ServerCommand::Run { .. })
    ));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the error and its causes, outermost first.
            let message = e
                .chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ")
                .replace('\n', " ");
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
