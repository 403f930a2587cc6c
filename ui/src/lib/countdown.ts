// The answer timer: paused while the avatar speaks (it starts when the answer does) and
// while the question is repeated, counting down while the candidate answers; it reports
// when time is up so the answer is submitted.

export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.ceil(total));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

export class Countdown {
  private startedAt: number | null = null;
  /** When the current pause began, or null when not paused. */
  private pausedAt: number | null = null;
  /** Milliseconds spent in pauses that have ended. */
  private pausedMs = 0;
  constructor(
    readonly allottedMs: number,
    private readonly now: () => number,
  ) {}

  start(): void {
    if (this.startedAt === null) this.startedAt = this.now();
  }

  get running(): boolean {
    return this.startedAt !== null;
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** Stops the clock (the question is being repeated); a second pause is a no-op. */
  pause(): void {
    if (this.startedAt !== null && this.pausedAt === null) this.pausedAt = this.now();
  }

  /** Runs the clock again from where it was paused. */
  resume(): void {
    if (this.pausedAt === null) return;
    this.pausedMs += this.now() - this.pausedAt;
    this.pausedAt = null;
  }

  /** Milliseconds of answer time used so far (pauses not counted). */
  usedMs(): number {
    if (this.startedAt === null) return 0;
    const end = this.pausedAt ?? this.now();
    return Math.max(0, end - this.startedAt - this.pausedMs);
  }

  remainingMs(): number {
    return Math.max(0, this.allottedMs - this.usedMs());
  }

  expired(): boolean {
    return this.running && this.remainingMs() === 0;
  }
}
