//! `panelist session …`

use clap::Subcommand;
use panelist_core::{SessionId, SessionStatus};
use panelist_service::Actor;
use serde_json::json;

use crate::Cli;

#[derive(Subcommand)]
pub enum SessionCommand {
    /// List sessions, newest first.
    List {
        #[arg(long)]
        status: Option<SessionStatus>,
    },
    /// Show a session with its committed answers.
    Show { id: SessionId },
    /// Continue an interrupted session.
    Resume {
        id: SessionId,
        #[command(flatten)]
        answers: crate::interview::AnswerArgs,
        /// Who decides the next question and writes the report: offline, llm or auto.
        #[arg(long, default_value_t)]
        brain: crate::brain::BrainChoice,
    },
    /// Close an interrupted session, keeping its answers.
    Close { id: SessionId },
}

pub fn run(cli: &Cli, cmd: &SessionCommand) -> anyhow::Result<()> {
    match cmd {
        SessionCommand::List { status } => {
            let app = crate::open(cli)?;
            let list = app.sessions(*status)?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for s in &list {
                    println!(
                        "{}  {:<11}  interview {} r{}",
                        s.id,
                        s.status.as_str(),
                        s.interview_id,
                        s.revision
                    );
                }
            }
        }
        SessionCommand::Show { id } => {
            let app = crate::open(cli)?;
            let session = app.session(*id)?;
            let responses = app.responses(*id)?;
            if cli.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({"session": session, "responses": responses})
                    )?
                );
            } else {
                println!(
                    "{}  {}  ({} answers)",
                    session.id,
                    session.status,
                    responses.len()
                );
                for r in &responses {
                    println!(
                        "  Q{} [{}] {}",
                        r.question.number, r.question.question_type, r.question.text
                    );
                    println!("     {}", r.transcript);
                }
            }
        }
        SessionCommand::Resume { id, answers, brain } => {
            let (source, clock) = crate::interview::answer_source(cli, answers)?;
            let mut app = crate::interview::open_for_run(cli, clock.as_ref(), *brain)?;
            crate::interview::drive(&mut app, *id, source, clock.as_deref())?;
        }
        SessionCommand::Close { id } => {
            let mut app = crate::open(cli)?;
            let s = app.close_session(*id, &Actor::Cli)?;
            println!("closed {} ({})", s.id, s.status);
        }
    }
    Ok(())
}
