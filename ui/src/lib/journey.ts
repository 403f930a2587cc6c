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
  SpeechClip,
  UiError,
} from "./bindings";
import { Countdown } from "./countdown";

export type Screen = "welcome" | "consent" | "declined" | "register" | "mic" | "interview" | "finish";

/** Within the interview screen: who has the floor. */
export type Phase = "speaking" | "answering" | "thinking";

/** What ended an answer: "Submit answer", the end-of-turn detector, or the answer timer. */
export type TurnTrigger = "click" | "silence" | "timer";

/**
 * One answered question, for the latency benchmark (milliseconds). `total_ms` runs from
 * the end of the answer to the next question's audio starting; the stages that Rust
 * measured are copied from `Step.stages` (`backend_ms` is its `total_ms`).
 */
export interface TurnMetrics {
  total_ms: number;
  finish_capture_ms: number;
  transcribe_tail_ms: number;
  commit_ms: number;
  decide_ms: number;
  synthesize_ms: number;
  /** Rust's own total for the submit command. */
  backend_ms: number;
  /** The submit call's round trip minus `backend_ms`: IPC and serialisation. */
  ipc_ms: number;
  /** The reply received → the audio actually started. */
  audio_start_ms: number;
  trigger: TurnTrigger;
}

export interface JourneyState {
  screen: Screen;
  /** False until staff have created the kiosk's administrator: no journey starts. */
  setUp: boolean;
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
  /** The question is being repeated: the answer clock stands still. */
  repeating: boolean;
  /** "Finished?" is shown with this many whole seconds left; null when it is not. */
  turnEnding: number | null;
  error: UiError | null;
  busy: boolean;
}

export function initialState(): JourneyState {
  return {
    screen: "welcome",
    setUp: true,
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
    repeating: false,
    turnEnding: null,
    error: null,
    busy: false,
  };
}

/** A submit in flight or answered, waiting for the next question's audio to start. */
interface PendingTurn {
  endedAt: number;
  trigger: TurnTrigger;
  replyAt: number | null;
  stages: Omit<TurnMetrics, "total_ms" | "audio_start_ms" | "trigger"> | null;
}

export class Journey {
  state: JourneyState = initialState();
  view: KioskView | null = null;
  private listeners: Array<(s: JourneyState) => void> = [];
  /**
   * For the benchmark: `latencies` are answer end → next question's audio started, and
   * `turns` break each of them down by stage.
   */
  readonly metrics: { submitAt: number | null; latencies: number[]; turns: TurnMetrics[] } = { submitAt: null, latencies: [], turns: [] };
  private pending: PendingTurn | null = null;
  /** The answer clock (null outside an answer): paused while the question is repeated. */
  private clock: Countdown | null = null;
  /** Identifies the current repeat, so a late "repeat finished" from an older one is ignored. */
  private repeatSeq = 0;
  /** When the "Finished?" countdown reaches zero (the journey's clock). */
  private turnEndsAt: number | null = null;

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
      this.set({ setUp: this.view.set_up, interviews: await this.backend.interviews() });
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
    else if (e.kind === "turn_ending") this.turnEnding(e.seconds_left);
    else if (e.kind === "turn_resumed") this.clearTurnEnding();
    else if (e.kind === "turn_ended") this.turnEnded();
  };

  // ---- End of turn (the Rust side hears the silence; the UI asks and submits) ----

  private turnEnding(secondsLeft: number): void {
    // Rust ignores end of turn while the question is repeated; a late event is stale.
    if (this.state.phase !== "answering" || this.state.repeating) return;
    const left = Math.max(0, secondsLeft);
    this.turnEndsAt = this.now() + left * 1000;
    this.set({ turnEnding: Math.ceil(left) });
  }

  private clearTurnEnding(): void {
    this.turnEndsAt = null;
    if (this.state.turnEnding !== null) this.set({ turnEnding: null });
  }

  /**
   * The grace time passed in silence. Rust does not submit by itself (see
   * crates/kiosk/src/voice.rs: it only sends the event): the UI submits exactly as on
   * a click, so the answer is committed and the next step arrives the same way.
   */
  private turnEnded(): void {
    this.clearTurnEnding();
    if (this.state.phase !== "answering" || this.state.repeating) return;
    void this.submit(null, "silence");
  }

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
    const at = this.now();
    if (this.metrics.submitAt !== null) {
      this.metrics.latencies.push(at - this.metrics.submitAt);
      this.metrics.submitAt = null;
    }
    const p = this.pending;
    if (p && p.replyAt !== null && p.stages) {
      this.metrics.turns.push({ ...p.stages, total_ms: at - p.endedAt, audio_start_ms: at - p.replyAt, trigger: p.trigger });
    }
    this.pending = null;
  }

  async speechDone(): Promise<void> {
    if (this.state.phase !== "speaking") return;
    // Cleared before the call: live-transcript events can arrive before it returns.
    this.set({ partial: "", turnEnding: null, repeating: false });
    this.turnEndsAt = null;
    const started = await this.guard(() => this.backend.speechFinished(this.state.mode, this.onEvent));
    if (started) {
      this.clock = new Countdown(started.allotted_seconds * 1000, this.now);
      this.clock.start();
      this.set({ phase: "answering" });
    }
  }

  /** Milliseconds of answer time left (the whole allotment before the answer starts). */
  answerRemainingMs(): number {
    if (this.clock) return this.clock.remainingMs();
    return (this.state.question?.allotted_seconds ?? 0) * 1000;
  }

  /**
   * Called by the screen a few times a second while answering: counts the "Finished?"
   * prompt down between Rust's events and submits when the answer time is up.
   */
  tick(typed: string | null = null): void {
    if (this.state.phase !== "answering") return;
    if (this.turnEndsAt !== null) {
      const left = Math.max(0, Math.ceil((this.turnEndsAt - this.now()) / 1000));
      if (left !== this.state.turnEnding) this.set({ turnEnding: left });
    }
    if (this.clock?.expired() && !this.state.busy) void this.submit(typed, "timer");
  }

  async submit(typed: string | null = null, trigger: TurnTrigger = "click"): Promise<void> {
    if (this.state.phase !== "answering") return;
    const endedAt = this.now();
    this.metrics.submitAt = endedAt;
    const pending: PendingTurn = { endedAt, trigger, replyAt: null, stages: null };
    this.pending = pending;
    this.clock?.pause();
    this.turnEndsAt = null;
    // Submitting during a repeat: Rust's submit ends the repeat itself (its time is not
    // the answer's), so no `repeatFinished` is sent; the screen stops the repeat's audio.
    this.repeatSeq += 1;
    this.set({ phase: "thinking", repeating: false, turnEnding: null });
    const sentAt = this.now();
    const step = await this.guard(() => this.backend.submit(this.state.mode === "typed" ? (typed ?? "") : null));
    const replyAt = this.now();
    if (!step) {
      this.metrics.submitAt = null;
      this.pending = null;
      this.clock?.resume();
      this.set({ phase: "answering" });
      return;
    }
    this.clock = null;
    if (step.kind === "question") {
      const st = step.stages;
      if (this.pending === pending) {
        pending.replyAt = replyAt;
        pending.stages = {
          finish_capture_ms: st.finish_capture_ms,
          transcribe_tail_ms: st.transcribe_tail_ms,
          commit_ms: st.commit_ms,
          decide_ms: st.decide_ms,
          synthesize_ms: st.synthesize_ms,
          backend_ms: st.total_ms,
          ipc_ms: Math.max(0, replyAt - sentAt - st.total_ms),
        };
      }
      this.set({ question: step.question, phase: "speaking", partial: "", answered: this.state.answered + 1 });
    } else {
      this.metrics.submitAt = null;
      this.pending = null;
      this.set({ screen: "finish", phase: null, question: null, partial: "", answered: this.state.answered + 1 });
    }
  }

  // ---- Repeat the question ----

  /**
   * "Repeat the question": the answer clock stops (here and in Rust) and the question's
   * speech comes back for the screen to play; the screen calls `repeatDone(seq)` when
   * it has been heard, failed or was cut short. Returns null when nothing is to be played
   * (not answering, already repeating, or the answer ended meanwhile).
   */
  async repeat(): Promise<{ clip: SpeechClip; seq: number } | null> {
    if (this.state.phase !== "answering" || this.state.repeating || this.state.busy) return null;
    const seq = ++this.repeatSeq;
    this.clock?.pause();
    this.turnEndsAt = null;
    this.set({ repeating: true, turnEnding: null, error: null });
    let clip: SpeechClip;
    try {
      clip = await this.backend.repeatQuestion();
    } catch (e) {
      if (seq !== this.repeatSeq) return null;
      this.clock?.resume();
      this.set({ repeating: false, error: asUiError(e) });
      return null;
    }
    // A submit (click, timer or end of turn) came first: Rust has ended the repeat.
    if (seq !== this.repeatSeq || this.state.phase !== "answering") return null;
    return { clip, seq };
  }

  /** The repeated question was heard (or could not be played): the answer goes on. */
  async repeatDone(seq: number): Promise<void> {
    if (seq !== this.repeatSeq || !this.state.repeating) return;
    try {
      await this.backend.repeatFinished();
    } catch (e) {
      // The clock must run again whatever happened; Rust re-checks on submit.
      if (seq === this.repeatSeq) this.set({ error: asUiError(e) });
    }
    if (seq !== this.repeatSeq || !this.state.repeating) return;
    this.clock?.resume();
    this.set({ repeating: false });
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
    this.state = { ...initialState(), setUp: this.state.setUp, interviews };
    this.metrics.submitAt = null;
    this.pending = null;
    this.clock = null;
    this.turnEndsAt = null;
    this.repeatSeq += 1;
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
