// Plays the avatar's speech and gives the lip-sync loop its clock. The audio's own
// position is the clock, so the mouth follows what is heard even when playback
// stutters. If the audio cannot play (no output device), a wall clock runs the same
// timeline so the caption, the mouth and the flow of the interview still work.

export interface Playback {
  /** Milliseconds into the utterance, or null before it starts. */
  positionMs(): number | null;
  /** Resolves when the utterance is over (played, or its duration elapsed). */
  done: Promise<void>;
  stop(): void;
}

// Web Audio (decodeAudioData + a buffer source) starts in about 20 ms where an <audio>
// element with a data: URL took over 100 ms in an earlier measurement, so it is tried
// first; the element, and then the wall clock, are the fallbacks.
let sharedContext: AudioContext | null | undefined;

function audioContext(): AudioContext | null {
  if (sharedContext !== undefined) return sharedContext;
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  try {
    sharedContext = Ctor ? new Ctor({ latencyHint: "interactive" }) : null;
  } catch {
    sharedContext = null;
  }
  return sharedContext;
}

/**
 * Called on the candidate's first click or key press: a context created (or resumed)
 * in a user gesture may play later without one, under any autoplay policy.
 */
export function primeAudio(): void {
  const ctx = audioContext();
  if (ctx && ctx.state === "suspended") void ctx.resume().catch(() => {});
}

function base64Bytes(b64: string): ArrayBuffer {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);

export function play(wavBase64: string, durationMs: number, onStart: () => void): Playback {
  let startedAt: number | null = null;
  let audio: HTMLAudioElement | null = null;
  let source: AudioBufferSourceNode | null = null;
  let sourceStart = 0;
  let finish: () => void = () => {};
  let stopped = false;
  const done = new Promise<void>((resolve) => {
    finish = () => {
      if (!stopped) {
        stopped = true;
        resolve();
      }
    };
  });
  let fallbackTimer: ReturnType<typeof setTimeout> | null = null;
  const started = () => {
    startedAt = performance.now();
    onStart();
  };
  const useClock = () => {
    if (startedAt !== null || stopped) return;
    audio = null;
    source = null;
    started();
    fallbackTimer = setTimeout(finish, durationMs + 150);
  };
  const useElement = () => {
    if (startedAt !== null || stopped) return;
    const el = new Audio(`data:audio/wav;base64,${wavBase64}`);
    audio = el;
    el.addEventListener("playing", () => {
      if (startedAt === null && !stopped) started();
    });
    el.addEventListener("ended", finish);
    el.addEventListener("error", useClock);
    el.play().catch(useClock);
  };
  const useWebAudio = async (ctx: AudioContext) => {
    try {
      if (ctx.state !== "running") await within(300, ctx.resume());
      if (ctx.state !== "running") throw new Error(`audio context ${ctx.state}`);
      const buffer = await ctx.decodeAudioData(base64Bytes(wavBase64));
      if (stopped || startedAt !== null) return;
      const node = ctx.createBufferSource();
      node.buffer = buffer;
      node.connect(ctx.destination);
      node.addEventListener("ended", finish);
      sourceStart = ctx.currentTime;
      node.start();
      source = node;
      started();
    } catch {
      useElement();
    }
  };
  if (wavBase64) {
    const ctx = audioContext();
    if (ctx) void useWebAudio(ctx);
    else useElement();
    // A stalled output device must not hold the interview: the timeline's length plus
    // a margin is the most an utterance may take.
    setTimeout(() => {
      if (startedAt === null) useClock();
    }, 1500);
    setTimeout(finish, durationMs + 4000);
  } else {
    useClock();
  }
  return {
    positionMs() {
      if (startedAt === null) return null;
      if (source && sharedContext) return Math.max(0, (sharedContext.currentTime - sourceStart) * 1000);
      const el = audio as HTMLAudioElement | null;
      if (el && !el.paused) return el.currentTime * 1000;
      return performance.now() - startedAt;
    },
    done,
    stop() {
      if (fallbackTimer) clearTimeout(fallbackTimer);
      const el = audio as HTMLAudioElement | null;
      el?.pause();
      const node = source as AudioBufferSourceNode | null;
      try {
        node?.stop();
      } catch {
        // Never started, or already stopped.
      }
      finish();
    },
  };
}

/** Plays a recorded clip (the microphone check) and resolves when it ends. */
export function playClip(wavBase64: string, seconds: number): Promise<void> {
  return new Promise((resolve) => {
    const el = new Audio(`data:audio/wav;base64,${wavBase64}`);
    el.addEventListener("ended", () => resolve());
    el.addEventListener("error", () => resolve());
    el.play().catch(() => resolve());
    // An output device that never reports the end must not hold the screen.
    setTimeout(resolve, seconds * 1000 + 1500);
  });
}
