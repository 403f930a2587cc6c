// Generated from crates/admin/src/dto.rs by ts-rs. Do not edit by hand:
// run `PANELIST_UPDATE_BINDINGS=1 cargo test --workspace -- admin_bindings` instead.

export type Role = "admin" | "recruiter" | "hr";

export type Difficulty = "easy" | "medium" | "hard";

export type InterviewStatus = "draft" | "published" | "archived";

export type SessionStatus = "pending" | "in_progress" | "completed" | "abandoned";

export type Recommendation = "Strongly Recommend" | "Recommend" | "Consider" | "Not Recommend";

export type ScoreKey = "communication" | "technical" | "problem_solving" | "overall";

export type AnswerQuality = "Excellent" | "Good" | "Fair" | "Poor" | "No answer";

export type Language = "en" | "de" | "fr" | "es";

export const LANGUAGES: readonly LanguageOption[] = [
  { code: "en", name: "English" },
  { code: "de", name: "German" },
  { code: "fr", name: "French" },
  { code: "es", name: "Spanish" },
];

export type ExportFormat = "pdf" | "csv" | "json";

export type BrainMode = "offline" | "llm" | "auto";

export type SyncDirection = "push" | "pull";

export type MutationKind = "revision" | "session" | "session_update" | "response" | "report" | "review" | "erasure";

export type Account = { id: string, email: string, full_name: string, role: Role, };

export type AdminStatus = { 
/**
 * No account exists yet: the UI asks for the first administrator.
 */
first_run: boolean, account: Account | null, data_dir: string, };

export type KeyPointDto = { label: string, terms: Array<string>, };

export type QuestionDto = { text: string, key_points: Array<KeyPointDto>, follow_ups: Array<string>, tags: Array<string>, source: string | null, };

export type InterviewSpecDto = { job_role: string, job_description: string, difficulty: Difficulty, focus_areas: Array<string>, time_limit_minutes: number, avatar: string, num_questions: number, max_follow_ups_per_preset: number, 
/**
 * A code from [`panelist_core::Language`] (`LANGUAGES` in the bindings); anything
 * else is refused by name. English when absent.
 */
language: Language, };

export type LanguageOption = { code: Language, name: string, };

export type InterviewSummary = { id: string, job_role: string, difficulty: Difficulty, status: InterviewStatus, revision: number, kiosk_code: string | null, questions: number, updated_at: string, };

export type InterviewDetail = { id: string, spec: InterviewSpecDto, questions: Array<QuestionDto>, status: InterviewStatus, revision: number, kiosk_code: string | null, updated_at: string, };

export type SessionFilter = { interview_id: string | null, 
/**
 * YYYY-MM-DD, inclusive, by the session's creation day (UTC). Typed dates: a value
 * that is not one is refused when the command's arguments are read.
 */
from: string | null, to: string | null, status: SessionStatus | null, recommendation: Recommendation | null, reviewed: boolean | null, };

export type SessionRow = { session_id: string, interview_id: string, job_role: string, candidate_id: string, candidate_name: string, candidate_email: string, status: SessionStatus, created_at: string, ended_at: string | null, overall: number | null, recommendation: Recommendation | null, reviewed: boolean, };

export type ScoreAdjustmentView = { value: number, reason: string, by: string, at: string, };

export type ScoreView = { key: ScoreKey, label: string, original: number, value: number, adjustment: ScoreAdjustmentView | null, };

export type AnswerView = { number: number, label: string, question: string, transcript: string, score: number, quality: AnswerQuality, key_points: Array<string>, matched: Array<string>, missed: Array<string>, evidence: Array<string>, improvement: string, answer_seconds: number, has_audio: boolean, };

export type ReviewView = { by: string, at: string, note: string, };

export type ReportView = { session_id: string, candidate_id: string, candidate_name: string, candidate_email: string, candidate_phone: string | null, job_role: string, difficulty: Difficulty, focus_areas: Array<string>, status: SessionStatus, started_at: string | null, ended_at: string | null, scores: Array<ScoreView>, recommendation: Recommendation, summary: string, strengths: Array<string>, areas_for_improvement: Array<string>, answers: Array<AnswerView>, review: ReviewView | null, final: boolean, brain: string, generated_at: string, };

export type ExportResult = { written: Array<string>, };

export type CandidateRow = { candidate_id: string, name: string, email: string, sessions: number, created_at: string, };

export type ErasureResult = { sessions: number, files_removed: number, };

export type PurgeResult = { audio_files_removed: number, candidates_erased: number, };

export type RetentionSettings = { audio_days: number | null, data_days: number | null, };

export type ProviderView = { name: string, kind: string, model: string, key_stored: boolean, };

export type BrainSettingsView = { mode: BrainMode, providers: Array<ProviderView>, };

export type AnswerEnd = "submit_only" | "after_silence";

export type SettingsView = { brain: BrainSettingsView, voice: string, rate_wpm: number, voices: Array<string>, microphone: string | null, microphones: Array<string>, idle_timeout_seconds: number, typed_answers_allowed: boolean, 
/**
 * How a voice answer ends besides "Submit answer" and the timer.
 */
answer_end: AnswerEnd, 
/**
 * With `after_silence`: silence after speech before "Finished?" (1.5–10 s).
 */
end_silence_seconds: number, 
/**
 * …and further silence before the answer is submitted (1–10 s).
 */
end_grace_seconds: number, 
/**
 * The speech model's name (`kiosk.toml`'s `whisper_model`, or `base-ct2`)…
 */
whisper_model: string, 
/**
 * …and the models the kiosk can find (`models/fetch-model.sh NAME` adds one).
 */
whisper_models: Array<string>, pin_set: boolean, 
/**
 * Seconds without input before admin mode signs out (60–3600).
 */
admin_idle_seconds: number, data_dir: string, retention: RetentionSettings, upload_audio: boolean, };

export type SettingsForm = { brain_mode: BrainMode, voice: string, rate_wpm: number, microphone: string | null, idle_timeout_seconds: number, typed_answers_allowed: boolean, answer_end: AnswerEnd, end_silence_seconds: number, end_grace_seconds: number, 
/**
 * Seconds without input before admin mode signs out (60–3600).
 */
admin_idle_seconds: number, retention: RetentionSettings, upload_audio: boolean, 
/**
 * One of `SettingsView::whisper_models`; unchanged when null.
 */
whisper_model: string | null, };

export type MicTest = { device: string, seconds: number, rms_dbfs: number, silent: boolean, };

export type AuditRow = { seq: number, at: string, actor: string, action: string, subject: string, detail: string, };

export type AuditVerification = { intact: boolean, entries: number, broken_at: number | null, reason: string | null, };

export type SyncStatus = { enrolled: boolean, server: string | null, pending: number, last_attempt: string | null, last_success: string | null, last_error: string | null, running: boolean, 
/**
 * Sync items set aside (never sent or imported again), oldest first.
 */
set_aside: Array<SetAsideItem>, };

export type SetAsideItem = { 
/**
 * `push` (a change of this kiosk) or `pull` (a revision from the server).
 */
direction: SyncDirection, 
/**
 * The change's kind (`session`, `response`, `revision`, …).
 */
kind: MutationKind, 
/**
 * The outbox position (push) or the feed cursor (pull).
 */
position: number, 
/**
 * The session, interview or candidate it is about.
 */
subject: string, 
/**
 * Why: the server's answer, or the kiosk's own error.
 */
reason: string, at: string, };
