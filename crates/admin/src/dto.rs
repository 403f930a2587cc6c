//! What crosses from admin mode to the UI. TypeScript declarations are generated into
//! `ui/src/lib/admin-bindings.ts` (see [`crate::bindings`]); a test fails when stale.
//! Domain enums (role, difficulty, statuses, recommendation, score key) are sent as
//! core's own serde strings; their TypeScript unions are written by the generator and
//! checked against core by a test.

use chrono::NaiveDate;
use panelist_core::report::AnswerQuality;
use panelist_core::{
    Difficulty, InterviewId, InterviewStatus, Recommendation, Role, ScoreKey, SessionStatus,
};
use panelist_llm::BrainMode;
use panelist_settings::AnswerEnd;
use panelist_store::{MutationKind, SyncDirection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub full_name: String,
    #[ts(type = "Role")]
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdminStatus {
    /// No account exists yet: the UI asks for the first administrator.
    pub first_run: bool,
    pub account: Option<Account>,
    pub data_dir: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KeyPointDto {
    pub label: String,
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuestionDto {
    pub text: String,
    pub key_points: Vec<KeyPointDto>,
    pub follow_ups: Vec<String>,
    pub tags: Vec<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InterviewSpecDto {
    pub job_role: String,
    pub job_description: String,
    #[ts(type = "Difficulty")]
    pub difficulty: Difficulty,
    pub focus_areas: Vec<String>,
    pub time_limit_minutes: u32,
    pub avatar: String,
    pub num_questions: u32,
    pub max_follow_ups_per_preset: u32,
    /// A code from [`panelist_core::Language`] (`LANGUAGES` in the bindings); anything
    /// else is refused by name. English when absent.
    #[serde(default = "english")]
    #[ts(type = "Language")]
    pub language: String,
}

fn english() -> String {
    panelist_core::Language::English.code().to_string()
}

/// A language the interview editor offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LanguageOption {
    #[ts(type = "Language")]
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InterviewSummary {
    pub id: String,
    pub job_role: String,
    #[ts(type = "Difficulty")]
    pub difficulty: Difficulty,
    #[ts(type = "InterviewStatus")]
    pub status: InterviewStatus,
    pub revision: u32,
    pub kiosk_code: Option<String>,
    pub questions: u32,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InterviewDetail {
    pub id: String,
    pub spec: InterviewSpecDto,
    pub questions: Vec<QuestionDto>,
    #[ts(type = "InterviewStatus")]
    pub status: InterviewStatus,
    pub revision: u32,
    pub kiosk_code: Option<String>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionFilter {
    #[ts(type = "string | null")]
    pub interview_id: Option<InterviewId>,
    /// YYYY-MM-DD, inclusive, by the session's creation day (UTC). Typed dates: a value
    /// that is not one is refused when the command's arguments are read.
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    #[ts(type = "SessionStatus | null")]
    pub status: Option<SessionStatus>,
    #[ts(type = "Recommendation | null")]
    pub recommendation: Option<Recommendation>,
    pub reviewed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionRow {
    pub session_id: String,
    pub interview_id: String,
    pub job_role: String,
    pub candidate_id: String,
    pub candidate_name: String,
    pub candidate_email: String,
    #[ts(type = "SessionStatus")]
    pub status: SessionStatus,
    pub created_at: String,
    pub ended_at: Option<String>,
    pub overall: Option<u8>,
    #[ts(type = "Recommendation | null")]
    pub recommendation: Option<Recommendation>,
    pub reviewed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScoreAdjustmentView {
    pub value: u8,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScoreView {
    #[ts(type = "ScoreKey")]
    pub key: ScoreKey,
    pub label: String,
    pub original: u8,
    pub value: u8,
    pub adjustment: Option<ScoreAdjustmentView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnswerView {
    pub number: u32,
    pub label: String,
    pub question: String,
    pub transcript: String,
    pub score: u8,
    #[ts(type = "AnswerQuality")]
    pub quality: AnswerQuality,
    pub key_points: Vec<String>,
    pub matched: Vec<String>,
    pub missed: Vec<String>,
    pub evidence: Vec<String>,
    pub improvement: String,
    pub answer_seconds: f64,
    pub has_audio: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReviewView {
    pub by: String,
    pub at: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReportView {
    pub session_id: String,
    pub candidate_id: String,
    pub candidate_name: String,
    pub candidate_email: String,
    pub candidate_phone: Option<String>,
    pub job_role: String,
    #[ts(type = "Difficulty")]
    pub difficulty: Difficulty,
    pub focus_areas: Vec<String>,
    #[ts(type = "SessionStatus")]
    pub status: SessionStatus,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub scores: Vec<ScoreView>,
    #[ts(type = "Recommendation")]
    pub recommendation: Recommendation,
    pub summary: String,
    pub strengths: Vec<String>,
    pub areas_for_improvement: Vec<String>,
    pub answers: Vec<AnswerView>,
    pub review: Option<ReviewView>,
    #[serde(rename = "final")]
    #[ts(rename = "final")]
    pub is_final: bool,
    pub brain: String,
    pub generated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportResult {
    pub written: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CandidateRow {
    pub candidate_id: String,
    pub name: String,
    pub email: String,
    pub sessions: u32,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ErasureResult {
    pub sessions: u32,
    pub files_removed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PurgeResult {
    pub audio_files_removed: u32,
    pub candidates_erased: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct RetentionSettings {
    pub audio_days: Option<u32>,
    pub data_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProviderView {
    pub name: String,
    pub kind: String,
    pub model: String,
    pub key_stored: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BrainSettingsView {
    #[ts(type = "BrainMode")]
    pub mode: BrainMode,
    pub providers: Vec<ProviderView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SettingsView {
    pub brain: BrainSettingsView,
    pub voice: String,
    pub rate_wpm: u32,
    pub voices: Vec<String>,
    pub microphone: Option<String>,
    pub microphones: Vec<String>,
    pub idle_timeout_seconds: u32,
    pub typed_answers_allowed: bool,
    /// How a voice answer ends besides "Submit answer" and the timer.
    pub answer_end: AnswerEnd,
    /// With `after_silence`: silence after speech before "Finished?" (1.5–10 s).
    pub end_silence_seconds: f64,
    /// …and further silence before the answer is submitted (1–10 s).
    pub end_grace_seconds: f64,
    /// The speech model's name (`kiosk.toml`'s `whisper_model`, or `base-ct2`)…
    pub whisper_model: String,
    /// …and the models the kiosk can find (`models/fetch-model.sh NAME` adds one).
    pub whisper_models: Vec<String>,
    pub pin_set: bool,
    /// Seconds without input before admin mode signs out (60–3600).
    pub admin_idle_seconds: u32,
    pub data_dir: String,
    pub retention: RetentionSettings,
    pub upload_audio: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SettingsForm {
    #[ts(type = "BrainMode")]
    pub brain_mode: BrainMode,
    pub voice: String,
    pub rate_wpm: u32,
    pub microphone: Option<String>,
    pub idle_timeout_seconds: u32,
    pub typed_answers_allowed: bool,
    pub answer_end: AnswerEnd,
    pub end_silence_seconds: f64,
    pub end_grace_seconds: f64,
    /// Seconds without input before admin mode signs out (60–3600).
    pub admin_idle_seconds: u32,
    pub retention: RetentionSettings,
    pub upload_audio: bool,
    /// One of `SettingsView::whisper_models`; unchanged when null.
    #[serde(default)]
    pub whisper_model: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MicTest {
    pub device: String,
    pub seconds: f64,
    pub rms_dbfs: f64,
    pub silent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditRow {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditVerification {
    pub intact: bool,
    #[ts(type = "number")]
    pub entries: u64,
    #[ts(type = "number | null")]
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub server: Option<String>,
    #[ts(type = "number")]
    pub pending: u64,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub running: bool,
    /// Sync items set aside (never sent or imported again), oldest first.
    pub set_aside: Vec<SetAsideItem>,
}

/// A change the server refused, or a pulled revision this kiosk could not store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SetAsideItem {
    /// `push` (a change of this kiosk) or `pull` (a revision from the server).
    #[ts(type = "SyncDirection")]
    pub direction: SyncDirection,
    /// The change's kind (`session`, `response`, `revision`, …).
    #[ts(type = "MutationKind")]
    pub kind: MutationKind,
    /// The outbox position (push) or the feed cursor (pull).
    #[ts(type = "number")]
    pub position: i64,
    /// The session, interview or candidate it is about.
    pub subject: String,
    /// Why: the server's answer, or the kiosk's own error.
    pub reason: String,
    pub at: String,
}
