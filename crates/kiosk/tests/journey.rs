//! The kiosk's journey without a window, over a real SQLite file and the offline brain,
//! with fake speech and hearing for its logic and the real espeak-ng and whisper where
//! what is said and heard is the point. Answers come from WAV files through the same `AudioSource`
//! seam the microphone implements (the real cpal path is driven end to end by
//! `scripts/e2e.sh` through a virtual microphone).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use panelist_audio::{AudioSource, WavFileSource};
use panelist_core::{Clock, Language, ManualClock, SessionStatus};
use panelist_kiosk::dto::{
    AnswerMode, KioskEvent, QuestionKind, RegistrationForm, ResumeUpload, Step,
};
use panelist_kiosk::{Kiosk, KioskError, KioskSettings, OpenSource};
use support::{
    add_staff, events, fake_devices, fake_devices_with, offline_brain, repo_model, spoken,
    spoken_by, wait_until, FakeSpeaker, FakeTranscriber, Gate, GatedBrain,
};

struct Fixture {
    dir: tempfile::TempDir,
    kiosk: Kiosk,
    interview: String,
    clock: Arc<ManualClock>,
    answers: Arc<Mutex<Vec<PathBuf>>>,
}

/// The kiosk's speech and hearing in a test: fakes for the journey's logic, the real
/// espeak-ng and whisper (this model) where what is heard is the point.
enum Parts {
    Fake,
    Real(PathBuf),
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
        Parts::Fake,
    )
}

/// A kiosk whose interview is held in `language`, with the recruiter's own `own`
/// questions when given (the offline bank is English), speaking and hearing with
/// `parts`; answers are the WAV files the test queues in `answers`.
fn fixture_in(
    language: Language,
    own: Option<Vec<panelist_core::Question>>,
    questions: u32,
    settings: KioskSettings,
    staffed: bool,
    parts: Parts,
) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut app = support::open(dir.path(), offline_brain(), &clock);
    let interview = support::publish(&mut app, language, own, questions, "grace");
    let answers: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let open = queued_microphone(&answers);
    if staffed {
        add_staff(&mut app);
    }
    let devices = match parts {
        Parts::Fake => fake_devices(open),
        Parts::Real(model) => support::real_devices(model, open),
    };
    let kiosk = Kiosk::new(app, settings, devices);
    Fixture {
        interview,
        dir,
        kiosk,
        clock,
        answers,
    }
}

/// A microphone that hands out the queued recordings, from the end of the queue.
fn queued_microphone(answers: &Arc<Mutex<Vec<PathBuf>>>) -> OpenSource {
    let queue = answers.clone();
    Box::new(move |_device| {
        let next = queue.lock().unwrap().pop();
        match next {
            Some(p) => Ok(Box::new(WavFileSource::new(p)) as Box<dyn AudioSource>),
            None => Err(KioskError::NoMicrophone(
                "no microphone in this test".into(),
            )),
        }
    })
}

fn form(name: &str) -> RegistrationForm {
    RegistrationForm {
        name: name.into(),
        email: "jane@example.com".into(),
        phone: Some("+1 555 123 4567".into()),
        resume: None,
    }
}

fn store(f: &Fixture) -> panelist_store::Store {
    support::store(f.dir.path())
}

/// The same kiosk started again on the same data directory (a restart).
fn restarted(dir: &Path, clock: &Arc<ManualClock>, settings: KioskSettings) -> Kiosk {
    let app = support::open(dir, offline_brain(), clock);
    Kiosk::new(app, settings, fake_devices(support::no_microphone()))
}

#[test]
fn the_pin_delay_grows_with_failures_and_survives_a_restart() {
    let mut settings = KioskSettings::default();
    settings.set_pin("246810").unwrap();
    let f = fixture_with(1, settings.clone(), true);
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
    let kiosk = restarted(f.dir.path(), &f.clock, settings.clone());
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
    let s = support::store(f.dir.path());
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
    let f = fixture_with(1, KioskSettings::default(), false);
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
    let mut app = support::open(f.dir.path(), offline_brain(), &f.clock);
    add_staff(&mut app);
    drop(app);
    let kiosk = restarted(f.dir.path(), &f.clock, KioskSettings::default());
    assert!(kiosk.view().set_up);
    kiosk.consent(&f.interview, true).unwrap();
    kiosk.register(form("Jane")).unwrap();
}

#[test]
fn steps_out_of_order_are_refused() {
    let f = fixture(2);
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
    let f = fixture(2);
    f.kiosk.consent(&f.interview, false).unwrap();
    assert!(matches!(
        f.kiosk.register(form("Jane")),
        Err(KioskError::WrongState(_))
    ));
    assert!(store(&f).list_sessions(None).unwrap().is_empty());
}

#[test]
fn consent_is_stored_with_the_notice_version_and_the_moment_it_was_given() {
    let f = fixture(2);
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
    let f = fixture(2);
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
    let f = fixture(2);
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
    let f = fixture(2);
    f.kiosk.consent(&f.interview, true).unwrap();
    f.kiosk.register(form("Jane")).unwrap();
    let (sink, _) = events();
    let e = f.kiosk.mic_check_start(sink).expect_err("no microphone");
    assert_eq!(e.to_ui().code, panelist_kiosk::dto::ErrorCode::NoMicrophone);
}

#[test]
fn a_typed_interview_completes_with_its_report_and_the_kiosk_wipes() {
    let f = fixture(2);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Zoë Ångström")).unwrap();
    let mut q = f.kiosk.begin().unwrap();
    assert_eq!(q.avatar, panelist_kiosk::dto::AvatarLook::Grace);
    assert_eq!(q.progress, "Question 1 of 2");
    let clip = q.speech.clone().expect("the question's speech");
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
    assert_eq!(f.kiosk.answering_seconds(), None);
    assert!(matches!(
        f.kiosk.submit(None),
        Err(KioskError::WrongState(_))
    ));
}

#[test]
fn abandoning_keeps_saved_answers_and_closes_the_session() {
    let f = fixture(3);
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
    assert_eq!(f.kiosk.answering_seconds(), None);
    // The kiosk is ready for the next candidate.
    f.kiosk.consent(&f.interview, true).unwrap();
    f.kiosk.register(form("Next Candidate")).unwrap();
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
    let f = fixture(3);
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
    let mut app = support::open(f.dir.path(), offline_brain(), &f.clock);
    let erased = app
        .erase_candidate(candidate, &panelist_service::Actor::Cli)
        .unwrap();
    assert_eq!(erased.files_removed, 1);
    assert!(files_under(&audio).is_empty(), "{:?}", files_under(&audio));
}

/// The real path: espeak-ng speaks the questions, whisper hears the answer (through the
/// `AudioSource` seam the cpal microphone implements).
#[test]
fn a_spoken_answer_is_transcribed_live_and_finally() {
    let f = fixture_in(
        Language::English,
        None,
        2,
        KioskSettings::default(),
        true,
        Parts::Real(support::model()),
    );
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

#[test]
fn a_german_interview_is_refused_at_consent_by_a_kiosk_that_hears_only_english() {
    let f = fixture_in(
        Language::German,
        Some(german_questions()),
        2,
        KioskSettings::default(),
        true,
        Parts::Real(repo_model("tiny.en-ct2")),
    );
    let err = f
        .kiosk
        .consent(&f.interview, true)
        .expect_err("tiny.en cannot hear German");
    assert_eq!(
        err.code(),
        panelist_kiosk::dto::ErrorCode::Unsupported,
        "{err}"
    );
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
    let f = fixture_in(
        Language::German,
        Some(german_questions()),
        2,
        KioskSettings::default(),
        true,
        Parts::Real(repo_model("base-ct2")),
    );
    // A sentence base hears well in espeak-ng's German voice; decoded as English it
    // comes out as "dark bank" (crates/transcribe/tests/languages.rs). On CTranslate2
    // (int8) base hears "Notenbank" for "Datenbank": the German words around it are what
    // show the language was set.
    let said = "Ich habe die Datenbank mit einem Index schneller gemacht.";
    let wav = spoken_by(f.dir.path(), "antwort.wav", said, "de");
    f.answers.lock().unwrap().push(wav);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Jonas")).unwrap();
    f.kiosk.begin().unwrap();
    assert_eq!(
        f.kiosk.avatar_voice().as_deref(),
        Some("de"),
        "the avatar speaks the interview's language"
    );
    let (sink, seen) = events();
    f.kiosk.speech_finished(AnswerMode::Voice, sink).unwrap();
    wait_until("a level from the microphone", || {
        seen.lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, KioskEvent::Level { .. }))
    });
    f.clock.advance(chrono::Duration::seconds(8));
    f.kiosk.submit(None).unwrap();
    let responses = store(&f)
        .responses(reg.session_id.parse().unwrap())
        .unwrap();
    let heard = &responses[0].transcript;
    let w = panelist_transcribe::wer::wer(said, heard);
    assert!(
        w <= 0.5 && heard.to_lowercase().contains("ich habe") && heard.contains("Index"),
        "heard {heard:?} (WER {w:.2})"
    );
}

/// What the brain asks after the first answer in the gated fixture.
const FOLLOW_UP: &str = "Tell me more about how you test a change.";

/// The fakes of [`gated_fixture`], each able to hold the kiosk inside its slow step.
struct Gates {
    speaker: Arc<FakeSpeaker>,
    transcriber: Arc<Gate>,
    brain: Arc<Gate>,
}

/// A kiosk whose final transcription pass, brain decisions and speech can each be held
/// by the test; after the first answer the brain asks [`FOLLOW_UP`] (not the preset
/// spoken ahead, so the reply is synthesised then).
fn gated_fixture() -> (Fixture, Gates) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let brain = GatedBrain::new(FOLLOW_UP);
    let brain_gate = brain.gate.clone();
    let mut app = support::open(dir.path(), Box::new(brain), &clock);
    let interview = support::publish(&mut app, Language::English, None, 2, "grace");
    add_staff(&mut app);
    let answers: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let speaker = Arc::new(FakeSpeaker::default());
    let transcriber = FakeTranscriber::hearing("I test every change with unit tests.");
    let transcriber_gate = transcriber.gate.clone();
    let devices = fake_devices_with(speaker.clone(), transcriber, queued_microphone(&answers));
    let kiosk = Kiosk::new(app, KioskSettings::default(), devices);
    let fixture = Fixture {
        dir,
        kiosk,
        interview,
        clock,
        answers,
    };
    let gates = Gates {
        speaker,
        transcriber: transcriber_gate,
        brain: brain_gate,
    };
    (fixture, gates)
}

/// Runs `call` on another thread while `gate` holds the kiosk inside a slow step and
/// returns its result, or `None` when it got no answer within 10 s (the kiosk's lock was
/// held). The gate is released either way, so a failing test does not hang.
fn meanwhile<T: Send>(
    kiosk: &Kiosk,
    gate: &Gate,
    call: impl FnOnce(&Kiosk) -> T + Send,
) -> Option<T> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        s.spawn(move || {
            let _ = tx.send(call(kiosk));
        });
        let got = rx.recv_timeout(Duration::from_secs(10)).ok();
        gate.release();
        got
    })
}

/// Starts a two-question interview and the first answer in `mode` (a short spoken one
/// from `answer.wav` in voice mode); returns the session.
fn answering(f: &Fixture, gates: &Gates, mode: AnswerMode) -> panelist_core::SessionId {
    let wav = spoken(f.dir.path(), "answer.wav", "I test every change.");
    f.answers.lock().unwrap().push(wav);
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Jane")).unwrap();
    f.kiosk.begin().unwrap();
    let (sink, _) = events();
    f.kiosk.speech_finished(mode, sink).unwrap();
    // The next preset is spoken ahead on another thread: it must not take a gate.
    wait_until("the next preset spoken ahead", || {
        gates
            .speaker
            .calls
            .load(std::sync::atomic::Ordering::SeqCst)
            >= 2
    });
    f.clock.advance(chrono::Duration::seconds(6));
    reg.session_id.parse().unwrap()
}

#[test]
fn the_kiosk_answers_while_an_answer_is_transcribed_decided_and_spoken() {
    let (f, gates) = gated_fixture();
    let session = answering(&f, &gates, AnswerMode::Voice);
    gates.transcriber.arm();
    gates.brain.arm();
    gates.speaker.gate.arm();
    let step = std::thread::scope(|s| {
        let submit = s.spawn(|| f.kiosk.submit(None));
        answered_meanwhile(
            &f.kiosk,
            &[
                (&gates.transcriber, "the final transcription pass"),
                (&gates.brain, "the brain's decision"),
                (&gates.speaker.gate, "speech synthesis"),
            ],
        );
        submit.join().unwrap()
    });
    match step.unwrap() {
        Step::Question {
            question, saved, ..
        } => {
            assert_eq!(question.kind, QuestionKind::FollowUp);
            assert_eq!(question.text, FOLLOW_UP);
            assert!(question.speech.is_some(), "{:?}", question.speech_error);
            assert_eq!(saved.number, 1);
        }
        Step::Finished { .. } => panic!("the interview has a second question"),
    }
    let responses = support::store(f.dir.path()).responses(session).unwrap();
    assert_eq!(
        responses[0].transcript,
        "I test every change with unit tests."
    );
}

/// Runs `call` and, while `gate` holds it inside `step`, ends the visit as the idle
/// timeout does; returns the call's `WrongState` message.
fn abandoned_during<T: Send + std::fmt::Debug>(
    f: &Fixture,
    gate: &Gate,
    step: &str,
    call: impl FnOnce(&Kiosk) -> Result<T, KioskError> + Send,
) -> String {
    gate.arm();
    let result = std::thread::scope(|s| {
        let running = s.spawn(|| call(&f.kiosk));
        gate.wait_entered(step);
        let abandoned = meanwhile(&f.kiosk, gate, Kiosk::abandon);
        assert!(
            abandoned.is_some(),
            "the kiosk's lock was held during {step}"
        );
        running.join().unwrap()
    });
    match result {
        Err(KioskError::WrongState(m)) => m,
        other => panic!("{other:?}"),
    }
}

/// While each gate in turn holds the kiosk inside its step, another call is answered.
fn answered_meanwhile(kiosk: &Kiosk, gates: &[(&Gate, &str)]) {
    for (gate, step) in gates {
        gate.wait_entered(step);
        let view = meanwhile(kiosk, gate, |k| (k.view(), k.answering_seconds()));
        assert!(view.is_some(), "the kiosk's lock was held during {step}");
    }
}

#[test]
fn the_kiosk_answers_while_the_first_question_is_decided_and_spoken() {
    let (f, gates) = gated_fixture();
    f.kiosk.consent(&f.interview, true).unwrap();
    f.kiosk.register(form("Jane")).unwrap();
    gates.brain.arm();
    gates.speaker.gate.arm();
    let question = std::thread::scope(|s| {
        let begin = s.spawn(|| f.kiosk.begin());
        answered_meanwhile(
            &f.kiosk,
            &[
                (&gates.brain, "the brain's first decision"),
                (&gates.speaker.gate, "the first question's speech"),
            ],
        );
        begin.join().unwrap()
    })
    .unwrap();
    assert_eq!(question.progress, "Question 1 of 2");
    assert!(question.speech.is_some(), "{:?}", question.speech_error);
    let (sink, _) = events();
    f.kiosk.speech_finished(AnswerMode::Typed, sink).unwrap();
}

#[test]
fn an_interview_ended_before_its_first_question_is_closed() {
    let (f, gates) = gated_fixture();
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f.kiosk.register(form("Jane")).unwrap();
    let message = abandoned_during(&f, &gates.brain, "the brain's first decision", |k| {
        k.begin()
    });
    assert!(message.contains("before its first question"), "{message}");
    let s = support::store(f.dir.path());
    let session = reg.session_id.parse().unwrap();
    assert_eq!(
        s.get_session(session).unwrap().status,
        SessionStatus::Abandoned
    );
    assert!(!f.kiosk.model_loaded(), "the wipe unloaded the model");
    f.kiosk.consent(&f.interview, true).unwrap();
}

#[test]
fn an_interview_ended_while_the_next_question_is_decided_keeps_the_answer() {
    let (f, gates) = gated_fixture();
    let session = answering(&f, &gates, AnswerMode::Typed);
    let typed = Some("I test every change.".to_string());
    let message = abandoned_during(&f, &gates.brain, "the brain's decision", |k| {
        k.submit(typed)
    });
    assert!(
        message.contains("answers given so far are saved"),
        "{message}"
    );
    let s = support::store(f.dir.path());
    assert_eq!(
        s.get_session(session).unwrap().status,
        SessionStatus::Abandoned
    );
    let responses = s.responses(session).unwrap();
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].transcript, "I test every change.");
    // The kiosk is at Welcome for the next candidate.
    f.kiosk.consent(&f.interview, true).unwrap();
}

#[test]
fn an_answer_whose_interview_ended_while_it_was_transcribed_leaves_nothing() {
    let (f, gates) = gated_fixture();
    let session = answering(&f, &gates, AnswerMode::Voice);
    let message = abandoned_during(
        &f,
        &gates.transcriber,
        "the final transcription pass",
        |k| k.submit(None),
    );
    assert!(message.contains("was not saved"), "{message}");
    let s = support::store(f.dir.path());
    assert_eq!(
        s.get_session(session).unwrap().status,
        SessionStatus::Abandoned
    );
    assert!(s.responses(session).unwrap().is_empty());
    let audio = files_under(&f.dir.path().join("audio"));
    assert!(
        audio.is_empty(),
        "an unsaved answer's recording is deleted: {audio:?}"
    );
}
