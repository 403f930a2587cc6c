// The one way the admin UI reaches Rust. `tauriAdminBackend` calls the admin commands
// listed in admin-types.ts (the contract); `adminMock` (admin-mock.ts) implements the
// same rules in memory for tests and for screen work without the app.

import { invoke } from "@tauri-apps/api/core";
import { asUiError } from "./backend";
import type { ErrorCode, SpeechClip } from "./bindings";
import type {
  Account,
  AdminStatus,
  AuditRow,
  AuditVerification,
  CandidateRow,
  ErasureResult,
  ExportFormat,
  ExportResult,
  InterviewDetail,
  InterviewSpecDto,
  InterviewSummary,
  MicTest,
  PurgeResult,
  QuestionDto,
  ReportView,
  Role,
  ScoreKey,
  SessionFilter,
  SessionRow,
  SettingsForm,
  SettingsView,
  SyncStatus,
} from "./admin-types";

/**
 * The admin commands use error codes that the kiosk's generated `ErrorCode` does not
 * list yet; the shape is the same `UiError` {code, message, field}.
 */
export type AdminErrorCode = ErrorCode | "unauthenticated" | "denied" | "throttled" | "conflict";

export interface AdminError {
  code: AdminErrorCode;
  message: string;
  /** For invalid input: the form field it is about. */
  field: string | null;
}

export function asAdminError(e: unknown): AdminError {
  return asUiError(e) as AdminError;
}

export interface AdminBackend {
  status(): Promise<AdminStatus>;
  /** Input without a command (keys, clicks): admin mode's idle sign-out clock restarts. */
  activity(): Promise<void>;
  firstAdmin(email: string, fullName: string, password: string): Promise<Account>;
  login(email: string, password: string): Promise<Account>;
  logout(): Promise<void>;
  /** Closes admin mode and goes back to the kiosk (signs out). */
  leave(): Promise<void>;
  users(): Promise<Account[]>;
  userCreate(email: string, fullName: string, role: Role, password: string): Promise<Account>;
  interviews(): Promise<InterviewSummary[]>;
  interview(id: string): Promise<InterviewDetail>;
  /** A new draft: with `questions` when given (the brain is not asked), else the brain's. */
  interviewCreate(spec: InterviewSpecDto, questions?: QuestionDto[] | null): Promise<InterviewDetail>;
  interviewGenerate(spec: InterviewSpecDto): Promise<QuestionDto[]>;
  interviewSave(id: string, spec: InterviewSpecDto, questions: QuestionDto[]): Promise<InterviewDetail>;
  interviewPublish(id: string): Promise<InterviewDetail>;
  interviewArchive(id: string): Promise<InterviewDetail>;
  interviewDuplicate(id: string): Promise<InterviewDetail>;
  speak(text: string, avatar: string, language?: string): Promise<SpeechClip>;
  sessions(filter: SessionFilter): Promise<SessionRow[]>;
  report(sessionId: string): Promise<ReportView>;
  /** A data: URL (audio/wav). */
  answerAudio(sessionId: string, number: number): Promise<string>;
  review(sessionId: string, note: string): Promise<ReportView>;
  adjustScore(sessionId: string, key: ScoreKey, value: number, reason: string): Promise<ReportView>;
  /** Opens the native save dialog; null when it was cancelled. */
  exportReports(sessionIds: string[], format: ExportFormat): Promise<ExportResult | null>;
  candidates(): Promise<CandidateRow[]>;
  eraseCandidate(candidateId: string): Promise<ErasureResult>;
  purgeNow(): Promise<PurgeResult>;
  settings(): Promise<SettingsView>;
  settingsSave(form: SettingsForm): Promise<SettingsView>;
  setPin(pin: string): Promise<void>;
  /** Closes an interrupted session (pending or in progress); its saved answers stay. */
  sessionClose(sessionId: string): Promise<void>;
  /** Stores an LLM provider's API key (never shown again); returns the settings. */
  providerKeySet(provider: string, key: string): Promise<SettingsView>;
  providerKeyRemove(provider: string): Promise<SettingsView>;
  micTest(device: string | null): Promise<MicTest>;
  /** Opens the native save dialog; the path written, or null when cancelled. */
  backup(): Promise<string | null>;
  audit(limit: number): Promise<AuditRow[]>;
  auditVerify(): Promise<AuditVerification>;
  syncStatus(): Promise<SyncStatus>;
  syncNow(): Promise<SyncStatus>;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asAdminError(e);
  }
}

export const tauriAdminBackend: AdminBackend = {
  status: () => call("admin_status"),
  activity: () => call("admin_activity"),
  firstAdmin: (email, fullName, password) => call("admin_first_admin", { email, fullName, password }),
  login: (email, password) => call("admin_login", { email, password }),
  logout: () => call("admin_logout"),
  leave: () => call("admin_leave"),
  users: () => call("admin_users"),
  userCreate: (email, fullName, role, password) => call("admin_user_create", { email, fullName, role, password }),
  interviews: () => call("admin_interviews"),
  interview: (id) => call("admin_interview", { id }),
  interviewCreate: (spec, questions) => call("admin_interview_create", { spec, questions: questions ?? null }),
  interviewGenerate: (spec) => call("admin_interview_generate", { spec }),
  interviewSave: (id, spec, questions) => call("admin_interview_save", { id, spec, questions }),
  interviewPublish: (id) => call("admin_interview_publish", { id }),
  interviewArchive: (id) => call("admin_interview_archive", { id }),
  interviewDuplicate: (id) => call("admin_interview_duplicate", { id }),
  speak: (text, avatar, language) => call("admin_speak", { text, avatar, language }),
  sessions: (filter) => call("admin_sessions", { filter }),
  report: (sessionId) => call("admin_report", { sessionId }),
  answerAudio: (sessionId, number) => call("admin_answer_audio", { sessionId, number }),
  review: (sessionId, note) => call("admin_review", { sessionId, note }),
  adjustScore: (sessionId, key, value, reason) => call("admin_adjust_score", { sessionId, key, value, reason }),
  exportReports: (sessionIds, format) => call("admin_export", { sessionIds, format }),
  candidates: () => call("admin_candidates"),
  eraseCandidate: (candidateId) => call("admin_erase_candidate", { candidateId }),
  purgeNow: () => call("admin_purge_now"),
  settings: () => call("admin_settings"),
  settingsSave: (form) => call("admin_settings_save", { form }),
  setPin: (pin) => call("admin_set_pin", { pin }),
  sessionClose: (sessionId) => call("admin_session_close", { sessionId }),
  providerKeySet: (provider, key) => call("admin_provider_key_set", { provider, key }),
  providerKeyRemove: (provider) => call("admin_provider_key_remove", { provider }),
  micTest: (device) => call("admin_mic_test", { device }),
  backup: () => call("admin_backup"),
  audit: (limit) => call("admin_audit", { limit }),
  auditVerify: () => call("admin_audit_verify"),
  syncStatus: () => call("admin_sync_status"),
  syncNow: () => call("admin_sync_now"),
};

/**
 * The same backend, calling `onUnauthenticated` whenever a command fails because nobody
 * is signed in any more (admin mode was left, or Rust forgot the sign-in), so the UI can
 * go back to the sign-in form. The error is still thrown to the caller.
 */
export function watchSignIn(backend: AdminBackend, onUnauthenticated: () => void): AdminBackend {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(backend) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        const err = asAdminError(e);
        if (err.code === "unauthenticated") onUnauthenticated();
        throw err;
      }
    };
  }
  return wrapped as unknown as AdminBackend;
}
