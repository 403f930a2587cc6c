// Inline validation of the registration form. The same rules run again in Rust
// (crates/kiosk validate_form), which has the last word; these give instant feedback.
// The limits come from Rust (rules.ts is generated); ui/tests/contract.test.ts runs the
// cases crates/admin/tests/contract.rs runs against Rust.

import { RULES } from "./rules";

const NAME_MAX = RULES.candidate.name_max_chars;
const [PHONE_MIN, PHONE_MAX] = RULES.candidate.phone_digits;
const RESUME_MAX_MB = RULES.candidate.resume_max_bytes / (1024 * 1024);

export interface FormValues {
  name: string;
  email: string;
  phone: string;
}

export type FieldErrors = Partial<Record<keyof FormValues, string>>;

export function validateName(name: string): string | undefined {
  const n = name.trim();
  if (n.length === 0) return "Please enter your name.";
  if ([...n].length > NAME_MAX) return `The name is too long (${NAME_MAX} characters at most).`;
  return undefined;
}

export function validateEmail(email: string): string | undefined {
  const e = email.trim();
  const at = e.indexOf("@");
  const user = at > 0 ? e.slice(0, at) : "";
  const host = at > 0 ? e.slice(at + 1) : "";
  const ok = user.length > 0 && host.includes(".") && !host.endsWith(".") && !host.startsWith(".") && !host.includes("@") && !/\s/.test(e);
  return ok ? undefined : "Please enter an email address like name@example.com.";
}

export function validatePhone(phone: string): string | undefined {
  const p = phone.trim();
  if (p.length === 0) return undefined; // optional
  const digits = (p.match(/\d/g) ?? []).length;
  if (!/^[0-9 +\-().]+$/.test(p) || digits < PHONE_MIN || digits > PHONE_MAX) {
    return `Please enter a phone number of ${PHONE_MIN}–${PHONE_MAX} digits (+ - ( ) and spaces allowed).`;
  }
  return undefined;
}

export function validateForm(v: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  const name = validateName(v.name);
  const email = validateEmail(v.email);
  const phone = validatePhone(v.phone);
  if (name) errors.name = name;
  if (email) errors.email = email;
  if (phone) errors.phone = phone;
  return errors;
}

/** Résumé files the kiosk accepts before sending them to Rust (which sniffs the bytes). */
export function resumeProblem(file: { name: string; size: number }): string | undefined {
  if (file.size === 0) return "That file is empty.";
  if (file.size > RULES.candidate.resume_max_bytes) return `That file is larger than ${RESUME_MAX_MB} MB.`;
  if (!/\.(pdf|txt)$/i.test(file.name)) return "Please choose a PDF (or plain text) résumé.";
  return undefined;
}
