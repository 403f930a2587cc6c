//! The end of a turn and "Repeat the question" through the kiosk's journey, over a real
//! SQLite file, the offline brain and the earshot VAD, with espeak-ng and whisper where
//! what is heard is checked (fakes where only the turn's events are).
//!
//! Answers are fed through the `AudioSource` seam at a pace the test controls (the audio
//! "arrives" when the test releases it), so silence is measured in audio time and nothing
//! here sleeps to wait: every wait polls for an event with a deadline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use panelist_audio::{AudioError, AudioSource, CaptureOptions, Recording, WavFileSource};
use panelist_core::{Language, ManualClock};
use panelist_kiosk::dto::{AnswerEnd, AnswerMode, KioskEvent, RegistrationForm, Step};
use panelist_kiosk::{Kiosk, KioskError, KioskSettings, OpenSource};
use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};

const RATE: usize = 16_000;

/// A WAV file delivered only as far as the test has released it.
struct PacedSource {
    inner: WavFileSource,
    released: Arc<AtomicUsize>,
}

impl AudioSource for PacedSource {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn start(&mut self, options: CaptureOptions) -> Result<(), AudioError> {
        self.inner.start(options)
    }
    fn is_capturing(&self) -> bool {
        self.inner.is_capturing()
    }
    fn samples_since(&self, from: usize) -> Vec<f32> {
        let until = self.released.load(Ordering::SeqCst);
        let mut s = self.inner.samples_since(from);
        s.truncate(until.saturating_sub(from));
        s
    }
    fn stop(&mut self) -> Result<Recording, AudioError> {
        self.inner.stop()
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    kiosk: Kiosk,
    interview: String,
    clock: Arc<ManualClock>,
    answer: Arc<Mutex<Option<PathBuf>>>,
    released: Arc<AtomicUsize>,
}

/// A kiosk with the real espeak-ng and whisper (`real`: what is heard is checked) or
/// fakes (only the turn's events are), over a two-question interview.
fn fixture(settings: KioskSettings, real: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut app = support::open(dir.path(), support::offline_brain(), &clock);
    let interview = support::publish(&mut app, Language::English, None, 2, "ada");
    let answer: Arc<Mutex<Option<PathBuf>>> = Arc::default();
    let released = Arc::new(AtomicUsize::new(0));
    let (queue, gate) = (answer.clone(), released.clone());
    let open: OpenSource = Box::new(move |_device| {
        let next = queue.lock().unwrap().take();
        match next {
            Some(p) => Ok(Box::new(PacedSource {
                inner: WavFileSource::new(p),
                released: gate.clone(),
            }) as Box<dyn AudioSource>),
            None => Err(KioskError::NoMicrophone(
                "no microphone in this test".into(),
            )),
        }
    });
    support::add_staff(&mut app);
    let devices = if real {
        support::real_devices(support::model(), open)
    } else {
        support::fake_devices(open)
    };
    let kiosk = Kiosk::new(app, settings, devices);
    Fixture {
        interview,
        dir,
        kiosk,
        clock,
        answer,
        released,
    }
}

fn after_silence() -> KioskSettings {
    KioskSettings {
        answer_end: AnswerEnd::AfterSilence,
        end_silence_seconds: 3.0,
        end_grace_seconds: 3.0,
        ..KioskSettings::default()
    }
}

fn speech(text: &str) -> Vec<f32> {
    let s = EspeakSpeaker::new()
        .unwrap()
        .speak(text, &VoiceSettings::new("en-us", 165))
        .unwrap();
    let samples: Vec<f32> = s.samples.iter().map(|x| f32::from(*x) / 32768.0).collect();
    panelist_audio::resample::resample(&samples, s.sample_rate, RATE as u32).unwrap()
}

fn silence(seconds: f64) -> Vec<f32> {
    vec![0.0; (seconds * RATE as f64) as usize]
}

/// Writes an answer made of parts; returns where each part ends (in samples).
fn answer(f: &Fixture, parts: &[Vec<f32>]) -> Vec<usize> {
    let mut all = Vec::new();
    let mut ends = Vec::new();
    for p in parts {
        all.extend_from_slice(p);
        ends.push(all.len());
    }
    let path = f.dir.path().join("answer.wav");
    panelist_audio::write_wav(&path, &all).unwrap();
    *f.answer.lock().unwrap() = Some(path);
    ends
}

fn start(f: &Fixture) -> (String, Arc<Mutex<Vec<KioskEvent>>>) {
    f.kiosk.consent(&f.interview, true).unwrap();
    let reg = f
        .kiosk
        .register(RegistrationForm {
            name: "Jane Doe".into(),
            email: "jane@example.com".into(),
            phone: None,
            resume: None,
        })
        .unwrap();
    f.kiosk.begin().unwrap();
    let seen: Arc<Mutex<Vec<KioskEvent>>> = Arc::default();
    let sink = seen.clone();
    f.kiosk
        .speech_finished(
            AnswerMode::Voice,
            Arc::new(move |e| sink.lock().unwrap().push(e)),
        )
        .unwrap();
    (reg.session_id, seen)
}

/// The turn events seen, with the countdown's ticks (a `TurnEnding` right after another)
/// folded into the first: one "Finished?" each time it is asked.
fn turn_events(seen: &Arc<Mutex<Vec<KioskEvent>>>) -> Vec<KioskEvent> {
    let mut out: Vec<KioskEvent> = Vec::new();
    for e in seen.lock().unwrap().iter() {
        let tick = matches!(e, KioskEvent::TurnEnding { .. })
            && matches!(out.last(), Some(KioskEvent::TurnEnding { .. }));
        let turn = matches!(
            e,
            KioskEvent::TurnEnding { .. } | KioskEvent::TurnResumed | KioskEvent::TurnEnded
        );
        if turn && !tick {
            out.push(e.clone());
        }
    }
    out
}

/// Releases audio up to `until` samples and waits until the answer's thread has heard it
/// all and had a further look (a partial or level is not needed: turn events are what is
/// checked), polling with a deadline.
fn release_and_settle(f: &Fixture, until: usize, seen: &Arc<Mutex<Vec<KioskEvent>>>, want: usize) {
    f.released.store(until, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(60);
    // The thread looks every 0.4 s; whisper passes can make a look take longer. Wait
    // until `want` turn events exist, or (want == current) for a quiet period of
    // three looks in which nothing new arrives.
    let mut last = turn_events(seen).len();
    let mut quiet_since = Instant::now();
    loop {
        let now = turn_events(seen).len();
        if now != last {
            last = now;
            quiet_since = Instant::now();
        }
        if now >= want && quiet_since.elapsed() > Duration::from_millis(1500) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {want} turn events: {:?}",
            turn_events(seen)
        );
        std::thread::yield_now();
        std::thread::park_timeout(Duration::from_millis(20));
    }
}

#[test]
fn silence_after_speech_ends_the_turn_but_a_thinking_pause_does_not() {
    let f = fixture(after_silence(), true);
    let ends = answer(
        &f,
        &[
            silence(0.5),
            speech("I would write unit tests for every module."),
            silence(4.0), // thinking
            speech("Then integration tests against a real database."),
            silence(3.6),
            silence(4.4),
        ],
    );
    let (session, seen) = start(&f);
    // Speech, then a 4 s thinking pause: "Finished?" is asked after 3 s, nothing submits.
    release_and_settle(&f, ends[2], &seen, 1);
    let events = turn_events(&seen);
    assert!(
        matches!(events.as_slice(), [KioskEvent::TurnEnding { seconds_left }] if *seconds_left > 1.0 && *seconds_left <= 3.0),
        "{events:?}"
    );
    // The candidate goes on: the question is withdrawn.
    release_and_settle(&f, ends[3], &seen, 2);
    assert_eq!(turn_events(&seen)[1], KioskEvent::TurnResumed);
    // Then silence past both times: "Finished?", then the turn ends, once.
    release_and_settle(&f, ends[4], &seen, 3);
    release_and_settle(&f, ends[5], &seen, 4);
    let events = turn_events(&seen);
    assert!(
        matches!(events[2], KioskEvent::TurnEnding { .. }),
        "{events:?}"
    );
    assert_eq!(events[3], KioskEvent::TurnEnded);
    assert_eq!(events.len(), 4, "{events:?}");
    // The UI submits on TurnEnded: both sentences are in the stored answer.
    let step = f.kiosk.submit(None).unwrap();
    assert!(matches!(step, Step::Question { .. }));
    let store = support::store(f.dir.path());
    let responses = store.responses(session.parse().unwrap()).unwrap();
    let t = responses[0].transcript.to_lowercase();
    // "unit test" or "unit tests": tiny.en hears either, depending on the exact samples,
    // and espeak-ng's samples depend on what it spoke before in this process.
    assert!(t.contains("unit test") && t.contains("database"), "{t}");
}

#[test]
fn nothing_ends_the_turn_before_the_candidate_speaks_or_when_the_setting_is_off() {
    for settings in [after_silence(), KioskSettings::default()] {
        let on = settings.answer_end == AnswerEnd::AfterSilence;
        let f = fixture(settings, false);
        let ends = answer(
            &f,
            &[
                silence(9.0),
                speech("I prefer small pull requests."),
                silence(8.0),
            ],
        );
        let (_, seen) = start(&f);
        release_and_settle(&f, ends[0], &seen, 0);
        assert!(
            turn_events(&seen).is_empty(),
            "silence alone: {:?}",
            turn_events(&seen)
        );
        release_and_settle(&f, ends[2], &seen, usize::from(on));
        let events = turn_events(&seen);
        if on {
            assert_eq!(events.last(), Some(&KioskEvent::TurnEnded), "{events:?}");
        } else {
            assert!(events.is_empty(), "submit only: {events:?}");
        }
        f.kiosk.submit(None).unwrap();
    }
}

#[test]
fn a_repeated_question_does_not_use_answer_time_and_is_not_the_answer() {
    let f = fixture(after_silence(), true);
    let ends = answer(
        &f,
        &[
            speech("I review code by reading the tests first."),
            silence(2.5),
            // Heard while the question is repeated: not the answer's.
            speech("Purple elephants dance on the piano."),
            silence(1.0),
            speech("And I ask questions instead of giving orders."),
            silence(1.0),
        ],
    );
    let (session, seen) = start(&f);
    release_and_settle(&f, ends[1], &seen, 0);
    f.clock.advance(chrono::Duration::seconds(5));
    assert_eq!(f.kiosk.answering_seconds(), Some(5.0));
    let clip = f.kiosk.repeat_question().expect("repeat");
    assert!(clip.duration_ms > 500 && !clip.wav_base64.is_empty());
    release_and_settle(&f, ends[2], &seen, 0);
    // The avatar speaks for 20 s: the answer clock stands still.
    f.clock.advance(chrono::Duration::seconds(20));
    assert_eq!(f.kiosk.answering_seconds(), Some(5.0));
    f.kiosk.repeat_finished().expect("heard");
    release_and_settle(&f, ends[5], &seen, 0);
    assert!(
        turn_events(&seen).is_empty(),
        "silence before the repeat does not carry over: {:?}",
        turn_events(&seen)
    );
    f.clock.advance(chrono::Duration::seconds(4));
    assert_eq!(f.kiosk.answering_seconds(), Some(9.0));
    f.kiosk.submit(None).unwrap();
    let store = support::store(f.dir.path());
    let r = &store.responses(session.parse().unwrap()).unwrap()[0];
    assert_eq!(
        r.answer_seconds, 9.0,
        "the engine's clock left the repeat out"
    );
    let t = r.transcript.to_lowercase();
    assert!(t.contains("test") && t.contains("orders"), "{t}");
    assert!(!t.contains("elephant") && !t.contains("piano"), "{t}");
}
