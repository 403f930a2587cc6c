import { describe, expect, it } from "vitest";
import { adminMock, throttleDelayMs, FREE_FAILURES } from "../src/lib/admin-mock";
import { watchSignIn, type AdminError } from "../src/lib/admin-backend";
import type { BrainMode, InterviewSpecDto, SessionFilter } from "../src/lib/admin-types";

const PW = "correct horse battery";
const ANY: SessionFilter = { interview_id: null, from: null, to: null, status: null, recommendation: null, reviewed: null };

function staff() {
  let t = Date.parse("2026-11-25T10:00:00Z");
  const clock = { advance: (ms: number) => (t += ms) };
  const mock = adminMock({
    sample: true,
    now: () => t,
    accounts: [
      { email: "admin@example.com", full_name: "Ada Admin", role: "admin", password: PW },
      { email: "rec@example.com", full_name: "Rex Recruiter", role: "recruiter", password: PW },
      { email: "hr@example.com", full_name: "Hana HR", role: "hr", password: PW },
    ],
  });
  return { mock, b: mock.backend, clock };
}

async function rejection(p: Promise<unknown>): Promise<AdminError> {
  try {
    await p;
  } catch (e) {
    return e as AdminError;
  }
  throw new Error("expected the call to fail");
}

const spec: InterviewSpecDto = {
  job_role: "QA Engineer",
  job_description: "Tests things.",
  difficulty: "easy",
  focus_areas: ["testing"],
  time_limit_minutes: 15,
  avatar: "grace",
  num_questions: 2,
  max_follow_ups_per_preset: 1,
  language: "en",
};

describe("admin mock: first run and sign-in", () => {
  it("creates the first administrator once, signed in, then refuses a second", async () => {
    const mock = adminMock();
    expect((await mock.backend.status()).first_run).toBe(true);
    const weak = await rejection(mock.backend.firstAdmin("a@example.com", "A", "short"));
    expect(weak).toMatchObject({ code: "invalid", field: "password" });
    const a = await mock.backend.firstAdmin("a@example.com", "Ada", PW);
    expect(a.role).toBe("admin");
    const st = await mock.backend.status();
    expect(st.first_run).toBe(false);
    expect(st.account?.email).toBe("a@example.com");
    expect((await rejection(mock.backend.firstAdmin("b@example.com", "Bob", PW))).code).toBe("conflict");
  });

  it("throttles failed sign-ins with a growing delay and resets on success", async () => {
    const { b, clock } = staff();
    for (let i = 0; i < FREE_FAILURES; i++) expect((await rejection(b.login("hr@example.com", "wrong"))).code).toBe("invalid");
    // Now even the right password must wait.
    const t1 = await rejection(b.login("hr@example.com", PW));
    expect(t1.code).toBe("throttled");
    expect(t1.message).toMatch(/1 s/);
    clock.advance(1000);
    expect((await rejection(b.login("hr@example.com", "wrong again"))).code).toBe("invalid");
    // The next wait is longer.
    clock.advance(1500);
    const t2 = await rejection(b.login("hr@example.com", PW));
    expect(t2.code).toBe("throttled");
    expect(t2.message).toMatch(/1 s/);
    clock.advance(500);
    expect((await b.login("hr@example.com", PW)).role).toBe("hr");
    // Success cleared the count.
    await b.logout();
    expect((await rejection(b.login("hr@example.com", "wrong"))).code).toBe("invalid");
    expect((await b.login("hr@example.com", PW)).role).toBe("hr");
  });

  it("grows the delay exponentially up to a cap", () => {
    expect(throttleDelayMs(FREE_FAILURES - 1)).toBe(0);
    expect(throttleDelayMs(FREE_FAILURES)).toBe(1000);
    expect(throttleDelayMs(FREE_FAILURES + 1)).toBe(2000);
    expect(throttleDelayMs(FREE_FAILURES + 3)).toBe(8000);
    expect(throttleDelayMs(100)).toBe(300_000);
  });
});

describe("admin mock: roles", () => {
  it("refuses everything before sign-in", async () => {
    const { b } = staff();
    expect((await rejection(b.sessions(ANY))).code).toBe("unauthenticated");
    expect((await rejection(b.interviews())).code).toBe("unauthenticated");
  });

  it("lets a recruiter use interviews only", async () => {
    const { b } = staff();
    await b.login("rec@example.com", PW);
    expect((await b.interviews()).length).toBeGreaterThan(0);
    for (const p of [b.sessions(ANY), b.candidates(), b.users(), b.settings(), b.audit(10), b.syncStatus(), b.eraseCandidate("cand-1")]) {
      expect((await rejection(p)).code).toBe("denied");
    }
  });

  it("lets HR use sessions and candidates but not interviews or settings", async () => {
    const { b } = staff();
    await b.login("hr@example.com", PW);
    expect((await b.sessions(ANY)).length).toBe(3);
    expect((await b.candidates()).length).toBe(3);
    for (const p of [b.interviews(), b.interviewCreate(spec), b.speak("Hello", "ada"), b.settings(), b.userCreate("x@example.com", "X", "hr", PW), b.auditVerify()]) {
      expect((await rejection(p)).code).toBe("denied");
    }
  });
});

describe("admin mock: interviews", () => {
  it("creates a draft with proposals, publishes revisions with a code, and freezes when archived", async () => {
    const { b } = staff();
    await b.login("rec@example.com", PW);
    const d = await b.interviewCreate(spec);
    expect(d.status).toBe("draft");
    expect(d.questions).toHaveLength(2);
    expect(d.questions[0]?.tags).toContain("testing");
    // The recruiter's own questions are kept as they are, without asking the brain.
    const own = await b.interviewCreate(spec, [{ text: "Tell me about a flaky test.", key_points: [], follow_ups: [], tags: [], source: null }]);
    expect(own.questions.map((q) => q.text)).toEqual(["Tell me about a flaky test."]);
    const p1 = await b.interviewPublish(d.id);
    expect(p1.revision).toBe(1);
    expect(p1.kiosk_code).toBeTruthy();
    await b.interviewSave(d.id, spec, [{ text: "Why QA?", key_points: [], follow_ups: [], tags: [], source: null }]);
    const p2 = await b.interviewPublish(d.id);
    expect(p2.revision).toBe(2);
    expect(p2.kiosk_code).toBe(p1.kiosk_code);
    await b.interviewArchive(d.id);
    expect((await rejection(b.interviewSave(d.id, spec, []))).code).toBe("conflict");
    const copy = await b.interviewDuplicate(d.id);
    expect(copy).toMatchObject({ status: "draft", revision: 0, kiosk_code: null });
    expect(copy.questions.map((q) => q.text)).toEqual(["Why QA?"]);
  });

  it("names the field of invalid input", async () => {
    const { b } = staff();
    await b.login("admin@example.com", PW);
    expect(await rejection(b.interviewCreate({ ...spec, job_role: " " }))).toMatchObject({ code: "invalid", field: "job_role" });
    expect(await rejection(b.interviewGenerate({ ...spec, num_questions: 0 }))).toMatchObject({ code: "invalid", field: "num_questions" });
  });

  it("holds an interview in German with the recruiter's questions, but the English bank proposes none", async () => {
    const { b } = staff();
    await b.login("rec@example.com", PW);
    const german = { ...spec, language: "de" as const };
    const refused = await rejection(b.interviewCreate(german));
    expect(refused).toMatchObject({ code: "invalid", field: "language" });
    expect(refused.message).toContain("German");
    const own = await b.interviewCreate(german, [{ text: "Wie testen Sie Ihren Code?", key_points: [], follow_ups: [], tags: [], source: null }]);
    expect(own.spec.language).toBe("de");
    expect(await rejection(b.interviewCreate({ ...spec, language: "xx" as InterviewSpecDto["language"] }))).toMatchObject({ code: "invalid", field: "language" });
  });

  it("speaks a question as a playable WAV with a viseme timeline", async () => {
    const { b } = staff();
    await b.login("rec@example.com", PW);
    const clip = await b.speak("How do you test your code?", "ada");
    expect(atob(clip.wav_base64).slice(0, 4)).toBe("RIFF");
    expect(clip.visemes.at(-1)?.shape).toBe("X");
    expect(clip.duration_ms).toBeGreaterThan(0);
  });
});

describe("admin mock: reports", () => {
  async function hrWithReport() {
    const s = staff();
    await s.b.login("hr@example.com", PW);
    const row = (await s.b.sessions({ ...ANY, status: "completed" }))[0]!;
    return { ...s, id: row.session_id };
  }

  it("makes a report final when reviewed, with the reviewer and note", async () => {
    const { b, id } = await hrWithReport();
    expect((await b.report(id)).final).toBe(false);
    expect(await rejection(b.review(id, "  "))).toMatchObject({ code: "invalid", field: "note" });
    const r = await b.review(id, "Checked the audio.");
    expect(r.final).toBe(true);
    expect(r.review).toMatchObject({ by: "Hana HR", note: "Checked the audio." });
    expect((await b.sessions({ ...ANY, reviewed: true })).map((s) => s.session_id)).toEqual([id]);
    expect((await b.sessions({ ...ANY, reviewed: false })).map((s) => s.session_id)).not.toContain(id);
    // Final means locked, as in Rust.
    expect(await rejection(b.review(id, "again"))).toMatchObject({ code: "conflict" });
    expect(await rejection(b.adjustScore(id, "overall", 50, "late"))).toMatchObject({ code: "conflict" });
  });

  it("keeps the original score when adjusting, and recomputes the recommendation", async () => {
    const { b, id } = await hrWithReport();
    const before = (await b.report(id)).scores.find((s) => s.key === "overall")!;
    expect(await rejection(b.adjustScore(id, "overall", 101, "x"))).toMatchObject({ code: "invalid", field: "value" });
    expect(await rejection(b.adjustScore(id, "overall", 90, ""))).toMatchObject({ code: "invalid", field: "reason" });
    const r = await b.adjustScore(id, "overall", 90, "Strong live demo");
    const after = r.scores.find((s) => s.key === "overall")!;
    expect(after.original).toBe(before.original);
    expect(after.value).toBe(90);
    expect(after.adjustment).toMatchObject({ value: 90, reason: "Strong live demo", by: "Hana HR" });
    expect(r.recommendation).toBe("Strongly Recommend");
    const row = (await b.sessions(ANY)).find((s) => s.session_id === id)!;
    expect(row.overall).toBe(90);
  });

  it("exports one file, a zip for several, one CSV, and null when the dialog is cancelled", async () => {
    const { b, mock } = await hrWithReport();
    const ids = (await b.sessions({ ...ANY, status: "completed" })).map((s) => s.session_id);
    expect((await b.exportReports([ids[0]!], "pdf"))?.written[0]).toMatch(/\.pdf$/);
    expect((await b.exportReports(ids, "pdf"))?.written[0]).toMatch(/\.zip$/);
    expect((await b.exportReports(ids, "csv"))?.written).toHaveLength(1);
    mock.dialog.cancel = true;
    expect(await b.exportReports(ids, "json")).toBeNull();
  });

  it("filters sessions by day, status and recommendation", async () => {
    const { b } = await hrWithReport();
    expect((await b.sessions({ ...ANY, from: "2026-11-23" })).map((s) => s.candidate_name).sort()).toEqual(["Ana Lima", "John Doe"]);
    expect((await b.sessions({ ...ANY, to: "2026-11-21" })).map((s) => s.candidate_name)).toEqual(["Zoë Ångström"]);
    expect((await b.sessions({ ...ANY, status: "in_progress" })).map((s) => s.candidate_name)).toEqual(["Ana Lima"]);
    expect((await b.sessions({ ...ANY, recommendation: "Consider" })).map((s) => s.candidate_name)).toEqual(["John Doe"]);
  });

  it("gives recorded audio as a WAV data URL only when it is kept", async () => {
    const { b, id } = await hrWithReport();
    const r = await b.report(id);
    const kept = r.answers.find((a) => a.has_audio)!;
    const gone = r.answers.find((a) => !a.has_audio)!;
    expect(await b.answerAudio(id, kept.number)).toMatch(/^data:audio\/wav;base64,UklGR/);
    expect((await rejection(b.answerAudio(id, gone.number))).code).toBe("not_found");
  });
});

describe("admin mock: privacy", () => {
  it("erases a candidate's rows and reports what was removed", async () => {
    const { b, mock } = staff();
    await b.login("hr@example.com", PW);
    const zoe = (await b.candidates()).find((c) => c.name === "Zoë Ångström")!;
    const session = (await b.sessions(ANY)).find((s) => s.candidate_id === zoe.candidate_id)!;
    const before = mock.counts();
    const result = await b.eraseCandidate(zoe.candidate_id);
    expect(result).toEqual({ sessions: 1, files_removed: 1 });
    expect((await b.candidates()).some((c) => c.candidate_id === zoe.candidate_id)).toBe(false);
    expect((await b.sessions(ANY)).some((s) => s.candidate_id === zoe.candidate_id)).toBe(false);
    expect((await rejection(b.report(session.session_id))).code).toBe("not_found");
    expect(mock.counts()).toMatchObject({ sessions: before.sessions - 1, candidates: before.candidates - 1 });
  });

  it("purges recordings older than the retention setting", async () => {
    const { b } = staff();
    await b.login("admin@example.com", PW);
    const s = await b.settings();
    await b.settingsSave({ brain_mode: s.brain.mode, voice: s.voice, rate_wpm: s.rate_wpm, microphone: null, idle_timeout_seconds: 120, typed_answers_allowed: true, answer_end: "submit_only", end_silence_seconds: 3, end_grace_seconds: 3, admin_idle_seconds: 300, retention: { audio_days: 3, data_days: null }, upload_audio: false, whisper_model: null });
    // 2026-11-25: Zoë's (21st) is 4 days old, John's (23rd) is 2 days old.
    const r = await b.purgeNow();
    expect(r).toEqual({ audio_files_removed: 1, candidates_erased: 0 });
    const rows = await b.sessions({ ...ANY, status: "completed" });
    const zoe = rows.find((x) => x.candidate_name === "Zoë Ångström")!;
    const john = rows.find((x) => x.candidate_name === "John Doe")!;
    expect((await b.report(zoe.session_id)).answers.some((a) => a.has_audio)).toBe(false);
    expect((await b.report(john.session_id)).answers.some((a) => a.has_audio)).toBe(true);
  });
});

describe("admin mock: audit and settings", () => {
  it("appends an audit row per action, newest first, and detects tampering", async () => {
    const { b, mock } = staff();
    await b.login("admin@example.com", PW);
    const id = (await b.sessions({ ...ANY, status: "completed" }))[0]!.session_id;
    await b.adjustScore(id, "technical", 50, "reason");
    await b.review(id, "ok");
    await b.setPin("246810");
    const rows = await b.audit(100);
    expect(rows.map((r) => r.action)).toEqual(["set_pin", "review", "adjust_score", "login"]);
    expect(rows[0]!.seq).toBeGreaterThan(rows[1]!.seq);
    expect(rows[1]).toMatchObject({ actor: "admin@example.com", subject: id });
    expect(await b.auditVerify()).toEqual({ intact: true, entries: 4, broken_at: null, reason: null });
    mock.tamper(2, "{}");
    expect(await b.auditVerify()).toMatchObject({ intact: false, broken_at: 2 });
  });

  it("closes an interrupted session once, keeping it listed as abandoned", async () => {
    const { b } = staff();
    await b.login("admin@example.com", PW);
    const open = (await b.sessions(ANY)).find((r) => r.status === "in_progress" || r.status === "pending");
    expect(open).toBeDefined();
    await b.sessionClose(open!.session_id);
    const after = (await b.sessions(ANY)).find((r) => r.session_id === open!.session_id);
    expect(after?.status).toBe("abandoned");
    expect(await rejection(b.sessionClose(open!.session_id))).toMatchObject({ code: "invalid" });
  });

  it("stores and removes a provider key without ever returning it", async () => {
    const { b } = staff();
    await b.login("admin@example.com", PW);
    const name = (await b.settings()).brain.providers[0]!.name;
    expect(await rejection(b.providerKeySet(name, "two words"))).toMatchObject({ code: "invalid", field: "key" });
    const after = await b.providerKeySet(name, "sk-test-123");
    expect(after.brain.providers.find((p) => p.name === name)?.key_stored).toBe(true);
    expect(JSON.stringify(after)).not.toContain("sk-test-123");
    expect(JSON.stringify(await b.audit(50))).not.toContain("sk-test-123");
    const removed = await b.providerKeyRemove(name);
    expect(removed.brain.providers.find((p) => p.name === name)?.key_stored).toBe(false);
  });

  it("checks the PIN and the settings form", async () => {
    const { b, mock } = staff();
    await b.login("admin@example.com", PW);
    expect(await rejection(b.setPin("12a4"))).toMatchObject({ code: "invalid", field: "pin" });
    expect(await rejection(b.setPin("123"))).toMatchObject({ code: "invalid", field: "pin" });
    await b.setPin("123456");
    expect(mock.pinSet()).toBe(true);
    expect((await b.settings()).pin_set).toBe(true);
    const s = await b.settings();
    expect(s).toMatchObject({ answer_end: "submit_only", end_silence_seconds: 3, end_grace_seconds: 3 });
    const form = {
      brain_mode: "offline" as const,
      voice: s.voice,
      rate_wpm: 170,
      microphone: "USB Microphone",
      idle_timeout_seconds: 90,
      typed_answers_allowed: false,
      answer_end: "after_silence" as const,
      end_silence_seconds: 2.5,
      end_grace_seconds: 4,
      admin_idle_seconds: 600,
      retention: { audio_days: null, data_days: 365 },
      upload_audio: true,
      whisper_model: "base-q8_0",
    };
    const saved = await b.settingsSave(form);
    expect(saved).toMatchObject({
      brain: { mode: "offline" },
      rate_wpm: 170,
      microphone: "USB Microphone",
      idle_timeout_seconds: 90,
      typed_answers_allowed: false,
      answer_end: "after_silence",
      end_silence_seconds: 2.5,
      end_grace_seconds: 4,
      admin_idle_seconds: 600,
      retention: { audio_days: null, data_days: 365 },
      upload_audio: true,
      whisper_model: "base-q8_0",
    });
    // Typed now (Rust refuses an unknown mode when reading the command's arguments), but
    // the mock still refuses what a caller forces past the type.
    expect(await rejection(b.settingsSave({ ...form, brain_mode: "cloud" as unknown as BrainMode }))).toMatchObject({ field: "brain_mode" });
    // As in Rust, a model the kiosk cannot find is refused with the ones it can.
    const unknown = await rejection(b.settingsSave({ ...form, whisper_model: "large-v3" }));
    expect(unknown).toMatchObject({ field: "whisper_model" });
    expect(unknown.message).toContain("tiny.en-q8_0");
    expect((await b.settings()).whisper_model).toBe("base-q8_0");
    // As in Rust, the two times are checked whatever the mode; nothing is saved.
    expect(await rejection(b.settingsSave({ ...form, end_silence_seconds: 1 }))).toMatchObject({ field: "end_silence_seconds" });
    expect(await rejection(b.settingsSave({ ...form, answer_end: "submit_only", end_grace_seconds: 11 }))).toMatchObject({ field: "end_grace_seconds" });
    expect(await rejection(b.settingsSave({ ...form, admin_idle_seconds: 30 }))).toMatchObject({ field: "admin_idle_seconds" });
    expect((await b.settings()).end_silence_seconds).toBe(2.5);
    expect((await b.micTest("Silent Line In")).silent).toBe(true);
    expect((await b.micTest(null)).silent).toBe(false);
  });

  it("syncs the outbox on request", async () => {
    const { b } = staff();
    await b.login("admin@example.com", PW);
    expect((await b.syncStatus()).pending).toBeGreaterThan(0);
    const s = await b.syncNow();
    expect(s.pending).toBe(0);
    expect(s.last_success).toBe(s.last_attempt);
  });

  it("signs out on leave", async () => {
    const { b } = staff();
    await b.login("admin@example.com", PW);
    await b.leave();
    expect((await b.status()).account).toBeNull();
    expect((await rejection(b.users())).code).toBe("unauthenticated");
  });
});

describe("watchSignIn", () => {
  it("reports a lost sign-in and still throws the error", async () => {
    const { b } = staff();
    let lost = 0;
    const w = watchSignIn(b, () => (lost += 1));
    await w.login("admin@example.com", PW);
    expect((await w.users()).length).toBe(3);
    expect(lost).toBe(0);
    await b.logout();
    expect((await rejection(w.users())).code).toBe("unauthenticated");
    expect(lost).toBe(1);
    // Other errors are not a lost sign-in.
    await w.login("hr@example.com", PW);
    expect((await rejection(w.users())).code).toBe("denied");
    expect(lost).toBe(1);
  });
});

describe("admin mock: sync", () => {
  it("shows set-aside items with their reasons to an administrator, and keeps them after a sync", async () => {
    const { b } = staff();
    await b.login("admin@example.com", PW);
    const status = await b.syncStatus();
    expect(status.set_aside).toHaveLength(1);
    expect(status.set_aside[0]?.reason).toMatch(/^413 too_large/);
    // A returned status is a copy: changing it does not change the mock.
    status.set_aside.pop();
    const after = await b.syncNow();
    expect(after.pending).toBe(0);
    expect(after.set_aside).toHaveLength(1);
  });
});
