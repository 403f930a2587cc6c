// Drives admin mode in the real app (`panelist-kiosk --admin`): the first administrator,
// an HR account, an interview created, generated, edited and published; then (after an
// interview run through the CLI on that kiosk code) HR reviews the report, adjusts a
// score, exports the PDF and erases the candidate; the administrator verifies the audit
// chain. Run by scripts/e2e.sh after the kiosk test, on the same display and data dir.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "./webdriver.mjs";
import { axeCheck } from "./axe.mjs";
import { player } from "./player.mjs";

const env = process.env;
const base = `http://127.0.0.1:${env.E2E_PORT}`;
const work = env.E2E_WORK;
const dataDir = env.PANELIST_DATA_DIR;
const exportsDir = join(work, "exports");
mkdirSync(exportsDir, { recursive: true });
const artifacts = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(artifacts, { recursive: true });

const ADMIN = { email: "admin@example.com", name: "Ada Admin", password: "correct horse battery staple" };
const HR = { email: "hr@example.com", name: "Harper HR", password: "another long passphrase" };
const CANDIDATE = { name: "Zoë Erasmus-Quill", email: "zoe.quill@example.org" };

let shot = 20;
/** Screenshots the display; with a session, the page is also checked with axe-core. */
async function screenshot(name, s = null) {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, "0")}-admin-${name}.png`);
  execFileSync("import", ["-display", env.DISPLAY, "-window", "root", file]);
  console.log(`  screenshot ${file}`);
  if (s) await axeCheck(s, `admin ${name}`);
}

function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
  console.log(`  ok: ${message}`);
}

const tid = (id) => `[data-testid="${id}"]`;
const present = (s, id, ms = 30000) =>
  s.until(`${id} on screen`, "return document.querySelector(arguments[0]) !== null", ms, [tid(id)]);
const text = (s, id) => s.exec("return document.querySelector(arguments[0])?.textContent ?? ''", [tid(id)]);

/** Sets a <select> (or any input) the way a user's choice does: value + input/change. */
function choose(s, id, value) {
  return s.exec(
    "const el = document.querySelector(arguments[0]); el.value = arguments[1];" +
      "el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); return el.value;",
    [tid(id), value],
  );
}

/** Calls a command from the page and returns {ok, v} or {ok: false, e}. */
function invoke(s, cmd, args = {}) {
  return s.execAsync(
    "const done = arguments[arguments.length - 1];" +
      "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(v => done({ok: true, v}), e => done({ok: false, e}));",
    [cmd, args],
  );
}

function filesContaining(dir, needle) {
  const hits = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) hits.push(...filesContaining(p, needle));
    else if (readFileSync(p).includes(needle)) hits.push(p);
  }
  return hits;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Answers the app's native save dialog (GTK) like a person: waits for it, types the full
 * path into its name field and presses Enter. WebDriver cannot reach a native dialog;
 * xdotool talks to the X server the app draws on.
 */
async function answerSaveDialog(path, shotName) {
  let wid = "";
  for (let i = 0; i < 150 && !wid; i++) {
    try {
      wid = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "Save"]).toString().trim().split("\n").pop();
    } catch {
      wid = "";
    }
    if (!wid) await sleep(200);
  }
  if (!wid) throw new Error("no save dialog appeared");
  const title = execFileSync("xdotool", ["getwindowname", wid]).toString().trim();
  console.log(`  the native save dialog is open ("${title}")`);
  await sleep(500);
  await screenshot(shotName);
  execFileSync("xdotool", ["windowfocus", "--sync", wid]);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+a"]);
  execFileSync("xdotool", ["type", "--delay", "20", path]);
  await sleep(300);
  execFileSync("xdotool", ["key", "Return"]);
}

async function withApp(fn) {
  const s = await Session.start(base, env.E2E_APP, ["--admin"]);
  try {
    await fn(s);
  } finally {
    await s.end();
    // The admin window quits the app when its session ends; give it a moment.
    await new Promise((r) => setTimeout(r, 1500));
  }
}

async function signIn(s, who) {
  await present(s, "login-email");
  await s.type(tid("login-email"), who.email);
  await s.type(tid("login-password"), who.password);
  await s.click(tid("login-submit"));
  await s.until(`${who.email} signed in`, "return document.querySelector(arguments[0])?.textContent.includes(arguments[1])", 30000, [tid("account-name"), who.name]);
}

async function firstRunAndInterview() {
  let code = "";
  await withApp(async (s) => {
    await present(s, "first-email", 60000);
    await screenshot("first-run", s);
    // Nothing runs before an account exists and signs in.
    const early = await invoke(s, "admin_interviews");
    check(!early.ok && early.e.code === "unauthenticated", `commands refuse without a sign-in (${JSON.stringify(early.e)})`);
    await s.type(tid("first-email"), ADMIN.email);
    await s.type(tid("first-name"), ADMIN.name);
    await s.type(tid("first-password"), ADMIN.password);
    await s.type(tid("first-confirm"), ADMIN.password);
    await s.click(tid("first-submit"));
    await present(s, "nav-users");

    // An HR account.
    await s.click(tid("nav-users"));
    await present(s, "user-email");
    await s.type(tid("user-email"), HR.email);
    await s.type(tid("user-name"), HR.name);
    await choose(s, "user-role", "hr");
    await s.type(tid("user-password"), HR.password);
    await s.click(tid("user-submit"));
    await s.until("the HR account listed", "return [...document.querySelectorAll(arguments[0])].some(r => r.textContent.includes(arguments[1]))", 30000, [tid("user-row"), HR.email]);
    await screenshot("users", s);

    // An interview: the form, generated questions, one edit, save, publish.
    await s.click(tid("nav-interviews"));
    await present(s, "new-interview");
    await screenshot("interviews", s);
    await s.click(tid("new-interview"));
    await present(s, "field-job-role");
    await s.type(tid("field-job-role"), "Data Engineer");
    await s.type(tid("field-job-description"), "Build batch and streaming pipelines in Python and SQL; own data quality.");
    await choose(s, "field-difficulty", "medium");
    await s.type(tid("field-focus-areas"), "Python, SQL, Data pipelines");
    await s.type(tid("field-time-limit"), "12");
    await s.type(tid("field-num-questions"), "3");
    await s.click(tid("generate-questions"));
    await s.until("three generated questions", "return document.querySelectorAll(arguments[0]).length === 3", 60000, [tid("question-row")]);
    const first = await s.exec("return document.querySelector(arguments[0]).value", [tid("question-text")]);
    check(first.length > 10, `the brain proposed questions ("${first.slice(0, 60)}…")`);
    await s.type(tid("question-text"), "Walk me through a data pipeline you built in Python and how you tested it.");
    await screenshot("interview-editor", s);
    await s.click(tid("save-interview"));
    await s.until("the draft saved", "return /draft/i.test(document.querySelector(arguments[0])?.textContent ?? '')", 30000, [tid("interview-status")]);
    await s.click(tid("publish-interview"));
    await s.until("a kiosk code", "return (document.querySelector(arguments[0])?.textContent ?? '').trim().length === 6", 30000, [tid("kiosk-code")]);
    code = (await text(s, "kiosk-code")).trim();
    await screenshot("interview-published", s);
    check(/^[A-Z2-9]{6}$/.test(code), `published with kiosk code ${code}`);
  });
  return code;
}

function runInterview(code) {
  const answers = join(work, "admin-answers.txt");
  writeFileSync(
    answers,
    [
      "I built a pipeline in Python with Airflow that loaded orders into PostgreSQL; every step had unit tests and data quality checks.",
      "For SQL I use window functions and indexes; once I cut a report query from minutes to seconds by adding a composite index.",
      "I would partition the stream, make writes idempotent and replay from the last checkpoint after a failure.",
      "I document schemas and review changes with the analysts before they ship.",
    ].join("\n") + "\n",
  );
  const out = execFileSync(env.E2E_CLI, [
    "interview", "run", code, "--name", CANDIDATE.name, "--email", CANDIDATE.email, "--answers", answers,
  ]).toString();
  const session = out.trim().split("\n").pop().trim();
  check(/^[0-9a-f-]{36}$/.test(session), `the CLI ran an interview on ${code}: session ${session}`);
  return session;
}

async function reviewExportErase(session) {
  let pdf = "";
  await withApp(async (s) => {
    await signIn(s, HR);
    // HR sees sessions and candidates only, and Rust refuses the rest.
    const nav = await s.exec("return [...document.querySelectorAll('[data-testid^=nav-]')].map(e => e.dataset.testid)");
    check(nav.includes("nav-sessions") && !nav.includes("nav-settings") && !nav.includes("nav-interviews"), `HR's navigation: ${nav.join(", ")}`);
    const denied = await invoke(s, "admin_settings");
    check(!denied.ok && denied.e.code === "denied", `admin_settings is denied to HR in Rust (${denied.e?.message})`);

    await s.click(tid("nav-sessions"));
    await s.until("the session listed", "return document.querySelector(`[data-session-id='${arguments[0]}']`) !== null", 30000, [session]);
    await screenshot("sessions", s);
    await s.click(`[data-session-id='${session}'] ${tid("open-report")}`);
    await present(s, "report-view");
    await present(s, "draft-badge");
    await screenshot("report-draft", s);

    // Adjust the technical score with a reason; the original stays visible.
    const before = await invoke(s, "admin_report", { sessionId: session });
    const original = before.v.scores.find((x) => x.key === "technical").original;
    const target = original >= 50 ? original - 20 : original + 20;
    await choose(s, "adjust-key", "technical");
    await s.type(tid("adjust-value"), String(target));
    await s.type(tid("adjust-reason"), "The transcript dropped the word Airflow; checked against the recording.");
    await s.click(tid("adjust-submit"));
    await s.until("the adjustment shown", "return document.querySelector(arguments[0]).textContent.includes(arguments[1])", 30000, [tid("score-chart"), String(target)]);
    const after = await invoke(s, "admin_report", { sessionId: session });
    const technical = after.v.scores.find((x) => x.key === "technical");
    check(technical.original === original && technical.value === target, `technical ${original} → ${target}, original kept`);

    await s.type(tid("review-note"), "Reviewed every answer; one transcript error corrected above.");
    await s.click(tid("review-submit"));
    await present(s, "final-badge");
    check((await text(s, "final-badge")).includes(HR.email) || (await text(s, "final-badge")).includes(HR.name), "the report is final, signed by HR");
    await screenshot("report-final", s);

    await s.click(tid("export-pdf"));
    const chosen = join(exportsDir, "zoe-report.pdf");
    await answerSaveDialog(chosen, "save-dialog");
    await s.until("the export written", "return (document.querySelector(arguments[0])?.textContent ?? '').includes('.pdf')", 60000, [tid("export-result")]);
    pdf = chosen;
    check(existsSync(pdf), `the PDF was written where the save dialog was told (${pdf})`);
    const pdfText = execFileSync("pdftotext", [pdf, "-"]).toString();
    check(pdfText.includes("Reviewed by") && pdfText.includes(HR.email), "the PDF names its reviewer");
    await screenshot("report-exported", s);

    // Erase the candidate: type their name to confirm.
    await s.click(tid("nav-candidates"));
    await s.until("the candidate listed", "return [...document.querySelectorAll(arguments[0])].some(r => r.textContent.includes(arguments[1]))", 30000, [tid("candidate-row"), CANDIDATE.name]);
    await screenshot("candidates", s);
    const row = await s.exec(
      "return [...document.querySelectorAll(arguments[0])].find(r => r.textContent.includes(arguments[1])).dataset.candidateId",
      [tid("candidate-row"), CANDIDATE.name],
    );
    await s.click(`[data-candidate-id='${row}'] ${tid("erase-button")}`);
    await present(s, "erase-confirm-name");
    await s.type(tid("erase-confirm-name"), CANDIDATE.name);
    await screenshot("erase-confirm", s);
    await s.click(tid("erase-confirm"));
    await present(s, "erase-result");
    await screenshot("erased", s);
    await s.click(tid("sign-out"));
  });
  return pdf;
}

async function auditAsAdmin() {
  await withApp(async (s) => {
    await signIn(s, ADMIN);
    await s.click(tid("nav-audit"));
    await present(s, "audit-row");
    await s.click(tid("audit-verify"));
    await s.until("the verification", "return (document.querySelector(arguments[0])?.textContent ?? '').length > 0", 30000, [tid("audit-result")]);
    const result = await text(s, "audit-result");
    check(/intact/i.test(result), `audit chain: ${result.trim()}`);
    await screenshot("audit", s);
    await s.click(tid("nav-settings"));
    await present(s, "settings-save");
    // The microphone test records three seconds through cpal from the virtual microphone.
    await s.click(tid("mic-test"));
    await sleep(300);
    await new Promise((resolve, reject) => {
      const p = spawn(...player("--device=vmic", join(work, "answers", "mic.wav")), { stdio: "inherit" });
      p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`paplay exited ${code}`))));
    });
    await s.until("the microphone test result", "return /dBFS/.test(document.querySelector(arguments[0])?.textContent ?? '')", 20000, [tid("mic-result")]);
    const mic = (await text(s, "mic-result")).trim();
    check(/It works/.test(mic), `admin microphone test: ${mic}`);
    await screenshot("settings", s);
    await s.click(tid("nav-sync"));
    await present(s, "sync-status");
    await screenshot("sync", s);
  });
}

async function main() {
  const code = await firstRunAndInterview();
  const session = runInterview(code);
  const pdf = await reviewExportErase(session);
  check(!existsSync(pdf), "the exported PDF was removed with the candidate");
  const inData = filesContaining(dataDir, Buffer.from(CANDIDATE.name));
  check(inData.length === 0, `the candidate's name is nowhere in the data dir (${inData.join(", ")})`);
  const email = filesContaining(dataDir, Buffer.from(CANDIDATE.email));
  check(email.length === 0, "nor their email");
  const audit = execFileSync(env.E2E_CLI, ["audit", "verify"]).toString();
  check(audit.includes("intact"), `panelist audit verify: ${audit.trim()}`);
  await auditAsAdmin();
}

main().catch((e) => {
  console.error(`admin e2e failed: ${e.stack ?? e}`);
  process.exit(1);
});
