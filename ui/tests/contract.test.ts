// The UI ↔ Rust contract: the shared cases in ./contract/cases.json, run here against the
// UI's instant checks and the admin mock's rules; crates/admin/tests/contract.rs runs the
// same cases against the Rust validators, which have the last word. A rule changed on one
// side only fails one of the two.
import { describe, expect, it } from "vitest";
import cases from "./contract/cases.json";
import { validateForm } from "../src/lib/validate";
import { recommendationFor } from "../src/admin/model";
import { answerEndProblems, pinProblems, settingsNumberProblems, type SettingsNumbers } from "../src/admin/validate";
import type { AnswerEndValues } from "../src/admin/validate";

/** `c*N` is the character c repeated N times; anything else is itself. */
function expand(value: string): string {
  const m = /^(.)\*(\d+)$/u.exec(value);
  return m ? m[1]!.repeat(Number(m[2])) : value;
}

describe("UI ↔ Rust contract (ui/tests/contract/cases.json)", () => {
  it("registration: the same field is refused as in crates/kiosk validate_form", () => {
    expect(cases.registration.length).toBeGreaterThanOrEqual(10);
    for (const c of cases.registration) {
      const errors = validateForm({ name: expand(c.name), email: expand(c.email), phone: expand(c.phone) });
      const refused = Object.keys(errors);
      expect(refused, JSON.stringify(c)).toEqual(c.invalid === null ? [] : [c.invalid]);
    }
  });

  it("recommendation: the same label for each overall score as the report", () => {
    for (const [score, label] of cases.recommendation) {
      expect(recommendationFor(score as number), `overall ${score}`).toBe(label);
    }
  });

  it("PIN: the same PINs are accepted as by check_pin", () => {
    for (const [pin, valid] of cases.pin) {
      const problems = pinProblems(pin as string, pin as string);
      expect(problems.pin === undefined, `PIN ${JSON.stringify(pin)}`).toBe(valid);
    }
  });

  it("settings: the same field is refused as by check_settings_form", () => {
    type Form = SettingsNumbers & AnswerEndValues;
    const base = cases.settings_base as unknown as Form;
    const check = (form: Form) => ({ ...settingsNumberProblems(form), ...answerEndProblems(form, true) });
    expect(check(base)).toEqual({});
    for (const c of cases.settings) {
      const form = structuredClone(base) as unknown as Record<string, unknown>;
      const path = c.field.split(".");
      let slot = form;
      for (const key of path.slice(0, -1)) slot = slot[key] as Record<string, unknown>;
      slot[path[path.length - 1]!] = c.value;
      const refused = Object.keys(check(form as unknown as Form));
      // The UI keys retention fields without their `retention.` prefix (fieldKey does the same to Rust's).
      const expected = c.invalid ? [c.field.replace(/^retention\./, "")] : [];
      expect(refused, JSON.stringify(c)).toEqual(expected);
    }
  });
});
