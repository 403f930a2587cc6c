// Inline validation of the admin forms. Rust checks the same rules again and has the
// last word (its UiError.field names the field); these give instant feedback and the
// admin mock uses them so that tests see the same answers.

// Every limit comes from Rust (../lib/rules.ts is generated from the Rust constants), and
// ui/tests/contract.test.ts runs the cases crates/admin/tests/contract.rs runs in Rust.

import { validateEmail } from "../lib/validate";
import { RULES } from "../lib/rules";
import type { AnswerEnd, Difficulty, InterviewSpecDto, QuestionDto, Role } from "../lib/admin-types";
import { LANGUAGES } from "../lib/admin-bindings";

export type Problems = Record<string, string>;

export const MIN_PASSWORD = RULES.staff.password_min_chars;
const FULL_NAME_MAX = RULES.staff.full_name_max_chars;

export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD) return `The password needs at least ${MIN_PASSWORD} characters.`;
  return undefined;
}

export interface AccountFormValues {
  email: string;
  full_name: string;
  password: string;
  /** The password typed a second time; undefined when the form has no confirmation. */
  confirm?: string;
  role?: Role | "";
}

/** Problems keyed by field: email, full_name, password, confirm, role. Empty when valid. */
export function accountProblems(v: AccountFormValues): Problems {
  const p: Problems = {};
  const email = validateEmail(v.email);
  if (email) p.email = email;
  if (v.full_name.trim() === "") p.full_name = "Please enter the full name.";
  else if ([...v.full_name.trim()].length > FULL_NAME_MAX) p.full_name = `The name is too long (${FULL_NAME_MAX} characters at most).`;
  const pw = passwordProblem(v.password);
  if (pw) p.password = pw;
  if (v.confirm !== undefined && v.confirm !== v.password) p.confirm = "The two passwords are not the same.";
  if (v.role !== undefined && !["admin", "recruiter", "hr"].includes(v.role)) p.role = "Please choose a role.";
  return p;
}

/** The kiosk PIN: 6–12 digits, typed twice (the Rust rule: `PIN_DIGITS`). */
export function pinProblems(pin: string, confirm: string): Problems {
  const p: Problems = {};
  const [lo, hi] = RULES.pin_digits;
  const digits = pin.trim();
  if (!/^[0-9]+$/.test(digits) || digits.length < lo || digits.length > hi) p.pin = `The PIN is ${lo} to ${hi} digits.`;
  else if (pin !== confirm) p.confirm = "The two PINs are not the same.";
  return p;
}

/** "ML, rust ,, Rust" → ["ML", "rust"]: trimmed, empty dropped, duplicates (any case) dropped. */
export function splitList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(",")) {
    const t = part.trim();
    if (t === "" || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

export const LIMITS = {
  time_limit_minutes: RULES.spec.time_limit_minutes,
  num_questions: RULES.spec.num_questions,
  max_follow_ups_per_preset: RULES.spec.max_follow_ups_per_preset,
} as const;
const JOB_ROLE_MAX = RULES.spec.job_role_max_chars;

function intIn(n: number, [lo, hi]: readonly [number, number]): boolean {
  return Number.isInteger(n) && n >= lo && n <= hi;
}

/** The difficulties and their labels: one entry per value of the generated `Difficulty`
 *  (core's enum), so a value added or removed in Rust fails the type check here. */
export const DIFFICULTIES: Record<Difficulty, string> = { easy: "Easy", medium: "Medium", hard: "Hard" };

/** Problems keyed by InterviewSpecDto field names (the names Rust uses in UiError.field). */
export function specProblems(s: InterviewSpecDto): Problems {
  const p: Problems = {};
  if (s.job_role.trim() === "") p.job_role = "Please enter the job role.";
  else if ([...s.job_role.trim()].length > JOB_ROLE_MAX) p.job_role = `The job role is too long (${JOB_ROLE_MAX} characters at most).`;
  if (!Object.hasOwn(DIFFICULTIES, s.difficulty)) p.difficulty = "Please choose a difficulty.";
  if (!["ada", "grace"].includes(s.avatar)) p.avatar = "Please choose an avatar.";
  if (!LANGUAGES.some((l) => l.code === s.language)) p.language = "Please choose a language.";
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const [lo, hi] = LIMITS[key];
    if (!intIn(s[key], LIMITS[key])) p[key] = `Please enter a whole number from ${lo} to ${hi}.`;
  }
  return p;
}

/** Problems keyed `questions` (the list) or `questions.<i>` (one question, 0-based). */
export function questionProblems(questions: QuestionDto[]): Problems {
  const p: Problems = {};
  questions.forEach((q, i) => {
    if (q.text.trim() === "") p[`questions.${i}`] = `Question ${i + 1} has no text.`;
    else if (q.key_points.some((k) => k.label.trim() === "")) p[`questions.${i}`] = `Question ${i + 1} has a key point without a label.`;
  });
  return p;
}

const [DAYS_MIN, DAYS_MAX] = RULES.settings.retention_days;

/** A retention field: empty keeps the data (null); otherwise a whole number of days (1–3650). */
export function parseDays(text: string): { value: number | null; problem?: string } {
  const t = text.trim();
  if (t === "") return { value: null };
  const n = Number(t);
  if (!daysProblem(n)) return { value: n };
  return { value: null, problem: daysProblem(n) };
}

function daysProblem(n: number): string | undefined {
  if (Number.isInteger(n) && n >= DAYS_MIN && n <= DAYS_MAX) return undefined;
  return `Enter a whole number of days (${DAYS_MIN} to ${DAYS_MAX}), or leave empty to keep.`;
}

/** An adjusted score: a whole number 0–100 and a reason. */
export function adjustProblems(value: number, reason: string): Problems {
  const p: Problems = {};
  if (!Number.isInteger(value) || value < 0 || value > 100) p.value = "The score is a whole number from 0 to 100.";
  if (reason.trim() === "") p.reason = "Please say why the score is changed.";
  return p;
}

/** How an answer ends: the ranges Rust enforces (crates/settings/src/kiosk.rs). */
export const END_SILENCE_SECONDS = RULES.settings.end_silence_seconds;
export const END_GRACE_SECONDS = RULES.settings.end_grace_seconds;

export interface AnswerEndValues {
  answer_end: AnswerEnd;
  end_silence_seconds: number;
  end_grace_seconds: number;
}

/** A number of seconds as typed: "3", "2.5" or "2,5"; NaN when it is not a number. */
export function parseSeconds(text: string): number {
  const t = text.trim().replace(",", ".");
  if (!/^[0-9]+(\.[0-9]+)?$/.test(t)) return NaN;
  return Number(t);
}

/**
 * Problems keyed by the SettingsForm field names. Rust checks the two times whatever the
 * mode (`always`, as the mock does); the form checks them only with "after silence",
 * since they are disabled otherwise and the saved values are sent unchanged.
 */
export function answerEndProblems(v: AnswerEndValues, always = false): Problems {
  const p: Problems = {};
  if (v.answer_end !== "submit_only" && v.answer_end !== "after_silence") p.answer_end = "Please choose how an answer ends.";
  if (always || v.answer_end === "after_silence") {
    const [slo, shi] = END_SILENCE_SECONDS;
    const [glo, ghi] = END_GRACE_SECONDS;
    if (!Number.isFinite(v.end_silence_seconds) || v.end_silence_seconds < slo || v.end_silence_seconds > shi)
      p.end_silence_seconds = `The silence before "Finished?" is ${slo} to ${shi} seconds.`;
    if (!Number.isFinite(v.end_grace_seconds) || v.end_grace_seconds < glo || v.end_grace_seconds > ghi)
      p.end_grace_seconds = `The wait after "Finished?" is ${glo} to ${ghi} seconds.`;
  }
  return p;
}

/**
 * The answer-end part of the settings form from what was typed. With "Submit only" the
 * disabled time fields cannot be fixed by the admin, so a value that is not valid falls
 * back to the saved one rather than blocking the save.
 */
export function answerEndForm(
  answerEnd: AnswerEnd,
  silenceText: string,
  graceText: string,
  saved: { end_silence_seconds: number; end_grace_seconds: number },
): { values: AnswerEndValues; problems: Problems } {
  const values: AnswerEndValues = { answer_end: answerEnd, end_silence_seconds: parseSeconds(silenceText), end_grace_seconds: parseSeconds(graceText) };
  const problems = answerEndProblems(values);
  if (answerEnd === "submit_only") {
    const strict = answerEndProblems(values, true);
    if (strict.end_silence_seconds) values.end_silence_seconds = saved.end_silence_seconds;
    if (strict.end_grace_seconds) values.end_grace_seconds = saved.end_grace_seconds;
  }
  return { values, problems };
}

/** The numbers of the settings form Rust checks in `check_settings_form`. */
export interface SettingsNumbers {
  rate_wpm: number;
  idle_timeout_seconds: number;
  admin_idle_seconds: number;
  retention: { audio_days: number | null; data_days: number | null };
}

const SETTINGS_TEXT = {
  rate_wpm: (lo: number, hi: number) => `The rate is ${lo} to ${hi} words per minute.`,
  idle_timeout_seconds: (lo: number, hi: number) => `The idle timeout is ${lo} to ${hi} seconds.`,
  admin_idle_seconds: (lo: number, hi: number) => `Admin mode's sign-out is ${lo} to ${hi} seconds.`,
} as const;

/**
 * Problems of the settings form's numbers, keyed by SettingsForm field (retention ones as
 * `audio_days` / `data_days`), with the limits Rust enforces (`check_settings_form`); the
 * end-of-turn times are `answerEndProblems`.
 */
export function settingsNumberProblems(v: SettingsNumbers): Problems {
  const p: Problems = {};
  for (const key of ["rate_wpm", "idle_timeout_seconds", "admin_idle_seconds"] as const) {
    const [lo, hi] = RULES.settings[key];
    const n = v[key];
    if (!Number.isInteger(n) || n < lo || n > hi) p[key] = SETTINGS_TEXT[key](lo, hi);
  }
  for (const key of ["audio_days", "data_days"] as const) {
    const days = v.retention[key];
    const problem = days === null ? undefined : daysProblem(days);
    if (problem) p[key] = problem;
  }
  return p;
}
