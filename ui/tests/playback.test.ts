// The avatar's audio: Web Audio first (it starts faster), the <audio> element when Web
// Audio cannot play, the wall clock when neither can. Node has neither API, so small
// stand-ins record what the player asks of them.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

class FakeSource extends EventTarget {
  buffer: unknown = null;
  started = false;
  stopped = false;
  connect() {}
  start() {
    this.started = true;
  }
  stop() {
    this.stopped = true;
  }
}

function fakeContext(opts: { decode: "ok" | "fail"; state?: AudioContextState }) {
  const sources: FakeSource[] = [];
  class Ctx {
    state: AudioContextState = opts.state ?? "running";
    currentTime = 5;
    destination = {};
    async resume() {}
    async decodeAudioData(bytes: ArrayBuffer) {
      if (opts.decode === "fail") throw new Error("cannot decode");
      return { bytes: bytes.byteLength };
    }
    createBufferSource() {
      const s = new FakeSource();
      sources.push(s);
      return s;
    }
  }
  return { Ctx, sources };
}

class FakeAudio extends EventTarget {
  static made: FakeAudio[] = [];
  paused = true;
  currentTime = 0;
  constructor(readonly src: string) {
    super();
    FakeAudio.made.push(this);
  }
  async play() {
    this.paused = false;
    this.dispatchEvent(new Event("playing"));
  }
  pause() {
    this.paused = true;
  }
}

const WAV = btoa("RIFF....WAVEfmt ");

beforeEach(() => {
  vi.resetModules();
  FakeAudio.made = [];
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("speech playback", () => {
  it("plays through Web Audio: the decoded WAV starts, onStart fires, and done follows its end", async () => {
    const { Ctx, sources } = fakeContext({ decode: "ok" });
    vi.stubGlobal("AudioContext", Ctx);
    vi.stubGlobal("Audio", FakeAudio);
    const { play } = await import("../src/lib/playback");
    const onStart = vi.fn();
    const pb = play(WAV, 1000, onStart);
    await vi.waitFor(() => expect(onStart).toHaveBeenCalledTimes(1));
    expect(sources).toHaveLength(1);
    expect(sources[0]!.started).toBe(true);
    expect(sources[0]!.buffer).toEqual({ bytes: 16 });
    expect(FakeAudio.made).toHaveLength(0);
    expect(pb.positionMs()).toBe(0);
    let finished = false;
    void pb.done.then(() => (finished = true));
    await Promise.resolve();
    expect(finished).toBe(false);
    sources[0]!.dispatchEvent(new Event("ended"));
    await pb.done;
    expect(finished).toBe(true);
  });

  it("falls back to the <audio> element when Web Audio cannot decode, and stop() silences it", async () => {
    const { Ctx } = fakeContext({ decode: "fail" });
    vi.stubGlobal("AudioContext", Ctx);
    vi.stubGlobal("Audio", FakeAudio);
    const { play } = await import("../src/lib/playback");
    const onStart = vi.fn();
    const pb = play(WAV, 1000, onStart);
    await vi.waitFor(() => expect(onStart).toHaveBeenCalledTimes(1));
    expect(FakeAudio.made).toHaveLength(1);
    expect(FakeAudio.made[0]!.src).toBe(`data:audio/wav;base64,${WAV}`);
    pb.stop();
    await pb.done;
    expect(FakeAudio.made[0]!.paused).toBe(true);
  });

  it("uses the element when the context stays suspended (no gesture yet)", async () => {
    const { Ctx, sources } = fakeContext({ decode: "ok", state: "suspended" });
    vi.stubGlobal("AudioContext", Ctx);
    vi.stubGlobal("Audio", FakeAudio);
    const { play } = await import("../src/lib/playback");
    const onStart = vi.fn();
    play(WAV, 1000, onStart);
    await vi.waitFor(() => expect(onStart).toHaveBeenCalledTimes(1), { timeout: 2000 });
    expect(sources).toHaveLength(0);
    expect(FakeAudio.made).toHaveLength(1);
  });

  it("stopping a Web Audio utterance stops its source and ends it once", async () => {
    const { Ctx, sources } = fakeContext({ decode: "ok" });
    vi.stubGlobal("AudioContext", Ctx);
    const { play } = await import("../src/lib/playback");
    const onStart = vi.fn();
    const pb = play(WAV, 1000, onStart);
    await vi.waitFor(() => expect(sources[0]?.started).toBe(true));
    pb.stop();
    await pb.done;
    expect(sources[0]!.stopped).toBe(true);
    sources[0]!.dispatchEvent(new Event("ended")); // harmless after stop
  });

  it("runs the timeline on the wall clock when there is no audio", async () => {
    vi.useFakeTimers();
    const { play } = await import("../src/lib/playback");
    const onStart = vi.fn();
    const pb = play("", 800, onStart);
    expect(onStart).toHaveBeenCalledTimes(1);
    let finished = false;
    void pb.done.then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(900);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(finished).toBe(true);
  });
});
