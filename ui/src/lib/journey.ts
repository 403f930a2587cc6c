// The candidate's journey as a small state machine over the backend: which screen is
// shown, what it shows, and the order of calls to Rust. The Svelte screens render
// `state` and call these methods; tests drive the same methods with the mock backend.

import type { Backend } from "./backend";
import { asUiError } from "./backend";
import type {
  AnswerMode,
  ConsentNotice,
  InterviewCard,
  KioskEvent,
  KioskView,
  MicCheck,
  QuestionView,
  Registered,
  RegistrationForm,
  UiError,
} from "./bindings";

export type Screen = "welcome" | "consent" | "declined" | "register" | "mic" | "interview" | "finish";

/** Within the interview screen: who has the floor. */
export type Phase = "speaking" | "answering" | "thinking";

export interface JourneyState {
  screen: Screen;
  interviews: InterviewCard[];
  interview: InterviewCard | null;
  notice: ConsentNotice | null;
  registered: Registered | null;
  micDevice: string | null;
  micCheck: MicCheck | null;
  level: number;
  question: QuestionView | null;
  phase: Phase | null;
  mode: AnswerMode;
  partial: string;
  answered: number;
  error: UiError | null;
  busy: boolean;
}

export function initialState(): JourneyState {
  return {
    screen: "welcome",
    interviews: [],
    interview: null,
    notice: null,
    registered: null,
    micDevice: null,
    micCheck: null,
    level: -90,
    question: null,
    phase: null,
    mode: "voice",
    partial: "",
    answered: 0,
    error: null,
    busy: false,
  };
}

export class Journey {
  state: JourneyState = initialState();
  view: KioskView | null = null;
  private listeners: Array<(s: JourneyState) => void> = [];
  /** Timestamps for the benchmark: submit pressed → next question's audio started. */
  readonly metrics: { submitAt: number | null; latencies: number[] } = { submitAt: null, latencies: [] };

  constructor(
    private readonly backend: Backend,
    private readonly now: () => number = () => performance.now(),
  ) {}

  subscribe(f: (s: JourneyState) => void): () => void {
    this.listeners.push(f);
    f(this.state);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== f);
    };
  }

  private set(patch: Partial<JourneyState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  private async guard<T>(f: () => Promise<T>): Promise<T | undefined> {
    this.set({ busy: true, error: null });
    try {
      return await f();
    } catch (e) {
      this.set({ error: asUiError(e) });
      return undefined;
    } finally {
      this.set({ busy: false });
    }
  }

  // ---- Welcome ----

  async load(): Promise<void> {
    await this.guard(async () => {
      this.view = await this.backend.view();
      this.set({ interviews: await this.backend.interviews() });
    });
  }

  async choose(interview: InterviewCard): Promise<void> {
    await this.guard(async () => {
      const notice = await this.backend.notice();
      this.set({ interview, notice, screen: "consent" });
    });
  }

  async enterCode(code: string): Promise<void> {
    const card = await this.guard(() => this.backend.find(code));
    if (card) await this.choose(card);
  }

  // ---- Consent ----

  async consent(accepted: boolean): Promise<void> {
    const interview = this.state.interview;
    if (!interview) return;
    await this.guard(async () => {
      await this.backend.consent(interview.id, accepted);
      this.set({ screen: accepted ? "register" : "declined" });
    });
  }

  // ---- Registration ----

  async register(form: RegistrationForm): Promise<boolean> {
    const registered = await this.guard(() => this.backend.register(form));
    if (!registered) return false;
    this.set({ registered, screen: "mic" });
    return true;
  }

  // ---- Microphone check ----

  private onEvent = (e: KioskEvent): void => {
    if (e.kind === "level") this.set({ level: e.dbfs });
    else if (e.kind === "partial") this.set({ partial: e.text });
    else if (e.kind === "microphone_lost") this.set({ error: { code: "no_microphone", message: e.reason, field: null } });
  };

  async micStart(): Promise<void> {
    await this.guard(async () => {
      this.set({ micCheck: null });
      const device = await this.backend.micCheckStart(this.onEvent);
      this.set({ micDevice: device });
    });
  }

  async micStop(): Promise<MicCheck | undefined> {
    const check = await this.guard(() => this.backend.micCheckStop());
    if (check) this.set({ micCheck: check });
    return check;
  }

  /** The candidate heard their recording and goes on (or chose typed answers). */
  async begin(mode: AnswerMode): Promise<void> {
    this.set({ mode, phase: "thinking", screen: "interview" });
    const q = await this.guard(() => this.backend.begin());
    if (q) this.set({ question: q, phase: "speaking", partial: "" });
    else this.set({ screen: "mic", phase: null });
  }

  // ---- Interview ----

  /** The avatar's audio began: the end of a submit → next question interval. */
  audioStarted(): void {
    if (this.metrics.submitAt !== null) {
      this.metrics.latencies.push(this.now() - this.metrics.submitAt);
      this.metrics.submitAt = null;
    }
  }

  async speechDone(): Promise<void> {
    if (this.state.phase !== "speaking") return;
    // Cleared before the call: live-transcript events can arrive before it returns.
    this.set({ partial: "" });
    const started = await this.guard(() => this.backend.speechFinished(this.state.mode, this.onEvent));
    if (started) this.set({ phase: "answering" });
  }

  async submit(typed: string | null = null): Promise<void> {
    if (this.state.phase !== "answering") return;
    this.metrics.submitAt = this.now();
    this.set({ phase: "thinking" });
    const step = await this.guard(() => this.backend.submit(this.state.mode === "typed" ? (typed ?? "") : null));
    if (!step) {
      this.set({ phase: "answering" });
      return;
    }
    if (step.kind === "question") {
      this.set({ question: step.question, phase: "speaking", partial: "", answered: this.state.answered + 1 });
    } else {
      this.metrics.submitAt = null;
      this.set({ screen: "finish", phase: null, question: null, partial: "", answered: this.state.answered + 1 });
    }
  }

  // ---- Leaving ----

  /** Idle timeout or "start over": an open session is abandoned (answers kept), then wipe. */
  async abandon(): Promise<void> {
    try {
      await this.backend.abandon();
    } catch {
      // Nothing to do: the screen must still be wiped.
    }
    await this.reset();
  }

  /** Forgets the candidate: back to Welcome with nothing of theirs in UI state. */
  async reset(): Promise<void> {
    const interviews = this.state.interviews;
    this.state = { ...initialState(), interviews };
    this.metrics.submitAt = null;
    for (const l of this.listeners) l(this.state);
    try {
      await this.backend.wipe();
      this.set({ interviews: await this.backend.interviews() });
    } catch (e) {
      this.set({ error: asUiError(e) });
    }
  }

  clearError(): void {
    this.set({ error: null });
  }
}

/** Percentiles of the benchmark's latencies. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
