// Drives the real kiosk app through a whole interview. Run by scripts/e2e.sh, which
// sets up the display, the virtual microphone, the data directory and tauri-driver.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkLocked } from "./lock.mjs";
import { player } from "./player.mjs";
import { Session } from "./webdriver.mjs";

const env = process.env;
const base = `http://127.0.0.1:${env.E2E_PORT}`;
const work = env.E2E_WORK;
const artifacts = new URL("./artifacts/", import.meta.url).pathname;
const bench = Number(env.E2E_BENCH ?? 0);
/** "silence": answers end by themselves (end of turn after silence); no clicks. */
const silenceMode = env.E2E_ANSWER_END === "silence";
/** Press "Repeat the question" once, on the first question. */
const repeatOnce = env.E2E_REPEAT === "1";
const run = silenceMode ? "silence" : "click";
mkdirSync(artifacts, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let shot = env.E2E_ANSWER_END === "silence" ? 50 : 0;
async function screenshot(s, name) {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`);
  // The X server's view of the screen (what the candidate sees). WebKitWebDriver's own
  // screenshot endpoint drops the connection under Xvfb without a compositor.
  execFileSync("import", ["-display", env.DISPLAY, "-window", "root", file]);
  console.log(`  screenshot ${file}`);
  // Every screen shot is also checked with axe-core (serious or critical fails the run).
  const { axeCheck } = await import("./axe.mjs");
  await axeCheck(s, name);
}
const screen = (s) => s.exec("return document.querySelector('main')?.dataset.screen ?? null");
const waitScreen = (s, name, ms = 30000) =>
  s.until(`screen ${name}`, `return document.querySelector('main')?.dataset.screen === arguments[0]`, ms, [name]);

/** Plays a WAV into the virtual microphone (the null sink `vmic`) and waits for it to end. */
function speak(file) {
  return new Promise((resolve, reject) => {
    const p = spawn(...player("--device=vmic", file), { stdio: "inherit" });
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
    if (!bench && !silenceMode) {
      await checkLocked({ check, screenshot: (name) => screenshot(s, name), screen: () => screen(s) });
    }

    const who = silenceMode
      ? { name: "Amara Okafor", email: "amara@example.com", phone: "+44 20 7946 0958" }
      : { name: "José Müller", email: "jose@example.com", phone: "+34 600 123 456" };
    await candidate(s, who);
    if (!bench && !silenceMode) await idleCandidate(s);
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
  let repeat = null;
  const answerWall = [];
  for (;;) {
    const state = await s.until(
      "the answer phase or the end",
      "const st = window.__panelist.state(); return (st.screen === 'finish' || (st.phase === 'answering' && !st.repeating)) ? {screen: st.screen, phase: st.phase, progress: st.question?.progress ?? ''} : null",
      90000,
    );
    if (state.screen === "finish") break;
    const began = Date.now();
    if (answered === 0 || answered === 1) await screenshot(s, `interview-${run}-q${answered + 1}`);
    if (repeatOnce && answered === 0) {
      // "Repeat the question": the avatar asks again and the answer clock stands still.
      const t0 = Date.now();
      await s.click("#repeat-question");
      await s.until("the repeat to start", "return window.__panelist.state().repeating === true", 10000);
      await screenshot(s, "interview-repeat");
      await s.until("the repeat to end", "const st = window.__panelist.state(); return st.repeating === false && st.phase === 'answering'", 60000);
      repeat = { ms: Date.now() - t0 };
      console.log(`  repeated the question (${repeat.ms} ms)`);
    }
    await speak(join(work, "answers", `${answered % 4}.wav`));
    if (silenceMode) {
      // Nobody clicks: "Finished?" appears after 3 s of silence, and the answer ends 3 s later.
      await s.until("the Finished? prompt", "return document.querySelector('#turn-ending') !== null", 60000);
      if (answered === 0) await screenshot(s, "interview-turn-ending");
      await s.until("the answer to end by itself", "return window.__panelist.state().phase !== 'answering'", 60000);
    } else {
      await sleep(400);
      await s.click("#submit-answer");
    }
    answerWall.push(Date.now() - began);
    answered += 1;
    console.log(`  answered ${state.progress}`);
    if (answered > 30) throw new Error("the interview did not end");
  }
  await screenshot(s, `finish-${run}`);
  const metrics = await s.exec("return window.__panelist.metrics");
  const latencies = metrics.latencies;
  writeFileSync(join(artifacts, bench ? "latencies.json" : `latencies-${run}.json`), JSON.stringify(latencies));
  writeFileSync(join(artifacts, bench ? "turns.json" : `turns-${run}.json`), JSON.stringify(metrics.turns ?? []));
  console.log(`answer end → next question audio (ms): ${latencies.map((x) => Math.round(x)).join(", ")}`);

  // The store: this candidate's session is completed with every answer and its report.
  const sessions = sql("select id, status from sessions order by created_at");
  const last = sessions[sessions.length - 1];
  check(last && last[1] === "completed", `the candidate's session is completed (${JSON.stringify(sessions)})`);
  const id = last[0];
  const responses = sql(`select count(*), sum(length(transcript) > 0), sum(audio_path is not null) from responses where session_id='${id}'`)[0];
  check(responses[0] === answered, `${answered} answers committed`);
  check(responses[1] === answered, "every answer has a transcript from whisper");
  check(responses[2] === answered, "every answer kept its audio");
  if (answered >= 2) {
    // The second answer thinks for 4 s before its last sentence: nothing was cut off.
    const second = sql(`select transcript from responses where session_id='${id}' and question_number=2`)[0][0].toLowerCase();
    check(/latency|milliseconds|seconds/.test(second), `the answer with a 4 s thinking pause is whole: "${second}"`);
  }
  if (repeat) {
    const [secs] = sql(`select answer_seconds from responses where session_id='${id}' and question_number=1`)[0];
    const wall = answerWall[0] / 1000;
    check(secs <= wall - repeat.ms / 1000 + 1.5, `the repeat did not use answer time (${secs.toFixed(1)} s counted, ${wall.toFixed(1)} s on the wall, ${(repeat.ms / 1000).toFixed(1)} s repeating)`);
  }
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
