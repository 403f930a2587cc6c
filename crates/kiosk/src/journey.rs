//! The candidate's journey as one controller: Welcome → notice and consent →
//! registration → microphone check → interview → finish → wipe.
//!
//! The controller holds at most one candidate at a time. Every step checks that it comes
//! in order (the microphone is never opened before consent is stored), and
//! [`Kiosk::wipe`] forgets everything about the candidate that is not in the store.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use chrono::{DateTime, Utc};
use panelist_audio::{AudioSource, CaptureOptions};
use panelist_core::{AskedQuestion, InterviewStatus, Language, QuestionType, SessionId};
use panelist_service::{Actor, CandidateInput, Panelist, Run, ANSWERS_DIR, CONSENT_NOTICE_VERSION};
use serde_json::json;

use crate::dto::{
    AnswerMode, AnswerStarted, AvatarLook, ConsentNotice, InterviewCard, KioskView, MicCheck,
    NoticeSection, QuestionKind, QuestionView, Registered, RegistrationForm, SavedAnswer,
    SpeechClip, Step, TurnStages,
};
use crate::error::{KioskError, Result};
use crate::settings::KioskSettings;
use crate::voice::{base64, AnswerCapture, EventSink, OpenSource, SharedTranscriber, Voice};

/// The key the PIN's failed attempts are counted under, beside admin sign-in failures
/// (which are keyed by email: a control character keeps the two apart).
pub const PIN_ATTEMPTS_KEY: &str = "\u{1}kiosk-pin";

/// Largest résumé accepted from the UI (the résumé crate enforces the same limit on files).
const MAX_RESUME_BYTES: usize = 10 * 1024 * 1024;

/// Where the journey is.
enum Stage {
    Welcome,
    Consented {
        interview: String,
        at: DateTime<Utc>,
    },
    Registered {
        session: SessionId,
        avatar: AvatarLook,
    },
    Interviewing(Box<Interviewing>),
    Finished,
}

struct Interviewing {
    run: Run<Panelist>,
    avatar: AvatarLook,
    question: AskedQuestion,
    /// The question's speech, kept for "Repeat the question".
    clip: Option<SpeechClip>,
    capture: Option<AnswerCapture>,
    mode: Option<AnswerMode>,
    /// Whether the question is being repeated (the answer clock is stopped).
    repeating: bool,
    /// The next preset question, spoken while the candidate answers (text and clip), so
    /// that the reply after the answer need not wait for speech synthesis.
    prepared: Prepared,
}

/// Speech made ahead of time on another thread: used only when the engine's decision
/// asks exactly that text; otherwise it is dropped (nothing speculative is committed).
type Prepared = Arc<Mutex<Option<(String, SpeechClip)>>>;

/// Speech for a question: the clip or why there is none, and how long it took.
struct Spoken {
    clip: Option<SpeechClip>,
    error: Option<String>,
    ms: f64,
}

/// The kiosk.
pub struct Kiosk {
    /// `None` only while an interview runs (the run owns the application then).
    app: Option<Panelist>,
    stage: Stage,
    settings: KioskSettings,
    data_dir: PathBuf,
    voice: Option<Voice>,
    voice_error: Option<String>,
    transcriber: SharedTranscriber,
    open_source: OpenSource,
    mic_check: Option<Box<dyn AudioSource>>,
}

impl Kiosk {
    /// A kiosk over an opened data directory.
    pub fn new(
        app: Panelist,
        settings: KioskSettings,
        model: PathBuf,
        open_source: OpenSource,
    ) -> Self {
        let (voice, voice_error) = match Voice::espeak(&settings.voice, settings.rate_wpm) {
            Ok(v) => (Some(v), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let data_dir = app.data_dir().to_path_buf();
        remove_orphaned_answers(&app, &data_dir.join(ANSWERS_DIR));
        Self {
            app: Some(app),
            stage: Stage::Welcome,
            settings,
            data_dir,
            voice,
            voice_error,
            transcriber: SharedTranscriber::new(model),
            open_source,
            mic_check: None,
        }
    }

    fn app(&self) -> Result<&Panelist> {
        match (&self.app, &self.stage) {
            (Some(app), _) => Ok(app),
            (None, Stage::Interviewing(_)) => Err(KioskError::WrongState(
                "an interview is running; finish or abandon it first".into(),
            )),
            (None, _) => Err(KioskError::Internal("the kiosk lost its data store".into())),
        }
    }

    fn app_mut(&mut self) -> Result<&mut Panelist> {
        match self.app.as_mut() {
            Some(app) => Ok(app),
            None => Err(KioskError::WrongState(
                "an interview is running; finish or abandon it first".into(),
            )),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn settings(&self) -> &KioskSettings {
        &self.settings
    }

    /// Whether the whisper model is in memory (it is only while an interview runs).
    /// The espeak-ng voice the avatar speaks with now (the interview's language's voice
    /// while an interview runs); `None` without a speech engine.
    pub fn avatar_voice(&self) -> Option<&str> {
        self.voice.as_ref().map(Voice::voice_name)
    }

    pub fn model_loaded(&self) -> bool {
        self.transcriber.is_loaded()
    }

    pub fn view(&self) -> KioskView {
        let policy = self.settings.turn_policy();
        KioskView {
            idle_timeout_seconds: self.settings.idle_timeout_seconds(),
            finish_return_seconds: self.settings.finish_return_seconds,
            typed_answers_allowed: self.settings.typed_answers_allowed,
            pin_set: self.settings.admin_pin_hash.is_some(),
            set_up: self.is_set_up().unwrap_or(false),
            answer_end: policy.answer_end,
            end_silence_seconds: policy.silence_seconds,
            end_grace_seconds: policy.grace_seconds,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// Whether an administrator account exists (see [`KioskView::set_up`]).
    pub fn is_set_up(&self) -> Result<bool> {
        let app = match (&self.app, &self.stage) {
            (Some(app), _) => app,
            (None, Stage::Interviewing(state)) => state.run.app(),
            (None, _) => return Err(KioskError::Internal("the kiosk lost its data store".into())),
        };
        Ok(app.user_count()? > 0)
    }

    // ---- Welcome ----

    /// Published interviews, for the Welcome screen.
    pub fn interviews(&self) -> Result<Vec<InterviewCard>> {
        let app = self.app()?;
        let mut cards = Vec::new();
        for i in app.interviews()? {
            if i.status != InterviewStatus::Published || i.revision == 0 {
                continue;
            }
            let rev = app.find_published(&i.id.to_string())?;
            cards.push(card(
                &rev.spec,
                &i.id.to_string(),
                i.kiosk_code.clone(),
                rev.questions.len(),
            ));
        }
        Ok(cards)
    }

    /// Finds a published interview by its kiosk code (or id).
    pub fn find(&self, code: &str) -> Result<InterviewCard> {
        let code = code.trim();
        if code.is_empty() {
            return Err(KioskError::invalid("code", "enter the code you were given"));
        }
        let rev = self.app()?.find_published(code).map_err(|e| {
            if e.is_not_found() {
                KioskError::NotFound(format!(
                    "No interview has the code “{code}”. Please check it with a member of staff."
                ))
            } else {
                e.into()
            }
        })?;
        let interview = self.app()?.interview(rev.interview_id)?;
        Ok(card(
            &rev.spec,
            &rev.interview_id.to_string(),
            interview.kiosk_code,
            rev.questions.len(),
        ))
    }

    // ---- Notice and consent ----

    pub fn notice(&self) -> ConsentNotice {
        notice()
    }

    /// Records the candidate's answer to the notice. Declining returns to Welcome and
    /// stores nothing about them.
    pub fn consent(&mut self, interview: &str, accepted: bool) -> Result<()> {
        self.expect_welcome_or_consent()?;
        if !accepted {
            self.wipe();
            return Ok(());
        }
        if !self.is_set_up()? {
            return Err(KioskError::NotSetUp);
        }
        // Refuse a consent for an interview that cannot be run (here: one in a language
        // this kiosk's speech model cannot hear).
        let language = self.app()?.find_published(interview)?.spec.language;
        self.check_language(language)?;
        let at = self.app()?.now();
        self.stage = Stage::Consented {
            interview: interview.to_string(),
            at,
        };
        Ok(())
    }

    /// Whether this kiosk can hold an interview in `language`: its speech model must hear
    /// it (an English-only model refuses German). A model that does not load leaves
    /// typed answers, as for English.
    fn check_language(&self, language: Language) -> Result<()> {
        if language == Language::English {
            return Ok(());
        }
        if let Err(e) = self.transcriber.ensure_loaded() {
            tracing::error!("speech model not loaded: {e}");
            return Ok(());
        }
        self.transcriber.set_language(language)
    }

    fn expect_welcome_or_consent(&self) -> Result<()> {
        match self.stage {
            Stage::Welcome | Stage::Consented { .. } | Stage::Finished => Ok(()),
            _ => Err(KioskError::WrongState(
                "a candidate is already registered; finish or abandon first".into(),
            )),
        }
    }

    // ---- Registration ----

    /// Registers the candidate: stores the consent (with the notice's version and the
    /// moment it was given) and the candidate, and reads the résumé if one was given.
    pub fn register(&mut self, form: RegistrationForm) -> Result<Registered> {
        let (interview, consented_at) = match &self.stage {
            Stage::Consented { interview, at } => (interview.clone(), *at),
            _ => {
                return Err(KioskError::WrongState(
                    "consent must be given before registration".into(),
                ))
            }
        };
        validate_form(&form)?;
        let resume_path = match &form.resume {
            Some(upload) => Some(self.stage_resume(upload)?),
            None => None,
        };
        let input = CandidateInput {
            name: form.name.clone(),
            email: form.email.clone(),
            phone: form.phone.clone().filter(|p| !p.trim().is_empty()),
            resume: resume_path.clone(),
        };
        let result = self
            .app_mut()?
            .register_with_consent_time(&interview, input, consented_at);
        if let Some(p) = &resume_path {
            // The service copied what it could use; the staged upload must not linger.
            let _ = std::fs::remove_file(p);
        }
        let reg = result?;
        let avatar = AvatarLook::from_setting(&reg.revision.spec.avatar);
        self.stage = Stage::Registered {
            session: reg.session.id,
            avatar,
        };
        Ok(Registered {
            session_id: reg.session.id.to_string(),
            resume_used: reg.candidate.resume_text.is_some(),
            resume_note: reg.resume_warning.map(|w| {
                format!("We could not read your résumé ({w}). The interview will go on without it.")
            }),
        })
    }

    fn stage_resume(&self, upload: &crate::dto::ResumeUpload) -> Result<PathBuf> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(upload.base64.as_bytes())
            .map_err(|_| {
                KioskError::invalid(
                    "resume",
                    "the résumé upload was damaged; please choose the file again",
                )
            })?;
        if bytes.len() > MAX_RESUME_BYTES {
            return Err(KioskError::invalid(
                "resume",
                "the résumé is larger than 10 MB",
            ));
        }
        if let Some(found) = same_file_inside(&self.data_dir, &bytes) {
            // The file chooser can browse the kiosk's own folder: another candidate's
            // stored résumé (or the kiosk's settings) must not become this one's.
            tracing::warn!(file = %found.display(), "a file from the kiosk's data folder was offered as a résumé");
            return Err(KioskError::invalid(
                "resume",
                "this file belongs to the kiosk and cannot be used; please choose your own résumé (from a USB stick, Downloads or Documents)",
            ));
        }
        let dir = self.data_dir.join("tmp");
        std::fs::create_dir_all(&dir)
            .map_err(|e| KioskError::Internal(format!("cannot stage the résumé: {e}")))?;
        let ext = Path::new(&upload.file_name)
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
            .unwrap_or("bin")
            .to_ascii_lowercase();
        let path = dir.join(format!("upload-{}.{ext}", uuid_like()));
        std::fs::write(&path, bytes)
            .map_err(|e| KioskError::Internal(format!("cannot stage the résumé: {e}")))?;
        Ok(path)
    }

    // ---- Microphone check ----

    /// Opens the microphone for the check; level readings go to `events`.
    pub fn mic_check_start(&mut self, events: EventSink) -> Result<String> {
        if !matches!(self.stage, Stage::Registered { .. }) {
            return Err(KioskError::WrongState(
                "the microphone opens only after consent and registration".into(),
            ));
        }
        self.mic_check = None;
        let mut source = (self.open_source)(self.settings.microphone.as_deref())?;
        let device = source.name();
        let path = self.data_dir.join("tmp").join("mic-check.wav");
        std::fs::create_dir_all(self.data_dir.join("tmp"))
            .map_err(|e| KioskError::Internal(e.to_string()))?;
        let sink = events.clone();
        source
            .start(CaptureOptions::new().wav_path(&path).on_event(move |e| {
                if let panelist_audio::CaptureEvent::Level(l) = e {
                    sink(crate::dto::KioskEvent::Level {
                        dbfs: f64::from(l.rms_dbfs),
                    });
                }
            }))
            .map_err(crate::voice::mic_error)?;
        self.mic_check = Some(source);
        Ok(device)
    }

    /// Ends the check and returns the test recording to play back.
    pub fn mic_check_stop(&mut self) -> Result<MicCheck> {
        let mut source = self
            .mic_check
            .take()
            .ok_or_else(|| KioskError::WrongState("the microphone check is not running".into()))?;
        let device = source.name();
        let recording = source.stop().map_err(crate::voice::mic_error)?;
        let path = self.data_dir.join("tmp").join("mic-check.wav");
        let wav = std::fs::read(&path).map_err(|e| KioskError::Internal(e.to_string()))?;
        // The test clip is the candidate's voice: it is played back once and not kept.
        let _ = std::fs::remove_file(&path);
        Ok(MicCheck {
            device,
            seconds: recording.duration().as_secs_f64(),
            rms_dbfs: f64::from(recording.rms_dbfs()),
            silent: recording.is_silent(),
            wav_base64: base64(&wav),
        })
    }

    // ---- Interview ----

    /// Starts the interview and returns the first question.
    pub fn begin(&mut self) -> Result<QuestionView> {
        let (session, avatar) = match &self.stage {
            Stage::Registered { session, avatar } => (*session, *avatar),
            _ => {
                return Err(KioskError::WrongState(
                    "register before the interview".into(),
                ))
            }
        };
        self.mic_check = None;
        if let Err(e) = self.transcriber.ensure_loaded() {
            // Typed answers still work; voice answers keep their audio for later.
            tracing::error!("speech model not loaded: {e}");
        }
        let app = self
            .app
            .take()
            .ok_or_else(|| KioskError::Internal("no data store".into()))?;
        let mut run = match Run::open(app, session) {
            Ok(run) => run,
            Err((app, e)) => {
                self.app = Some(app);
                return Err(e.into());
            }
        };
        // The interview's language: whisper is told it, the avatar speaks it.
        let language = run.revision().spec.language;
        if let Err(e) = self.transcriber.set_language(language) {
            self.app = Some(run.into_app());
            return Err(e);
        }
        self.voice = self
            .voice
            .take()
            .map(|v| v.in_language(language, &self.settings.voice));
        let question = match run.next_question() {
            Ok(Some(q)) => q,
            Ok(None) => {
                self.app = Some(run.into_app());
                return Err(KioskError::Internal(
                    "the interview has no questions".into(),
                ));
            }
            Err(e) => {
                self.app = Some(run.into_app());
                return Err(e.into());
            }
        };
        let spoken = self.speak(&question.text, None);
        let view = question_view(&run, &question, avatar, &spoken);
        self.stage = Stage::Interviewing(Box::new(Interviewing {
            run,
            avatar,
            question,
            clip: spoken.clip,
            capture: None,
            mode: None,
            repeating: false,
            prepared: Arc::new(Mutex::new(None)),
        }));
        Ok(view)
    }

    /// Speaks `text`, or takes the clip prepared for exactly that text.
    fn speak(&self, text: &str, prepared: Option<&Prepared>) -> Spoken {
        let ready = prepared.and_then(|p| {
            p.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .filter(|(t, _)| t == text)
        });
        if let Some((_, clip)) = ready {
            return Spoken {
                clip: Some(clip),
                error: None,
                ms: 0.0,
            };
        }
        let started = Instant::now();
        let (clip, error) = match &self.voice {
            Some(v) => match v.speak(text) {
                Ok(clip) => (Some(clip), None),
                Err(e) => (None, Some(e.to_string())),
            },
            None => (None, self.voice_error.clone()),
        };
        Spoken {
            clip,
            error,
            ms: started.elapsed().as_secs_f64() * 1000.0,
        }
    }

    /// The avatar finished the question: the answer timer starts, and in voice mode the
    /// microphone opens with level and live-transcript events going to `events`.
    pub fn speech_finished(
        &mut self,
        mode: AnswerMode,
        events: EventSink,
    ) -> Result<AnswerStarted> {
        if mode == AnswerMode::Typed && !self.settings.typed_answers_allowed {
            return Err(KioskError::invalid(
                "mode",
                "typed answers are turned off on this kiosk",
            ));
        }
        // The microphone opens only for a question that has been asked and not answered.
        match &self.stage {
            Stage::Interviewing(state) if state.mode.is_none() => {}
            Stage::Interviewing(_) => {
                return Err(KioskError::WrongState(
                    "the answer has already started".into(),
                ))
            }
            _ => return Err(KioskError::WrongState("no question is being asked".into())),
        }
        let source = if mode == AnswerMode::Voice {
            Some((self.open_source)(self.settings.microphone.as_deref())?)
        } else {
            None
        };
        let answers_dir = self.data_dir.join(ANSWERS_DIR);
        let transcriber = self.transcriber.clone();
        let turn = self.settings.turn_policy();
        let voice = self.voice.clone();
        let Stage::Interviewing(state) = &mut self.stage else {
            return Err(KioskError::WrongState("no question is being asked".into()));
        };
        if state.mode.is_some() {
            return Err(KioskError::WrongState(
                "the answer has already started".into(),
            ));
        }
        state.run.speech_finished()?;
        let mut device = None;
        if let Some(source) = source {
            std::fs::create_dir_all(&answers_dir)
                .map_err(|e| KioskError::Internal(e.to_string()))?;
            let wav = panelist_service::answer_audio_path(
                &self.data_dir,
                state.run.session_id(),
                state.question.number,
            );
            let vocabulary = state.run.answer_vocabulary(&state.question);
            let prompt =
                panelist_transcribe::prompt::for_question(&state.question.text, &vocabulary);
            let capture = AnswerCapture::start(source, wav, transcriber, prompt, turn, events)?;
            device = Some(capture.device().to_string());
            state.capture = Some(capture);
        }
        state.mode = Some(mode);
        state.repeating = false;
        if let (Some(voice), Some(text)) = (voice, next_preset_text(&state.run)) {
            prepare_speech(voice, text, state.prepared.clone());
        }
        let time = state.run.time_status();
        Ok(AnswerStarted {
            mode,
            allotted_seconds: state.question.allotted_seconds,
            time_left_seconds: seconds(time.remaining_seconds),
            device,
        })
    }

    /// "Repeat the question": the answer clock stops and the microphone's audio is not
    /// the answer until [`Kiosk::repeat_finished`]; returns the question's speech again.
    pub fn repeat_question(&mut self) -> Result<SpeechClip> {
        let clip = {
            let Stage::Interviewing(state) = &mut self.stage else {
                return Err(KioskError::WrongState("no question is being asked".into()));
            };
            if state.mode.is_none() {
                return Err(KioskError::WrongState(
                    "the question can be repeated once the answer has started".into(),
                ));
            }
            state.run.repeat_started()?;
            if !state.repeating {
                if let Some(c) = &state.capture {
                    c.repeat_started();
                }
            }
            state.repeating = true;
            state.clip.clone()
        };
        match clip {
            Some(clip) => Ok(clip),
            None => {
                let text = match &self.stage {
                    Stage::Interviewing(state) => state.question.text.clone(),
                    _ => return Err(KioskError::WrongState("no question is being asked".into())),
                };
                let spoken = self.speak(&text, None);
                spoken.clip.ok_or_else(|| {
                    KioskError::Internal(spoken.error.unwrap_or_else(|| "speech failed".into()))
                })
            }
        }
    }

    /// The repeated question has been heard: the answer clock runs again.
    pub fn repeat_finished(&mut self) -> Result<()> {
        let Stage::Interviewing(state) = &mut self.stage else {
            return Err(KioskError::WrongState("no question is being asked".into()));
        };
        if !state.repeating {
            return Ok(());
        }
        state.run.repeat_finished()?;
        if let Some(c) = &state.capture {
            c.repeat_finished();
        }
        state.repeating = false;
        Ok(())
    }

    /// Seconds the candidate has used of the current answer (repeats not counted).
    pub fn answering_seconds(&self) -> Option<f64> {
        match &self.stage {
            Stage::Interviewing(state) if state.mode.is_some() => {
                Some(state.run.answering_seconds())
            }
            _ => None,
        }
    }

    /// Ends the answer (by "Submit answer" or the timer), commits it, and asks the brain
    /// for the next step. `typed` is the answer in typed mode.
    pub fn submit(&mut self, typed: Option<String>) -> Result<Step> {
        let started = Instant::now();
        let Stage::Interviewing(state) = &mut self.stage else {
            return Err(KioskError::WrongState("no answer is in progress".into()));
        };
        let mode = state
            .mode
            .ok_or_else(|| KioskError::WrongState("the question has not been asked yet".into()))?;
        if state.repeating {
            // Submitting during a repeat ends the repeat first: its time is not the answer's.
            state.run.repeat_finished()?;
            state.repeating = false;
        }
        // The answer ends now; transcribing it is the kiosk's time, not the candidate's.
        let ended_at = state.run.now();
        let mut stages = TurnStages::default();
        let (transcript, audio, note) = match (mode, state.capture.take()) {
            (AnswerMode::Voice, Some(capture)) => {
                let answer = capture.finish()?;
                let capture_ms = ms_since(started);
                stages.transcribe_tail_ms = answer.tail_ms;
                stages.finish_capture_ms = (capture_ms - answer.tail_ms).max(0.0);
                tracing::info!(
                    tail_seconds = answer.tail_seconds,
                    tail_ms = answer.tail_ms,
                    capture_ms,
                    "answer captured"
                );
                (
                    answer.transcript,
                    Some(answer.wav_path.display().to_string()),
                    answer.note,
                )
            }
            _ => (typed.unwrap_or_default(), None, None),
        };
        let commit = Instant::now();
        let response = state.run.submit_ended_at(&transcript, audio, ended_at)?;
        stages.commit_ms = ms_since(commit);
        let saved = SavedAnswer {
            number: response.question.number,
            words: u32::try_from(response.transcript.split_whitespace().count())
                .unwrap_or(u32::MAX),
            note,
        };
        let decide = Instant::now();
        let next = state.run.next_question()?;
        stages.decide_ms = ms_since(decide);
        match next {
            Some(q) => {
                state.question = q;
                state.mode = None;
                let prepared = state.prepared.clone();
                let text = state.question.text.clone();
                let spoken = self.speak(&text, Some(&prepared));
                stages.synthesize_ms = spoken.ms;
                let Stage::Interviewing(state) = &mut self.stage else {
                    return Err(KioskError::Internal("the interview state was lost".into()));
                };
                let view = question_view(&state.run, &state.question, state.avatar, &spoken);
                state.clip = spoken.clip;
                stages.total_ms = ms_since(started);
                tracing::info!(
                    finish_capture_ms = stages.finish_capture_ms,
                    transcribe_tail_ms = stages.transcribe_tail_ms,
                    commit_ms = stages.commit_ms,
                    decide_ms = stages.decide_ms,
                    synthesize_ms = stages.synthesize_ms,
                    total_ms = stages.total_ms,
                    "turn"
                );
                Ok(Step::Question {
                    question: view,
                    saved,
                    stages,
                })
            }
            None => {
                let stage = std::mem::replace(&mut self.stage, Stage::Finished);
                let Stage::Interviewing(mut state) = stage else {
                    return Err(KioskError::Internal("the interview state was lost".into()));
                };
                let report = state.run.finish();
                self.app = Some(state.run.into_app());
                report?;
                Ok(Step::Finished { saved })
            }
        }
    }

    /// The idle timeout (or the attendant) ends the candidate's visit: an open session
    /// is marked abandoned with its saved answers kept, and the kiosk wipes.
    pub fn abandon(&mut self) -> Result<Option<String>> {
        self.mic_check = None;
        let stage = std::mem::replace(&mut self.stage, Stage::Welcome);
        let session = match stage {
            Stage::Interviewing(state) => {
                let Interviewing { run, capture, .. } = *state;
                // Stopping the capture releases the microphone; the unsubmitted answer is
                // not committed (only submitted answers count).
                drop(capture);
                let id = run.session_id();
                self.app = Some(run.into_app());
                Some(id)
            }
            Stage::Registered { session, .. } => Some(session),
            _ => None,
        };
        if let Some(id) = session {
            self.app_mut()?.close_session(id, &Actor::Kiosk)?;
        }
        self.wipe();
        Ok(session.map(|s| s.to_string()))
    }

    /// Forgets the candidate: state, temporary files, and the speech model's memory.
    pub fn wipe(&mut self) {
        if let Stage::Interviewing(_) = self.stage {
            // An interview is never dropped silently: `abandon` closes it.
            let _ = self.abandon();
            return;
        }
        self.stage = Stage::Welcome;
        self.mic_check = None;
        self.transcriber.unload();
        let _ = std::fs::remove_dir_all(self.data_dir.join("tmp"));
    }

    /// Checks the admin PIN (to leave the kiosk or enter admin mode). Failures are
    /// counted in the database: after two, each attempt waits a growing delay (1 s, 2 s,
    /// 4 s … up to 15 minutes) that a restart does not reset; an attempt inside it is
    /// refused without checking the PIN. Every attempt is in the audit log.
    pub fn unlock(&mut self, pin: &str) -> Result<()> {
        let app = self.app_anytime()?;
        let now = app.now();
        if let Some((failures, last)) = app.login_failures(PIN_ATTEMPTS_KEY)? {
            let wait_seconds = panelist_core::throttle::wait_seconds(failures, last, now);
            if wait_seconds > 0 {
                return Err(KioskError::Throttled { wait_seconds });
            }
        }
        match self.settings.verify_pin(pin) {
            Ok(()) => {
                let app = self.app_anytime()?;
                app.clear_login_failures(PIN_ATTEMPTS_KEY)?;
                app.record_audit(&Actor::Kiosk, "kiosk.unlock", "pin", json!({}))?;
                Ok(())
            }
            Err(KioskError::WrongPin) => {
                let app = self.app_anytime()?;
                let failures = app.record_login_failure(PIN_ATTEMPTS_KEY, now)?;
                app.record_audit(
                    &Actor::Kiosk,
                    "kiosk.unlock_failed",
                    "pin",
                    json!({ "failures": failures }),
                )?;
                Err(KioskError::WrongPin)
            }
            Err(e) => Err(e),
        }
    }

    /// The application store whatever the stage (a running interview holds it).
    fn app_anytime(&mut self) -> Result<&mut Panelist> {
        if let Stage::Interviewing(state) = &mut self.stage {
            return Ok(state.run.app_mut());
        }
        self.app
            .as_mut()
            .ok_or_else(|| KioskError::Internal("the kiosk lost its data store".into()))
    }

    /// One line per session (admin only: the kiosk window cannot reach this).
    pub fn session_summaries(&self) -> Result<Vec<String>> {
        Ok(self
            .app()?
            .sessions(None)?
            .into_iter()
            .map(|s| format!("{} {}", s.id, s.status))
            .collect())
    }

    /// Whether a candidate is in the middle of something (for the idle timeout).
    pub fn busy(&self) -> bool {
        !matches!(self.stage, Stage::Welcome | Stage::Finished)
    }
}

/// Deletes answer recordings that no committed answer refers to: a kiosk that lost power
/// mid-answer leaves one behind (an answer abandoned while the kiosk runs is deleted
/// when its capture is dropped). No row refers to such a file, so neither erasure nor
/// retention would ever find it.
fn remove_orphaned_answers(app: &Panelist, dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // By file name (`<session>-q<N>.wav` is unique): a data folder named by another
    // path (relative, a symlink) must not make a kept recording look orphaned.
    let kept: std::collections::HashSet<std::ffi::OsString> = match app.answer_audio_paths() {
        Ok(paths) => paths
            .into_iter()
            .filter_map(|p| p.file_name().map(ToOwned::to_owned))
            .collect(),
        Err(e) => {
            tracing::warn!("cannot list the answers' recordings; none removed: {e}");
            return;
        }
    };
    let mut removed = 0;
    for entry in entries.flatten().take(100_000) {
        let path = entry.path();
        let is_answer = path.extension().is_some_and(|e| e == "wav")
            && entry.file_type().is_ok_and(|t| t.is_file());
        if is_answer && !kept.contains(&entry.file_name()) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    if removed > 0 {
        tracing::info!("removed {removed} recording(s) of answers that were never submitted");
    }
}

fn question_view(
    run: &Run<Panelist>,
    q: &AskedQuestion,
    avatar: AvatarLook,
    spoken: &Spoken,
) -> QuestionView {
    let total = u32::try_from(run.revision().questions.len()).unwrap_or(u32::MAX);
    let kind = match q.question_type {
        QuestionType::Preset => QuestionKind::Preset,
        QuestionType::FollowUp => QuestionKind::FollowUp,
        QuestionType::Resume => QuestionKind::Resume,
    };
    let preset_number = match kind {
        QuestionKind::Resume => None,
        _ => q.preset_index.map(|i| i + 1),
    };
    let progress = match (kind, preset_number) {
        (QuestionKind::Preset, Some(n)) => format!("Question {n} of {total}"),
        (QuestionKind::FollowUp, Some(n)) => format!("Question {n} of {total} · follow-up"),
        _ => "About your résumé".to_string(),
    };
    let time = run.time_status();
    QuestionView {
        number: q.number,
        kind,
        preset_number,
        preset_total: total,
        progress,
        text: q.text.clone(),
        allotted_seconds: q.allotted_seconds,
        time_left_seconds: seconds(time.remaining_seconds),
        time_limit_seconds: time.limit_seconds,
        speech: spoken.clip.clone(),
        speech_error: spoken.error.clone(),
        avatar,
    }
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The text of the preset the engine would ask next if the brain moves on (the first one
/// not asked yet): worth speaking ahead while the candidate answers.
fn next_preset_text(run: &Run<Panelist>) -> Option<String> {
    run.next_unasked_preset_text()
}

/// Speaks `text` on a background thread into `slot` (replacing what was there).
fn prepare_speech(voice: Voice, text: String, slot: Prepared) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = None;
    let spawned = std::thread::Builder::new()
        .name("prepare-speech".into())
        .spawn(move || {
            if let Ok(clip) = voice.speak(&text) {
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some((text, clip));
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("the next question is not spoken ahead: {e}");
    }
}

/// Files looked at, at most, when checking an upload against the data folder.
const MAX_FILES_SCANNED: usize = 50_000;

/// A file inside `dir` with exactly these bytes, if there is one. Only files of the same
/// size are read, so the scan costs a directory walk.
fn same_file_inside(dir: &Path, bytes: &[u8]) -> Option<PathBuf> {
    let mut pending = vec![dir.to_path_buf()];
    let mut scanned = 0usize;
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            scanned += 1;
            if scanned > MAX_FILES_SCANNED {
                return None;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file()
                && entry
                    .metadata()
                    .is_ok_and(|m| m.len() == bytes.len() as u64)
                && std::fs::read(&path).is_ok_and(|b| b == bytes)
            {
                return Some(path);
            }
        }
    }
    None
}

fn seconds(s: f64) -> u32 {
    if s.is_finite() && s > 0.0 {
        s.round().min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

fn card(
    spec: &panelist_core::InterviewSpec,
    id: &str,
    kiosk_code: Option<String>,
    questions: usize,
) -> InterviewCard {
    InterviewCard {
        id: id.to_string(),
        job_role: spec.job_role.clone(),
        difficulty: spec.difficulty.to_string(),
        minutes: spec.time_limit_minutes,
        questions: u32::try_from(questions).unwrap_or(u32::MAX),
        avatar: AvatarLook::from_setting(&spec.avatar),
        kiosk_code,
    }
}

fn uuid_like() -> String {
    SessionId::new().to_string()
}

/// The registration form checked with the field named, before anything is stored: the
/// service's one candidate check (`panelist_service::check_candidate`), which the service
/// applies again when it registers.
pub fn validate_form(form: &RegistrationForm) -> Result<()> {
    panelist_service::check_candidate(&form.name, &form.email, form.phone.as_deref())
        .map_err(|p| KioskError::invalid(p.field, p.message))
}

/// The recording notice. Its version is the one stored with each consent.
pub fn notice() -> ConsentNotice {
    let s = |h: &str, b: &str| NoticeSection {
        heading: h.into(),
        body: b.into(),
    };
    ConsentNotice {
        version: CONSENT_NOTICE_VERSION.to_string(),
        title: "Before we start: recording and your data".into(),
        sections: vec![
            s("What is recorded", "Your spoken answers (audio), their written transcript, the details you enter (name, email, phone) and your résumé if you give one. No video is recorded, and your voice is not analysed for emotion or tone."),
            s("Why", "So that the hiring team can assess your answers to the interview questions fairly and consistently."),
            s("How long it is kept", "Audio is deleted after the organisation's retention period (90 days unless you are told otherwise); your other data is kept only as long as the hiring process needs it. You can ask for your data to be erased at any time."),
            s("Who decides", "An automatic report summarises your answers, but a person from the hiring team reviews every report. No decision is made by the software alone."),
            s("Your choice", "Taking part is voluntary. You can ask for an interview without recording instead; declining here will not count against you."),
        ],
        decline_message: "Thank you. Nothing has been recorded. Please speak to a member of staff to arrange your interview without recording.".into(),
    }
}
