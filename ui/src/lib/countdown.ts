// The answer timer: paused while the avatar speaks, counting down while the candidate
// answers; it reports when time is up so the answer is submitted.

export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.ceil(total));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

export class Countdown {
  private startedAt: number | null = null;
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

  remainingMs(): number {
    if (this.startedAt === null) return this.allottedMs;
    return Math.max(0, this.allottedMs - (this.now() - this.startedAt));
  }

  expired(): boolean {
    return this.running && this.remainingMs() === 0;
  }
}
