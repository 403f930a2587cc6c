// Generated from crates/kiosk/src/dto.rs by ts-rs. Do not edit by hand:
// run `PANELIST_UPDATE_BINDINGS=1 cargo test -p panelist-kiosk bindings` instead.

export type Difficulty = "easy" | "medium" | "hard";

export type InterviewCard = { id: string, job_role: string, difficulty: Difficulty, minutes: number, questions: number, avatar: AvatarLook, kiosk_code: string | null, };

export type AvatarLook = "ada" | "grace";

export type ConsentNotice = { 
/**
 * Stored with the consent, so it is known which text the candidate agreed to.
 */
version: string, title: string, sections: Array<NoticeSection>, 
/**
 * What to do instead when the candidate declines.
 */
decline_message: string, };

export type NoticeSection = { heading: string, body: string, };

export type RegistrationForm = { name: string, email: string, phone: string | null, 
/**
 * A résumé picked or dropped by the candidate.
 */
resume: ResumeUpload | null, };

export type ResumeUpload = { file_name: string, 
/**
 * The file's bytes, base64-encoded.
 */
base64: string, };

export type Registered = { session_id: string, 
/**
 * Set when a résumé was given but could not be read; the interview goes on without it.
 */
resume_note: string | null, resume_used: boolean, };

export type FieldProblem = { field: string, message: string, };

export type MicCheck = { device: string, seconds: number, rms_dbfs: number, 
/**
 * True when nothing above the noise floor was heard.
 */
silent: boolean, 
/**
 * The test recording as a WAV file, base64-encoded, to play back.
 */
wav_base64: string, };

export type MouthShape = "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H" | "X";

export type VisemeCue = { start_ms: number, 
/**
 * Rhubarb shape letter: A–H, or X for rest.
 */
shape: MouthShape, };

export type SpeechClip = { wav_base64: string, duration_ms: number, visemes: Array<VisemeCue>, };

export type QuestionKind = "preset" | "follow_up" | "resume";

export type QuestionView = { 
/**
 * 1-based position in the session.
 */
number: number, kind: QuestionKind, 
/**
 * Which preset this belongs to (1-based), for presets and their follow-ups.
 */
preset_number: number | null, preset_total: number, 
/**
 * For example "Question 2 of 3 · follow-up".
 */
progress: string, 
/**
 * The caption: exactly what the avatar says.
 */
text: string, allotted_seconds: number, 
/**
 * Interview time left before this answer starts.
 */
time_left_seconds: number, time_limit_seconds: number, 
/**
 * None when speech could not be made: the caption carries the question alone.
 */
speech: SpeechClip | null, speech_error: string | null, avatar: AvatarLook, };

export type AnswerMode = "voice" | "typed";

export type AnswerStarted = { mode: AnswerMode, allotted_seconds: number, time_left_seconds: number, 
/**
 * The microphone in use (voice mode).
 */
device: string | null, };

export type Step = { "kind": "question", question: QuestionView, saved: SavedAnswer, 
/**
 * Where the time between the end of the answer and this reply went.
 */
stages: TurnStages, } | { "kind": "finished", saved: SavedAnswer, };

export type SavedAnswer = { number: number, words: number, 
/**
 * Set when the voice path failed and the live transcript (or nothing) was kept.
 */
note: string | null, };

export type TurnStages = { 
/**
 * Stopping the microphone and waiting for a live pass still in flight.
 */
finish_capture_ms: number, 
/**
 * The final transcription of the uncommitted (VAD-trimmed) tail.
 */
transcribe_tail_ms: number, 
/**
 * Committing the answer to SQLite.
 */
commit_ms: number, 
/**
 * The brain's decision, validated by the engine and stored.
 */
decide_ms: number, 
/**
 * Speech synthesis of the next question (0 when it was prepared during the answer).
 */
synthesize_ms: number, 
/**
 * Everything in Rust, from the end of the answer to the reply.
 */
total_ms: number, };

export type KioskEvent = { "kind": "level", dbfs: number, } | { "kind": "partial", text: string, } | { "kind": "microphone_lost", reason: string, } | { "kind": "turn_ending", seconds_left: number, } | { "kind": "turn_resumed" } | { "kind": "turn_ended" };

export type AnswerEnd = "submit_only" | "after_silence";

export type KioskView = { idle_timeout_seconds: number, finish_return_seconds: number, typed_answers_allowed: boolean, 
/**
 * Whether an admin PIN is set (leaving the kiosk is impossible without one).
 */
pin_set: boolean, 
/**
 * Whether an administrator account exists. Until one does, the kiosk starts no
 * candidate journey: first-run setup is staff's (`panelist-kiosk --admin`), not
 * whoever finds the kiosk.
 */
set_up: boolean, 
/**
 * How voice answers end, and the silence and grace times for `after_silence`.
 */
answer_end: AnswerEnd, end_silence_seconds: number, end_grace_seconds: number, version: string, };

export type UiError = { code: ErrorCode, message: string, 
/**
 * For invalid registration input: which field.
 */
field: string | null, };

export type ErrorCode = "invalid" | "not_found" | "no_microphone" | "wrong_state" | "wrong_pin" | "no_pin" | "internal" | "unauthenticated" | "denied" | "throttled" | "conflict" | "unsupported";
