// Plays the avatar's speech and gives the lip-sync loop its clock. The audio element's
// own position is the clock, so the mouth follows what is heard even when playback
// stutters. If the audio cannot play (no output device), a wall clock runs the same
// timeline so the caption, the mouth and the flow of the interview still work.

export interface Playback {
  /** Milliseconds into the utterance, or null before it starts. */
  positionMs(): number | null;
  /** Resolves when the utterance is over (played, or its duration elapsed). */
  done: Promise<void>;
  stop(): void;
}

export function play(wavBase64: string, durationMs: number, onStart: () => void): Playback {
  let startedAt: number | null = null;
  let audio: HTMLAudioElement | null = null;
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
  const useClock = () => {
    if (startedAt !== null || stopped) return;
    startedAt = performance.now();
    audio = null;
    onStart();
    fallbackTimer = setTimeout(finish, durationMs + 150);
  };
  if (wavBase64) {
    const el = new Audio(`data:audio/wav;base64,${wavBase64}`);
    audio = el;
    el.addEventListener("playing", () => {
      if (startedAt === null) {
        startedAt = performance.now();
        onStart();
      }
    });
    el.addEventListener("ended", finish);
    el.addEventListener("error", useClock);
    el.play().catch(useClock);
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
      if (audio && !audio.paused) return audio.currentTime * 1000;
      return performance.now() - startedAt;
    },
    done,
    stop() {
      if (fallbackTimer) clearTimeout(fallbackTimer);
      audio?.pause();
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
