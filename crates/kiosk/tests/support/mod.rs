//! What the kiosk's test binaries share: the data folder with a published interview and
//! its administrator, the devices (real, or fakes through the same seams), and waits
//! that poll with a deadline.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use panelist_core::brain_api::{DecisionContext, Evaluation, EvaluationContext, Proposal};
use panelist_core::{Brain, BrainError, InterviewSpec, Language, ManualClock, Question};
use panelist_kiosk::dto::KioskEvent;
use panelist_kiosk::{Devices, EventSink, KioskError, OpenSource};
use panelist_service::{NewInterview, Panelist};
use panelist_speech::{EspeakSpeaker, Speaker, Speech, SpeechError, VoiceSettings};
use panelist_transcribe::{TranscribeError, Transcriber, Transcript};

/// The speech model the real-device tests hear with: the kiosk's default.
pub fn model() -> PathBuf {
    std::env::var_os("PANELIST_WHISPER_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_model(panelist_kiosk::models::DEFAULT_MODEL))
}

/// A speech model of the repository's `models/` by name, a CTranslate2 folder or a ggml
/// file (fetched by `scripts/setup.sh`).
pub fn repo_model(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    panelist_kiosk::models::find(name, &[dir])
        .unwrap_or_else(|e| panic!("{e}: run scripts/setup.sh"))
}

pub fn extractor() -> panelist_resume::Extractor {
    // No extractor binary in these tests: every PDF is unreadable, which is the case the
    // kiosk must handle gracefully.
    panelist_resume::Extractor {
        program: PathBuf::from("/nonexistent/panelist"),
        args: vec![],
        timeout: Duration::from_secs(5),
    }
}

/// The data folder opened with `brain` on `clock`.
pub fn open(dir: &Path, brain: Box<dyn Brain>, clock: &Arc<ManualClock>) -> Panelist {
    Panelist::open_with(dir, extractor(), brain, clock.clone()).unwrap()
}

pub fn offline_brain() -> Box<dyn Brain> {
    Box::new(panelist_brain::OfflineBrain::embedded().unwrap())
}

/// Creates and publishes a Backend Engineer interview of `questions` presets in
/// `language` (the recruiter's `own` questions when given: the offline bank is
/// English); returns its id.
pub fn publish(
    app: &mut Panelist,
    language: Language,
    own: Option<Vec<Question>>,
    questions: u32,
    avatar: &str,
) -> String {
    let created = app
        .create_interview_with(
            NewInterview {
                spec: InterviewSpec {
                    job_role: "Backend Engineer".into(),
                    job_description: "Rust services, PostgreSQL, testing.".into(),
                    difficulty: "medium".parse().unwrap(),
                    focus_areas: vec!["Rust".into(), "Testing".into()],
                    time_limit_minutes: 10,
                    avatar: avatar.into(),
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
    created.id.to_string()
}

/// The administrator a kiosk needs before it starts any candidate journey.
pub fn add_staff(app: &mut Panelist) {
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

pub fn store(dir: &Path) -> panelist_store::Store {
    panelist_store::Store::open(&dir.join(panelist_service::DATABASE_FILE)).unwrap()
}

/// A microphone that is never there.
pub fn no_microphone() -> OpenSource {
    Box::new(|_| {
        Err(KioskError::NoMicrophone(
            "no microphone in this test".into(),
        ))
    })
}

/// The real speech engine and whisper `model`, with the test's `microphone`.
pub fn real_devices(model: PathBuf, microphone: OpenSource) -> Devices {
    Devices {
        speaker: Ok(Arc::new(EspeakSpeaker::new().unwrap())),
        transcriber: panelist_kiosk::whisper(model),
        microphone,
    }
}

/// Fakes for speech and transcription (see [`FakeSpeaker`], [`FakeTranscriber`]), with
/// the test's `microphone`.
pub fn fake_devices(microphone: OpenSource) -> Devices {
    fake_devices_with(
        Arc::new(FakeSpeaker::default()),
        FakeTranscriber::hearing("I test every change."),
        microphone,
    )
}

pub fn fake_devices_with(
    speaker: Arc<FakeSpeaker>,
    transcriber: FakeTranscriber,
    microphone: OpenSource,
) -> Devices {
    Devices {
        speaker: Ok(speaker),
        transcriber: Box::new(move || {
            Ok(Box::new(transcriber.clone()) as Box<dyn Transcriber + Send>)
        }),
        microphone,
    }
}

/// Holds whoever passes it, once armed, until the test releases it: the test can then
/// act while the kiosk is inside a slow step.
#[derive(Default)]
pub struct Gate {
    armed: AtomicBool,
    state: Mutex<(bool, bool)>,
    changed: Condvar,
}

impl Gate {
    /// The next pass stops here (until [`Gate::release`]).
    pub fn arm(&self) {
        *self.state.lock().unwrap() = (false, false);
        self.armed.store(true, Ordering::SeqCst);
    }

    /// Called by the fake; waits (60 s at most) when armed.
    fn pass(&self) {
        if !self.armed.swap(false, Ordering::SeqCst) {
            return;
        }
        let mut state = self.state.lock().unwrap();
        state.0 = true;
        self.changed.notify_all();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !state.1 && Instant::now() < deadline {
            state = self
                .changed
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap()
                .0;
        }
    }

    /// Waits until someone is held here; fails after 60 s naming `what`.
    pub fn wait_entered(&self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut state = self.state.lock().unwrap();
        while !state.0 {
            assert!(Instant::now() < deadline, "waited 60 s for {what}");
            state = self
                .changed
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap()
                .0;
        }
    }

    pub fn release(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
}

/// A speaker that "speaks" a tone of 60 ms a character (at least 0.6 s) with a mouth
/// timeline from its loudness: enough for the journey, nothing of espeak-ng's.
#[derive(Default)]
pub struct FakeSpeaker {
    pub calls: AtomicUsize,
    pub gate: Gate,
}

impl Speaker for FakeSpeaker {
    fn speak(&self, text: &str, _: &VoiceSettings) -> Result<Speech, SpeechError> {
        self.gate.pass();
        const RATE: u32 = 16_000;
        let ms = (text.chars().count() * 60).max(600);
        let samples: Vec<i16> = (0..ms * RATE as usize / 1000)
            .map(|i| {
                let t = i as f32 / RATE as f32;
                let envelope = (t * 3.0 * std::f32::consts::PI).sin().abs();
                (envelope * 8000.0 * (t * 220.0 * 2.0 * std::f32::consts::PI).sin()) as i16
            })
            .collect();
        let visemes = panelist_speech::timeline_from_envelope(&samples, RATE);
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(Speech {
            sample_rate: RATE,
            samples,
            visemes,
            phonemes: vec![],
        })
    }
}

/// A transcriber that hears `text` in any speech; its final pass (the one the candidate
/// waits for) stops at `gate` when that is armed.
#[derive(Clone)]
pub struct FakeTranscriber {
    text: String,
    pub gate: Arc<Gate>,
}

impl FakeTranscriber {
    pub fn hearing(text: &str) -> Self {
        Self {
            text: text.into(),
            gate: Arc::default(),
        }
    }

    fn heard(&self, audio: &[f32]) -> Transcript {
        Transcript {
            text: self.text.clone(),
            audio_seconds: audio.len() as f64 / 16_000.0,
        }
    }
}

impl Transcriber for FakeTranscriber {
    fn transcribe(&mut self, audio: &[f32], _: &str) -> Result<Transcript, TranscribeError> {
        Ok(self.heard(audio))
    }

    fn transcribe_tail(&mut self, audio: &[f32], _: &str) -> Result<Transcript, TranscribeError> {
        self.gate.pass();
        Ok(self.heard(audio))
    }
}

/// The offline brain, except that after an answer to a preset it asks `follow_up` (so
/// that the next question is not the one spoken ahead), and its decisions stop at
/// `gate` when that is armed.
pub struct GatedBrain {
    inner: panelist_brain::OfflineBrain,
    follow_up: String,
    pub gate: Arc<Gate>,
}

impl GatedBrain {
    pub fn new(follow_up: &str) -> Self {
        Self {
            inner: panelist_brain::OfflineBrain::embedded().unwrap(),
            follow_up: follow_up.into(),
            gate: Arc::default(),
        }
    }
}

impl Brain for GatedBrain {
    fn name(&self) -> String {
        "gated offline".into()
    }
    fn generate_questions(
        &self,
        request: &panelist_core::brain_api::QuestionRequest,
    ) -> Result<Vec<Question>, BrainError> {
        self.inner.generate_questions(request)
    }
    fn decide(&self, context: &DecisionContext) -> Result<Proposal, BrainError> {
        self.gate.pass();
        if !context.history.is_empty() && context.follow_ups_used_for_current == 0 {
            return Ok(Proposal::FollowUp {
                question_text: self.follow_up.clone(),
                suggested_time_seconds: 60,
            });
        }
        self.inner.decide(context)
    }
    fn evaluate(&self, context: &EvaluationContext) -> Result<Evaluation, BrainError> {
        self.inner.evaluate(context)
    }
}

/// Speech from espeak-ng written to `dir/name` (what a candidate says, as a WAV file).
pub fn spoken(dir: &Path, name: &str, text: &str) -> PathBuf {
    spoken_by(dir, name, text, "en-us")
}

pub fn spoken_by(dir: &Path, name: &str, text: &str, voice: &str) -> PathBuf {
    let speech = EspeakSpeaker::new()
        .unwrap()
        .speak(text, &VoiceSettings::new(voice, 160))
        .unwrap();
    let path = dir.join(name);
    speech.write_wav(&path).unwrap();
    path
}

/// An event sink and what it received.
pub fn events() -> (EventSink, Arc<Mutex<Vec<KioskEvent>>>) {
    let seen: Arc<Mutex<Vec<KioskEvent>>> = Arc::default();
    let sink = seen.clone();
    (Arc::new(move |e| sink.lock().unwrap().push(e)), seen)
}

/// Polls `done` every 20 ms until it holds; fails after 30 s naming `what`.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited 30 s for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
