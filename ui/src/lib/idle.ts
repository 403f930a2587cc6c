// The idle timeout: after a stretch with no input the kiosk returns to Welcome. Input
// is any key, pointer or touch, and speech heard by the microphone during an answer.

export interface IdleClock {
  now(): number;
}

export class IdleTimer {
  private last: number;
  constructor(
    private readonly timeoutMs: number,
    private readonly clock: IdleClock,
  ) {
    this.last = clock.now();
  }

  /** Something happened: the candidate is here. */
  touch(): void {
    this.last = this.clock.now();
  }

  /** Milliseconds left before the timeout. */
  remainingMs(): number {
    return Math.max(0, this.timeoutMs - (this.clock.now() - this.last));
  }

  expired(): boolean {
    return this.timeoutMs > 0 && this.remainingMs() === 0;
  }
}

/** Microphone levels above this count as the candidate being present. */
export const SPEECH_DBFS = -45;
