// Admin mode: the contract between the admin UI and the Rust commands (src-tauri).
// Every command is `invoke("admin_<name>", args)`; argument names are camelCase in JS
// (Tauri converts them to snake_case in Rust). Errors arrive as UiError
// {code, message, field} (see bindings.ts). Codes used by admin commands:
//   "unauthenticated" (nobody signed in), "denied" (the role may not do this),
//   "throttled" (login too soon after failures; message says how long to wait),
//   "invalid" (bad input; `field` names the form field when there is one),
//   "not_found", "conflict", "internal".
// Roles are enforced in Rust; the UI only hides what a role cannot use.

export type Role = "admin" | "recruiter" | "hr";

export interface Account {
  id: string;
  email: string;
  full_name: string;
  role: Role;
}

/** admin_status() */
export interface AdminStatus {
  /** No account exists yet: the UI shows the "create the first admin" form. */
  first_run: boolean;
  /** The signed-in account, or null. */
  account: Account | null;
  data_dir: string;
}

export type Difficulty = "easy" | "medium" | "hard";
export type InterviewStatus = "draft" | "published" | "archived";
export type SessionStatus = "pending" | "in_progress" | "completed" | "abandoned";
export type Recommendation = "Strongly Recommend" | "Recommend" | "Consider" | "Not Recommend";
export type ExportFormat = "pdf" | "csv" | "json";
export type ScoreKey = "communication" | "technical" | "problem_solving" | "overall";

export interface KeyPointDto {
  label: string;
  /** Words or phrases that count as covering the point. */
  terms: string[];
}

export interface QuestionDto {
  text: string;
  key_points: KeyPointDto[];
  follow_ups: string[];
  tags: string[];
  /** Where it came from (bank id, "llm", "manual"); null for a new hand-written one. */
  source: string | null;
}

export interface InterviewSpecDto {
  job_role: string;
  job_description: string;
  difficulty: Difficulty;
  focus_areas: string[];
  time_limit_minutes: number;
  /** "ada" | "grace" */
  avatar: string;
  num_questions: number;
  max_follow_ups_per_preset: number;
}

export interface InterviewSummary {
  id: string;
  job_role: string;
  difficulty: Difficulty;
  status: InterviewStatus;
  /** Latest published revision, 0 when never published. */
  revision: number;
  kiosk_code: string | null;
  questions: number;
  updated_at: string;
}

export interface InterviewDetail {
  id: string;
  spec: InterviewSpecDto;
  questions: QuestionDto[];
  status: InterviewStatus;
  revision: number;
  kiosk_code: string | null;
  updated_at: string;
}

/** Spoken audio + lip-sync, same shape as the kiosk's SpeechClip (bindings.ts). */
// import type { SpeechClip } from "./bindings";

export interface SessionFilter {
  interview_id: string | null;
  /** YYYY-MM-DD, inclusive, by the session's creation day (UTC). */
  from: string | null;
  to: string | null;
  status: SessionStatus | null;
  recommendation: Recommendation | null;
  /** true: reviewed only; false: not yet reviewed; null: both. */
  reviewed: boolean | null;
}

export interface SessionRow {
  session_id: string;
  interview_id: string;
  job_role: string;
  candidate_id: string;
  candidate_name: string;
  candidate_email: string;
  status: SessionStatus;
  created_at: string;
  ended_at: string | null;
  /** Overall score after any adjustment; null without a report. */
  overall: number | null;
  recommendation: Recommendation | null;
  reviewed: boolean;
}

export interface ScoreView {
  key: ScoreKey;
  label: string;
  /** The score the brain gave. */
  original: number;
  /** The score in force: the adjustment when there is one, else the original. */
  value: number;
  adjustment: ScoreAdjustmentView | null;
}

export interface ScoreAdjustmentView {
  value: number;
  reason: string;
  by: string;
  at: string;
}

export interface AnswerView {
  number: number;
  /** "Q1", "Q1 Follow-up 1", "Resume Q" */
  label: string;
  question: string;
  transcript: string;
  score: number;
  quality: string;
  key_points: string[];
  matched: string[];
  missed: string[];
  evidence: string[];
  improvement: string;
  answer_seconds: number;
  /** An audio recording is kept (not purged): admin_answer_audio gives it. */
  has_audio: boolean;
}

export interface ReviewView {
  by: string;
  at: string;
  note: string;
}

export interface ReportView {
  session_id: string;
  candidate_id: string;
  candidate_name: string;
  candidate_email: string;
  candidate_phone: string | null;
  job_role: string;
  difficulty: Difficulty;
  focus_areas: string[];
  status: SessionStatus;
  started_at: string | null;
  ended_at: string | null;
  /** communication, technical, problem_solving, overall, in that order. */
  scores: ScoreView[];
  /** Recommendation from the overall score in force. */
  recommendation: Recommendation;
  summary: string;
  strengths: string[];
  areas_for_improvement: string[];
  answers: AnswerView[];
  review: ReviewView | null;
  /** Only a reviewed report is final. */
  final: boolean;
  brain: string;
  generated_at: string;
}

export interface ExportResult {
  /** Files written (a bulk CSV is one file). */
  written: string[];
}

export interface CandidateRow {
  candidate_id: string;
  name: string;
  email: string;
  sessions: number;
  created_at: string;
}

export interface ErasureResult {
  sessions: number;
  files_removed: number;
}

export interface PurgeResult {
  audio_files_removed: number;
  candidates_erased: number;
}

export interface RetentionSettings {
  /** Purge answer audio this many days after the interview; null keeps it. */
  audio_days: number | null;
  /** Erase all candidate data this many days after the interview; null keeps it. */
  data_days: number | null;
}

export interface ProviderView {
  name: string;
  kind: string;
  model: string;
  key_stored: boolean;
}

export interface BrainSettingsView {
  /** "offline" | "llm" | "auto" */
  mode: string;
  providers: ProviderView[];
}

export interface SettingsView {
  brain: BrainSettingsView;
  voice: string;
  rate_wpm: number;
  voices: string[];
  /** null: the system default input. */
  microphone: string | null;
  microphones: string[];
  idle_timeout_seconds: number;
  typed_answers_allowed: boolean;
  pin_set: boolean;
  data_dir: string;
  retention: RetentionSettings;
  upload_audio: boolean;
}

/** admin_settings_save(settings): every field is written. */
export interface SettingsForm {
  brain_mode: string;
  voice: string;
  rate_wpm: number;
  microphone: string | null;
  idle_timeout_seconds: number;
  typed_answers_allowed: boolean;
  retention: RetentionSettings;
  upload_audio: boolean;
}

export interface MicTest {
  device: string;
  seconds: number;
  rms_dbfs: number;
  silent: boolean;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  /** JSON text. */
  detail: string;
}

export interface AuditVerification {
  intact: boolean;
  entries: number;
  /** seq of the first entry that does not match its hash or its predecessor. */
  broken_at: number | null;
  reason: string | null;
}

export interface SyncStatus {
  enrolled: boolean;
  server: string | null;
  /** Outbox items waiting to be pushed. */
  pending: number;
  last_attempt: string | null;
  last_success: string | null;
  last_error: string | null;
  /** A sync is running now. */
  running: boolean;
}

/**
 * Commands (role that may call them; "any" = any signed-in account):
 *  admin_status(): AdminStatus                                   (no sign-in needed)
 *  admin_first_admin({email, fullName, password}): Account       (only when first_run)
 *  admin_login({email, password}): Account
 *  admin_logout(): void
 *  admin_leave(): void          closes admin mode, back to the kiosk (signs out)
 *  admin_users(): Account[]                                      admin
 *  admin_user_create({email, fullName, role, password}): Account admin
 *  admin_interviews(): InterviewSummary[]                        admin, recruiter
 *  admin_interview({id}): InterviewDetail                        admin, recruiter
 *  admin_interview_create({spec}): InterviewDetail   draft, questions generated by the brain
 *  admin_interview_generate({spec}): QuestionDto[]   proposals, nothing saved
 *  admin_interview_save({id, spec, questions}): InterviewDetail  (not archived)
 *  admin_interview_publish({id}): InterviewDetail   new immutable revision + kiosk code
 *  admin_interview_archive({id}): InterviewDetail
 *  admin_interview_duplicate({id}): InterviewDetail  new draft copy
 *  admin_speak({text, avatar}): SpeechClip                       admin, recruiter
 *  admin_sessions({filter}): SessionRow[]                        admin, hr
 *  admin_report({sessionId}): ReportView                         admin, hr
 *  admin_answer_audio({sessionId, number}): string  a data: URL (audio/wav)  admin, hr
 *  admin_review({sessionId, note}): ReportView                   admin, hr
 *  admin_adjust_score({sessionId, key, value, reason}): ReportView  admin, hr
 *  admin_export({sessionIds, format}): ExportResult | null  opens a native save dialog
 *      (one PDF/JSON: a file; several PDFs/JSONs: a zip; CSV: one file); null = cancelled   admin, hr
 *  admin_candidates(): CandidateRow[]                            admin, hr
 *  admin_erase_candidate({candidateId}): ErasureResult           admin, hr
 *  admin_purge_now(): PurgeResult                                admin, hr
 *  admin_settings(): SettingsView                                admin
 *  admin_settings_save({form: SettingsForm}): SettingsView       admin
 *  admin_set_pin({pin}): void                                    admin
 *  admin_mic_test({device}): MicTest   records 3 s               admin
 *  admin_backup(): string | null   save dialog; path written, null = cancelled   admin
 *  admin_audit({limit}): AuditRow[]   newest first               admin
 *  admin_audit_verify(): AuditVerification                       admin
 *  admin_sync_status(): SyncStatus                               admin
 *  admin_sync_now(): SyncStatus                                  admin
 */
export {};
