//! The kiosk's voice: the avatar's speech (espeak-ng with a viseme timeline), the
//! microphone (any [`AudioSource`], cpal in the app) and live plus final transcription
//! (whisper) of one answer at a time.
//!
//! The whisper model is loaded when an interview begins and dropped when the kiosk wipes
//! between candidates, so an idle kiosk does not hold it in memory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use panelist_audio::{AudioError, AudioSource, CaptureEvent, CaptureOptions, Recording};
use panelist_core::Language;
use panelist_speech::{EspeakSpeaker, Speaker};
use panelist_transcribe::vad::SpeechTrack;
use panelist_transcribe::{LiveTranscription, Transcriber, SAMPLE_RATE};

use crate::dto::KioskEvent;
use crate::error::{KioskError, Result};
use crate::turn::{EndOfTurn, TurnPolicy, TurnSignal};

/// Where events for the UI go (from background threads).
pub type EventSink = Arc<dyn Fn(KioskEvent) + Send + Sync>;

/// Opens the microphone for one capture. The app opens cpal's device; a headless
/// harness may open a WAV-file source.
pub type OpenSource = Box<dyn Fn(Option<&str>) -> Result<Box<dyn AudioSource>> + Send>;

/// Loads the speech-to-text model: called when an interview begins (or a consent needs
/// to know the languages it hears); the model is dropped at the wipe.
pub type LoadTranscriber = Box<dyn Fn() -> Result<Box<dyn Transcriber + Send>> + Send + Sync>;

/// The kiosk's devices, chosen by the program that runs it: the Tauri shell passes
/// [`Devices::real`] (espeak-ng, whisper, cpal); tests pass fakes through the same seams
/// (`panelist_speech::Speaker`, `panelist_transcribe::Transcriber`,
/// `panelist_audio::AudioSource`).
pub struct Devices {
    /// The avatar's speech engine, or why there is none (questions are then shown
    /// with that error instead of speech; the interview goes on).
    pub speaker: std::result::Result<Arc<dyn Speaker>, String>,
    /// Loads the speech-to-text model.
    pub transcriber: LoadTranscriber,
    /// Opens the microphone for the check and for each spoken answer.
    pub microphone: OpenSource,
}

impl Devices {
    /// The real devices: espeak-ng, the whisper model at `model`, the cpal microphone.
    pub fn real(model: PathBuf) -> Self {
        Self {
            speaker: EspeakSpeaker::new()
                .map(|s| Arc::new(s) as Arc<dyn Speaker>)
                .map_err(|e| format!("speech engine unavailable: {e}")),
            transcriber: whisper(model),
            microphone: crate::open_microphone(),
        }
    }
}

/// Loads the speech model at `model` with the engine it is for
/// ([`panelist_transcribe::engine::load`]: a CTranslate2 folder or a whisper.cpp file; a
/// missing model is an error when an interview begins, not before: typed answers still
/// work).
pub fn whisper(model: PathBuf) -> LoadTranscriber {
    Box::new(move || {
        panelist_transcribe::engine::load(&model, None)
            .map_err(|e| KioskError::Internal(e.to_string()))
    })
}

/// How often the live transcript is advanced while the candidate speaks.
const LIVE_STEP: Duration = Duration::from_millis(400);

/// The speech-to-text model, loaded on demand and lent to each answer's thread.
///
/// The thread takes the model out of the slot for the answer and gives it back at the
/// end, so that the slot's lock is never held through a transcription: the kiosk can
/// say whether a model is loaded, and unload it (the wipe), while an answer's final pass
/// runs. A model lent before an unload is dropped when it comes back.
#[derive(Clone)]
pub struct SharedTranscriber {
    load: Arc<LoadTranscriber>,
    slot: Arc<Mutex<Slot>>,
}

#[derive(Default)]
struct Slot {
    model: Option<Box<dyn Transcriber + Send>>,
    /// The generation of the model an answer's thread has, while it has it.
    lent: Option<u64>,
    /// Counts unloads.
    generation: u64,
}

impl SharedTranscriber {
    pub fn new(load: LoadTranscriber) -> Self {
        Self {
            load: Arc::new(load),
            slot: Arc::default(),
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Loads the model if it is not loaded (without holding the slot's lock: a wipe
    /// meanwhile unloads it, and the model just loaded is then dropped).
    pub fn ensure_loaded(&self) -> Result<()> {
        let generation = {
            let slot = self.slot();
            if slot.model.is_some() || slot.lent == Some(slot.generation) {
                return Ok(());
            }
            slot.generation
        };
        let model = (self.load)()?;
        let mut slot = self.slot();
        if slot.generation == generation && slot.model.is_none() {
            slot.model = Some(model);
        }
        Ok(())
    }

    /// Tells the loaded model the interview's language (see
    /// [`Transcriber::set_language`]); refused when the model cannot hear it. Nothing to
    /// tell when no model is loaded (answers are then typed, or kept for later).
    pub fn set_language(&self, language: Language) -> Result<()> {
        let mut slot = self.slot();
        match slot.model.as_mut() {
            Some(t) => t.set_language(language.code()).map_err(|e| {
                KioskError::Unsupported(format!(
                    "This interview is in {}, which this kiosk cannot hear ({e}). Please ask a member of staff.",
                    language.name()
                ))
            }),
            None => Ok(()),
        }
    }

    pub fn is_loaded(&self) -> bool {
        let slot = self.slot();
        slot.model.is_some() || slot.lent == Some(slot.generation)
    }

    /// Frees the model's memory (a model lent to an answer goes when it comes back).
    pub fn unload(&self) {
        let mut slot = self.slot();
        slot.model = None;
        slot.generation += 1;
    }

    /// The model for one answer, if one is loaded, and its generation.
    fn lend(&self) -> Option<(Box<dyn Transcriber + Send>, u64)> {
        let mut slot = self.slot();
        let generation = slot.generation;
        let model = slot.model.take()?;
        slot.lent = Some(generation);
        Some((model, generation))
    }

    /// The answer is over: the model goes back, unless it was unloaded meanwhile.
    fn give_back(&self, model: Box<dyn Transcriber + Send>, generation: u64) {
        let mut slot = self.slot();
        if slot.lent == Some(generation) {
            slot.lent = None;
        }
        if slot.generation == generation && slot.model.is_none() {
            slot.model = Some(model);
        }
    }
}

/// What one answer produced.
pub struct CapturedAnswer {
    /// The final transcript (empty for silence).
    pub transcript: String,
    pub wav_path: PathBuf,
    /// Set when something went wrong but what was captured was kept.
    pub note: Option<String>,
    /// Milliseconds the final pass over the uncommitted tail took.
    pub tail_ms: f64,
    /// Seconds of audio the final pass read (the VAD-trimmed tail; 0 when none).
    pub tail_seconds: f64,
}

/// What the answer's thread is told.
#[derive(Clone, Copy)]
enum Control {
    /// The question is being repeated: what the microphone hears after this many
    /// samples is not the answer (the thread may be busy when the click comes: the
    /// sample count, not the moment the thread reads the message, marks the cut).
    RepeatStarted { at: usize },
    /// The repeat is over: from this many samples on, the microphone is the answer's.
    RepeatFinished { at: usize },
}

/// One answer being captured: the microphone runs and a thread advances the live
/// transcript and watches for the end of the turn; [`AnswerCapture::finish`] stops both
/// and makes the final transcript.
pub struct AnswerCapture {
    /// The microphone, shared with the answer's thread (a repeat reads where it is).
    source: SharedSource,
    /// Dropping it ends the answer; the thread wakes at once.
    control: Option<mpsc::Sender<Control>>,
    /// The same for the end-of-turn watcher.
    watch_control: Option<mpsc::Sender<Control>>,
    watcher: Option<JoinHandle<()>>,
    /// Set when the answer ends: a live draft in flight is abandoned.
    interrupt: Arc<AtomicBool>,
    worker: Option<JoinHandle<CapturedAnswer>>,
    device: String,
    /// The answer's recording: deleted if the answer is abandoned (never submitted, so no
    /// row refers to it and neither erasure nor retention would ever find it).
    wav_path: PathBuf,
}

impl AnswerCapture {
    /// Opens the microphone and starts capturing into `wav_path`.
    pub fn start(
        mut source: Box<dyn AudioSource>,
        wav_path: PathBuf,
        transcriber: SharedTranscriber,
        prompt: String,
        turn: TurnPolicy,
        events: EventSink,
    ) -> Result<Self> {
        let device = source.name();
        let level_events = events.clone();
        let options = CaptureOptions::new()
            .wav_path(&wav_path)
            .on_event(move |e| match e {
                CaptureEvent::Level(level) => level_events(KioskEvent::Level {
                    dbfs: f64::from(level.rms_dbfs),
                }),
                CaptureEvent::Interrupted { reason } => {
                    level_events(KioskEvent::MicrophoneLost { reason })
                }
                _ => {}
            });
        source.start(options).map_err(mic_error)?;
        let source: SharedSource = Arc::new(Mutex::new(source));
        let (control, controls) = mpsc::channel();
        let interrupt = Arc::new(AtomicBool::new(false));
        let answer = LiveAnswer {
            source: source.clone(),
            wav_path: wav_path.clone(),
            transcriber,
            prompt,
            events: events.clone(),
            controls,
            interrupt: interrupt.clone(),
        };
        let (watch_control, watch_controls) = mpsc::channel();
        let watch = TurnWatch {
            source: source.clone(),
            turn: EndOfTurn::new(turn),
            events,
            controls: watch_controls,
        };
        let watcher = std::thread::Builder::new()
            .name("end-of-turn".into())
            .spawn(move || watch.run())
            .map_err(|e| KioskError::Internal(format!("cannot start the turn thread: {e}")))?;
        let worker = std::thread::Builder::new()
            .name("answer-capture".into())
            .spawn(move || answer.run())
            .map_err(|e| KioskError::Internal(format!("cannot start the capture thread: {e}")))?;
        Ok(Self {
            source,
            watch_control: Some(watch_control),
            watcher: Some(watcher),
            control: Some(control),
            interrupt,
            worker: Some(worker),
            device,
            wav_path,
        })
    }

    /// The question is being repeated: the answer's audio and its silence clock pause.
    /// Everything captured up to now is the answer's; the avatar's voice, which starts
    /// after this returns, never is, however busy the answer's thread is.
    pub fn repeat_started(&self) {
        let at = lock(&self.source).samples_since(0).len();
        self.send(Control::RepeatStarted { at });
    }

    /// The repeat is over: the answer goes on.
    pub fn repeat_finished(&self) {
        let at = lock(&self.source).samples_since(0).len();
        self.send(Control::RepeatFinished { at });
    }

    fn send(&self, message: Control) {
        for c in [&self.control, &self.watch_control].into_iter().flatten() {
            let _ = c.send(message);
        }
    }

    /// Stops the end-of-turn watcher (it holds no audio of its own).
    fn stop_watcher(&mut self) {
        self.watch_control = None;
        if let Some(w) = self.watcher.take() {
            let _ = w.join();
        }
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    /// Stops the microphone and returns the final transcript.
    pub fn finish(mut self) -> Result<CapturedAnswer> {
        self.interrupt.store(true, Ordering::SeqCst);
        self.stop_watcher();
        self.control = None;
        let worker = self
            .worker
            .take()
            .ok_or_else(|| KioskError::Internal("the answer was already finished".into()))?;
        worker
            .join()
            .map_err(|_| KioskError::Internal("the capture thread failed".into()))
    }
}

impl Drop for AnswerCapture {
    fn drop(&mut self) {
        // An abandoned capture must release the microphone, and its recording goes
        // with it: only submitted answers are kept.
        self.interrupt.store(true, Ordering::SeqCst);
        self.stop_watcher();
        self.control = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
            if let Err(e) = std::fs::remove_file(&self.wav_path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(
                        "cannot delete the abandoned answer's audio {}: {e}",
                        self.wav_path.display()
                    );
                }
            }
        }
    }
}

type SharedSource = Arc<Mutex<Box<dyn AudioSource>>>;

/// The microphone, whatever a panicked holder left it in (its samples are still good).
fn lock(source: &SharedSource) -> std::sync::MutexGuard<'_, Box<dyn AudioSource>> {
    source.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The answer's thread: everything it owns.
struct LiveAnswer {
    source: SharedSource,
    wav_path: PathBuf,
    transcriber: SharedTranscriber,
    prompt: String,
    events: EventSink,
    controls: mpsc::Receiver<Control>,
    interrupt: Arc<AtomicBool>,
}

impl LiveAnswer {
    fn run(self) -> CapturedAnswer {
        let mut lent = self.transcriber.lend();
        let mut note = None;
        let mut taken = 0usize;
        let mut tail_ms = 0.0;
        let mut tail_seconds = 0.0;
        let (recording, transcript) = match lent.as_mut() {
            Some((t, _)) => {
                t.set_interrupt(Some(self.interrupt.clone()));
                let mut live = LiveTranscription::new(t.as_mut(), &self.prompt);
                let mut repeating = false;
                loop {
                    // While the question is repeated nothing is taken: where the repeat
                    // ends is known only when it ends.
                    if !repeating {
                        let fresh = lock(&self.source).samples_since(taken);
                        taken += fresh.len();
                        live.hear(&fresh);
                        match live.advance() {
                            Ok(Some(partial)) => {
                                (self.events)(KioskEvent::Partial { text: partial })
                            }
                            Ok(None) => {}
                            Err(e) if self.interrupt.load(Ordering::SeqCst) => {
                                tracing::debug!("live pass abandoned (the answer ended or the question is repeated): {e}");
                            }
                            Err(e) => note = Some(format!("live transcription failed: {e}")),
                        }
                    }
                    match self.controls.recv_timeout(LIVE_STEP) {
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(Control::RepeatStarted { at }) => {
                            if !repeating {
                                // What came before the click is the answer's.
                                let mut fresh = lock(&self.source).samples_since(taken);
                                fresh.truncate(at.saturating_sub(taken));
                                taken += fresh.len();
                                live.hear(&fresh);
                                repeating = true;
                            }
                        }
                        Ok(Control::RepeatFinished { at }) => {
                            if repeating {
                                // The avatar's voice during the repeat is not the answer.
                                taken = taken.max(at);
                                repeating = false;
                            }
                        }
                        // Submit (or an abandoned capture): the answer is over.
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                // The last moments go straight to the final pass: no draft is made of them.
                let rest = lock(&self.source).samples_since(taken);
                if !repeating {
                    live.append_final(&rest);
                }
                let partial = live.partial().to_string();
                tail_seconds = live.uncommitted_speech_seconds();
                // Stopping the stream (and closing the WAV) takes a few hundred ms on
                // some audio stacks: it happens while the tail is read, not before.
                let source = &self.source;
                let (recording, finished, ms) = std::thread::scope(|scope| {
                    let stopper = scope.spawn(|| lock(source).stop());
                    let started = Instant::now();
                    let finished = live.finish();
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    let recording = match stopper.join() {
                        Ok(stopped) => recording_result(stopped),
                        Err(_) => Err("stopping the microphone failed".to_string()),
                    };
                    (recording, finished, ms)
                });
                tail_ms = ms;
                let transcript = match finished {
                    Ok(t) => t.text,
                    Err(e) => {
                        note = Some(format!(
                            "final transcription failed ({e}); the live transcript was kept"
                        ));
                        partial
                    }
                };
                (recording, transcript)
            }
            None => {
                while let Err(RecvTimeoutError::Timeout) | Ok(_) =
                    self.controls.recv_timeout(LIVE_STEP)
                {}
                note = Some("no speech model was loaded; the audio was kept".into());
                (recording_result(lock(&self.source).stop()), String::new())
            }
        };
        if let Some((mut t, generation)) = lent {
            t.set_interrupt(None);
            self.transcriber.give_back(t, generation);
        }
        if let Err(e) = recording {
            note = Some(e);
        }
        CapturedAnswer {
            transcript: transcript.trim().to_string(),
            wav_path: self.wav_path,
            note,
            tail_ms,
            tail_seconds,
        }
    }
}

/// How often the end-of-turn watcher looks at the microphone.
const TURN_STEP: Duration = Duration::from_millis(100);

/// The end-of-turn watcher: its own voice-activity track over the microphone, so the
/// "Finished?" prompt comes on time however long a whisper pass on the answer's thread
/// takes (a pass can take seconds; the VAD takes microseconds per frame).
struct TurnWatch {
    source: SharedSource,
    turn: EndOfTurn,
    events: EventSink,
    controls: mpsc::Receiver<Control>,
}

impl TurnWatch {
    fn run(mut self) {
        let mut track = SpeechTrack::earshot();
        let mut taken = 0usize;
        let mut repeating = false;
        let silence = |track: &SpeechTrack| track.trailing_silence() as f64 / SAMPLE_RATE as f64;
        loop {
            if !repeating {
                let fresh = lock(&self.source).samples_since(taken);
                taken += fresh.len();
                track.push(&fresh);
                if let Some(signal) = self.turn.update(track.spoken(), silence(&track)) {
                    (self.events)(turn_event(signal));
                }
            }
            match self.controls.recv_timeout(TURN_STEP) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(Control::RepeatStarted { at }) => {
                    if !repeating {
                        let mut fresh = lock(&self.source).samples_since(taken);
                        fresh.truncate(at.saturating_sub(taken));
                        taken += fresh.len();
                        track.push(&fresh);
                        repeating = true;
                        if let Some(signal) = self.turn.restart(silence(&track)) {
                            (self.events)(turn_event(signal));
                        }
                    }
                }
                Ok(Control::RepeatFinished { at }) => {
                    if repeating {
                        taken = taken.max(at);
                        repeating = false;
                        self.turn.restart(silence(&track));
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    }
}

fn turn_event(signal: TurnSignal) -> KioskEvent {
    match signal {
        TurnSignal::Ending { seconds_left } => KioskEvent::TurnEnding { seconds_left },
        TurnSignal::Resumed => KioskEvent::TurnResumed,
        TurnSignal::Ended => KioskEvent::TurnEnded,
    }
}

/// A device lost mid-answer still hands back (and has written) what it captured.
fn recording_result(
    r: std::result::Result<Recording, AudioError>,
) -> std::result::Result<(), String> {
    match r {
        Ok(_) => Ok(()),
        Err(e @ AudioError::DeviceLost { .. }) => Err(format!(
            "the microphone stopped during the answer ({e}); what was heard is kept"
        )),
        Err(e) => Err(format!("recording failed: {e}")),
    }
}

/// Maps a device error to the kiosk's "no microphone" error with a message a candidate
/// (or the attendant) can act on.
pub fn mic_error(e: AudioError) -> KioskError {
    KioskError::NoMicrophone(format!(
        "No working microphone was found ({e}). Please ask a member of staff for help."
    ))
}
