import { describe, expect, it } from "vitest";
import { IdleTimer } from "../src/lib/idle";
import { Countdown, formatSeconds } from "../src/lib/countdown";
import { validateEmail, validateForm, validatePhone, resumeProblem } from "../src/lib/validate";

describe("idle timeout", () => {
  it("expires after the timeout without input and restarts on input", () => {
    let now = 0;
    const idle = new IdleTimer(120_000, { now: () => now });
    now = 119_999;
    expect(idle.expired()).toBe(false);
    idle.touch();
    now = 119_999 + 119_999;
    expect(idle.expired()).toBe(false);
    now += 2;
    expect(idle.expired()).toBe(true);
  });
  it("a zero timeout never expires", () => {
    let now = 0;
    const idle = new IdleTimer(0, { now: () => now });
    now = 1e9;
    expect(idle.expired()).toBe(false);
  });
});

describe("answer countdown", () => {
  it("is paused until started, then counts down to zero", () => {
    let now = 0;
    const c = new Countdown(90_000, () => now);
    now = 50_000; // the avatar was speaking
    expect(c.remainingMs()).toBe(90_000);
    expect(c.expired()).toBe(false);
    c.start();
    now = 140_000;
    expect(c.remainingMs()).toBe(0);
    expect(c.expired()).toBe(true);
    expect(formatSeconds(61.2)).toBe("1:02");
    expect(formatSeconds(-3)).toBe("0:00");
  });
});

describe("registration validation", () => {
  it("matches the Rust rules", () => {
    expect(validateEmail("jane@example.com")).toBeUndefined();
    for (const bad of ["jane", "@example.com", "jane@example", "jane@example.", "ja ne@example.com"]) {
      expect(validateEmail(bad)).toBeDefined();
    }
    expect(validatePhone("")).toBeUndefined();
    expect(validatePhone("+1 (555) 123-4567")).toBeUndefined();
    expect(validatePhone("12")).toBeDefined();
    expect(validatePhone("call me")).toBeDefined();
    expect(validateForm({ name: " ", email: "x", phone: "" })).toEqual({
      name: expect.any(String),
      email: expect.any(String),
    });
    expect(resumeProblem({ name: "cv.pdf", size: 0 })).toBeDefined();
    expect(resumeProblem({ name: "cv.docx", size: 10 })).toBeDefined();
    expect(resumeProblem({ name: "cv.PDF", size: 10 })).toBeUndefined();
  });
});
