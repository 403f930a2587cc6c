import { describe, expect, it } from "vitest";
import type { VisemeCue } from "../src/lib/bindings";
import { OPENNESS, TWEEN_MS, schedule, shapeAt, toShape } from "../src/lib/visemes";

// Shapes are typed, but a timeline is still checked at run time: a test may pass any text.
const cue = (start_ms: number, shape: string) => ({ start_ms, shape }) as VisemeCue;

describe("viseme scheduling", () => {
  it("finds the shape in force at each moment", () => {
    const cues = schedule([cue(0, "X"), cue(100, "B"), cue(250, "C"), cue(400, "X")], 500);
    expect(shapeAt(cues, -5)).toBe("X");
    expect(shapeAt(cues, 0)).toBe("X");
    expect(shapeAt(cues, 99)).toBe("X");
    expect(shapeAt(cues, 100)).toBe("B");
    expect(shapeAt(cues, 249)).toBe("B");
    expect(shapeAt(cues, 250)).toBe("C");
    expect(shapeAt(cues, 10_000)).toBe("X");
  });

  it("passes through C on a jump from wide open to closed", () => {
    const cues = schedule([cue(0, "D"), cue(300, "A")], 600);
    expect(cues.map((c) => c.shape)).toEqual(["D", "C", "A", "X"]);
    expect(cues[1]!.startMs).toBe(300 - TWEEN_MS);
    expect(shapeAt(cues, 300 - TWEEN_MS + 1)).toBe("C");
    expect(Math.abs(OPENNESS.D - OPENNESS.A)).toBeGreaterThanOrEqual(3);
  });

  it("never shows a shape for less than a frame", () => {
    const cues = schedule([cue(0, "X"), cue(100, "B"), cue(105, "E"), cue(300, "X")], 400);
    // B lasted 5 ms: E replaces it at B's start.
    expect(cues.map((c) => c.shape)).toEqual(["X", "E", "X"]);
    for (let i = 1; i < cues.length; i++) {
      expect(cues[i]!.startMs - cues[i - 1]!.startMs).toBeGreaterThanOrEqual(1000 / 60 - 0.001);
    }
  });

  it("sorts, starts at rest, ends at rest, and drops cues past the end", () => {
    const cues = schedule([cue(200, "C"), cue(50, "B"), cue(900, "D")], 500);
    expect(cues[0]).toEqual({ startMs: 0, shape: "X" });
    expect(cues.map((c) => c.shape)).toEqual(["X", "B", "C", "X"]);
    expect(cues[cues.length - 1]!.startMs).toBe(500);
  });

  it("treats unknown shapes as rest and repeated shapes as one", () => {
    expect(toShape("Q")).toBe("X");
    const cues = schedule([cue(0, "B"), cue(100, "B"), cue(200, "?")], 300);
    expect(cues.map((c) => c.shape)).toEqual(["B", "X"]);
  });

  it("keeps a real espeak-like timeline in order and in range", () => {
    const raw = [cue(0, "X"), cue(80, "B"), cue(160, "C"), cue(260, "D"), cue(420, "A"), cue(470, "E"), cue(610, "F"), cue(700, "X")];
    const cues = schedule(raw, 760);
    for (let i = 1; i < cues.length; i++) expect(cues[i]!.startMs).toBeGreaterThan(cues[i - 1]!.startMs);
    expect(cues.every((c) => c.startMs >= 0 && c.startMs <= 760)).toBe(true);
    // Sampled at 60 fps, the mouth follows the timeline.
    const seen = new Set<string>();
    for (let t = 0; t <= 760; t += 1000 / 60) seen.add(shapeAt(cues, t));
    for (const s of ["B", "C", "D", "A", "E", "F"]) expect(seen.has(s)).toBe(true);
  });
});
