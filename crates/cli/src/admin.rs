//! HR's operations for scripts: candidates (list, erase, the retention purge), report
//! review, the audit chain's verification and database backups. They run on the same
//! service as admin mode; the CLI acts as the operator who holds the data directory.

use std::path::Path;

use anyhow::{bail, Context};
use clap::Subcommand;
use panelist_admin::{allows, Permission};
use panelist_core::{CandidateId, ScoreKey, SessionId};
use panelist_service::Actor;
use panelist_store::AuditVerification;

use crate::Cli;

#[derive(Subcommand)]
pub enum CandidateCommand {
    /// List candidates: id, name, email, sessions, registration time.
    List,
    /// Erase a candidate: their rows, answer audio, résumé and the report files the app
    /// exported. Afterwards neither the database file nor the data dir holds their name.
    Erase { id: CandidateId },
    /// Apply the retention settings now (purge old audio, erase expired candidates).
    Purge,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; exit 1 naming the first broken entry.
    Verify,
    /// Print the newest entries.
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// The account a review is signed with: it must exist and be allowed to review.
fn reviewer(app: &panelist_service::Panelist, email: &str) -> anyhow::Result<String> {
    let user = app
        .user_by_email(email)?
        .with_context(|| format!("no account {email}: create it in admin mode first"))?;
    if !allows(user.role, Permission::ReviewReports) {
        bail!(
            "{email} is a {} and may not review reports (hr or admin may)",
            user.role
        );
    }
    Ok(user.email)
}

pub fn candidate(cli: &Cli, cmd: &CandidateCommand) -> anyhow::Result<()> {
    let mut app = crate::open(cli)?;
    match cmd {
        CandidateCommand::List => {
            let list = app.candidates()?;
            if cli.json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|c| {
                        serde_json::json!({"id": c.id.to_string(), "name": c.name, "email": c.email,
                        "sessions": c.sessions, "created_at": c.created_at})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for c in list {
                    println!(
                        "{}  {}  <{}>  sessions: {}  registered {}",
                        c.id,
                        c.name,
                        c.email,
                        c.sessions,
                        c.created_at.format("%Y-%m-%d %H:%M")
                    );
                }
            }
        }
        CandidateCommand::Erase { id } => {
            let report = app.erase_candidate(*id, &Actor::Cli)?;
            println!(
                "erased candidate {id}: {} session(s), {} file(s) removed{}",
                report.sessions,
                report.files_removed,
                if report.files_missing > 0 {
                    format!(", {} already gone", report.files_missing)
                } else {
                    String::new()
                }
            );
        }
        CandidateCommand::Purge => {
            let report = app.purge_expired(&Actor::Cli)?;
            println!(
                "retention: {} recording(s) removed, {} candidate(s) erased",
                report.audio_files_removed, report.candidates_erased
            );
        }
    }
    Ok(())
}

pub fn review(cli: &Cli, session: SessionId, by: &str, note: &str) -> anyhow::Result<()> {
    let mut app = crate::open(cli)?;
    let email = reviewer(&app, by)?;
    app.sign_off_report(session, &email, note, &Actor::User(email.clone()))?;
    println!("report {session} signed off by {email}; it is final");
    Ok(())
}

pub fn adjust(
    cli: &Cli,
    session: SessionId,
    by: &str,
    score: ScoreKey,
    value: u8,
    reason: &str,
) -> anyhow::Result<()> {
    let mut app = crate::open(cli)?;
    let email = reviewer(&app, by)?;
    let state = app.adjust_score(
        session,
        score,
        value,
        reason,
        &email,
        &Actor::User(email.clone()),
    )?;
    if let Some(a) = state.adjustments.last() {
        println!(
            "{} of {session}: {} → {} (the original is kept)",
            a.key.label(),
            a.original,
            a.value
        );
    }
    Ok(())
}

pub fn audit(cli: &Cli, cmd: &AuditCommand) -> anyhow::Result<()> {
    let app = crate::open(cli)?;
    match cmd {
        AuditCommand::Verify => match app.verify_audit()? {
            AuditVerification::Intact { entries, head } => {
                println!("audit chain intact: {entries} entries, head {head}");
                Ok(())
            }
            AuditVerification::Broken { seq, reason } => {
                bail!("audit chain broken at entry #{seq}: {reason}")
            }
        },
        AuditCommand::List { limit } => {
            for e in app.audit_entries(Some(*limit))? {
                println!(
                    "#{}  {}  {}  {}  {}  {}",
                    e.seq,
                    e.event.at.format("%Y-%m-%d %H:%M:%S"),
                    e.event.actor,
                    e.event.action,
                    e.event.subject,
                    e.event.detail
                );
            }
            Ok(())
        }
    }
}

pub fn backup(cli: &Cli, out: &Path) -> anyhow::Result<()> {
    let mut app = crate::open(cli)?;
    let bytes = app.backup(out, &Actor::Cli)?;
    println!(
        "backed up the database to {} ({bytes} bytes)",
        out.display()
    );
    Ok(())
}
