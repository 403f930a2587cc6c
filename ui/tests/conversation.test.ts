// Issue 15 in the UI: repeating the question, the "Finished?" prompt from the end-of-turn
// events, the answer clock that a repeat does not consume, and the per-turn metrics.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockBackend, silenceScript } from "../src/lib/backend-mock";
import { Countdown } from "../src/lib/countdown";
import { Journey } from "../src/lib/journey";
import type { Backend } from "../src/lib/backend";
import type { TurnStages } from "../src/lib/bindings";

/** A clock the test moves by hand. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

async function answering(j: Journey, mode: "voice" | "typed" = "voice") {
  await j.load();
  await j.choose(j.state.interviews[0]!);
  await j.consent(true);
  await j.register({ name: "Zoë Ångström", email: "zoe@example.com", phone: null, resume: null });
  await j.begin(mode);
  j.audioStarted();
  await j.speechDone();
  expect(j.state.phase).toBe("answering");
}

const count = (calls: { cmd: string }[], cmd: string) => calls.filter((c) => c.cmd === cmd).length;

afterEach(() => {
  vi.useRealTimers();
});

describe("the answer clock", () => {
  it("stands still while paused and runs on from where it stopped", () => {
    const c = clock();
    const cd = new Countdown(90_000, c.now);
    expect(cd.remainingMs()).toBe(90_000);
    cd.pause(); // not started: nothing to pause
    cd.start();
    c.advance(10_000);
    cd.pause();
    cd.pause(); // twice is once
    c.advance(25_000);
    expect(cd.paused).toBe(true);
    expect(cd.remainingMs()).toBe(80_000);
    cd.resume();
    c.advance(5_000);
    expect(cd.usedMs()).toBe(15_000);
    expect(cd.remainingMs()).toBe(75_000);
    c.advance(100_000);
    expect(cd.expired()).toBe(true);
    expect(cd.remainingMs()).toBe(0);
  });
});

describe("repeat the question", () => {
  it("is repeating while the clip plays, pauses the answer time, and resumes after repeatFinished resolves", async () => {
    const c = clock();
    const mock = mockBackend();
    // Rust's "repeat finished" can be held back, to see the state before it returns.
    let gate: Promise<void> | null = null;
    const backend: Backend = { ...mock.backend, repeatFinished: async () => { if (gate) await gate; await mock.backend.repeatFinished(); } };
    const j = new Journey(backend, c.now);
    await answering(j);
    expect(j.answerRemainingMs()).toBe(90_000);
    c.advance(10_000);
    const r = await j.repeat();
    expect(r?.clip.duration_ms).toBe(1200);
    expect(r?.clip.visemes.length).toBeGreaterThan(0);
    expect(j.state.repeating).toBe(true);
    expect(mock.repeating()).toBe(true);
    // A second request while it plays is ignored.
    expect(await j.repeat()).toBeNull();
    expect(mock.repeats()).toBe(1);
    // Thirty seconds of repeating use none of the answer time.
    c.advance(30_000);
    expect(j.answerRemainingMs()).toBe(80_000);
    // The timer cannot end the answer during a repeat.
    j.tick();
    expect(j.state.phase).toBe("answering");

    // repeating stays true until Rust has been told the repeat is over.
    let release: () => void = () => {};
    gate = new Promise<void>((r) => (release = r));
    const done = j.repeatDone(r!.seq);
    await Promise.resolve();
    expect(j.state.repeating).toBe(true);
    expect(mock.repeating()).toBe(true);
    release();
    await done;
    gate = null;
    expect(j.state.repeating).toBe(false);
    expect(mock.repeating()).toBe(false);
    expect(count(mock.calls, "repeatFinished")).toBe(1);
    c.advance(5_000);
    expect(j.answerRemainingMs()).toBe(75_000);
    // Played again later: one more repeat, and a stale "done" of the first is ignored.
    const r2 = await j.repeat();
    await j.repeatDone(r!.seq);
    expect(j.state.repeating).toBe(true);
    await j.repeatDone(r2!.seq);
    expect(j.state.repeating).toBe(false);
    expect(count(mock.calls, "repeatFinished")).toBe(2);
  });

  it("is refused outside an answer", async () => {
    const mock = mockBackend();
    const j = new Journey(mock.backend);
    await j.load();
    await j.choose(j.state.interviews[0]!);
    await j.consent(true);
    await j.register({ name: "Jane Doe", email: "jane@example.com", phone: null, resume: null });
    await j.begin("voice"); // the avatar is still speaking
    expect(await j.repeat()).toBeNull();
    expect(j.state.repeating).toBe(false);
    expect(count(mock.calls, "repeatQuestion")).toBe(0);
  });

  it("submitting during a repeat ends it through submit alone, and the late end of its audio sends nothing", async () => {
    const mock = mockBackend();
    const j = new Journey(mock.backend);
    await answering(j);
    const r = await j.repeat();
    expect(j.state.repeating).toBe(true);
    await j.submit();
    expect(j.state.repeating).toBe(false);
    expect(j.state.phase).toBe("speaking");
    expect(mock.saved).toEqual(["spoken answer"]);
    expect(mock.repeating()).toBe(false);
    // The screen stops the audio; its end arrives after the submit.
    await j.repeatDone(r!.seq);
    expect(count(mock.calls, "repeatFinished")).toBe(0);
    const order = mock.calls.map((c) => c.cmd);
    expect(order.lastIndexOf("repeatQuestion")).toBeLessThan(order.lastIndexOf("submit"));
  });

  it("drops the clip when the answer ended while the repeat was being fetched", async () => {
    const mock = mockBackend();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const backend: Backend = { ...mock.backend, repeatQuestion: async () => { await gate; return mock.backend.repeatQuestion(); } };
    const j = new Journey(backend);
    await answering(j);
    const pending = j.repeat();
    const submitted = j.submit();
    release();
    await submitted;
    expect(await pending).toBeNull();
    expect(j.state.repeating).toBe(false);
  });

  it("shows the error and runs the clock again when the repeat fails", async () => {
    const c = clock();
    const mock = mockBackend();
    const backend: Backend = { ...mock.backend, repeatQuestion: async () => { throw { code: "internal", message: "speech failed", field: null }; } };
    const j = new Journey(backend, c.now);
    await answering(j);
    expect(await j.repeat()).toBeNull();
    expect(j.state.repeating).toBe(false);
    expect(j.state.error?.message).toBe("speech failed");
    c.advance(1_000);
    expect(j.answerRemainingMs()).toBe(89_000);
  });
});

describe("end of turn", () => {
  it("shows Finished? with a countdown of whole seconds, withdrawn when the candidate speaks again", async () => {
    const c = clock();
    const mock = mockBackend({ answerEnd: "after_silence" });
    const j = new Journey(mock.backend, c.now);
    await answering(j);
    expect(j.state.turnEnding).toBeNull();
    mock.emit({ kind: "turn_ending", seconds_left: 2.6 });
    expect(j.state.turnEnding).toBe(3);
    c.advance(700);
    j.tick();
    expect(j.state.turnEnding).toBe(2);
    c.advance(1_000);
    j.tick();
    expect(j.state.turnEnding).toBe(1);
    mock.emit({ kind: "turn_resumed" });
    expect(j.state.turnEnding).toBeNull();
    c.advance(1_000);
    j.tick();
    expect(j.state.turnEnding).toBeNull();
    expect(j.state.phase).toBe("answering");
    // A later "Finished?" replaces the count; the countdown never goes below zero.
    mock.emit({ kind: "turn_ending", seconds_left: 3 });
    expect(j.state.turnEnding).toBe(3);
    c.advance(5_000);
    j.tick();
    expect(j.state.turnEnding).toBe(0);
    expect(count(mock.calls, "submit")).toBe(0); // only Rust ends the turn
  });

  it("submits on turn_ended exactly as a click does, once", async () => {
    const c = clock();
    const mock = mockBackend({ answerEnd: "after_silence" });
    const j = new Journey(mock.backend, c.now);
    await answering(j);
    mock.emit({ kind: "turn_ending", seconds_left: 3 });
    c.set(10_000);
    mock.emit({ kind: "turn_ended" });
    expect(j.state.turnEnding).toBeNull();
    expect(j.state.phase).toBe("thinking");
    mock.emit({ kind: "turn_ended" }); // a duplicate is ignored
    await vi.waitFor(() => expect(j.state.phase).toBe("speaking"));
    expect(count(mock.calls, "submit")).toBe(1);
    expect(mock.calls.find((x) => x.cmd === "submit")?.args).toBeNull(); // a voice answer
    expect(j.state.question?.number).toBe(2);
    expect(j.state.answered).toBe(1);
    c.set(10_900);
    j.audioStarted();
    expect(j.metrics.turns.at(-1)?.trigger).toBe("silence");
    expect(j.metrics.turns.at(-1)?.total_ms).toBe(900);
  });

  it("runs from the scripted mock: Finished?, then the answer ends by itself", async () => {
    vi.useFakeTimers();
    const mock = mockBackend({ answerEnd: "after_silence", turnScript: silenceScript(3, 3, 1500) });
    const j = new Journey(mock.backend, () => Date.now());
    await answering(j);
    await vi.advanceTimersByTimeAsync(4_600);
    expect(j.state.turnEnding).toBe(3);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(j.state.turnEnding).toBeNull();
    expect(j.state.phase).toBe("speaking");
    expect(mock.saved).toHaveLength(1);
    expect((await mock.backend.view()).answer_end).toBe("after_silence");
  });

  it("a repeat withdraws Finished? and a stale turn event during the repeat is ignored", async () => {
    const mock = mockBackend({ answerEnd: "after_silence" });
    const j = new Journey(mock.backend);
    await answering(j);
    mock.emit({ kind: "turn_ending", seconds_left: 3 });
    expect(j.state.turnEnding).toBe(3);
    const r = await j.repeat();
    expect(j.state.turnEnding).toBeNull();
    mock.emit({ kind: "turn_ending", seconds_left: 3 });
    mock.emit({ kind: "turn_ended" });
    expect(j.state.turnEnding).toBeNull();
    expect(j.state.phase).toBe("answering");
    expect(count(mock.calls, "submit")).toBe(0);
    await j.repeatDone(r!.seq);
    expect(j.state.repeating).toBe(false);
  });

  it("a new question starts without the prompt", async () => {
    const mock = mockBackend({ answerEnd: "after_silence" });
    const j = new Journey(mock.backend);
    await answering(j);
    mock.emit({ kind: "turn_ending", seconds_left: 3 });
    await j.submit();
    expect(j.state.turnEnding).toBeNull();
    await j.speechDone();
    expect(j.state.turnEnding).toBeNull();
  });
});

describe("turn metrics", () => {
  it("records each answer's stages, IPC and audio start, with what ended it", async () => {
    const c = clock();
    const stages: TurnStages = { finish_capture_ms: 11, transcribe_tail_ms: 240, commit_ms: 6, decide_ms: 3, synthesize_ms: 120, total_ms: 390 };
    const mock = mockBackend({ questions: ["Q1", "Q2", "Q3", "Q4"], stages });
    // The submit call takes 430 ms on the journey's clock: 40 ms more than Rust's own total.
    const backend: Backend = { ...mock.backend, submit: async (t) => { c.advance(430); return mock.backend.submit(t); } };
    const j = new Journey(backend, c.now);
    await answering(j);
    c.set(1_000);
    await j.submit(); // click: ends at 1000, reply at 1430
    c.set(1_455);
    j.audioStarted();
    expect(j.metrics.turns).toEqual([
      { finish_capture_ms: 11, transcribe_tail_ms: 240, commit_ms: 6, decide_ms: 3, synthesize_ms: 120, backend_ms: 390, ipc_ms: 40, audio_start_ms: 25, total_ms: 455, trigger: "click" },
    ]);
    expect(j.metrics.latencies).toEqual([455]);

    // The answer time runs out: the timer's submit.
    await j.speechDone();
    c.advance(90_000);
    j.tick();
    await vi.waitFor(() => expect(j.state.phase).toBe("speaking"));
    c.advance(30);
    j.audioStarted();
    expect(j.metrics.turns[1]).toMatchObject({ trigger: "timer", total_ms: 460, audio_start_ms: 30, backend_ms: 390, ipc_ms: 40 });

    // The question's own audio (no answer before it) adds nothing.
    j.audioStarted();
    expect(j.metrics.turns).toHaveLength(2);
  });

  it("records no turn for the last answer (no next question) and none after a failed submit", async () => {
    const mock = mockBackend({ questions: ["Q1"] });
    let fail = true;
    const backend: Backend = { ...mock.backend, submit: async (t) => { if (fail) { fail = false; throw { code: "internal", message: "disk full", field: null }; } return mock.backend.submit(t); } };
    const j = new Journey(backend);
    await answering(j);
    await j.submit();
    expect(j.state.phase).toBe("answering");
    expect(j.state.error?.message).toBe("disk full");
    await j.submit();
    expect(j.state.screen).toBe("finish");
    j.audioStarted();
    expect(j.metrics.turns).toEqual([]);
    expect(j.metrics.latencies).toEqual([]);
  });
});

describe("the mock in a plain browser", () => {
  it("is configured from the page address", async () => {
    const { mockOptions } = await import("../src/lib/backend-mock");
    expect(mockOptions(new URLSearchParams(""))).toEqual({});
    const o = mockOptions(new URLSearchParams("answer_end=after_silence&speech_ms=4000"));
    expect(o.answerEnd).toBe("after_silence");
    expect(o.turnScript?.map((e) => e.event.kind)).toEqual(["turn_ending", "turn_ended"]);
    expect(o.speechMs).toBe(4000);
    expect(mockOptions(new URLSearchParams("answer_end=after_silence&turns=manual")).turnScript).toBeUndefined();
    const m = mockBackend(o);
    expect((await m.backend.view()).answer_end).toBe("after_silence");
  });
});
