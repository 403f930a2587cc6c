import { describe, expect, it } from "vitest";
import { answerEndForm, answerEndProblems, parseSeconds } from "../src/admin/validate";

describe("how an answer ends (admin settings)", () => {
  it("reads seconds as typed, with a decimal point or comma", () => {
    expect(parseSeconds("3")).toBe(3);
    expect(parseSeconds(" 2.5 ")).toBe(2.5);
    expect(parseSeconds("2,5")).toBe(2.5);
    expect(parseSeconds("")).toBeNaN();
    expect(parseSeconds("abc")).toBeNaN();
    expect(parseSeconds("-2")).toBeNaN();
    expect(parseSeconds("1e1")).toBeNaN();
  });

  it("accepts the ranges' ends and refuses what lies outside, with the range in the message", () => {
    const ok = { answer_end: "after_silence" as const, end_silence_seconds: 1.5, end_grace_seconds: 1 };
    expect(answerEndProblems(ok)).toEqual({});
    expect(answerEndProblems({ ...ok, end_silence_seconds: 10, end_grace_seconds: 10 })).toEqual({});
    const p = answerEndProblems({ ...ok, end_silence_seconds: 1.4, end_grace_seconds: 10.5 });
    expect(p.end_silence_seconds).toBe('The silence before "Finished?" is 1.5 to 10 seconds.');
    expect(p.end_grace_seconds).toBe('The wait after "Finished?" is 1 to 10 seconds.');
    expect(answerEndProblems({ ...ok, end_silence_seconds: NaN }).end_silence_seconds).toBeDefined();
    expect(answerEndProblems({ ...ok, answer_end: "never" as never }).answer_end).toBe("Please choose how an answer ends.");
  });

  it("checks the times in the form only when silence ends answers; Rust (and the mock) always", () => {
    const v = { answer_end: "submit_only" as const, end_silence_seconds: 0, end_grace_seconds: 99 };
    expect(answerEndProblems(v)).toEqual({});
    expect(Object.keys(answerEndProblems(v, true)).sort()).toEqual(["end_grace_seconds", "end_silence_seconds"]);
  });

  it("builds the form values: typed values with after-silence, the saved ones for disabled bad fields", () => {
    const saved = { end_silence_seconds: 4, end_grace_seconds: 2 };
    expect(answerEndForm("after_silence", "2,5", "6", saved)).toEqual({
      values: { answer_end: "after_silence", end_silence_seconds: 2.5, end_grace_seconds: 6 },
      problems: {},
    });
    const bad = answerEndForm("after_silence", "abc", "0.5", saved);
    expect(Object.keys(bad.problems).sort()).toEqual(["end_grace_seconds", "end_silence_seconds"]);
    // Submit only: the disabled fields cannot be fixed, so bad text never blocks the save.
    expect(answerEndForm("submit_only", "abc", "7", saved)).toEqual({
      values: { answer_end: "submit_only", end_silence_seconds: 4, end_grace_seconds: 7 },
      problems: {},
    });
  });
});
