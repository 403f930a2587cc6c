//! The candidate's journey as one controller: Welcome → notice and consent →
//! registration → microphone check → interview → finish → wipe.
//!
//! The controller holds at most one candidate at a time. Every step checks that it comes
//! in order (the microphone is never opened before consent is stored), and
//! [`Kiosk::wipe`] forgets everything about the candidate that is not in the store.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use chrono::{DateTime, Utc};
use panelist_audio::{AudioSource, CaptureOptions};
use panelist_core::brain_api::{Attributed, Evaluation};
use panelist_core::{
    AskedQuestion, Brain, DecisionContext, EvaluationContext, InterviewStatus, Language, Proposal,
    QuestionType, SessionId,
};
use panelist_service::{
    Actor, CandidateInput, Panelist, Run, ServiceError, ANSWERS_DIR, CONSENT_NOTICE_VERSION,
};
use serde_json::json;

use crate::dto::{
    AnswerMode, AnswerStarted, AvatarLook, ConsentNotice, InterviewCard, KioskView, MicCheck,
    NoticeSection, QuestionKind, QuestionView, Registered, RegistrationForm, SavedAnswer,
    SpeechClip, Step, TurnStages,
};
use crate::error::{KioskError, Result};
use crate::voice::{AnswerCapture, Devices, EventSink, OpenSource, SharedTranscriber};
use panelist_settings::KioskSettings;
use panelist_speech::{base64, Voice};

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
    /// [`Kiosk::begin`] is under way (the model loads, the brain decides and the first
    /// question is spoken without the lock); the run once it is open.
    Starting {
        session: SessionId,
        avatar: AvatarLook,
        run: Option<Box<Run>>,
    },
    Interviewing(Box<Interviewing>),
    Finished,
}

struct Interviewing {
    run: Run,
    avatar: AvatarLook,
    question: AskedQuestion,
    /// The question's speech, kept for "Repeat the question".
    clip: Option<SpeechClip>,
    capture: Option<AnswerCapture>,
    mode: Option<AnswerMode>,
    /// Whether the question is being repeated (the answer clock is stopped).
    repeating: bool,
    /// Whether the answer is being saved ([`Kiosk::submit`] works without the lock):
    /// the interview takes no other command until the next question is shown.
    saving: bool,
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

/// The kiosk: one candidate's journey behind one lock.
///
/// Every method takes `&self` and holds the lock only for the journey's bookkeeping: the
/// slow steps of an answer (the final transcription pass, the brain's decision or
/// evaluation, speech synthesis) run without it, so the UI's other calls (the view, the
/// idle timeout's abandon) are answered meanwhile. The Tauri shell keeps one `Kiosk` in
/// its state; it needs no lock of its own.
pub struct Kiosk {
    data_dir: PathBuf,
    transcriber: SharedTranscriber,
    journey: Mutex<Journey>,
}

/// The state behind the kiosk's lock.
struct Journey {
    app: Panelist,
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
    /// A kiosk over an opened data directory, speaking, hearing and listening with
    /// `devices` (the program's real ones, or a test's fakes).
    pub fn new(app: Panelist, settings: KioskSettings, devices: Devices) -> Self {
        let Devices {
            speaker,
            transcriber,
            microphone,
        } = devices;
        let (voice, voice_error) = match speaker {
            Ok(speaker) => (
                Some(Voice::new(speaker, &settings.voice, settings.rate_wpm)),
                None,
            ),
            Err(e) => (None, Some(e)),
        };
        let data_dir = app.data_dir().to_path_buf();
        remove_orphaned_answers(&app, &data_dir.join(ANSWERS_DIR));
        let transcriber = SharedTranscriber::new(transcriber);
        Self {
            data_dir: data_dir.clone(),
            transcriber: transcriber.clone(),
            journey: Mutex::new(Journey {
                app,
                stage: Stage::Welcome,
                settings,
                data_dir,
                voice,
                voice_error,
                transcriber,
                open_source: microphone,
                mic_check: None,
            }),
        }
    }

    /// The journey, whatever a panicked holder left it in (each step checks its order).
    fn journey(&self) -> MutexGuard<'_, Journey> {
        self.journey.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The espeak-ng voice the avatar speaks with now (the interview's language's voice
    /// while an interview runs); `None` without a speech engine.
    pub fn avatar_voice(&self) -> Option<String> {
        self.journey()
            .voice
            .as_ref()
            .map(|v| v.voice_name().to_string())
    }

    /// Whether the speech-to-text model is in memory (it is only while an interview runs).
    pub fn model_loaded(&self) -> bool {
        self.transcriber.is_loaded()
    }

    pub fn view(&self) -> KioskView {
        self.journey().view()
    }

    /// Whether an administrator account exists (see [`KioskView::set_up`]).
    pub fn is_set_up(&self) -> Result<bool> {
        self.journey().is_set_up()
    }

    /// Published interviews, for the Welcome screen.
    pub fn interviews(&self) -> Result<Vec<InterviewCard>> {
        self.journey().interviews()
    }

    /// Finds a published interview by its kiosk code (or id).
    pub fn find(&self, code: &str) -> Result<InterviewCard> {
        self.journey().find(code)
    }

    pub fn notice(&self) -> ConsentNotice {
        notice()
    }

    /// Records the candidate's answer to the notice. Declining returns to Welcome and
    /// stores nothing about them.
    ///
    /// An interview in another language than English needs the speech model to say
    /// whether it hears that language: the model loads first, without the lock.
    pub fn consent(&self, interview: &str, accepted: bool) -> Result<()> {
        if accepted {
            let language = self.journey().language_of(interview);
            if language.is_some_and(|l| l != Language::English) {
                if let Err(e) = self.transcriber.ensure_loaded() {
                    // Typed answers still work (the consent then checks nothing).
                    tracing::error!("speech model not loaded: {e}");
                }
            }
        }
        self.journey().consent(interview, accepted)
    }

    /// Registers the candidate: stores the consent (with the notice's version and the
    /// moment it was given) and the candidate, and reads the résumé if one was given.
    pub fn register(&self, form: RegistrationForm) -> Result<Registered> {
        self.journey().register(form)
    }

    /// Opens the microphone for the check; level readings go to `events`.
    pub fn mic_check_start(&self, events: EventSink) -> Result<String> {
        self.journey().mic_check_start(events)
    }

    /// Ends the check and returns the test recording to play back.
    pub fn mic_check_stop(&self) -> Result<MicCheck> {
        self.journey().mic_check_stop()
    }

    /// Starts the interview and returns the first question.
    ///
    /// The model loads, the brain decides and the question is spoken without the lock.
    pub fn begin(&self) -> Result<QuestionView> {
        let session = self.journey().start()?;
        let result = self.open_and_ask(session);
        if result.is_err() {
            self.journey().stop_starting(session);
        }
        result
    }

    fn open_and_ask(&self, session: SessionId) -> Result<QuestionView> {
        if let Err(e) = self.transcriber.ensure_loaded() {
            // Typed answers still work; voice answers keep their audio for later.
            tracing::error!("speech model not loaded: {e}");
        }
        let (context, brain) = self.journey().open_run(session)?;
        let proposal = brain
            .decide_attributed(&context)
            .map_err(ServiceError::from)?;
        let (text, voice, voice_error) = self.journey().first_question(session, proposal)?;
        let spoken = speak(voice.as_ref(), voice_error, &text, None);
        self.journey().show_first_question(session, spoken)
    }

    /// The avatar finished the question: the answer timer starts, and in voice mode the
    /// microphone opens with level and live-transcript events going to `events`.
    pub fn speech_finished(&self, mode: AnswerMode, events: EventSink) -> Result<AnswerStarted> {
        self.journey().speech_finished(mode, events)
    }

    /// "Repeat the question": the answer clock stops and the microphone's audio is not
    /// the answer until [`Kiosk::repeat_finished`]; returns the question's speech again.
    pub fn repeat_question(&self) -> Result<SpeechClip> {
        self.journey().repeat_question()
    }

    /// The repeated question has been heard: the answer clock runs again.
    pub fn repeat_finished(&self) -> Result<()> {
        self.journey().repeat_finished()
    }

    /// Seconds the candidate has used of the current answer (repeats not counted).
    pub fn answering_seconds(&self) -> Option<f64> {
        self.journey().answering_seconds()
    }

    /// Ends the answer (by "Submit answer" or the timer), commits it, and asks the brain
    /// for the next step. `typed` is the answer in typed mode.
    ///
    /// The lock is taken four times, briefly: to end the answer, to commit it, to record
    /// the brain's decision, to show the next question (or save the report). The final
    /// transcription pass, the brain and speech synthesis run between them, without it.
    /// A journey ended meanwhile (the idle timeout, a wipe) is an error saying so; an
    /// answer committed before stays committed.
    pub fn submit(&self, typed: Option<String>) -> Result<Step> {
        let started = Instant::now();
        let ended = self.journey().end_answer(typed)?;
        let session = ended.session;
        let result = self.save_and_go_on(ended, started);
        if result.is_err() {
            self.journey().stop_saving(session);
        }
        result
    }

    fn save_and_go_on(&self, ended: EndedAnswer, started: Instant) -> Result<Step> {
        let EndedAnswer {
            session,
            capture,
            typed,
            ended_at,
        } = ended;
        let mut stages = TurnStages::default();
        let (transcript, audio, note) = match capture {
            Some(capture) => {
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
                (answer.transcript, Some(answer.wav_path), answer.note)
            }
            None => (typed.unwrap_or_default(), None, None),
        };
        let commit = Instant::now();
        let committed = self
            .journey()
            .commit_answer(session, &transcript, audio, ended_at)?;
        stages.commit_ms = ms_since(commit);
        let saved = SavedAnswer {
            number: committed.number,
            words: committed.words,
            note,
        };
        let decide = Instant::now();
        let next = match committed.decision {
            Some(context) => {
                let proposal = committed
                    .brain
                    .decide_attributed(&context)
                    .map_err(ServiceError::from)?;
                self.journey().apply_decision(session, proposal)?
            }
            None => self.journey().evaluation(session)?,
        };
        stages.decide_ms = ms_since(decide);
        match next {
            Next::Ask {
                text,
                voice,
                voice_error,
                prepared,
            } => {
                let spoken = speak(voice.as_ref(), voice_error, &text, Some(&prepared));
                stages.synthesize_ms = spoken.ms;
                let question = self.journey().show_question(session, spoken)?;
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
                    question,
                    saved,
                    stages,
                })
            }
            Next::Complete { context } => {
                let evaluation = committed
                    .brain
                    .evaluate_attributed(&context)
                    .map_err(ServiceError::from);
                self.journey().complete(session, evaluation)?;
                Ok(Step::Finished { saved })
            }
        }
    }

    /// The idle timeout (or the attendant) ends the candidate's visit: an open session
    /// is marked abandoned with its saved answers kept, and the kiosk wipes.
    pub fn abandon(&self) -> Result<Option<String>> {
        self.journey().abandon()
    }

    /// Forgets the candidate: state, temporary files, and the speech model's memory.
    pub fn wipe(&self) {
        self.journey().wipe();
    }

    /// Checks the admin PIN (to leave the kiosk or enter admin mode). Failures are
    /// counted in the database: after two, each attempt waits a growing delay (1 s, 2 s,
    /// 4 s … up to 15 minutes) that a restart does not reset; an attempt inside it is
    /// refused without checking the PIN. Every attempt is in the audit log.
    pub fn unlock(&self, pin: &str) -> Result<()> {
        self.journey().unlock(pin)
    }
}

/// An answer that has ended, taken out of the journey: its capture is finished (the
/// final transcription pass) without the lock.
struct EndedAnswer {
    session: SessionId,
    capture: Option<AnswerCapture>,
    typed: Option<String>,
    ended_at: DateTime<Utc>,
}

/// A committed answer, and what the brain is asked next (`None`: the interview is
/// complete, nothing to decide).
struct Committed {
    number: u32,
    words: u32,
    decision: Option<DecisionContext>,
    brain: Arc<dyn Brain>,
}

/// What comes after a committed answer.
enum Next {
    /// A question to speak (outside the lock) and show.
    Ask {
        text: String,
        voice: Option<Voice>,
        voice_error: Option<String>,
        prepared: Prepared,
    },
    /// The interview is complete: the brain evaluates it (outside the lock).
    Complete { context: EvaluationContext },
}

/// The journey ended (the idle timeout, an attendant's wipe) while the interview started.
fn ended_before_start() -> KioskError {
    KioskError::WrongState("The interview was ended before its first question.".into())
}

/// The journey ended (the idle timeout, an attendant's wipe) while an answer was being
/// saved.
fn ended_meanwhile(committed: bool) -> KioskError {
    KioskError::WrongState(if committed {
        "The interview was ended while the next question was being prepared. The answers given so far are saved.".into()
    } else {
        "The interview was ended while the last answer was being transcribed; that answer was not saved.".into()
    })
}

impl Journey {
    fn view(&self) -> KioskView {
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
    fn is_set_up(&self) -> Result<bool> {
        Ok(self.app.user_count()? > 0)
    }

    // ---- Welcome ----

    /// Published interviews, for the Welcome screen.
    fn interviews(&self) -> Result<Vec<InterviewCard>> {
        let app = &self.app;
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
    fn find(&self, code: &str) -> Result<InterviewCard> {
        let code = code.trim();
        if code.is_empty() {
            return Err(KioskError::invalid("code", "enter the code you were given"));
        }
        let rev = self.app.find_published(code).map_err(|e| {
            if e.is_not_found() {
                KioskError::NotFound(format!(
                    "No interview has the code “{code}”. Please check it with a member of staff."
                ))
            } else {
                e.into()
            }
        })?;
        let interview = self.app.interview(rev.interview_id)?;
        Ok(card(
            &rev.spec,
            &rev.interview_id.to_string(),
            interview.kiosk_code,
            rev.questions.len(),
        ))
    }

    // ---- Notice and consent ----

    /// Records the candidate's answer to the notice. Declining returns to Welcome and
    /// stores nothing about them.
    fn consent(&mut self, interview: &str, accepted: bool) -> Result<()> {
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
        let language = self.app.find_published(interview)?.spec.language;
        self.check_language(language)?;
        let at = self.app.now();
        self.stage = Stage::Consented {
            interview: interview.to_string(),
            at,
        };
        Ok(())
    }

    /// The language of the published interview `interview`, if there is one.
    fn language_of(&self, interview: &str) -> Option<Language> {
        self.app
            .find_published(interview)
            .ok()
            .map(|rev| rev.spec.language)
    }

    /// Whether this kiosk can hold an interview in `language`: its speech model, loaded
    /// by [`Kiosk::consent`] beforehand, must hear it (an English-only model refuses
    /// German). A model that did not load leaves typed answers, as for English.
    fn check_language(&self, language: Language) -> Result<()> {
        if language == Language::English {
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
    fn register(&mut self, form: RegistrationForm) -> Result<Registered> {
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
            .app
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
    fn mic_check_start(&mut self, events: EventSink) -> Result<String> {
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
    fn mic_check_stop(&mut self) -> Result<MicCheck> {
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
    /// The interview starts: nothing else of the journey runs until it has (or failed).
    fn start(&mut self) -> Result<SessionId> {
        let (session, avatar) = match &self.stage {
            Stage::Registered { session, avatar } => (*session, *avatar),
            _ => {
                return Err(KioskError::WrongState(
                    "register before the interview".into(),
                ))
            }
        };
        self.mic_check = None;
        self.stage = Stage::Starting {
            session,
            avatar,
            run: None,
        };
        Ok(session)
    }

    /// The start failed: the candidate is registered still, and may begin again.
    fn stop_starting(&mut self, session: SessionId) {
        if let Stage::Starting {
            session: starting,
            avatar,
            ..
        } = &self.stage
        {
            if *starting == session {
                self.stage = Stage::Registered {
                    session,
                    avatar: *avatar,
                };
            }
        }
    }

    /// Opens the run (the session is then in progress), tells the model and the avatar
    /// the interview's language, and says what the brain is asked first.
    fn open_run(&mut self, session: SessionId) -> Result<(DecisionContext, Arc<dyn Brain>)> {
        let Stage::Starting {
            session: starting,
            run: slot,
            ..
        } = &mut self.stage
        else {
            return Err(ended_before_start());
        };
        if *starting != session {
            return Err(ended_before_start());
        }
        let run = Run::open(&mut self.app, session)?;
        // The interview's language: whisper is told it, the avatar speaks it.
        let language = run.revision().spec.language;
        self.transcriber.set_language(language)?;
        self.voice = self
            .voice
            .take()
            .map(|v| v.with_voice(language.voice_for(&self.settings.voice)));
        let context = run
            .decision_context(&self.app)
            .ok_or_else(|| KioskError::Internal("the interview has no questions".into()))?;
        *slot = Some(Box::new(run));
        Ok((context, self.app.brain()))
    }

    /// Records the brain's first decision; the question is then spoken without the lock.
    fn first_question(
        &mut self,
        session: SessionId,
        proposal: Attributed<Proposal>,
    ) -> Result<(String, Option<Voice>, Option<String>)> {
        let Stage::Starting {
            session: starting,
            avatar,
            run: Some(run),
        } = &mut self.stage
        else {
            return Err(ended_before_start());
        };
        if *starting != session {
            return Err(ended_before_start());
        }
        let avatar = *avatar;
        let Some(question) = run.apply_decision(&mut self.app, proposal)? else {
            return Err(KioskError::Internal(
                "the interview has no questions".into(),
            ));
        };
        let text = question.text.clone();
        let Stage::Starting { run, .. } = std::mem::replace(&mut self.stage, Stage::Finished)
        else {
            return Err(ended_before_start());
        };
        let run = run.ok_or_else(ended_before_start)?;
        // Interviewing, but taking no command until the question is shown.
        self.stage = Stage::Interviewing(Box::new(Interviewing {
            run: *run,
            avatar,
            question,
            clip: None,
            capture: None,
            mode: None,
            repeating: false,
            saving: true,
            prepared: Arc::new(Mutex::new(None)),
        }));
        Ok((text, self.voice.clone(), self.voice_error.clone()))
    }

    /// The first question, spoken: the interview takes commands.
    fn show_first_question(&mut self, session: SessionId, spoken: Spoken) -> Result<QuestionView> {
        let Some((app, state)) = self.saving(session) else {
            return Err(ended_before_start());
        };
        let view = question_view(app, &state.run, &state.question, state.avatar, &spoken);
        state.clip = spoken.clip;
        state.saving = false;
        Ok(view)
    }

    /// Speaks `text` under the lock: only for a repeat whose clip was not kept.
    fn speak(&self, text: &str) -> Spoken {
        speak(self.voice.as_ref(), self.voice_error.clone(), text, None)
    }

    /// The avatar finished the question: the answer timer starts, and in voice mode the
    /// microphone opens with level and live-transcript events going to `events`.
    fn speech_finished(&mut self, mode: AnswerMode, events: EventSink) -> Result<AnswerStarted> {
        if mode == AnswerMode::Typed && !self.settings.typed_answers_allowed {
            return Err(KioskError::invalid(
                "mode",
                "typed answers are turned off on this kiosk",
            ));
        }
        // The microphone opens only for a question that has been asked and not answered.
        match &self.stage {
            Stage::Interviewing(state) if state.mode.is_none() && !state.saving => {}
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
        state.run.speech_finished(&self.app)?;
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
        let time = state.run.time_status(&self.app);
        Ok(AnswerStarted {
            mode,
            allotted_seconds: state.question.allotted_seconds,
            time_left_seconds: seconds(time.remaining_seconds),
            device,
        })
    }

    /// "Repeat the question": the answer clock stops and the microphone's audio is not
    /// the answer until [`Kiosk::repeat_finished`]; returns the question's speech again.
    fn repeat_question(&mut self) -> Result<SpeechClip> {
        let clip = {
            let Stage::Interviewing(state) = &mut self.stage else {
                return Err(KioskError::WrongState("no question is being asked".into()));
            };
            if state.mode.is_none() {
                return Err(KioskError::WrongState(
                    "the question can be repeated once the answer has started".into(),
                ));
            }
            if state.saving {
                return Err(KioskError::WrongState("the answer is being saved".into()));
            }
            state.run.repeat_started(&self.app)?;
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
                let spoken = self.speak(&text);
                spoken.clip.ok_or_else(|| {
                    KioskError::Internal(spoken.error.unwrap_or_else(|| "speech failed".into()))
                })
            }
        }
    }

    /// The repeated question has been heard: the answer clock runs again.
    fn repeat_finished(&mut self) -> Result<()> {
        let Stage::Interviewing(state) = &mut self.stage else {
            return Err(KioskError::WrongState("no question is being asked".into()));
        };
        if !state.repeating || state.saving {
            return Ok(());
        }
        state.run.repeat_finished(&self.app)?;
        if let Some(c) = &state.capture {
            c.repeat_finished();
        }
        state.repeating = false;
        Ok(())
    }

    /// Seconds the candidate has used of the current answer (repeats not counted).
    fn answering_seconds(&self) -> Option<f64> {
        match &self.stage {
            Stage::Interviewing(state) if state.mode.is_some() && !state.saving => {
                Some(state.run.answering_seconds(&self.app))
            }
            _ => None,
        }
    }

    /// Ends the answer (by "Submit answer" or the timer), commits it, and asks the brain
    /// for the next step. `typed` is the answer in typed mode.
    fn abandon(&mut self) -> Result<Option<String>> {
        self.mic_check = None;
        let stage = std::mem::replace(&mut self.stage, Stage::Welcome);
        let session = match stage {
            Stage::Interviewing(state) => {
                let Interviewing { run, capture, .. } = *state;
                // Stopping the capture releases the microphone; the unsubmitted answer is
                // not committed (only submitted answers count).
                drop(capture);
                Some(run.session_id())
            }
            Stage::Registered { session, .. } | Stage::Starting { session, .. } => Some(session),
            _ => None,
        };
        if let Some(id) = session {
            self.app.close_session(id, &Actor::Kiosk)?;
        }
        self.wipe();
        Ok(session.map(|s| s.to_string()))
    }

    /// Forgets the candidate: state, temporary files, and the speech model's memory.
    fn wipe(&mut self) {
        if let Stage::Interviewing(_) | Stage::Starting { .. } = self.stage {
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
    fn unlock(&mut self, pin: &str) -> Result<()> {
        let app = &mut self.app;
        let now = app.now();
        if let Some((failures, last)) = app.login_failures(PIN_ATTEMPTS_KEY)? {
            let wait_seconds = panelist_core::throttle::wait_seconds(failures, last, now);
            if wait_seconds > 0 {
                return Err(KioskError::Throttled { wait_seconds });
            }
        }
        match self.settings.verify_pin(pin).map_err(KioskError::from) {
            Ok(()) => {
                let app = &mut self.app;
                app.clear_login_failures(PIN_ATTEMPTS_KEY)?;
                app.record_audit(&Actor::Kiosk, "kiosk.unlock", "pin", json!({}))?;
                Ok(())
            }
            Err(KioskError::WrongPin) => {
                let app = &mut self.app;
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
}

/// The steps of [`Kiosk::submit`] that need the lock.
impl Journey {
    /// Ends the answer: the answer clock stops (a repeat in progress ends first: its time
    /// is not the answer's) and its capture is handed out to be finished without the lock.
    fn end_answer(&mut self, typed: Option<String>) -> Result<EndedAnswer> {
        let Stage::Interviewing(state) = &mut self.stage else {
            return Err(KioskError::WrongState("no answer is in progress".into()));
        };
        let mode = state
            .mode
            .ok_or_else(|| KioskError::WrongState("the question has not been asked yet".into()))?;
        if state.saving {
            return Err(KioskError::WrongState(
                "the answer is already being saved".into(),
            ));
        }
        if state.repeating {
            state.run.repeat_finished(&self.app)?;
            state.repeating = false;
        }
        // The answer ends now; transcribing it is the kiosk's time, not the candidate's.
        let ended_at = self.app.now();
        let capture = match mode {
            AnswerMode::Voice => state.capture.take(),
            AnswerMode::Typed => None,
        };
        state.saving = true;
        Ok(EndedAnswer {
            session: state.run.session_id(),
            capture,
            typed,
            ended_at,
        })
    }

    /// The interview whose answer is being saved, unless the journey was ended meanwhile.
    fn saving(&mut self, session: SessionId) -> Option<(&mut Panelist, &mut Interviewing)> {
        match &mut self.stage {
            Stage::Interviewing(state) if state.saving && state.run.session_id() == session => {
                Some((&mut self.app, state))
            }
            _ => None,
        }
    }

    /// A step of the submit failed: the interview takes commands again (a typed answer
    /// refused as too long can be shortened and submitted again).
    fn stop_saving(&mut self, session: SessionId) {
        if let Some((_, state)) = self.saving(session) {
            state.saving = false;
        }
    }

    /// Commits the answer, and says what the brain is asked next. An answer whose
    /// journey was ended meanwhile is not committed, and its recording is deleted (no
    /// row will ever refer to it).
    fn commit_answer(
        &mut self,
        session: SessionId,
        transcript: &str,
        audio: Option<PathBuf>,
        ended_at: DateTime<Utc>,
    ) -> Result<Committed> {
        let Some((app, state)) = self.saving(session) else {
            if let Some(wav) = audio {
                let _ = std::fs::remove_file(wav);
            }
            return Err(ended_meanwhile(false));
        };
        let audio = audio.map(|p| p.display().to_string());
        let response = state
            .run
            .submit_ended_at(app, transcript, audio, ended_at)?;
        let number = response.question.number;
        let words =
            u32::try_from(response.transcript.split_whitespace().count()).unwrap_or(u32::MAX);
        Ok(Committed {
            number,
            words,
            decision: state.run.decision_context(app),
            brain: app.brain(),
        })
    }

    /// Records the brain's decision; the next question is then spoken without the lock.
    fn apply_decision(
        &mut self,
        session: SessionId,
        proposal: Attributed<Proposal>,
    ) -> Result<Next> {
        let voice = self.voice.clone();
        let voice_error = self.voice_error.clone();
        let Some((app, state)) = self.saving(session) else {
            return Err(ended_meanwhile(true));
        };
        match state.run.apply_decision(app, proposal)? {
            Some(question) => {
                let text = question.text.clone();
                state.question = question;
                state.mode = None;
                Ok(Next::Ask {
                    text,
                    voice,
                    voice_error,
                    prepared: state.prepared.clone(),
                })
            }
            None => self.evaluation(session),
        }
    }

    /// The interview is complete: what the brain is asked to evaluate.
    fn evaluation(&mut self, session: SessionId) -> Result<Next> {
        let Some((_, state)) = self.saving(session) else {
            return Err(ended_meanwhile(true));
        };
        Ok(Next::Complete {
            context: state.run.evaluation_context()?,
        })
    }

    /// The next question, spoken: the interview takes commands again.
    fn show_question(&mut self, session: SessionId, spoken: Spoken) -> Result<QuestionView> {
        let Some((app, state)) = self.saving(session) else {
            return Err(ended_meanwhile(true));
        };
        let view = question_view(app, &state.run, &state.question, state.avatar, &spoken);
        state.clip = spoken.clip;
        state.saving = false;
        Ok(view)
    }

    /// Saves the report made of the brain's evaluation and completes the session. The
    /// journey is finished even when this fails (every answer is committed).
    fn complete(
        &mut self,
        session: SessionId,
        evaluation: Result<Attributed<Evaluation>, ServiceError>,
    ) -> Result<()> {
        if self.saving(session).is_none() {
            return Err(ended_meanwhile(true));
        }
        let stage = std::mem::replace(&mut self.stage, Stage::Finished);
        let Stage::Interviewing(mut state) = stage else {
            return Err(KioskError::Internal("the interview state was lost".into()));
        };
        state.run.complete(&mut self.app, evaluation?)?;
        Ok(())
    }
}

/// Speaks `text` with `voice`, or takes the clip prepared for exactly that text.
fn speak(
    voice: Option<&Voice>,
    voice_error: Option<String>,
    text: &str,
    prepared: Option<&Prepared>,
) -> Spoken {
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
    let (clip, error) = match voice {
        Some(v) => match v.speak(text) {
            Ok(clip) => (Some(clip), None),
            Err(e) => (None, Some(format!("speech failed: {e}"))),
        },
        None => (None, voice_error),
    };
    Spoken {
        clip,
        error,
        ms: started.elapsed().as_secs_f64() * 1000.0,
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
    app: &Panelist,
    run: &Run,
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
    let time = run.time_status(app);
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
fn next_preset_text(run: &Run) -> Option<String> {
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
        difficulty: spec.difficulty,
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
