// Pure helpers behind the admin screens: which screens a role sees, the session filter
// form turned into command arguments, the score chart's geometry and small list edits.

import type {
  Recommendation,
  Role,
  ScoreView,
  SessionFilter,
  SessionStatus,
  SetAsideItem,
  QuestionDto,
} from "../lib/admin-types";
import { splitList } from "./validate";
import { RULES } from "../lib/rules";

export type AdminScreen = "interviews" | "sessions" | "candidates" | "settings" | "users" | "audit" | "sync";

export const SCREEN_TITLES: Record<AdminScreen, string> = {
  interviews: "Interviews",
  sessions: "Sessions",
  candidates: "Candidates",
  settings: "Settings",
  users: "Users",
  audit: "Audit log",
  sync: "Sync",
};

const ALL: AdminScreen[] = ["interviews", "sessions", "candidates", "settings", "users", "audit", "sync"];

/** The screens a role can use, in nav order. Rust enforces the same split. */
export function screensFor(role: Role): AdminScreen[] {
  switch (role) {
    case "admin":
      return ALL;
    case "recruiter":
      return ["interviews"];
    case "hr":
      return ["sessions", "candidates"];
  }
}

export const ROLE_NAMES: Record<Role, string> = { admin: "Administrator", recruiter: "Recruiter", hr: "HR" };

/** The filter form as typed: empty strings mean "any". */
export interface FilterForm {
  interview_id: string;
  from: string;
  to: string;
  status: SessionStatus | "";
  recommendation: Recommendation | "";
  reviewed: "any" | "yes" | "no";
}

export function emptyFilterForm(): FilterForm {
  return { interview_id: "", from: "", to: "", status: "", recommendation: "", reviewed: "any" };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The form → admin_sessions' filter. Malformed dates count as "any". */
export function toFilter(f: FilterForm): SessionFilter {
  return {
    interview_id: f.interview_id || null,
    from: DAY.test(f.from) ? f.from : null,
    to: DAY.test(f.to) ? f.to : null,
    status: f.status || null,
    recommendation: f.recommendation || null,
    reviewed: f.reviewed === "any" ? null : f.reviewed === "yes",
  };
}

export interface Bar {
  key: string;
  label: string;
  y: number;
  /** Width of the bar of the score in force. */
  width: number;
  value: number;
  original: number;
  /** Width of the original score's bar, drawn as an outline when adjusted; null otherwise. */
  originalWidth: number | null;
}

export interface ChartLayout {
  width: number;
  /** Width of the 0–100 track. */
  span: number;
  height: number;
  labelWidth: number;
  barHeight: number;
  gap: number;
  bars: Bar[];
}

/** Horizontal bars for 0–100 scores, between a column of labels and a column of values. */
export function chartLayout(scores: ScoreView[], width = 560, labelWidth = 150, barHeight = 22, gap = 14, valueWidth = 100): ChartLayout {
  const span = width - labelWidth - valueWidth;
  const clamp = (n: number) => Math.max(0, Math.min(100, n));
  const bars = scores.map((s, i) => ({
    key: s.key,
    label: s.label,
    y: gap + i * (barHeight + gap),
    width: (clamp(s.value) / 100) * span,
    value: s.value,
    original: s.original,
    originalWidth: s.adjustment ? (clamp(s.original) / 100) * span : null,
  }));
  return { width, span, height: gap + scores.length * (barHeight + gap), labelWidth, barHeight, gap, bars };
}

/** A copy of `list` with item `i` moved by `delta` places; unchanged when it cannot move. */
export function moved<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  const out = [...list];
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return out;
  const [item] = out.splice(i, 1);
  out.splice(j, 0, item as T);
  return out;
}

/** "2026-11-25T14:31:00Z" → "2026-11-25 14:31" (UTC as stored); other text unchanged. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** One set-aside sync item as the Sync screen lists it: what it was, why, and when. */
export function setAsideSummary(item: SetAsideItem): { what: string; reason: string; at: string } {
  const kind = item.kind.replace(/_/g, " ");
  const what =
    item.direction === "pull"
      ? `Revision from the server (feed position ${item.position}), interview ${item.subject}`
      : `Change #${item.position} of this kiosk (${kind}), about ${item.subject}`;
  return { what, reason: item.reason.trim() || "No reason was recorded.", at: when(item.at) };
}

/** The recommendation for an overall score (the rule the report uses: Rust's thresholds, from rules.ts). */
export function recommendationFor(overall: number): Recommendation {
  const from = RULES.recommendation_from;
  if (overall >= from["Strongly Recommend"]) return "Strongly Recommend";
  if (overall >= from.Recommend) return "Recommend";
  if (overall >= from.Consider) return "Consider";
  return "Not Recommend";
}

/** A field name from Rust ("fullName", "full_name", "spec.job_role") → the form's key ("full_name", "job_role"). */
export function fieldKey(field: string | null | undefined): string | null {
  if (!field) return null;
  const last = field.replace(/^(spec|form)\./, "");
  return last.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A question as edited in the form: terms and follow-ups as text. */
export interface QuestionEdit {
  text: string;
  key_points: { label: string; terms: string }[];
  /** One follow-up per line. */
  follow_ups: string;
  tags: string[];
  source: string | null;
}

export function toEdit(q: QuestionDto): QuestionEdit {
  return {
    text: q.text,
    key_points: q.key_points.map((k) => ({ label: k.label, terms: k.terms.join(", ") })),
    follow_ups: q.follow_ups.join("\n"),
    tags: [...q.tags],
    source: q.source,
  };
}

export function fromEdit(e: QuestionEdit): QuestionDto {
  return {
    text: e.text.trim(),
    key_points: e.key_points
      .filter((k) => k.label.trim() !== "" || k.terms.trim() !== "")
      .map((k) => ({ label: k.label.trim(), terms: splitList(k.terms) })),
    follow_ups: e.follow_ups.split("\n").map((l) => l.trim()).filter((l) => l !== ""),
    tags: [...e.tags],
    source: e.source,
  };
}

export function blankQuestion(): QuestionEdit {
  return { text: "", key_points: [{ label: "", terms: "" }], follow_ups: "", tags: [], source: null };
}

/** The interviews seen in session rows, merged with those already known, by job role. */
export function interviewOptions(rows: { interview_id: string; job_role: string }[], known: { id: string; job_role: string }[] = []): { id: string; job_role: string }[] {
  const byId = new Map(known.map((k) => [k.id, k.job_role]));
  for (const r of rows) byId.set(r.interview_id, r.job_role);
  return [...byId].map(([id, job_role]) => ({ id, job_role })).sort((a, b) => a.job_role.localeCompare(b.job_role) || a.id.localeCompare(b.id));
}

/** The erase confirmation: the typed name equals the candidate's, ignoring case, spacing and Unicode form. */
export function namesMatch(typed: string, name: string): boolean {
  const norm = (s: string) => s.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase();
  return norm(typed) !== "" && norm(typed) === norm(name);
}
