//! `panelist report …`

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgGroup, Subcommand, ValueEnum};
use panelist_core::{InterviewId, Report, SessionId};
use panelist_service::{
    Actor, Destination, ExportError, ExportFormat, ExportOptions, Paper, ReportSelection,
    ServiceError,
};

use crate::Cli;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Pdf,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PaperSize {
    A4,
    Letter,
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Show a session's report.
    Show { session: SessionId },
    /// Sign a report off as its human reviewer (an hr or admin account): it becomes final.
    Review {
        session: SessionId,
        /// The reviewer's account email.
        #[arg(long)]
        by: String,
        #[arg(long)]
        note: String,
    },
    /// Adjust one score before sign-off, with a reason; the brain's score is kept.
    Adjust {
        session: SessionId,
        #[arg(long)]
        by: String,
        /// communication, technical, problem_solving or overall.
        #[arg(long)]
        score: panelist_core::ScoreKey,
        #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
        value: u8,
        #[arg(long)]
        reason: String,
    },
    /// Write reports to files: one session's report to a file, or many (by interview or by
    /// date range) into a folder or a zip file. Existing files are kept unless --force.
    #[command(group(ArgGroup::new("which").required(true).args(["session", "interview", "from"])))]
    Export {
        /// The session whose report to write to --out.
        #[arg(conflicts_with_all = ["interview", "from", "to", "zip"])]
        session: Option<SessionId>,
        /// Every finished session of this interview (into the folder or zip at --out).
        #[arg(long, conflicts_with_all = ["from", "to"])]
        interview: Option<InterviewId>,
        /// Sessions held on or after this day (YYYY-MM-DD, UTC); needs --to.
        #[arg(long, requires = "to")]
        from: Option<NaiveDate>,
        /// Sessions held on or before this day (YYYY-MM-DD, UTC); needs --from.
        #[arg(long, requires = "from")]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// The file (one session), folder, or zip file (with --zip) to write.
        #[arg(long)]
        out: PathBuf,
        /// Write one zip file at --out instead of a folder.
        #[arg(long)]
        zip: bool,
        /// Paper size of PDFs.
        #[arg(long, value_enum, default_value = "a4")]
        paper: PaperSize,
        /// Start CSV files with a UTF-8 byte-order mark (for some spreadsheet apps).
        #[arg(long)]
        bom: bool,
        /// Replace files that already exist.
        #[arg(long)]
        force: bool,
    },
}

/// The export options the arguments ask for.
fn options(format: Format, paper: PaperSize, bom: bool, force: bool) -> ExportOptions {
    let mut options = ExportOptions::new(match format {
        Format::Pdf => ExportFormat::Pdf,
        Format::Csv => ExportFormat::Csv,
        Format::Json => ExportFormat::Json,
    });
    options.paper = match paper {
        PaperSize::A4 => Paper::A4,
        PaperSize::Letter => Paper::Letter,
    };
    options.csv_bom = bom;
    options.overwrite = force;
    options
}

/// Says how to get past a refusal to overwrite, in the CLI's own terms.
fn explain(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Export(ExportError::Exists(path)) => anyhow::anyhow!(
            "{} already exists; nothing was written (pass --force to replace it)",
            path.display()
        ),
        e => e.into(),
    }
}

fn print_report(r: &Report) {
    println!(
        "Report for {} <{}>: {}",
        r.candidate.name, r.candidate.email, r.interview.job_role
    );
    println!(
        "Scores: overall {}, technical {}, communication {}, problem solving {}",
        r.scores.overall, r.scores.technical, r.scores.communication, r.scores.problem_solving
    );
    println!(
        "Recommendation: {}",
        r.overall_assessment.recommendation.as_str()
    );
    for resp in &r.responses {
        println!(
            "\n{} [{}] score {} ({})",
            resp.display_label,
            resp.question_type,
            resp.score,
            resp.answer_quality.as_str()
        );
        println!("  Q: {}", resp.question_text);
        println!("  A: {}", resp.candidate_answer);
        for e in &resp.evidence {
            println!("  - {e}");
        }
        println!("  Improve: {}", resp.improvement);
    }
    println!("\nStrengths:");
    for s in &r.overall_assessment.strengths {
        println!("  + {s}");
    }
    println!("Areas for improvement:");
    for s in &r.overall_assessment.areas_for_improvement {
        println!("  - {s}");
    }
    println!("\n{}", r.overall_assessment.summary);
    println!(
        "Generated by {} at {}",
        r.generated_by.brain, r.generated_by.at
    );
}

pub fn run(cli: &Cli, cmd: &ReportCommand) -> anyhow::Result<()> {
    match cmd {
        ReportCommand::Show { session } => {
            let app = crate::open(cli)?;
            let report = app.report(*session)?;
            let state = app.review_state(*session)?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report.with_adjustments(&state.in_force()));
                for a in state.in_force() {
                    println!(
                        "{} adjusted by {}: {} → {} ({})",
                        a.key.label(),
                        a.by,
                        a.original,
                        a.value,
                        a.reason
                    );
                }
                match &state.review {
                    Some(r) => println!("Final: signed off by {} at {}: {}", r.by, r.at, r.note),
                    None => println!("Draft: pending human sign-off"),
                }
            }
        }
        ReportCommand::Review { session, by, note } => {
            crate::admin::review(cli, *session, by, note)?
        }
        ReportCommand::Adjust {
            session,
            by,
            score,
            value,
            reason,
        } => crate::admin::adjust(cli, *session, by, *score, *value, reason)?,
        ReportCommand::Export {
            session,
            interview,
            from,
            to,
            format,
            out,
            zip,
            paper,
            bom,
            force,
        } => {
            let mut app = crate::open(cli)?;
            let options = options(*format, *paper, *bom, *force);
            if let Some(session) = session {
                app.export_report(*session, &options, out, &Actor::Cli)
                    .map_err(explain)?;
                println!("wrote {}", out.display());
                return Ok(());
            }
            let selection = match (interview, from, to) {
                (Some(id), _, _) => ReportSelection::Interview(*id),
                (None, Some(from), Some(to)) => ReportSelection::Dates {
                    from: *from,
                    to: *to,
                },
                // clap requires one of the three and --from with --to.
                _ => anyhow::bail!("name a session, --interview, or --from and --to"),
            };
            let destination = if *zip {
                Destination::Zip(out.clone())
            } else {
                Destination::Dir(out.clone())
            };
            let summary = app
                .export_reports(&selection, &options, &destination, &Actor::Cli)
                .map_err(explain)?;
            if cli.json {
                let files: Vec<String> = summary
                    .files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({"reports": summary.reports, "bytes": summary.bytes, "files": files})
                );
            } else {
                println!("wrote {} report(s) to {}", summary.reports, out.display());
                for file in summary.files.iter().skip(usize::from(*zip)) {
                    println!("  {}", file.display());
                }
            }
        }
    }
    Ok(())
}
