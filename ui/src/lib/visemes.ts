// Viseme scheduling: which mouth shape to draw at a moment of the avatar's speech.
// The speech engine gives a timeline of Rhubarb shapes (A–H, X for rest) with start
// times; this module turns it into frames, adds in-between shapes on large jumps
// (avatar.md: "D → A passes through C") and never shows a shape for less than a frame.

import type { MouthShape, VisemeCue } from "./bindings";

/** The shapes the avatar draws: Rust's `MouthShape`, generated into the bindings. */
export type Shape = MouthShape;

/** Every shape, as a value: the compiler checks it against the generated type. */
const ALL_SHAPES: Record<Shape, true> = { A: true, B: true, C: true, D: true, E: true, F: true, G: true, H: true, X: true };
const SHAPES: ReadonlySet<string> = new Set(Object.keys(ALL_SHAPES));

export function toShape(s: string): Shape {
  return (SHAPES.has(s) ? s : "X") as Shape;
}

/** How open each shape is, 0 (closed) to 4 (wide open), for in-betweens and the jaw. */
export const OPENNESS: Record<Shape, number> = { A: 0, X: 0.3, G: 1, B: 1, F: 1.5, H: 2, E: 2, C: 3, D: 4 };

/** The duration of an in-between shape inserted on a large jump. */
export const TWEEN_MS = 40;

export interface Cue {
  startMs: number;
  shape: Shape;
}

/**
 * Normalises a timeline: sorted, shapes checked, in-betweens inserted where the mouth
 * would jump by two or more openness steps, and cues shorter than `minMs` merged into
 * their neighbour so that nothing flickers for less than one frame.
 */
export function schedule(cues: readonly VisemeCue[], durationMs: number, minMs = 1000 / 60): Cue[] {
  const sorted = [...cues]
    .map((c) => ({ startMs: Math.max(0, c.start_ms), shape: toShape(c.shape) }))
    .filter((c) => c.startMs <= durationMs)
    .sort((a, b) => a.startMs - b.startMs);
  const out: Cue[] = [];
  for (const cue of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.shape === cue.shape) continue;
    if (prev && cue.startMs - prev.startMs < minMs) {
      // Too short to be seen: the later shape replaces it.
      out[out.length - 1] = { startMs: prev.startMs, shape: cue.shape };
      continue;
    }
    if (prev && Math.abs(OPENNESS[prev.shape] - OPENNESS[cue.shape]) >= 3 && cue.startMs - prev.startMs > 2 * TWEEN_MS) {
      out.push({ startMs: cue.startMs - TWEEN_MS, shape: "C" });
    }
    out.push(cue);
  }
  if (out.length === 0 || out[0]!.startMs > 0) out.unshift({ startMs: 0, shape: "X" });
  const last = out[out.length - 1]!;
  if (last.shape !== "X") out.push({ startMs: Math.max(last.startMs + minMs, durationMs), shape: "X" });
  // Merging can leave neighbours with the same shape: keep the first of each run.
  return out.filter((c, i) => i === 0 || out[i - 1]!.shape !== c.shape);
}

/** The shape at `tMs` (binary search; cues sorted by start). Before 0 and after the end: rest. */
export function shapeAt(cues: readonly Cue[], tMs: number): Shape {
  if (cues.length === 0 || tMs < 0) return "X";
  let lo = 0;
  let hi = cues.length - 1;
  if (tMs < cues[0]!.startMs) return "X";
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cues[mid]!.startMs <= tMs) lo = mid;
    else hi = mid - 1;
  }
  return cues[lo]!.shape;
}
