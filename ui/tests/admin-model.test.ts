import { describe, expect, it } from "vitest";
import {
  blankQuestion,
  chartLayout,
  emptyFilterForm,
  fieldKey,
  fromEdit,
  interviewOptions,
  moved,
  namesMatch,
  recommendationFor,
  screensFor,
  setAsideSummary,
  toEdit,
  toFilter,
  when,
} from "../src/admin/model";
import { accountProblems, adjustProblems, parseDays, passwordProblem, pinProblems, questionProblems, specProblems, splitList } from "../src/admin/validate";
import { isAdminWindow } from "../src/lib/window-role";
import type { InterviewSpecDto, ScoreView } from "../src/lib/admin-types";

describe("which window", () => {
  it("uses the Tauri label when there is one, else #admin", () => {
    expect(isAdminWindow("admin", "")).toBe(true);
    expect(isAdminWindow("main", "#admin")).toBe(false);
    expect(isAdminWindow(null, "#admin")).toBe(true);
    expect(isAdminWindow(null, "")).toBe(false);
    // In the test runner there is no Tauri and no location: the kiosk.
    expect(isAdminWindow()).toBe(false);
  });
});

describe("nav by role", () => {
  it("shows each role only what it may use", () => {
    expect(screensFor("admin")).toEqual(["interviews", "sessions", "candidates", "settings", "users", "audit", "sync"]);
    expect(screensFor("recruiter")).toEqual(["interviews"]);
    expect(screensFor("hr")).toEqual(["sessions", "candidates"]);
  });
});

describe("session filter", () => {
  it("turns empty fields into null and reviewed into a boolean", () => {
    expect(toFilter(emptyFilterForm())).toEqual({ interview_id: null, from: null, to: null, status: null, recommendation: null, reviewed: null });
    expect(toFilter({ interview_id: "iv-1", from: "2026-11-01", to: "2026-11-30", status: "completed", recommendation: "Consider", reviewed: "no" })).toEqual({
      interview_id: "iv-1",
      from: "2026-11-01",
      to: "2026-11-30",
      status: "completed",
      recommendation: "Consider",
      reviewed: false,
    });
    expect(toFilter({ ...emptyFilterForm(), reviewed: "yes", from: "11/01/2026" })).toMatchObject({ reviewed: true, from: null });
  });

  it("learns the interviews to filter by from the rows, keeping ones seen before", () => {
    const opts = interviewOptions(
      [
        { interview_id: "b", job_role: "Backend" },
        { interview_id: "b", job_role: "Backend" },
      ],
      [{ id: "a", job_role: "Analyst" }],
    );
    expect(opts).toEqual([
      { id: "a", job_role: "Analyst" },
      { id: "b", job_role: "Backend" },
    ]);
  });
});

describe("score chart", () => {
  const score = (key: ScoreView["key"], original: number, value = original): ScoreView => ({
    key,
    label: key,
    original,
    value,
    adjustment: value === original ? null : { value, reason: "r", by: "x", at: "t" },
  });

  it("draws bars proportional to the score, one row each", () => {
    const l = chartLayout([score("communication", 50), score("overall", 100)], 500, 150, 20, 10, 50);
    const span = 500 - 150 - 50;
    expect(l.span).toBe(span);
    expect(l.bars[0]!.width).toBeCloseTo(span / 2);
    expect(l.bars[1]!.width).toBeCloseTo(span);
    expect(l.bars[1]!.y - l.bars[0]!.y).toBe(30);
    expect(l.height).toBe(10 + 2 * 30);
    expect(l.bars[0]!.originalWidth).toBeNull();
  });

  it("shows the original behind an adjusted score and clamps to 0–100", () => {
    const l = chartLayout([score("technical", 40, 80), score("overall", 130)], 500, 150, 22, 14, 100);
    const span = 500 - 150 - 100;
    expect(l.bars[0]!.width).toBeCloseTo(span * 0.8);
    expect(l.bars[0]!.originalWidth).toBeCloseTo(span * 0.4);
    expect(l.bars[1]!.width).toBeCloseTo(span);
  });
});

describe("question editing", () => {
  it("moves items within bounds only", () => {
    expect(moved(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moved(["a", "b", "c"], 2, -2)).toEqual(["c", "a", "b"]);
    expect(moved(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moved(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
  });

  it("round-trips a question through the form, cleaning terms and follow-ups", () => {
    const q = { text: "Why?", key_points: [{ label: "Reason", terms: ["because", "so that"] }], follow_ups: ["Example?"], tags: ["t"], source: "bank:1" };
    expect(fromEdit(toEdit(q))).toEqual(q);
    const e = toEdit(q);
    e.text = "  Why not? ";
    e.key_points.push({ label: "", terms: "" }, { label: "Depth", terms: "detail, , Detail, why" });
    e.follow_ups = "One\n\n  Two  \n";
    expect(fromEdit(e)).toEqual({
      text: "Why not?",
      key_points: [
        { label: "Reason", terms: ["because", "so that"] },
        { label: "Depth", terms: ["detail", "why"] },
      ],
      follow_ups: ["One", "Two"],
      tags: ["t"],
      source: "bank:1",
    });
    expect(fromEdit(blankQuestion()).source).toBeNull();
  });
});

describe("admin form validation", () => {
  it("wants passwords of at least 12 characters that match", () => {
    expect(passwordProblem("elevenchars")).toBeDefined();
    expect(passwordProblem("twelve chars")).toBeUndefined();
    expect(accountProblems({ email: "x", full_name: " ", password: "short", confirm: "other" })).toEqual({
      email: expect.any(String),
      full_name: expect.any(String),
      password: expect.any(String),
      confirm: expect.any(String),
    });
    expect(accountProblems({ email: "a@b.co", full_name: "A", password: "long enough pw", confirm: "long enough pw" })).toEqual({});
    expect(accountProblems({ email: "a@b.co", full_name: "A", password: "long enough pw", role: "" })).toHaveProperty("role");
  });

  it("wants a PIN of 6–12 digits typed twice", () => {
    expect(pinProblems("123", "123")).toHaveProperty("pin");
    expect(pinProblems("2468", "2468")).toHaveProperty("pin");
    expect(pinProblems("24681", "24681")).toHaveProperty("pin");
    expect(pinProblems("1234567890123", "1234567890123")).toHaveProperty("pin");
    expect(pinProblems("12a456", "12a456")).toHaveProperty("pin");
    expect(pinProblems("123456", "123457")).toHaveProperty("confirm");
    expect(pinProblems("246810", "246810")).toEqual({});
  });

  it("checks the interview spec by field", () => {
    const spec: InterviewSpecDto = { job_role: "Dev", job_description: "", difficulty: "hard", focus_areas: [], time_limit_minutes: 30, avatar: "ada", num_questions: 5, max_follow_ups_per_preset: 1, language: "en" };
    expect(specProblems(spec)).toEqual({});
    expect(specProblems({ ...spec, language: "de" })).toEqual({});
    expect(specProblems({ ...spec, language: "xx" as InterviewSpecDto["language"] })).toHaveProperty("language");
    expect(Object.keys(specProblems({ ...spec, job_role: "", time_limit_minutes: 0, num_questions: 2.5, max_follow_ups_per_preset: 9 })).sort()).toEqual([
      "job_role",
      "max_follow_ups_per_preset",
      "num_questions",
      "time_limit_minutes",
    ]);
    expect(specProblems({ ...spec, num_questions: null as unknown as number })).toHaveProperty("num_questions");
    expect(questionProblems([{ text: "ok", key_points: [], follow_ups: [], tags: [], source: null }, { text: " ", key_points: [], follow_ups: [], tags: [], source: null }])).toEqual({
      "questions.1": "Question 2 has no text.",
    });
  });

  it("splits comma lists without blanks or duplicates", () => {
    expect(splitList(" ML, rust ,, Rust,ml ")).toEqual(["ML", "rust"]);
    expect(splitList("")).toEqual([]);
  });

  it("reads retention days: empty keeps", () => {
    expect(parseDays("")).toEqual({ value: null });
    expect(parseDays(" 30 ")).toEqual({ value: 30 });
    expect(parseDays("0").problem).toBeDefined();
    expect(parseDays("1.5").problem).toBeDefined();
  });

  it("checks a score adjustment", () => {
    expect(adjustProblems(70, "fair")).toEqual({});
    expect(adjustProblems(-1, "")).toEqual({ value: expect.any(String), reason: expect.any(String) });
    expect(adjustProblems(NaN, "x")).toHaveProperty("value");
  });
});

describe("small helpers", () => {
  it("maps Rust field names to form keys", () => {
    expect(fieldKey("fullName")).toBe("full_name");
    expect(fieldKey("spec.job_role")).toBe("job_role");
    expect(fieldKey(null)).toBeNull();
  });

  it("matches the erase confirmation loosely on case and spacing, not on letters", () => {
    expect(namesMatch("  zoë  ångström ", "Zoë Ångström")).toBe(true);
    expect(namesMatch("Zoe Angstrom", "Zoë Ångström")).toBe(false);
    expect(namesMatch("", "")).toBe(false);
    // A decomposed "ë" (e + combining diaeresis) is the same name.
    expect(namesMatch("Zoe\u0308 Ångström", "Zoë Ångström")).toBe(true);
  });

  it("formats stored times and recommendations", () => {
    expect(when("2026-11-25T14:31:09Z")).toBe("2026-11-25 14:31");
    expect(when(null)).toBe("—");
    expect([85, 70, 55, 10].map(recommendationFor)).toEqual(["Strongly Recommend", "Recommend", "Consider", "Not Recommend"]);
  });
});

describe("set-aside sync items", () => {
  it("say what was set aside, why and when, for a refused change and a revision", () => {
    const pushed = setAsideSummary({
      direction: "push",
      kind: "session_update",
      position: 12,
      subject: "sess-9",
      reason: "403 forbidden: interview was not created by this device",
      at: "2026-12-01T09:30:00+00:00",
    });
    expect(pushed).toEqual({
      what: "Change #12 of this kiosk (session update), about sess-9",
      reason: "403 forbidden: interview was not created by this device",
      at: "2026-12-01 09:30",
    });
    const pulled = setAsideSummary({
      direction: "pull",
      kind: "revision",
      position: 41,
      subject: "iv-1 r3",
      reason: "  ",
      at: "2026-12-01T09:31:00Z",
    });
    expect(pulled.what).toBe("Revision from the server (feed position 41), interview iv-1 r3");
    expect(pulled.reason).toBe("No reason was recorded.");
  });
});
