// An in-memory admin backend with the contract's rules (admin-types.ts), for UI tests and
// for working on the admin screens without the app: roles are enforced (code "denied"),
// the first administrator can be created only once, failed sign-ins are throttled with a
// growing delay, reports become final when reviewed, score adjustments keep the original,
// erasing a candidate removes their rows, and every action appends a hash-chained audit row.

import type { AdminBackend, AdminError, AdminErrorCode } from "./admin-backend";
import type { MouthShape, SpeechClip, VisemeCue } from "./bindings";
import type {
  Account,
  AnswerView,
  AuditRow,
  CandidateRow,
  ExportFormat,
  InterviewDetail,
  InterviewSpecDto,
  QuestionDto,
  ReportView,
  Role,
  ScoreKey,
  SessionRow,
  SettingsView,
  SyncStatus,
} from "./admin-types";
import { accountProblems, answerEndProblems, pinProblems, questionProblems, settingsNumberProblems, specProblems, adjustProblems, type Problems } from "../admin/validate";
import { recommendationFor } from "../admin/model";
import { LANGUAGES } from "./admin-bindings";

const fail = (code: AdminErrorCode, message: string, field: string | null = null): AdminError => ({ code, message, field });

function invalid(problems: Problems): void {
  const [field, message] = Object.entries(problems)[0] ?? [];
  if (field && message) throw fail("invalid", message, field);
}

/** Free failed attempts before the delay starts; then 1 s, 2 s, 4 s … capped at 5 min. */
export const FREE_FAILURES = 3;
export function throttleDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(300_000, 1000 * 2 ** (failures - FREE_FAILURES));
}

/** Tiny non-cryptographic hash (FNV-1a, 32 bit) for the mock's audit chain. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** A short WAV (a soft tone) as base64, so "Hear it" and audio players have something real. */
export function toneWavBase64(ms: number, hz = 220, rate = 8000): string {
  const n = Math.max(1, Math.round((rate * ms) / 1000));
  const bytes = new Uint8Array(44 + n * 2);
  const v = new DataView(bytes.buffer);
  const str = (o: number, s: string) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  str(0, "RIFF");
  v.setUint32(4, 36 + n * 2, true);
  str(8, "WAVE");
  str(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  str(36, "data");
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.round(3000 * Math.sin((2 * Math.PI * hz * i) / rate)), true);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

type Who = "any" | Role[];

interface StoredAccount extends Account {
  password: string;
}

interface StoredSession {
  row: SessionRow;
  report: ReportView | null;
  /** Answer numbers whose audio is kept. */
  audio: Set<number>;
}

interface StoredAudit extends AuditRow {
  hash: string;
}

export interface AdminMockOptions {
  /** Accounts that exist from the start (none: first run). */
  accounts?: { email: string; full_name: string; role: Role; password: string }[];
  /** Sample interviews, candidates, sessions and reports. */
  sample?: boolean;
  /** The clock (ms since the epoch); tests inject one to step through the login throttle. */
  now?: () => number;
}

const SCORE_LABELS: Record<ScoreKey, string> = {
  communication: "Communication",
  technical: "Technical",
  problem_solving: "Problem solving",
  overall: "Overall",
};

const BANK: { area: string; text: string; points: [string, string[]][] }[] = [
  { area: "testing", text: "How do you decide what to test in a new feature?", points: [["Risk", ["risk", "critical"]], ["Levels", ["unit", "integration"]]] },
  { area: "databases", text: "Tell me about a slow query you made faster.", points: [["Measure first", ["explain", "profile"]], ["Index", ["index"]]] },
  { area: "design", text: "How would you design a URL shortener?", points: [["Storage", ["database", "key-value"]], ["Scale", ["cache", "shard"]]] },
  { area: "teamwork", text: "Describe a disagreement in your team and how it ended.", points: [["Listening", ["listen", "understand"]], ["Outcome", ["agreed", "result"]]] },
  { area: "ml", text: "How do you know a model is not overfitting?", points: [["Validation", ["cross-validation", "holdout"]], ["Regularisation", ["dropout", "l2"]]] },
  { area: "general", text: "Tell me about a project you are proud of.", points: [["Role", ["i", "my"]], ["Impact", ["users", "result"]]] },
  { area: "general", text: "What did you learn from a recent mistake?", points: [["Ownership", ["my fault", "i"]], ["Change", ["now i", "since then"]]] },
];

export function adminMock(opts: AdminMockOptions = {}) {
  const now = opts.now ?? (() => Date.now());
  const iso = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  let ids = 0;
  const nextId = (prefix: string) => `${prefix}-${++ids}`;

  const accounts: StoredAccount[] = (opts.accounts ?? []).map((a) => ({ ...a, id: nextId("acc") }));
  let current: StoredAccount | null = null;
  const failures = new Map<string, { count: number; last: number }>();
  const interviews = new Map<string, InterviewDetail>();
  const candidates = new Map<string, CandidateRow>();
  const sessions = new Map<string, StoredSession>();
  const audit: StoredAudit[] = [];
  let pin: string | null = null;
  /** What the next native save dialog does. */
  const dialog = { cancel: false };
  const settings: SettingsView = {
    brain: {
      mode: "auto",
      providers: [
        { name: "local-ollama", kind: "openai-compatible", model: "llama3.2:3b", key_stored: false },
        { name: "openrouter", kind: "openai-compatible", model: "meta-llama/llama-3.1-8b-instruct", key_stored: true },
      ],
    },
    voice: "en-us",
    rate_wpm: 165,
    voices: ["en-us", "en-gb", "en-gb-scotland"],
    microphone: null,
    microphones: ["USB Microphone", "Built-in Audio", "Silent Line In"],
    idle_timeout_seconds: 120,
    typed_answers_allowed: true,
    answer_end: "submit_only",
    end_silence_seconds: 3,
    end_grace_seconds: 3,
    whisper_model: "base-ct2",
    whisper_models: ["base", "base-ct2", "base-q8_0", "tiny.en", "tiny.en-ct2", "tiny.en-q8_0"],
    pin_set: false,
    admin_idle_seconds: 300,
    data_dir: "/home/kiosk/.local/share/panelist",
    retention: { audio_days: 30, data_days: null },
    upload_audio: false,
  };
  const sync: SyncStatus = {
    enrolled: true,
    server: "https://panelist.example.org",
    pending: 0,
    last_attempt: null,
    last_success: null,
    last_error: null,
    running: false,
    set_aside: [],
  };

  function record(action: string, subject: string, detail: Record<string, unknown> = {}, actor?: string) {
    const prev = audit[audit.length - 1];
    const row: AuditRow = { seq: (prev?.seq ?? 0) + 1, at: iso(), actor: actor ?? current?.email ?? "-", action, subject, detail: JSON.stringify(detail) };
    audit.push({ ...row, hash: fnv((prev?.hash ?? "") + JSON.stringify(row)) });
  }

  function need(who: Who): StoredAccount {
    if (!current) throw fail("unauthenticated", "Please sign in.");
    if (who !== "any" && !who.includes(current.role)) throw fail("denied", `The ${current.role} role may not do this.`);
    return current;
  }

  const pub = (a: StoredAccount): Account => ({ id: a.id, email: a.email, full_name: a.full_name, role: a.role });
  const clone = <T>(x: T): T => structuredClone(x);

  function interviewOf(id: string): InterviewDetail {
    const iv = interviews.get(id);
    if (!iv) throw fail("not_found", "There is no such interview.");
    return iv;
  }

  function sessionOf(id: string): StoredSession & { report: ReportView } {
    const s = sessions.get(id);
    if (!s) throw fail("not_found", "There is no such session.");
    if (!s.report) throw fail("not_found", "This session has no report yet.");
    return s as StoredSession & { report: ReportView };
  }

  function generate(spec: InterviewSpecDto): QuestionDto[] {
    // The offline bank is English only (like Rust's, which names the language).
    if (spec.language !== "en") {
      const name = LANGUAGES.find((l) => l.code === spec.language)?.name ?? spec.language;
      throw fail("invalid", `the offline question bank has no questions in ${name}: write the interview's questions yourself, or choose an LLM brain`, "language");
    }
    const areas = spec.focus_areas.map((a) => a.toLowerCase());
    const ranked = [...BANK].sort((a, b) => Number(areas.includes(b.area)) - Number(areas.includes(a.area)));
    return ranked.slice(0, spec.num_questions).map((b, i) => ({
      text: b.text,
      key_points: b.points.map(([label, terms]) => ({ label, terms: [...terms] })),
      follow_ups: ["Can you give a concrete example?"],
      tags: [b.area, spec.difficulty],
      source: `bank:${b.area}-${i + 1}`,
    }));
  }

  function refreshRow(s: StoredSession) {
    if (!s.report) return;
    const overall = s.report.scores.find((x) => x.key === "overall")?.value ?? 0;
    s.report.recommendation = recommendationFor(overall);
    s.row.overall = overall;
    s.row.recommendation = s.report.recommendation;
    s.row.reviewed = s.report.final;
  }

  function addSession(interviewId: string, candidate: CandidateRow, created: string, base: Record<ScoreKey, number> | null) {
    const iv = interviewOf(interviewId);
    const id = nextId("ses");
    candidate.sessions += 1;
    const answers: AnswerView[] = iv.questions.slice(0, 2).map((q, i) => ({
      number: i + 1,
      label: `Q${i + 1}`,
      question: q.text,
      transcript: "I would start by measuring, then I wrote unit and integration tests for the risky parts.",
      score: base ? base.technical - 5 + i * 7 : 0,
      quality: "Good",
      key_points: q.key_points.map((k) => k.label),
      matched: q.key_points.slice(0, 1).map((k) => k.label),
      missed: q.key_points.slice(1).map((k) => k.label),
      evidence: [`matched: ${q.key_points[0]?.terms[0] ?? "—"}`, "gave a concrete example"],
      improvement: "Say more about how you measured the result.",
      answer_seconds: 62 + i * 10,
      has_audio: i === 0,
    }));
    const report: ReportView | null = base
      ? {
          session_id: id,
          candidate_id: candidate.candidate_id,
          candidate_name: candidate.name,
          candidate_email: candidate.email,
          candidate_phone: "+46 70 123 4567",
          job_role: iv.spec.job_role,
          difficulty: iv.spec.difficulty,
          focus_areas: [...iv.spec.focus_areas],
          status: "completed",
          started_at: created,
          ended_at: created.replace(/T(\d\d)/, (_, h: string) => `T${String((Number(h) + 1) % 24).padStart(2, "0")}`),
          scores: (Object.keys(SCORE_LABELS) as ScoreKey[]).map((key) => ({ key, label: SCORE_LABELS[key], original: base[key], value: base[key], adjustment: null })),
          recommendation: recommendationFor(base.overall),
          summary: "A clear communicator with solid testing habits; less depth on system design.",
          strengths: ["Structured answers", "Concrete examples"],
          areas_for_improvement: ["Quantify results", "Discuss trade-offs"],
          answers,
          review: null,
          final: false,
          brain: "offline-rules v1",
          generated_at: created,
        }
      : null;
    const row: SessionRow = {
      session_id: id,
      interview_id: interviewId,
      job_role: iv.spec.job_role,
      candidate_id: candidate.candidate_id,
      candidate_name: candidate.name,
      candidate_email: candidate.email,
      status: base ? "completed" : "in_progress",
      created_at: created,
      ended_at: report?.ended_at ?? null,
      overall: null,
      recommendation: null,
      reviewed: false,
    };
    const s: StoredSession = { row, report, audio: new Set(answers.filter((a) => a.has_audio).map((a) => a.number)) };
    refreshRow(s);
    sessions.set(id, s);
    return id;
  }

  function addCandidate(name: string, email: string, created: string): CandidateRow {
    const c: CandidateRow = { candidate_id: nextId("cand"), name, email, sessions: 0, created_at: created };
    candidates.set(c.candidate_id, c);
    return c;
  }

  if (opts.sample) {
    const spec: InterviewSpecDto = {
      job_role: "Backend Engineer",
      job_description: "Builds and runs our Rust services.",
      difficulty: "medium",
      focus_areas: ["testing", "databases"],
      time_limit_minutes: 20,
      avatar: "ada",
      num_questions: 3,
      max_follow_ups_per_preset: 1,
      language: "en",
    };
    const iv: InterviewDetail = { id: nextId("iv"), spec, questions: generate(spec), status: "published", revision: 1, kiosk_code: "ABC123", updated_at: "2026-11-20T09:00:00Z" };
    interviews.set(iv.id, iv);
    const spec2: InterviewSpecDto = { ...spec, job_role: "Data Scientist", difficulty: "hard", focus_areas: ["ml"], avatar: "grace" };
    const iv2: InterviewDetail = { id: nextId("iv"), spec: spec2, questions: generate(spec2), status: "draft", revision: 0, kiosk_code: null, updated_at: "2026-11-22T10:30:00Z" };
    interviews.set(iv2.id, iv2);
    const zoe = addCandidate("Zoë Ångström", "zoe@example.com", "2026-11-21T10:00:00Z");
    const john = addCandidate("John Doe", "john@example.com", "2026-11-23T13:00:00Z");
    const ana = addCandidate("Ana Lima", "ana@example.com", "2026-11-24T08:30:00Z");
    addSession(iv.id, zoe, "2026-11-21T10:05:00Z", { communication: 82, technical: 76, problem_solving: 70, overall: 76 });
    addSession(iv.id, john, "2026-11-23T13:05:00Z", { communication: 55, technical: 48, problem_solving: 52, overall: 51 });
    addSession(iv.id, ana, "2026-11-24T08:35:00Z", null);
    sync.pending = 3;
    sync.set_aside = [
      {
        direction: "push",
        kind: "response",
        position: 17,
        subject: "session-1",
        reason: "413 too_large: the request body is larger than the server accepts",
        at: "2026-11-24T09:00:00Z",
      },
    ];
  }

  const backend: AdminBackend = {
    async activity() {},
    async status() {
      return { first_run: accounts.length === 0, account: current ? pub(current) : null, data_dir: settings.data_dir };
    },
    async firstAdmin(email, fullName, password) {
      if (accounts.length > 0) throw fail("conflict", "An administrator already exists: please sign in.");
      invalid(accountProblems({ email, full_name: fullName, password }));
      const a: StoredAccount = { id: nextId("acc"), email: email.trim(), full_name: fullName.trim(), role: "admin", password };
      accounts.push(a);
      current = a;
      record("first_admin", a.id, { email: a.email });
      return pub(a);
    },
    async login(email, password) {
      const key = email.trim().toLowerCase();
      const f = failures.get(key) ?? { count: 0, last: 0 };
      const wait = f.last + throttleDelayMs(f.count) - now();
      if (wait > 0) throw fail("throttled", `Too many failed sign-ins. Try again in ${Math.ceil(wait / 1000)} s.`);
      const a = accounts.find((x) => x.email.toLowerCase() === key);
      if (!a || a.password !== password) {
        failures.set(key, { count: f.count + 1, last: now() });
        record("login_failed", key, { failures: f.count + 1 }, key);
        throw fail("invalid", "The email or the password is not correct.", null);
      }
      failures.delete(key);
      current = a;
      record("login", a.id);
      return pub(a);
    },
    async logout() {
      if (current) record("logout", current.id);
      current = null;
    },
    async leave() {
      if (current) record("leave", current.id);
      current = null;
    },
    async users() {
      need(["admin"]);
      return accounts.map(pub);
    },
    async userCreate(email, fullName, role, password) {
      need(["admin"]);
      invalid(accountProblems({ email, full_name: fullName, password, role }));
      if (accounts.some((a) => a.email.toLowerCase() === email.trim().toLowerCase())) throw fail("conflict", "An account with this email exists.", "email");
      const a: StoredAccount = { id: nextId("acc"), email: email.trim(), full_name: fullName.trim(), role, password };
      accounts.push(a);
      record("user_create", a.id, { email: a.email, role });
      return pub(a);
    },
    async interviews() {
      need(["admin", "recruiter"]);
      return [...interviews.values()]
        .map((iv) => ({ id: iv.id, job_role: iv.spec.job_role, difficulty: iv.spec.difficulty, status: iv.status, revision: iv.revision, kiosk_code: iv.kiosk_code, questions: iv.questions.length, updated_at: iv.updated_at }))
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    },
    async interview(id) {
      need(["admin", "recruiter"]);
      return clone(interviewOf(id));
    },
    async interviewCreate(spec, questions) {
      need(["admin", "recruiter"]);
      invalid(specProblems(spec));
      const own = questions && questions.length > 0 ? questions : null;
      if (own) invalid(questionProblems(own));
      const iv: InterviewDetail = { id: nextId("iv"), spec: clone(spec), questions: own ? clone(own) : generate(spec), status: "draft", revision: 0, kiosk_code: null, updated_at: iso() };
      interviews.set(iv.id, iv);
      record("interview_create", iv.id, { job_role: spec.job_role });
      return clone(iv);
    },
    async interviewGenerate(spec) {
      need(["admin", "recruiter"]);
      invalid(specProblems(spec));
      return generate(spec);
    },
    async interviewSave(id, spec, questions) {
      need(["admin", "recruiter"]);
      const iv = interviewOf(id);
      if (iv.status === "archived") throw fail("conflict", "An archived interview cannot be changed.");
      invalid(specProblems(spec));
      invalid(questionProblems(questions));
      iv.spec = clone(spec);
      iv.questions = clone(questions);
      iv.updated_at = iso();
      record("interview_save", id, { questions: questions.length });
      return clone(iv);
    },
    async interviewPublish(id) {
      need(["admin", "recruiter"]);
      const iv = interviewOf(id);
      if (iv.status === "archived") throw fail("conflict", "An archived interview cannot be published.");
      if (iv.questions.length === 0) throw fail("invalid", "Add at least one question before publishing.", "questions");
      iv.status = "published";
      iv.revision += 1;
      iv.kiosk_code ??= `K${String(1000 + interviews.size * 7 + ids).slice(-4)}${iv.spec.job_role.replace(/[^A-Za-z]/g, "").slice(0, 1).toUpperCase() || "X"}`;
      iv.updated_at = iso();
      sync.pending += 1;
      record("interview_publish", id, { revision: iv.revision, kiosk_code: iv.kiosk_code });
      return clone(iv);
    },
    async interviewArchive(id) {
      need(["admin", "recruiter"]);
      const iv = interviewOf(id);
      iv.status = "archived";
      iv.updated_at = iso();
      record("interview_archive", id);
      return clone(iv);
    },
    async interviewDuplicate(id) {
      need(["admin", "recruiter"]);
      const src = interviewOf(id);
      const iv: InterviewDetail = { id: nextId("iv"), spec: { ...clone(src.spec), job_role: `${src.spec.job_role} (copy)` }, questions: clone(src.questions), status: "draft", revision: 0, kiosk_code: null, updated_at: iso() };
      interviews.set(iv.id, iv);
      record("interview_duplicate", iv.id, { from: id });
      return clone(iv);
    },
    async speak(text, avatar): Promise<SpeechClip> {
      need(["admin", "recruiter"]);
      if (text.trim() === "") throw fail("invalid", "There is nothing to say.", "text");
      const words = text.trim().split(/\s+/);
      const duration = Math.min(4000, 250 * words.length + 200);
      const shapes: MouthShape[] = ["B", "C", "D", "F", "A", "E"];
      const visemes: VisemeCue[] = words.map((_, i) => ({ start_ms: 100 + ((duration - 200) * i) / words.length, shape: shapes[i % shapes.length] ?? "C" }));
      visemes.push({ start_ms: duration - 100, shape: "X" });
      return { wav_base64: toneWavBase64(duration, avatar === "grace" ? 260 : 200), duration_ms: duration, visemes };
    },
    async sessions(filter) {
      need(["admin", "hr"]);
      return [...sessions.values()]
        .map((s) => s.row)
        .filter((r) => {
          const day = r.created_at.slice(0, 10);
          return (
            (filter.interview_id === null || r.interview_id === filter.interview_id) &&
            (filter.from === null || day >= filter.from) &&
            (filter.to === null || day <= filter.to) &&
            (filter.status === null || r.status === filter.status) &&
            (filter.recommendation === null || r.recommendation === filter.recommendation) &&
            (filter.reviewed === null || r.reviewed === filter.reviewed)
          );
        })
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .map(clone);
    },
    async report(sessionId) {
      need(["admin", "hr"]);
      return clone(sessionOf(sessionId).report);
    },
    async sessionClose(sessionId) {
      need(["admin", "hr"]);
      const s = sessions.get(sessionId);
      if (!s) throw fail("not_found", "There is no such session.");
      if (s.row.status === "completed" || s.row.status === "abandoned") throw fail("invalid", `The session is already ${s.row.status}.`);
      s.row.status = "abandoned";
      record("session.close", sessionId);
    },
    async answerAudio(sessionId, number) {
      need(["admin", "hr"]);
      const s = sessionOf(sessionId);
      if (!s.audio.has(number)) throw fail("not_found", "This answer's recording is not kept.");
      return `data:audio/wav;base64,${toneWavBase64(800)}`;
    },
    async review(sessionId, note) {
      const who = need(["admin", "hr"]);
      if (note.trim() === "") throw fail("invalid", "Please write a review note.", "note");
      const s = sessionOf(sessionId);
      if (s.report.final) throw fail("conflict", "The report was signed off; it is final and cannot change.");
      s.report.review = { by: who.full_name, at: iso(), note: note.trim() };
      s.report.final = true;
      refreshRow(s);
      record("review", sessionId, { note: note.trim() });
      return clone(s.report);
    },
    async adjustScore(sessionId, key, value, reason) {
      const who = need(["admin", "hr"]);
      const p = adjustProblems(value, reason);
      invalid(p);
      const s = sessionOf(sessionId);
      if (s.report.final) throw fail("conflict", "The report was signed off; it is final and cannot change.");
      const score = s.report.scores.find((x) => x.key === key);
      if (!score) throw fail("invalid", "There is no such score.", "key");
      score.adjustment = { value, reason: reason.trim(), by: who.full_name, at: iso() };
      score.value = value;
      refreshRow(s);
      sync.pending += 1;
      record("adjust_score", sessionId, { key, from: score.original, to: value, reason: reason.trim() });
      return clone(s.report);
    },
    async exportReports(sessionIds, format: ExportFormat) {
      need(["admin", "hr"]);
      if (sessionIds.length === 0) throw fail("invalid", "Choose at least one session.", "sessions");
      for (const id of sessionIds) sessionOf(id);
      if (dialog.cancel) return null;
      const dir = "/home/hr/Documents";
      // As in Rust: one report is one file; several are one zip (a CSV inside for csv).
      const written =
        sessionIds.length === 1 ? [`${dir}/report-${sessionIds[0]}.${format}`] : [`${dir}/panelist-reports-${format}.zip`];
      record("export", sessionIds.join(","), { format, count: sessionIds.length });
      return { written };
    },
    async candidates() {
      need(["admin", "hr"]);
      return [...candidates.values()].map(clone);
    },
    async eraseCandidate(candidateId) {
      need(["admin", "hr"]);
      if (!candidates.has(candidateId)) throw fail("not_found", "There is no such candidate.");
      let count = 0;
      let files = 0;
      for (const [id, s] of sessions) {
        if (s.row.candidate_id !== candidateId) continue;
        count += 1;
        files += s.audio.size;
        sessions.delete(id);
      }
      candidates.delete(candidateId);
      record("erase_candidate", candidateId, { sessions: count, files_removed: files });
      return { sessions: count, files_removed: files };
    },
    async purgeNow() {
      need(["admin", "hr"]);
      const day = 86_400_000;
      const age = (at: string) => (now() - Date.parse(at)) / day;
      let audio = 0;
      let erased = 0;
      const { audio_days, data_days } = settings.retention;
      if (audio_days !== null) {
        for (const s of sessions.values()) {
          if (age(s.row.created_at) < audio_days) continue;
          audio += s.audio.size;
          s.audio.clear();
          for (const a of s.report?.answers ?? []) a.has_audio = false;
        }
      }
      if (data_days !== null) {
        for (const c of [...candidates.values()]) {
          const mine = [...sessions.values()].filter((s) => s.row.candidate_id === c.candidate_id);
          if (mine.every((s) => age(s.row.created_at) >= data_days) && age(c.created_at) >= data_days) {
            await backend.eraseCandidate(c.candidate_id);
            erased += 1;
          }
        }
      }
      record("purge", "retention", { audio_files_removed: audio, candidates_erased: erased });
      return { audio_files_removed: audio, candidates_erased: erased };
    },
    async settings() {
      need(["admin"]);
      return clone({ ...settings, pin_set: pin !== null });
    },
    async settingsSave(form) {
      need(["admin"]);
      if (!["offline", "llm", "auto"].includes(form.brain_mode)) throw fail("invalid", "Unknown brain mode.", "brain_mode");
      if (!settings.voices.includes(form.voice)) throw fail("invalid", "Unknown voice.", "voice");
      invalid(settingsNumberProblems(form));
      invalid(answerEndProblems({ answer_end: form.answer_end, end_silence_seconds: form.end_silence_seconds, end_grace_seconds: form.end_grace_seconds }, true));
      if (form.whisper_model != null && form.whisper_model !== settings.whisper_model && !settings.whisper_models.includes(form.whisper_model))
        throw fail("invalid", `No whisper model named '${form.whisper_model}'; models there: ${settings.whisper_models.join(", ")}.`, "whisper_model");
      if (form.whisper_model != null) settings.whisper_model = form.whisper_model;
      settings.brain.mode = form.brain_mode;
      settings.voice = form.voice;
      settings.rate_wpm = form.rate_wpm;
      settings.microphone = form.microphone;
      settings.idle_timeout_seconds = form.idle_timeout_seconds;
      settings.typed_answers_allowed = form.typed_answers_allowed;
      settings.answer_end = form.answer_end;
      settings.end_silence_seconds = form.end_silence_seconds;
      settings.end_grace_seconds = form.end_grace_seconds;
      settings.admin_idle_seconds = form.admin_idle_seconds;
      settings.retention = { ...form.retention };
      settings.upload_audio = form.upload_audio;
      record("settings_save", "settings", form as unknown as Record<string, unknown>);
      return backend.settings();
    },
    async setPin(p) {
      need(["admin"]);
      invalid(pinProblems(p, p));
      pin = p;
      record("set_pin", "kiosk");
    },
    async providerKeySet(provider, key) {
      need(["admin"]);
      const p = settings.brain.providers.find((x) => x.name === provider);
      if (!p) throw fail("invalid", `Unknown provider ${provider}.`, "provider");
      if (key.trim() === "" || /\s/.test(key.trim())) throw fail("invalid", "Paste the provider's API key (one line, no spaces).", "key");
      p.key_stored = true;
      record("settings.provider_key", provider, { stored_in: "file" });
      return backend.settings();
    },
    async providerKeyRemove(provider) {
      need(["admin"]);
      const p = settings.brain.providers.find((x) => x.name === provider);
      if (!p) throw fail("invalid", `Unknown provider ${provider}.`, "provider");
      p.key_stored = false;
      record("settings.provider_key_removed", provider);
      return backend.settings();
    },
    async micTest(device) {
      need(["admin"]);
      const name = device ?? "default input";
      const silent = /silent/i.test(name);
      return { device: name, seconds: 3, rms_dbfs: silent ? -78 : -23.5, silent };
    },
    async backup() {
      need(["admin"]);
      if (dialog.cancel) return null;
      record("backup", "database");
      return "/home/kiosk/panelist-backup.sqlite";
    },
    async audit(limit) {
      need(["admin"]);
      return audit
        .slice(-Math.max(0, limit))
        .reverse()
        .map(({ hash: _hash, ...row }) => row);
    },
    async auditVerify() {
      need(["admin"]);
      let prev = "";
      for (const r of audit) {
        const { hash, ...row } = r;
        if (fnv(prev + JSON.stringify(row)) !== hash) return { intact: false, entries: audit.length, broken_at: r.seq, reason: "the entry does not match its hash" };
        prev = hash;
      }
      return { intact: true, entries: audit.length, broken_at: null, reason: null };
    },
    async syncStatus() {
      need(["admin"]);
      return { ...sync, set_aside: [...sync.set_aside] };
    },
    async syncNow() {
      need(["admin"]);
      sync.last_attempt = iso();
      if (!sync.enrolled) sync.last_error = "This kiosk is not enrolled with a server.";
      else {
        sync.pending = 0;
        sync.last_success = sync.last_attempt;
        sync.last_error = null;
      }
      record("sync_now", "sync", { ok: sync.last_error === null });
      return { ...sync, set_aside: [...sync.set_aside] };
    },
  };

  return {
    backend,
    dialog,
    sync,
    /** Test hook: the number of stored sessions / candidates. */
    counts: () => ({ sessions: sessions.size, candidates: candidates.size, audit: audit.length }),
    /** Test hook: edit an audit row behind the chain's back. */
    tamper(seq: number, detail: string) {
      const r = audit.find((a) => a.seq === seq);
      if (r) r.detail = detail;
    },
    pinSet: () => pin !== null,
  };
}
