// Drives the real kiosk app through a whole interview. Run by scripts/e2e.sh, which
// sets up the display, the virtual microphone, the data directory and tauri-driver.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "./webdriver.mjs";

const env = process.env;
const base = `http://127.0.0.1:${env.E2E_PORT}`;
const work = env.E2E_WORK;
const artifacts = new URL("./artifacts/", import.meta.url).pathname;
const bench = Number(env.E2E_BENCH ?? 0);
mkdirSync(artifacts, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let shot = 0;
async function screenshot(s, name) {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`);
  // The X server's view of the screen (what the candidate sees). WebKitWebDriver's own
  // screenshot endpoint drops the connection under Xvfb without a compositor.
  void s;
  execFileSync("import", ["-display", env.DISPLAY, "-window", "root", file]);
  console.log(`  screenshot ${file}`);
}
const screen = (s) => s.exec("return document.querySelector('main')?.dataset.screen ?? null");
const waitScreen = (s, name, ms = 30000) =>
  s.until(`screen ${name}`, `return document.querySelector('main')?.dataset.screen === arguments[0]`, ms, [name]);

/** Plays a WAV into the virtual microphone (the null sink `vmic`) and waits for it to end. */
function speak(file) {
  return new Promise((resolve, reject) => {
    const p = spawn("paplay", ["--device=vmic", file], { stdio: "inherit" });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`paplay exited ${code}`))));
  });
}

function sql(query) {
  const py = `import sqlite3,json,sys\nc=sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))`;
  return JSON.parse(execFileSync("python3", ["-c", py, join(env.PANELIST_DATA_DIR, "panelist.sqlite3"), query]).toString());
}

function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
  console.log(`  ok: ${message}`);
}

async function main() {
  const started = Date.now();
  const s = await Session.start(base, env.E2E_APP);
  try {
    await waitScreen(s, "welcome", 60000);
    await s.until("an interview card", "return document.querySelector('[data-interview]') !== null");
    console.log(`welcome painted ${Date.now() - started} ms after the WebDriver session was requested`);
    await screenshot(s, "welcome");

    // The kiosk window's capability has no admin commands: calling one is refused.
    const denied = await s.execAsync(
      "const done = arguments[arguments.length - 1];" +
        "window.__TAURI_INTERNALS__.invoke('admin_sessions').then(v => done({ok: true, v}), e => done({ok: false, e: String(e)}));",
    );
    check(denied.ok === false && /not allowed|denied|permission/i.test(denied.e), `admin_sessions refused in the kiosk window (${denied.e})`);
    const allowed = await s.execAsync(
      "const done = arguments[arguments.length - 1];" +
        "window.__TAURI_INTERNALS__.invoke('kiosk_view').then(v => done({ok: true, v}), e => done({ok: false, e: String(e)}));",
    );
    check(allowed.ok === true, "a kiosk command is allowed in the kiosk window");

    await candidate(s, { name: "José Müller", email: "jose@example.com", phone: "+34 600 123 456", answers: bench || 0 });
    if (!bench) await idleCandidate(s);
  } finally {
    await s.end();
  }
}

async function candidate(s, who) {
  await s.click("[data-interview]");
  await waitScreen(s, "consent");
  await screenshot(s, "consent");
  await s.click("#consent-accept");
  await waitScreen(s, "register");
  // Inline validation: a bad email is flagged before anything is sent.
  await s.type("#email", "not-an-email");
  await s.click("#name");
  await s.until("an inline email error", "return document.querySelector('#email-error').textContent.length > 0");
  await s.type("#name", who.name);
  await s.type("#email", who.email);
  await s.type("#phone", who.phone);
  await screenshot(s, "register");
  await s.click("#register-submit");
  await waitScreen(s, "mic");
  check(sql("select count(*) from consents")[0][0] >= 1, "consent is stored before the microphone opens");

  // Microphone check: speak during the 3 s test; it is played back.
  await s.click("#mic-test");
  await sleep(300);
  await speak(join(work, "answers", "mic.wav"));
  await s.until("the mic check to pass", "return !document.querySelector('#mic-continue').disabled", 20000);
  await screenshot(s, "mic-check");
  await s.click("#mic-continue");
  await waitScreen(s, "interview");

  let answered = 0;
  for (;;) {
    const state = await s.until(
      "the answer phase or the end",
      "const st = window.__panelist.state(); return (st.screen === 'finish' || st.phase === 'answering') ? {screen: st.screen, phase: st.phase, progress: st.question?.progress ?? ''} : null",
      90000,
    );
    if (state.screen === "finish") break;
    if (answered === 0 || answered === 1) await screenshot(s, `interview-q${answered + 1}`);
    await speak(join(work, "answers", `${answered % 4}.wav`));
    await sleep(400);
    await s.click("#submit-answer");
    answered += 1;
    console.log(`  answered ${state.progress}`);
    if (answered > 30) throw new Error("the interview did not end");
  }
  await screenshot(s, "finish");
  const latencies = await s.exec("return window.__panelist.metrics.latencies");
  writeFileSync(join(artifacts, "latencies.json"), JSON.stringify(latencies));
  console.log(`submit → next question audio (ms): ${latencies.map((x) => Math.round(x)).join(", ")}`);

  // The store: the session is completed with every answer and its report.
  const sessions = sql("select id, status from sessions order by created_at");
  const done = sessions.filter((r) => r[1] === "completed");
  check(done.length === 1, `one completed session (${JSON.stringify(sessions)})`);
  const id = done[0][0];
  const responses = sql(`select count(*), sum(length(transcript) > 0), sum(audio_path is not null) from responses where session_id='${id}'`)[0];
  check(responses[0] === answered, `${answered} answers committed`);
  check(responses[1] === answered, "every answer has a transcript from whisper");
  check(responses[2] === answered, "every answer kept its audio");
  const report = sql(`select count(*) from reports where session_id='${id}'`)[0][0];
  check(report === 1, "the report is in the store");
  const reportJson = execFileSync(env.E2E_CLI, ["report", "show", id, "--json"]).toString();
  check(JSON.parse(reportJson).candidate.name === who.name, "the report names the candidate");

  // Back to Welcome by itself, with no trace of the candidate on screen or in UI state.
  await waitScreen(s, "welcome", 20000);
  const trace = await s.exec("return document.body.innerText + JSON.stringify(window.__panelist.state())");
  check(!trace.includes(who.name) && !trace.includes(who.email), "the kiosk wiped the candidate before the next one");
  await screenshot(s, "welcome-again");
}

/** A candidate who registers and walks away: the idle timeout abandons the session. */
async function idleCandidate(s) {
  await s.click("[data-interview]");
  await waitScreen(s, "consent");
  await s.click("#consent-accept");
  await waitScreen(s, "register");
  await s.type("#name", "Li Lei 李雷");
  await s.type("#email", "lilei@example.com");
  await s.click("#register-submit");
  await waitScreen(s, "mic");
  const t0 = Date.now();
  await waitScreen(s, "welcome", 60000);
  console.log(`  idle timeout returned to Welcome after ${Math.round((Date.now() - t0) / 1000)} s`);
  await s.until("the session to be abandoned", "return true", 1000);
  const abandoned = sql("select count(*) from sessions where status='abandoned'")[0][0];
  check(abandoned === 1, "the walked-away session is marked abandoned");
  const trace = await s.exec("return document.body.innerText + JSON.stringify(window.__panelist.state())");
  check(!trace.includes("李雷"), "nothing of the walked-away candidate remains on screen");
}

main().catch((e) => {
  console.error(`e2e failed: ${e.stack ?? e}`);
  process.exit(1);
});
