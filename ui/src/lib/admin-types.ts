// Admin mode: the contract between the admin UI and the Rust commands (src-tauri).
// The types are generated from crates/admin/src/dto.rs into admin-bindings.ts (a Rust
// test fails when that file is stale); this module re-exports them with the command list.
// Every command is `invoke("admin_<name>", args)`; argument names are camelCase in JS
// (Tauri converts them to snake_case in Rust). Errors arrive as UiError
// {code, message, field} (see bindings.ts). Codes used by admin commands:
//   "unauthenticated" (nobody signed in), "denied" (the role may not do this),
//   "throttled" (login too soon after failures; message says how long to wait),
//   "invalid" (bad input; `field` names the form field when there is one),
//   "not_found", "conflict", "internal".
// Roles are enforced in Rust; the UI only hides what a role cannot use.

export type * from "./admin-bindings";

/**
 * Commands (role that may call them; "any" = any signed-in account):
 *  admin_status(): AdminStatus                                   (no sign-in needed)
 *  admin_activity(): void       input without a command: restarts the idle sign-out clock
 *  admin_first_admin({email, fullName, password}): Account       (only when first_run)
 *  admin_login({email, password}): Account
 *  admin_logout(): void
 *  admin_leave(): void          closes admin mode, back to the kiosk (signs out)
 *  admin_users(): Account[]                                      admin
 *  admin_user_create({email, fullName, role, password}): Account admin
 *  admin_interviews(): InterviewSummary[]                        admin, recruiter
 *  admin_interview({id}): InterviewDetail                        admin, recruiter
 *  admin_interview_create({spec, questions}): InterviewDetail   draft with the given
 *      questions, or (questions null/empty) with the brain's proposals
 *  admin_interview_generate({spec}): QuestionDto[]   proposals, nothing saved
 *  admin_interview_save({id, spec, questions}): InterviewDetail  (not archived)
 *  admin_interview_publish({id}): InterviewDetail   new immutable revision + kiosk code
 *  admin_interview_archive({id}): InterviewDetail
 *  admin_interview_duplicate({id}): InterviewDetail  new draft copy
 *  admin_speak({text, avatar, language}): SpeechClip             admin, recruiter
 *  admin_sessions({filter}): SessionRow[]                        admin, hr
 *  admin_report({sessionId}): ReportView                         admin, hr
 *  admin_session_close({sessionId}): void   an interrupted session → abandoned, answers kept   admin, hr
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
 *  admin_provider_key_set({provider, key}): SettingsView          admin (the key is never returned)
 *  admin_provider_key_remove({provider}): SettingsView            admin
 *  admin_mic_test({device}): MicTest   records 3 s               admin
 *  admin_backup(): string | null   save dialog; path written, null = cancelled   admin
 *  admin_audit({limit}): AuditRow[]   newest first               admin
 *  admin_audit_verify(): AuditVerification                       admin
 *  admin_sync_status(): SyncStatus                               admin
 *  admin_sync_now(): SyncStatus                                  admin
 */
