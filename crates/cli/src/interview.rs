//! `panelist interview …`

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use panelist_core::{
    Clock, Difficulty, Interview, InterviewId, InterviewSpec, Language, ManualClock, SessionId,
    SystemClock,
};
use panelist_service::{Actor, CandidateInput, NewInterview, Panelist};

use crate::answers::{self, Source};
use crate::brain::BrainChoice;
use crate::Cli;

#[derive(Subcommand)]
pub enum InterviewCommand {
    /// Create a draft interview; the offline brain proposes its questions. Prints the id.
    Create {
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "medium")]
        difficulty: Difficulty,
        /// Comma-separated focus areas, e.g. ML,Python.
        #[arg(long, value_delimiter = ',')]
        focus: Vec<String>,
        /// Answering time for the whole interview.
        #[arg(long, default_value_t = 10)]
        minutes: u32,
        /// Number of preset questions.
        #[arg(long, default_value_t = 3)]
        questions: u32,
        #[arg(long, default_value = "ada")]
        avatar: String,
        #[arg(long, default_value_t = 1)]
        max_follow_ups: u32,
        /// The language of the interview: en, de, fr or es. The offline brain's bank is
        /// English only; other languages need an LLM brain or `--brain llm`.
        #[arg(long, default_value = "en")]
        language: Language,
        /// Who proposes the questions: offline, llm or auto.
        #[arg(long, default_value_t)]
        brain: BrainChoice,
    },
    /// List interviews.
    List,
    /// Show one interview with its questions.
    Show { id: InterviewId },
    /// Freeze the interview into a revision with a kiosk code.
    Publish { id: InterviewId },
    /// Archive an interview.
    Archive { id: InterviewId },
    /// Run a whole interview with a scripted or interactive candidate.
    Run {
        /// Interview id or kiosk code.
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        resume: Option<PathBuf>,
        #[command(flatten)]
        answers: AnswerArgs,
        /// Who decides the next question and writes the report: offline, llm or auto.
        #[arg(long, default_value_t)]
        brain: BrainChoice,
    },
}

/// Where a headless run's answers come from.
#[derive(clap::Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("answer_source").required(true).args(["answers", "answers_dir", "interactive"])))]
pub struct AnswerArgs {
    /// One answer per line, or a JSON array of strings.
    #[arg(long)]
    answers: Option<PathBuf>,
    /// A folder of recorded answers, one WAV per answer in name order, transcribed locally.
    #[arg(long)]
    answers_dir: Option<PathBuf>,
    /// Read answers from the terminal.
    #[arg(long)]
    interactive: bool,
    /// The whisper model for --answers-dir: a name (tiny.en, base-q8_0, …) or a ggml file
    /// (default: as `panelist transcribe` finds it).
    #[arg(long, requires = "answers_dir", value_name = "NAME|FILE")]
    model: Option<String>,
}

/// Where answers come from, and the simulated clock a scripted run keeps. The script is
/// read and checked here, before anything is written.
pub fn answer_source(
    cli: &Cli,
    args: &AnswerArgs,
) -> anyhow::Result<(Source, Option<Arc<ManualClock>>)> {
    let scripted = || Some(Arc::new(ManualClock::new(Utc::now())));
    if let Some(path) = &args.answers {
        return Ok((
            Source::Script(answers::load_script(path)?.into_iter()),
            scripted(),
        ));
    }
    if let Some(dir) = &args.answers_dir {
        let files = answers::list_wavs(dir)?;
        let data_dir = crate::data_dir(cli.data_dir.as_deref()).ok();
        let model = crate::voice::model_path(args.model.as_deref(), data_dir.as_deref())?;
        let transcriber = crate::voice::load_transcriber(&model)?;
        return Ok((
            Source::Audio {
                files: files.into_iter(),
                transcriber,
            },
            scripted(),
        ));
    }
    Ok((Source::Terminal, None))
}

/// Opens the data directory for a run: scripted runs use their simulated clock.
pub fn open_for_run(
    cli: &Cli,
    clock: Option<&Arc<ManualClock>>,
    brain: BrainChoice,
) -> anyhow::Result<Panelist> {
    let clock: Arc<dyn Clock> = match clock {
        Some(c) => c.clone(),
        None => Arc::new(SystemClock),
    };
    let dir = crate::data_dir(cli.data_dir.as_deref())?;
    let brain = crate::brain::build(brain, &dir)?;
    let mut app = Panelist::open_with(&dir, crate::extractor()?, brain, clock)?;
    app.set_caller(panelist_service::Actor::Cli);
    Ok(app)
}

fn print_interview(i: &Interview) {
    println!("{}  {}  [{}]", i.id, i.spec.job_role, i.status);
    println!(
        "  {}, difficulty {}, {} min, focus: {}, revision {}, kiosk code {}",
        i.spec.language.name(),
        i.spec.difficulty,
        i.spec.time_limit_minutes,
        i.spec.focus_areas.join(", "),
        i.revision,
        i.kiosk_code.as_deref().unwrap_or("-")
    );
    for (n, q) in i.questions.iter().enumerate() {
        println!("  {}. {}", n + 1, q.text);
    }
}

pub fn run(cli: &Cli, cmd: &InterviewCommand) -> anyhow::Result<()> {
    match cmd {
        InterviewCommand::Create {
            role,
            description,
            difficulty,
            focus,
            minutes,
            questions,
            avatar,
            max_follow_ups,
            language,
            brain,
        } => {
            let dir = crate::data_dir(cli.data_dir.as_deref())?;
            let mut app = Panelist::open_with(
                &dir,
                crate::extractor()?,
                crate::brain::build(*brain, &dir)?,
                Arc::new(SystemClock),
            )?;
            app.set_caller(panelist_service::Actor::Cli);
            let interview = app.create_interview(
                NewInterview {
                    spec: InterviewSpec {
                        job_role: role.clone(),
                        job_description: description.clone(),
                        difficulty: *difficulty,
                        focus_areas: focus
                            .iter()
                            .map(|f| f.trim().to_string())
                            .filter(|f| !f.is_empty())
                            .collect(),
                        time_limit_minutes: *minutes,
                        avatar: avatar.clone(),
                        num_questions: *questions,
                        max_follow_ups_per_preset: *max_follow_ups,
                        language: *language,
                    },
                },
                &Actor::Cli,
            )?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&interview)?);
            } else {
                println!("{}", interview.id);
            }
        }
        InterviewCommand::List => {
            let app = crate::open(cli)?;
            let list = app.interviews()?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for i in &list {
                    println!(
                        "{}  {:<9}  r{}  {:<6}  {}",
                        i.id,
                        i.status.as_str(),
                        i.revision,
                        i.kiosk_code.as_deref().unwrap_or("-"),
                        i.spec.job_role
                    );
                }
            }
        }
        InterviewCommand::Show { id } => {
            let app = crate::open(cli)?;
            let i = app.interview(*id)?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&i)?);
            } else {
                print_interview(&i);
            }
        }
        InterviewCommand::Publish { id } => {
            let mut app = crate::open(cli)?;
            let rev = app.publish_interview(*id, &Actor::Cli)?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&rev)?);
            } else {
                println!(
                    "published revision {} with kiosk code {}",
                    rev.revision, rev.kiosk_code
                );
            }
        }
        InterviewCommand::Archive { id } => {
            let mut app = crate::open(cli)?;
            app.archive_interview(*id, &Actor::Cli)?;
            println!("archived {id}");
        }
        InterviewCommand::Run {
            id,
            name,
            email,
            phone,
            resume,
            answers,
            brain,
        } => {
            let (mut source, clock) = answer_source(cli, answers)?;
            let mut app = open_for_run(cli, clock.as_ref(), *brain)?;
            // A model that cannot hear the interview's language is refused before the
            // candidate is registered.
            source.set_language(app.find_published(id)?.spec.language)?;
            let registration = app.register(
                id,
                CandidateInput {
                    name: name.clone(),
                    email: email.clone(),
                    phone: phone.clone(),
                    resume: resume.clone(),
                },
                true,
            )?;
            if let Some(warning) = &registration.resume_warning {
                eprintln!("warning: {warning}");
            }
            drive(&mut app, registration.session.id, source, clock.as_deref())?;
        }
    }
    Ok(())
}

/// Seconds a scripted speaker takes to say `text` at a conversational 150 words a minute.
fn speaking_seconds(text: &str) -> i64 {
    let words = text.split_whitespace().count() as f64;
    (words / 150.0 * 60.0).ceil().max(2.0) as i64
}

/// Copies an answer's recording into the data directory, where the report can find it
/// (the one layout the kiosk uses too: `panelist_service::answer_audio_path`).
fn keep_recording(
    data_dir: &std::path::Path,
    session: SessionId,
    number: u32,
    from: &std::path::Path,
) -> anyhow::Result<String> {
    let dest = panelist_service::answer_audio_path(data_dir, session, number);
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::copy(from, &dest)
        .with_context(|| format!("cannot keep the recording {}", from.display()))?;
    Ok(dest.display().to_string())
}

/// Runs the interview loop until it completes (then prints the session id) or the
/// terminal closes (then the session stays in progress, to be resumed).
pub fn drive(
    app: &mut Panelist,
    session: SessionId,
    mut source: Source,
    scripted_clock: Option<&ManualClock>,
) -> anyhow::Result<()> {
    let app_dir = app.data_dir().to_path_buf();
    let app_dir = app_dir.as_path();
    let mut run = app.run(session)?;
    source.set_language(run.revision().spec.language)?;
    let stdout = std::io::stdout();
    while let Some(q) = run.next_question(app)? {
        {
            let mut out = stdout.lock();
            writeln!(
                out,
                "Q{} [{}] {}s: {}",
                q.number, q.question_type, q.allotted_seconds, q.text
            )?;
            out.flush()?;
        }
        if let Some(clock) = scripted_clock {
            clock.advance(chrono::Duration::seconds(speaking_seconds(&q.text) / 2 + 1));
        }
        run.speech_finished(app)?;
        let vocabulary = run.answer_vocabulary(&q);
        let Some(answer) = source.next_answer(&q.text, &vocabulary)? else {
            eprintln!(
                "input closed; session {session} is kept in progress (resume with `panelist session resume {session}`)"
            );
            return Ok(());
        };
        if let Some(clock) = scripted_clock {
            let took = answer
                .seconds
                .map_or_else(|| speaking_seconds(&answer.text) as f64, |s| s.ceil())
                .min(f64::from(q.allotted_seconds));
            clock.advance(chrono::Duration::milliseconds((took * 1000.0) as i64));
        }
        let audio_path = match &answer.audio {
            Some(path) => Some(keep_recording(app_dir, session, q.number, path)?),
            None => None,
        };
        let saved = run.submit(app, &answer.text, audio_path)?;
        let mut out = stdout.lock();
        writeln!(out, "saved answer {}", saved.question.number)?;
        out.flush()?;
    }
    let report = run.finish(app).context("cannot write the report")?;
    println!(
        "complete: overall {} ({})",
        report.scores.overall,
        report.overall_assessment.recommendation.as_str()
    );
    println!("{session}");
    Ok(())
}
