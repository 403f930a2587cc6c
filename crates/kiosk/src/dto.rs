//! What crosses from the kiosk library to the UI: plain data, serialised as JSON by the
//! Tauri shell. TypeScript declarations of every type here are generated into
//! `ui/src/lib/bindings.ts` (see [`crate::bindings`]); a test fails when they are stale.

pub use panelist_settings::AnswerEnd;
pub use panelist_speech::{MouthShape, SpeechClip, VisemeCue};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use panelist_core::Difficulty;

/// A published interview a candidate can choose on the Welcome screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InterviewCard {
    pub id: String,
    pub job_role: String,
    #[ts(type = "Difficulty")]
    pub difficulty: Difficulty,
    pub minutes: u32,
    pub questions: u32,
    pub avatar: AvatarLook,
    pub kiosk_code: Option<String>,
}

/// Which face the avatar draws, from the interview's avatar setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AvatarLook {
    /// A warm, rounded face with short dark hair.
    Ada,
    /// A calm face with glasses and a grey bun.
    Grace,
}

impl AvatarLook {
    /// Maps an interview's free-text avatar setting to a look; unknown names get the
    /// default rather than an error, because the setting is cosmetic.
    pub fn from_setting(setting: &str) -> Self {
        match setting.trim().to_ascii_lowercase().as_str() {
            "grace" | "b" | "glasses" | "formal" => AvatarLook::Grace,
            _ => AvatarLook::Ada,
        }
    }
}

/// The recording notice shown before consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConsentNotice {
    /// Stored with the consent, so it is known which text the candidate agreed to.
    pub version: String,
    pub title: String,
    pub sections: Vec<NoticeSection>,
    /// What to do instead when the candidate declines.
    pub decline_message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NoticeSection {
    pub heading: String,
    pub body: String,
}

/// What the registration form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// A résumé picked or dropped by the candidate.
    pub resume: Option<ResumeUpload>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResumeUpload {
    pub file_name: String,
    /// The file's bytes, base64-encoded.
    pub base64: String,
}

/// The result of a registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Registered {
    pub session_id: String,
    /// Set when a résumé was given but could not be read; the interview goes on without it.
    pub resume_note: Option<String>,
    pub resume_used: bool,
}

/// A problem with one field of the registration form, for inline feedback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// What the microphone check heard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MicCheck {
    pub device: String,
    pub seconds: f64,
    pub rms_dbfs: f64,
    /// True when nothing above the noise floor was heard.
    pub silent: bool,
    /// The test recording as a WAV file, base64-encoded, to play back.
    pub wav_base64: String,
}

/// The kind of question being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Preset,
    FollowUp,
    Resume,
}

/// A question for the Interview screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuestionView {
    /// 1-based position in the session.
    pub number: u32,
    pub kind: QuestionKind,
    /// Which preset this belongs to (1-based), for presets and their follow-ups.
    pub preset_number: Option<u32>,
    pub preset_total: u32,
    /// For example "Question 2 of 3 · follow-up".
    pub progress: String,
    /// The caption: exactly what the avatar says.
    pub text: String,
    pub allotted_seconds: u32,
    /// Interview time left before this answer starts.
    pub time_left_seconds: u32,
    pub time_limit_seconds: u32,
    /// None when speech could not be made: the caption carries the question alone.
    pub speech: Option<SpeechClip>,
    pub speech_error: Option<String>,
    pub avatar: AvatarLook,
}

/// How the candidate answers the current question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnswerMode {
    Voice,
    /// Typed answers, an accommodation.
    Typed,
}

/// The answer timer has started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnswerStarted {
    pub mode: AnswerMode,
    pub allotted_seconds: u32,
    pub time_left_seconds: u32,
    /// The microphone in use (voice mode).
    pub device: Option<String>,
}

/// What happens after an answer is submitted.
// One reply per answer, serialised at once: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// The next question.
    Question {
        question: QuestionView,
        saved: SavedAnswer,
        /// Where the time between the end of the answer and this reply went.
        stages: TurnStages,
    },
    /// The interview is over; the report is written (and awaits a person's review).
    Finished { saved: SavedAnswer },
}

/// Milliseconds spent in each stage between the end of an answer and the reply that
/// carries the next question (measured in Rust; the UI adds the IPC transfer and the
/// audio element's start).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TurnStages {
    /// Stopping the microphone and waiting for a live pass still in flight.
    pub finish_capture_ms: f64,
    /// The final transcription of the uncommitted (VAD-trimmed) tail.
    pub transcribe_tail_ms: f64,
    /// Committing the answer to SQLite.
    pub commit_ms: f64,
    /// The brain's decision, validated by the engine and stored.
    pub decide_ms: f64,
    /// Speech synthesis of the next question (0 when it was prepared during the answer).
    pub synthesize_ms: f64,
    /// Everything in Rust, from the end of the answer to the reply.
    pub total_ms: f64,
}

/// Confirmation that an answer is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SavedAnswer {
    pub number: u32,
    pub words: u32,
    /// Set when the voice path failed and the live transcript (or nothing) was kept.
    pub note: Option<String>,
}

/// Something the kiosk reports while the candidate is at the microphone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KioskEvent {
    /// Microphone level in dBFS, about 16 times a second.
    Level { dbfs: f64 },
    /// The live transcript so far.
    Partial { text: String },
    /// The microphone stopped delivering audio.
    MicrophoneLost { reason: String },
    /// The candidate spoke and has been silent for the configured time: the UI asks
    /// "Finished? Keep talking, or wait and I'll move on" and counts `seconds_left` down.
    TurnEnding { seconds_left: f64 },
    /// The candidate spoke again during the grace time: the question goes away.
    TurnResumed,
    /// The grace time passed in silence: the UI submits the answer.
    TurnEnded,
}

/// Settings the UI needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KioskView {
    pub idle_timeout_seconds: u32,
    pub finish_return_seconds: u32,
    pub typed_answers_allowed: bool,
    /// Whether an admin PIN is set (leaving the kiosk is impossible without one).
    pub pin_set: bool,
    /// Whether an administrator account exists. Until one does, the kiosk starts no
    /// candidate journey: first-run setup is staff's (`panelist-kiosk --admin`), not
    /// whoever finds the kiosk.
    pub set_up: bool,
    /// How voice answers end, and the silence and grace times for `after_silence`.
    pub answer_end: AnswerEnd,
    pub end_silence_seconds: f64,
    pub end_grace_seconds: f64,
    pub version: String,
}

// The error type every Tauri command returns, the kiosk's and admin mode's alike, lives
// in `panelist-ipc` (no device dependencies); it is re-exported here for the kiosk's UI.
pub use panelist_ipc::{ErrorCode, UiError};
