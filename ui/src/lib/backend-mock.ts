// An in-memory backend with the kiosk's rules, for UI tests and screen work without the
// app. It follows the Rust side's order checks so tests catch a UI that skips a step.

import type { Backend } from "./backend";
import type { AnswerEnd, AnswerMode, InterviewCard, KioskEvent, QuestionView, RegistrationForm, SpeechClip, Step, TurnStages, UiError } from "./bindings";
import { validateEmail, validateName, validatePhone } from "./validate";

export interface MockCall {
  cmd: string;
  args?: unknown;
}

const err = (code: UiError["code"], message: string, field: string | null = null): UiError => ({ code, message, field });

/** A turn event the mock sends this many milliseconds after a voice answer starts. */
export interface ScriptedEvent {
  afterMs: number;
  event: KioskEvent;
}

/**
 * What the Rust side sends when a candidate speaks, pauses for `silence` seconds, and
 * stays silent through the grace time: "Finished?" with the grace time left, then the
 * end of the turn (the UI then submits). With `resumeAt` the candidate speaks again
 * that many milliseconds into the grace time instead.
 */
export function silenceScript(silence = 3, grace = 3, spokeForMs = 1500, resumeAt: number | null = null): ScriptedEvent[] {
  const asked = spokeForMs + silence * 1000;
  const script: ScriptedEvent[] = [{ afterMs: asked, event: { kind: "turn_ending", seconds_left: grace } }];
  if (resumeAt !== null) script.push({ afterMs: asked + resumeAt, event: { kind: "turn_resumed" } });
  else script.push({ afterMs: asked + grace * 1000, event: { kind: "turn_ended" } });
  return script;
}

export interface MockOptions {
  questions?: string[];
  noMicrophone?: boolean;
  /** The kiosk's end-of-turn setting (as in kiosk.toml). */
  answerEnd?: AnswerEnd;
  /** Turn events sent during each voice answer (only with `answerEnd: "after_silence"`). */
  turnScript?: ScriptedEvent[];
  /** Stage timings returned with each next question. */
  stages?: TurnStages;
  /** How long each question's (silent) speech lasts; 1200 ms unless set. */
  speechMs?: number;
}

/**
 * Options from a page address, for the mock in a plain browser:
 * `answer_end=after_silence` (with the scripted "Finished?" unless `turns=manual`) and
 * `speech_ms=4000`.
 */
export function mockOptions(params: URLSearchParams): MockOptions {
  const opts: MockOptions = {};
  if (params.get("answer_end") === "after_silence") {
    opts.answerEnd = "after_silence";
    if (params.get("turns") !== "manual") opts.turnScript = silenceScript();
  }
  const ms = Number(params.get("speech_ms"));
  if (Number.isFinite(ms) && ms > 0) opts.speechMs = ms;
  return opts;
}

export function mockBackend(opts: MockOptions = {}) {
  const questions = opts.questions ?? ["Tell me about a project you are proud of.", "How do you test your code?"];
  const answerEnd: AnswerEnd = opts.answerEnd ?? "submit_only";
  const stages: TurnStages = opts.stages ?? { finish_capture_ms: 12, transcribe_tail_ms: 180, commit_ms: 4, decide_ms: 2, synthesize_ms: 90, total_ms: 290 };
  const calls: MockCall[] = [];
  const interview: InterviewCard = {
    id: "iv-1",
    job_role: "Backend Engineer",
    difficulty: "medium",
    minutes: 10,
    questions: questions.length,
    avatar: "ada",
    kiosk_code: "ABC123",
  };
  let stage: "welcome" | "consented" | "registered" | "interviewing" | "finished" = "welcome";
  let asked = 0;
  let answering = false;
  let repeating = false;
  let repeats = 0;
  /** The current answer's event sink (voice answers only), for `emit`. */
  let sink: ((e: KioskEvent) => void) | null = null;
  let timers: ReturnType<typeof setTimeout>[] = [];
  /** "Finished?" has been sent and neither withdrawn nor ended. */
  let asking = false;
  const send = (e: KioskEvent) => {
    if (e.kind === "turn_ending") asking = true;
    if (e.kind === "turn_resumed" || e.kind === "turn_ended") asking = false;
    sink?.(e);
  };
  const stopScript = () => {
    for (const t of timers) clearTimeout(t);
    timers = [];
  };
  const saved: string[] = [];
  let abandoned = 0;

  const question = (i: number): QuestionView => ({
    number: i + 1,
    kind: "preset",
    preset_number: i + 1,
    preset_total: questions.length,
    progress: `Question ${i + 1} of ${questions.length}`,
    text: questions[i] ?? "",
    allotted_seconds: 90,
    time_left_seconds: 600 - i * 90,
    time_limit_seconds: 600,
    speech: clip(),
    speech_error: null,
    avatar: "ada",
  });

  function clip(): SpeechClip {
    const ms = opts.speechMs ?? 1200;
    return { wav_base64: "", duration_ms: ms, visemes: [{ start_ms: 0, shape: "X" }, { start_ms: 100, shape: "D" }, { start_ms: 400, shape: "A" }, { start_ms: ms - 100, shape: "X" }] };
  }

  const log = (cmd: string, args?: unknown) => calls.push({ cmd, args });

  const backend: Backend = {
    async view() {
      log("view");
      return {
        idle_timeout_seconds: 120,
        finish_return_seconds: 8,
        typed_answers_allowed: true,
        pin_set: true,
        set_up: true,
        answer_end: answerEnd,
        end_silence_seconds: 3,
        end_grace_seconds: 3,
        version: "mock",
      };
    },
    async ready() {
      log("ready");
      return 1;
    },
    async interviews() {
      log("interviews");
      return [interview];
    },
    async find(code) {
      log("find", code);
      if (code.trim().toUpperCase() !== interview.kiosk_code) throw err("not_found", `No interview has the code “${code}”.`);
      return interview;
    },
    async notice() {
      log("notice");
      return { version: "mock-v1", title: "Recording", sections: [{ heading: "What is recorded", body: "Your answers." }], decline_message: "Please speak to a member of staff." };
    },
    async consent(id, accepted) {
      log("consent", { id, accepted });
      stage = accepted ? "consented" : "welcome";
    },
    async register(form: RegistrationForm) {
      log("register", form);
      if (stage !== "consented") throw err("wrong_state", "consent must be given before registration");
      const problem = validateName(form.name) ?? validateEmail(form.email) ?? validatePhone(form.phone ?? "");
      if (problem) throw err("invalid", problem, validateName(form.name) ? "name" : validateEmail(form.email) ? "email" : "phone");
      stage = "registered";
      const unreadable = form.resume && form.resume.base64.length < 8;
      return { session_id: "s-1", resume_used: Boolean(form.resume && !unreadable), resume_note: unreadable ? "We could not read your résumé." : null };
    },
    async micCheckStart(onEvent) {
      log("micCheckStart");
      if (stage !== "registered") throw err("wrong_state", "the microphone opens only after consent and registration");
      if (opts.noMicrophone) throw err("no_microphone", "No working microphone was found.");
      onEvent({ kind: "level", dbfs: -20 });
      return "mock mic";
    },
    async micCheckStop() {
      log("micCheckStop");
      return { device: "mock mic", seconds: 3, rms_dbfs: -20, silent: false, wav_base64: "" };
    },
    async begin() {
      log("begin");
      if (stage !== "registered") throw err("wrong_state", "register before the interview");
      stage = "interviewing";
      asked = 0;
      return question(0);
    },
    async speechFinished(mode: AnswerMode, onEvent: (e: KioskEvent) => void) {
      log("speechFinished", mode);
      if (stage !== "interviewing" || answering) throw err("wrong_state", "no question is being asked");
      answering = true;
      repeating = false;
      asking = false;
      if (mode === "voice") {
        sink = onEvent;
        onEvent({ kind: "partial", text: "I built" });
        if (answerEnd === "after_silence") {
          for (const { afterMs, event } of opts.turnScript ?? []) {
            timers.push(setTimeout(() => answering && !repeating && send(event), afterMs));
          }
        }
      }
      return { mode, allotted_seconds: 90, time_left_seconds: 500, device: mode === "voice" ? "mock mic" : null };
    },
    async submit(typed): Promise<Step> {
      log("submit", typed);
      if (!answering) throw err("wrong_state", "no answer is in progress");
      answering = false;
      // As in Rust: submitting during a repeat ends the repeat first.
      repeating = false;
      sink = null;
      stopScript();
      saved.push(typed ?? "spoken answer");
      asked += 1;
      const s = { number: asked, words: (typed ?? "spoken answer").split(/\s+/).length, note: null };
      if (asked >= questions.length) {
        stage = "finished";
        return { kind: "finished", saved: s };
      }
      return { kind: "question", question: question(asked), saved: s, stages: { ...stages } };
    },
    async repeatQuestion() {
      log("repeatQuestion");
      if (stage !== "interviewing" || !answering) throw err("wrong_state", "the question can be repeated once the answer has started");
      repeating = true;
      repeats += 1;
      // As in Rust, a pending "Finished?" is withdrawn when the question is repeated.
      if (asking) send({ kind: "turn_resumed" });
      return clip();
    },
    async repeatFinished() {
      log("repeatFinished");
      if (stage !== "interviewing") throw err("wrong_state", "no question is being asked");
      repeating = false;
    },
    async abandon() {
      log("abandon");
      const open = stage === "registered" || stage === "interviewing";
      if (open) abandoned += 1;
      stage = "welcome";
      answering = false;
      repeating = false;
      sink = null;
      stopScript();
      return open ? "s-1" : null;
    },
    async wipe() {
      log("wipe");
      stage = "welcome";
    },
    async unlock(pin) {
      log("unlock");
      if (pin !== "246810") throw err("wrong_pin", "the PIN is not correct");
    },
  };
  return {
    backend,
    calls,
    saved,
    abandonedCount: () => abandoned,
    stage: () => stage,
    repeating: () => repeating,
    repeats: () => repeats,
    /** Sends an event to the current voice answer, as the Rust side would. */
    emit(e: KioskEvent): boolean {
      if (!answering || !sink) return false;
      send(e);
      return true;
    },
  };
}
