// An in-memory backend with the kiosk's rules, for UI tests and screen work without the
// app. It follows the Rust side's order checks so tests catch a UI that skips a step.

import type { Backend } from "./backend";
import type { AnswerMode, InterviewCard, KioskEvent, QuestionView, RegistrationForm, Step, UiError } from "./bindings";
import { validateEmail, validateName, validatePhone } from "./validate";

export interface MockCall {
  cmd: string;
  args?: unknown;
}

const err = (code: UiError["code"], message: string, field: string | null = null): UiError => ({ code, message, field });

export function mockBackend(opts: { questions?: string[]; noMicrophone?: boolean } = {}) {
  const questions = opts.questions ?? ["Tell me about a project you are proud of.", "How do you test your code?"];
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
    speech: { wav_base64: "", duration_ms: 1200, visemes: [{ start_ms: 0, shape: "X" }, { start_ms: 100, shape: "D" }, { start_ms: 400, shape: "A" }, { start_ms: 1100, shape: "X" }] },
    speech_error: null,
    avatar: "ada",
  });

  const log = (cmd: string, args?: unknown) => calls.push({ cmd, args });

  const backend: Backend = {
    async view() {
      log("view");
      return { idle_timeout_seconds: 120, finish_return_seconds: 8, typed_answers_allowed: true, pin_set: true, version: "mock" };
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
      if (mode === "voice") onEvent({ kind: "partial", text: "I built" });
      return { mode, allotted_seconds: 90, time_left_seconds: 500, device: mode === "voice" ? "mock mic" : null };
    },
    async submit(typed): Promise<Step> {
      log("submit", typed);
      if (!answering) throw err("wrong_state", "no answer is in progress");
      answering = false;
      saved.push(typed ?? "spoken answer");
      asked += 1;
      const s = { number: asked, words: (typed ?? "spoken answer").split(/\s+/).length, note: null };
      if (asked >= questions.length) {
        stage = "finished";
        return { kind: "finished", saved: s };
      }
      return { kind: "question", question: question(asked), saved: s };
    },
    async abandon() {
      log("abandon");
      const open = stage === "registered" || stage === "interviewing";
      if (open) abandoned += 1;
      stage = "welcome";
      answering = false;
      return open ? "s-1" : null;
    },
    async wipe() {
      log("wipe");
      stage = "welcome";
    },
    async unlock(pin) {
      log("unlock");
      if (pin !== "2468") throw err("wrong_pin", "the PIN is not correct");
    },
  };
  return { backend, calls, saved, abandonedCount: () => abandoned, stage: () => stage };
}
