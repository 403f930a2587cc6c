//! The kiosk's journey without a window, over a real SQLite file, the offline brain,
//! espeak-ng and whisper. Answers come from WAV files through the same `AudioSource`
//! seam the microphone implements (the real cpal path is driven end to end by
//! `scripts/e2e.sh` through a virtual microphone).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use panelist_audio::{AudioSource, WavFileSource};
use panelist_core::{Clock, InterviewSpec, Language, ManualClock, SessionStatus};
use panelist_kiosk::dto::{AnswerMode, KioskEvent, RegistrationForm, ResumeUpload, Step};
use panelist_kiosk::{Kiosk, KioskError, KioskSettings};
use panelist_service::{NewInterview, Panelist};
use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};

fn model() -> PathBuf {
    std::env::var_os("PANELIST_WHISPER_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ggml-tiny.en.bin")
        })
}

struct Fixture {
    dir: tempfile::TempDir,
    kiosk: Kiosk,
    interview: String,
    clock: Arc<ManualClock>,
    answers: Arc<Mutex<Vec<PathBuf>>>,
}

fn extractor() -> panelist_resume::Extractor {
    // No extractor binary in this test: every PDF is unreadable, which is the case the
    // kiosk must handle gracefully.
    panelist_resume::Extractor {
        program: PathBuf::from("/nonexistent/panelist"),
        args: vec![],
        timeout: Duration::from_secs(5),
    }
}

fn fixture(questions: u32) -> Fixture {
    fixture_with(questions, KioskSettings::default(), true)
}

/// `staffed`: whether the kiosk's administrator account exists.
fn fixture_with(questions: u32, settings: KioskSettings, staffed: bool) -> Fixture {
    fixture_in(
        Language::English,
        None,
        questions,
        settings,
        staffed,
        model(),
    )
}

/// A kiosk whose interview is held in `language`, with the recruiter's own `own`
/// questions when given (the offline bank is English), on the whisper model `model`.
fn fixture_in(
    language: Language,
    own: Option<Vec<panelist_core::Question>>,
    questions: u32,
    settings: KioskSettings,
    staffed: bool,
    model: PathBuf,
) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let brain = panelist_brain::OfflineBrain::embedded().unwrap();
    let mut app =
        Panelist::open_with(dir.path(), extractor(), Box::new(brain), clock.clone()).unwrap();
    let created = app
        .create_interview_with(
            NewInterview {
                spec: InterviewSpec {
                    job_role: "Backend Engineer".into(),
                    job_description: "Rust services, PostgreSQL, testing.".into(),
                    difficulty: "medium".parse().unwrap(),
                    focus_areas: vec!["Rust".into(), "Testing".into()],
                    time_limit_minutes: 10,
                    avatar: "grace".into(),
                    num_questions: questions,
                    max_follow_ups_per_preset: 1,
                    language,
                },
            },
            own,
            &panelist_service::Actor::Cli,
        )
        .unwrap();
    app.publish_interview(created.id, &panelist_service::Actor::Cli)
        .unwrap();
    let answers: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let queue = answers.clone();
    let open: panelist_kiosk::OpenSource = Box::new(move |_device| {
        let next = queue.lock().unwrap().pop();
        match next {
            Some(p) => Ok(Box::new(WavFileSource::new(p)) as Box<dyn AudioSource>),
            None => Err(KioskError::NoMicrophone(
                "no microphone in this test".into(),
            )),
        }
    });
    if staffed {
        add_staff(&mut app);
    }
    let kiosk = Kiosk::new(app, settings, model, open);
    Fixture {
        interview: created.id.to_string(),
        dir,
        kiosk,
        clock,
        answers,
    }
}

fn form(name: &str) -> RegistrationForm {
    RegistrationForm {
        name: name.into(),
        email: "jane@example.com".into(),
        phone: Some("+1 555 123 4567".into()),
        resume: None,
    }
}

fn events() -> (panelist_kiosk::EventSink, Arc<Mutex<Vec<KioskEvent>>>) {
    let seen: Arc<Mutex<Vec<KioskEvent>>> = Arc::default();
    let sink = seen.clone();
    (Arc::new(move |e| sink.lock().unwrap().push(e)), seen)
}

fn spoken(dir: &Path, name: &str, text: &str) -> PathBuf {
    spoken_by(dir, name, text, "en-us")
}

fn spoken_by(dir: &Path, name: &str, text: &str, voice: &str) -> PathBuf {
    let speech = EspeakSpeaker::new()
        .unwrap()
        .speak(text, &VoiceSettings::new(voice, 160))
        .unwrap();
    let path = dir.join(name);
    speech.write_wav(&path).unwrap();
    path
}

fn store(f: &Fixture) -> panelist_store::Store {
    panelist_store::Store::open(&f.dir.path().join(panelist_service::DATABASE_FILE)).unwrap()
}

/// The same kiosk started again on the same data directory (a restart).
fn restarted(dir: &Path, clock: &Arc<ManualClock>, settings: KioskSettings) -> Kiosk {
    let brain = panelist_brain::OfflineBrain::embedded().unwrap();
    let app = Panelist::open_with(dir, extractor(), Box::new(brain), clock.clone()).unwrap();
    let open: panelist_kiosk::OpenSource = Box::new(|_| {
        Err(KioskError::NoMicrophone(
            "no microphone in this test".into(),
        ))
    });
    Kiosk::new(app, settings, model(), open)
}

#[test]
fn the_pin_delay_grows_with_failures_and_survives_a_restart() {
    let mut settings = KioskSettings::default();
    settings.set_pin("246810").unwrap();
    let mut f = fixture_with(1, settings.clone(), true);
    // Two free failures, then a delay that doubles.
    for _ in 0..3 {
        assert!(matches!(
            f.kiosk.unlock("000000"),
            Err(KioskError::WrongPin)
        ));
    }
    // Inside the delay even the right PIN is not checked.
    assert!(matches!(
        f.kiosk.unlock("246810"),
        Err(KioskError::Throttled { wait_seconds: 1 })
    ));
    f.clock.advance(chrono::Duration::seconds(1));
    assert!(matches!(
        f.kiosk.unlock("111111"),
        Err(KioskError::WrongPin)
    ));
    let waited = f.kiosk.unlock("246810");
    assert!(
        matches!(waited, Err(KioskError::Throttled { wait_seconds: 2 })),
        "{waited:?}"
    );
    // A restart (the kiosk unplugged) does not reset the count.
    drop(f.kiosk);
    let mut kiosk = restarted(f.dir.path(), &f.clock, settings.clone());
    let after_restart = kiosk.unlock("246810");
    assert!(
        matches!(
            after_restart,
            Err(KioskError::Throttled { wait_seconds: 2 })
        ),
        "{after_restart:?}"
    );
    assert_eq!(
        after_restart.unwrap_err().to_ui().code,
        panelist_kiosk::dto::ErrorCode::Throttled
    );
    f.clock.advance(chrono::Duration::seconds(2));
    kiosk.unlock("246810").unwrap();
    // Success clears the count: the next mistake is free again.
    assert!(matches!(kiosk.unlock("000000"), Err(KioskError::WrongPin)));
    assert!(matches!(kiosk.unlock("000000"), Err(KioskError::WrongPin)));
    kiosk.unlock("246810").unwrap();
    // Every attempt is audited.
    let s =
        panelist_store::Store::open(&f.dir.path().join(panelist_service::DATABASE_FILE)).unwrap();
    let actions: Vec<String> = s
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("kiosk.unlock"))
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "kiosk.unlock_failed")
            .count(),
        6
    );
    assert_eq!(actions.iter().filter(|a| *a == "kiosk.unlock").count(), 2);
}

#[test]
fn no_candidate_journey_starts_before_an_administrator_exists() {
    let mut f = fixture_with(1, KioskSettings::default(), false);
    assert!(!f.kiosk.view().set_up);
    let refused = f.kiosk.consent(&f.interview, true);
    assert!(matches!(refused, Err(KioskError::NotSetUp)), "{refused:?}");
    let ui = refused.unwrap_err().to_ui();
    assert!(ui.message.contains("not set up"), "{}", ui.message);
    assert!(matches!(
        f.kiosk.register(form("Jane")),
        Err(KioskError::WrongState(_))
    ));
    // Staff create the administrator (admin mode, `--admin`): the kiosk opens.
    drop(f.kiosk);
    let brain = panelist_brain::OfflineBrain::embedded().unwrap();
    let mut app =
        Panelist::open_with(f.dir.path(), extractor(), Box::new(brain), f.clock.clone()).unwrap();
    add_staff(&mut app);
    drop(app);
    let mut kiosk = restarted(f.dir.path(), &f.clock, KioskSettings::default());
    assert!(kiosk.view().set_up);
    kiosk.consent(&f.interview, true).unwrap();
    kiosk.register(form("Jane")).unwrap();
}

#[test]
fn steps_out_of_order_are_refused() {
    let mut f = fixture(2);
    let (sink, _) = events();
    assert!(matches!(
        f.kiosk.register(form("Jane")),
        Err(KioskError::WrongState(_))
    ));
    assert!(matches!(
        f.kiosk.mic_check_start(sink.clone()),
        Err(KioskError::WrongState(_))
    ));
    assert!(matches!(f.kiosk.begin(), Err(KioskError::WrongState(_))));
    assert!(matches!(
        f.kiosk.submit(None),
        Err(KioskError::WrongState(_))
    ));
    f.kiosk.consent(&f.interview, true).unwrap();
    // Still no microphone before registration.
    assert!(matches!(
        f.kiosk.mic_check_start(sink),
        Err(KioskError::WrongState(_))
    ));
}

#[test]
fn declining_stores_nothing() {
    let mut f = fixture(2);
    f.kiosk.consent(&f.interview, false).unwrap();
    assert!(matches!(
        f.kiosk.register(form("Jane")),
        Err(KioskError::WrongState(_))
    ));
    assert!(store(&f).list_sessions(None).unwrap().is_empty());
}

#[test]
fn consent_is_stored_with_the_notice_version_and_the_moment_it_was_given() {
    let mut f = fixture(2);
    let consented_at = f.clock.now();
    f.kiosk.consent(&f.interview, true).unwrap();
    f.clock.advance(chrono::Duration::seconds(95)); // filling in the form
    let reg = f.kiosk.register(form("Jane Doe")).unwrap();
    let consent = store(&f)
        .consent_for(reg.session_id.parse().unwrap())
        .unwrap();
    assert_eq!(
        consent.notice_version,
        panelist_service::CONSENT_NOTICE_VERSION
    );
    assert_eq!(consent.granted_at, consented_at);
    assert_eq!(f.kiosk.notice().version, consent.notice_version);
}

#[test]
fn invalid_fields_are_named_and_an_unreadable_resume_does_not_stop_the_interview() {
    let mut f = fixture(2);
    f.kiosk.consent(&f.interview, true).unwrap();
    let mut bad = form("Jane");
    bad.email = "jane@".into();
    match f.kiosk.register(bad) {
        Err(e) => assert_eq!(e.to_ui().field.as_deref(), Some("email")),
        Ok(_) => panic!("a bad email was accepted"),
    }
    let mut with_resume = form("Jane");
    with_resume.resume = Some(ResumeUpload {
        file_name: "cv.pdf".into(),
        base64: panelist_kiosk::base64(b"%PDF-1.4 this is not really a pdf"),
    });
    let reg = f.kiosk.register(with_resume).unwrap();
    assert!(!reg.resume_used);
    let note = reg.resume_note.unwrap();
    assert!(note.contains("go on without it"), "{note}");
    // The staged upload is gone.
    let tmp = f.dir.path().join("tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_file_from_the_kiosks_own_folder_is_refused_as_a_resume() {
    let mut f = fixture(2);
    f.kiosk.consent(&f.interview, true).unwrap();
    // Another candidate's stored résumé, as the file chooser could reach it.
    let stored = f.dir.path().join("resumes").join("someone-else.txt");
    std::fs::create_dir_all(stored.parent().unwrap()).unwrap();
    let theirs = b"Maria Silva. 8 years of Rust at Example Corp. maria@example.com".to_vec();
    std::fs::write(&stored, &theirs).unwrap();
    let mut attempt = form("Jane");
    attempt.resume = Some(ResumeUpload {
        file_name: "cv.txt".into(),
        base64: panelist_kiosk::base64(&theirs),
    });
    match f.kiosk.register(attempt) {
        Err(e) => {
            let ui = e.to_ui();
            assert_eq!(ui.field.as_deref(), Some("resume"));
            assert!(
                ui.message.contains("belongs to the kiosk"),
                "{}",
                ui.message
            );
        }
        Ok(_) => panic!("a stored résumé was accepted as a new one"),
    }
    // Nothing was staged, and the candidate's own file goes through.
    let tmp = f.dir.path().join("tmp");
    let staged = std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0);
    assert_eq!(staged, 0);
    let mut own = form("Jane");
    own.resume = Some(ResumeUpload {
        file_name: "cv.txt".into(),
        base64: panelist_kiosk::base64(b"Jane Doe. Python and Rust. jane@example.com"),
    });
    f.kiosk.register(own).unwrap();
}

#[test]
fn no_microphone_is_a_clear_error() {
    let mut f = fixture(2);
    f.kiosk.consent(&f.interview, true).unwrap();
    f.kiosk.register(form("Jane")).unwrap();
    let (sink, _) = events();
    let e = f.kiosk.mic_check_start(sink).expect_err("no microphone");
    assert_eq!(e.to_ui().code, panelist_kiosk::dto::ErrorCode::NoMicrophone);
}

#[test]
fn a_typed_interview_completes_with_its_report_and_the_kiosk_wipes() {
    let mut f = fixture(2);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Zoë Ångström")).unwrap();
    let mut q = f.kiosk.begin().unwrap();
    assert_eq!(q.avatar, panelist_kiosk::dto::AvatarLook::Grace);
    assert_eq!(q.progress, "Question 1 of 2");
    let clip = q.speech.clone().expect("espeak speech");
    assert!(clip.duration_ms > 500 && !clip.visemes.is_empty());
    assert!(
        f.kiosk.model_loaded(),
        "the model loads when the interview begins"
    );
    let mut answers = 0;
    loop {
        f.clock
            .advance(chrono::Duration::milliseconds(i64::from(clip.duration_ms)));
        let (sink, _) = events();
        let started = f.kiosk.speech_finished(AnswerMode::Typed, sink).unwrap();
        assert_eq!(started.allotted_seconds, q.allotted_seconds);
        f.clock.advance(chrono::Duration::seconds(30));
        let text = "I write unit tests and integration tests, use cargo test in CI, and review every change with a colleague.";
        answers += 1;
        match f.kiosk.submit(Some(text.into())).unwrap() {
            Step::Question {
                question, saved, ..
            } => {
                assert_eq!(saved.number, answers);
                q = question;
            }
            Step::Finished { saved } => {
                assert_eq!(saved.number, answers);
                break;
            }
        }
        assert!(answers < 20);
    }
    let s = store(&f);
    let id = reg.session_id.parse().unwrap();
    assert_eq!(s.get_session(id).unwrap().status, SessionStatus::Completed);
    assert_eq!(s.responses(id).unwrap().len(), answers as usize);
    assert!(s.get_report(id).is_ok());
    f.kiosk.wipe();
    assert!(!f.kiosk.model_loaded(), "the wipe frees the speech model");
    assert!(!f.kiosk.busy());
}

#[test]
fn abandoning_keeps_saved_answers_and_closes_the_session() {
    let mut f = fixture(3);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Jane")).unwrap();
    f.kiosk.begin().unwrap();
    let (sink, _) = events();
    f.kiosk
        .speech_finished(AnswerMode::Typed, sink.clone())
        .unwrap();
    f.clock.advance(chrono::Duration::seconds(20));
    f.kiosk
        .submit(Some("A first answer that is saved.".into()))
        .unwrap();
    f.kiosk.speech_finished(AnswerMode::Typed, sink).unwrap();
    // The candidate walks away mid-answer: the idle timeout abandons.
    let abandoned = f.kiosk.abandon().unwrap();
    assert_eq!(abandoned.as_deref(), Some(reg.session_id.as_str()));
    let s = store(&f);
    let id = reg.session_id.parse().unwrap();
    assert_eq!(s.get_session(id).unwrap().status, SessionStatus::Abandoned);
    assert_eq!(s.responses(id).unwrap().len(), 1);
    assert!(!f.kiosk.busy());
    // The kiosk is ready for the next candidate.
    f.kiosk.consent(&f.interview, true).unwrap();
    f.kiosk.register(form("Next Candidate")).unwrap();
}

/// Polls `done` every 20 ms until it holds; fails after 30 s naming `what`.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited 30 s for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn an_abandoned_voice_answer_leaves_no_audio_behind_and_erasure_takes_the_rest() {
    let mut f = fixture(3);
    let first = spoken(
        f.dir.path(),
        "first.wav",
        "I write unit tests for every module and run them on every change.",
    );
    let second = spoken(
        f.dir.path(),
        "second.wav",
        "Then I would measure the latency before and after.",
    );
    // The test microphone hands out recordings from the end of the queue.
    f.answers.lock().unwrap().extend([second, first]);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Jane")).unwrap();
    f.kiosk.begin().unwrap();
    let (sink, _) = events();
    f.kiosk
        .speech_finished(AnswerMode::Voice, sink.clone())
        .unwrap();
    let audio = f.dir.path().join("audio");
    wait_until("the first answer's recording", || {
        files_under(&audio).len() == 1
    });
    f.clock.advance(chrono::Duration::seconds(6));
    f.kiosk.submit(None).unwrap();
    // The second answer is being recorded when the candidate walks away.
    f.kiosk.speech_finished(AnswerMode::Voice, sink).unwrap();
    wait_until("the second answer's recording", || {
        files_under(&audio).len() == 2
    });
    assert_eq!(
        files_under(&audio).len(),
        2,
        "both answers are being recorded"
    );
    f.kiosk.abandon().unwrap();

    let s = store(&f);
    let id: panelist_core::SessionId = reg.session_id.parse().unwrap();
    let responses = s.responses(id).unwrap();
    assert_eq!(responses.len(), 1);
    let kept = responses[0]
        .audio_path
        .clone()
        .expect("the submitted answer's audio");
    let left = files_under(&audio);
    assert_eq!(
        left,
        vec![PathBuf::from(&kept)],
        "only the submitted answer's recording is kept"
    );

    // A kiosk that lost power mid-answer left a recording no row refers to: the next
    // start removes it and keeps the submitted one.
    let crashed = audio.join(format!("{}-q9.wav", reg.session_id));
    std::fs::write(&crashed, b"RIFF").unwrap();
    drop(restarted(f.dir.path(), &f.clock, KioskSettings::default()));
    assert_eq!(files_under(&audio), vec![PathBuf::from(&kept)]);

    // Erasure finds every recording the candidate left: none is orphaned.
    let candidate = s.get_session(id).unwrap().candidate_id;
    let brain = panelist_brain::OfflineBrain::embedded().unwrap();
    let mut app =
        Panelist::open_with(f.dir.path(), extractor(), Box::new(brain), f.clock.clone()).unwrap();
    let erased = app
        .erase_candidate(candidate, &panelist_service::Actor::Cli)
        .unwrap();
    assert_eq!(erased.files_removed, 1);
    assert!(files_under(&audio).is_empty(), "{:?}", files_under(&audio));
}

#[test]
fn a_spoken_answer_is_transcribed_live_and_finally() {
    let mut f = fixture(2);
    let wav = spoken(
        f.dir.path(),
        "answer.wav",
        "I write unit tests for every module and integration tests against a real database.",
    );
    f.answers.lock().unwrap().push(wav);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Jane")).unwrap();
    f.kiosk.begin().unwrap();
    let (sink, seen) = events();
    let started = f.kiosk.speech_finished(AnswerMode::Voice, sink).unwrap();
    assert!(started.device.unwrap().ends_with("answer.wav"));
    wait_until("a level from the microphone", || {
        seen.lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, KioskEvent::Level { .. }))
    });
    f.clock.advance(chrono::Duration::seconds(6));
    let step = f.kiosk.submit(None).unwrap();
    let saved = match step {
        Step::Question { saved, .. } | Step::Finished { saved } => saved,
    };
    assert!(saved.note.is_none(), "{:?}", saved.note);
    let s = store(&f);
    let responses = s.responses(reg.session_id.parse().unwrap()).unwrap();
    let t = responses[0].transcript.to_lowercase();
    // "unit test" or "unit tests": tiny.en hears either, depending on the exact samples,
    // and espeak-ng's samples depend on what it spoke before in this process.
    assert!(t.contains("unit test") && t.contains("database"), "{t}");
    let audio = responses[0].audio_path.clone().unwrap();
    assert!(Path::new(&audio).is_file());
    let events = seen.lock().unwrap();
    assert!(events.iter().any(|e| matches!(e, KioskEvent::Level { .. })));
}

/// The administrator a kiosk needs before it starts any candidate journey.
fn add_staff(app: &mut Panelist) {
    let admin = panelist_core::User {
        id: panelist_core::UserId::new(),
        email: "root@example.com".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$not-used-in-this-test".into(),
        full_name: "Root Admin".into(),
        role: panelist_core::Role::Admin,
        created_at: chrono::Utc::now(),
    };
    app.add_user(&admin, &panelist_service::Actor::Cli).unwrap();
}

fn german_questions() -> Vec<panelist_core::Question> {
    [
        "Wie testen Sie Ihre Dienste?",
        "Wie finden Sie eine langsame Abfrage?",
    ]
    .iter()
    .map(|text| panelist_core::Question {
        text: text.to_string(),
        tags: vec![],
        key_points: vec![],
        follow_ups: vec![],
        source: None,
    })
    .collect()
}

fn repo_model(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../models")
        .join(format!("ggml-{name}.bin"));
    assert!(
        path.is_file(),
        "{} is missing: run scripts/setup.sh",
        path.display()
    );
    path
}

#[test]
fn a_german_interview_is_refused_at_consent_by_a_kiosk_that_hears_only_english() {
    let mut f = fixture_in(
        Language::German,
        Some(german_questions()),
        2,
        KioskSettings::default(),
        true,
        repo_model("tiny.en"),
    );
    let err = f
        .kiosk
        .consent(&f.interview, true)
        .expect_err("tiny.en cannot hear German");
    let message = err.to_string();
    assert!(
        message.contains("German") && message.contains("only English"),
        "{message}"
    );
    assert!(
        matches!(
            f.kiosk.register(form("Jonas")),
            Err(KioskError::WrongState(_))
        ),
        "no consent was recorded"
    );
    assert!(store(&f).list_sessions(None).unwrap().is_empty());
}

#[test]
fn a_german_interview_speaks_german_and_hears_german() {
    let mut f = fixture_in(
        Language::German,
        Some(german_questions()),
        2,
        KioskSettings::default(),
        true,
        repo_model("base"),
    );
    // A sentence base hears well in espeak-ng's German voice; decoded as English it
    // comes out as "dark bank" (crates/transcribe/tests/languages.rs).
    let said = "Ich habe die Datenbank mit einem Index schneller gemacht.";
    let wav = spoken_by(f.dir.path(), "antwort.wav", said, "de");
    f.answers.lock().unwrap().push(wav);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Jonas")).unwrap();
    f.kiosk.begin().unwrap();
    assert_eq!(
        f.kiosk.avatar_voice(),
        Some("de"),
        "the avatar speaks the interview's language"
    );
    let (sink, _) = events();
    f.kiosk.speech_finished(AnswerMode::Voice, sink).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    f.clock.advance(chrono::Duration::seconds(8));
    f.kiosk.submit(None).unwrap();
    let responses = store(&f)
        .responses(reg.session_id.parse().unwrap())
        .unwrap();
    let heard = &responses[0].transcript;
    let w = panelist_transcribe::wer::wer(said, heard);
    assert!(
        w <= 0.5 && heard.to_lowercase().contains("datenbank"),
        "heard {heard:?} (WER {w:.2})"
    );
}
