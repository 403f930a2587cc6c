// Walks every kiosk screen in a real WebKit against the in-memory mock backend (no Rust,
// no Tauri) and checks each with axe-core (WCAG 2.x A/AA; serious or critical fails),
// including the interview while answering, while the question is repeated, and with the
// "Finished?" prompt. Cheap enough to run on every UI change; scripts/ui-smoke.sh sets
// it up. By hand, from ui/ after `npm run build`:
//   npx vite preview --port 4179 --strictPort &
//   Xvfb :97 -screen 0 1400x1000x24 &
//   DISPLAY=:97 WebKitWebDriver --port=4449 &
//   DISPLAY=:97 node e2e/kiosk-mock.smoke.mjs
// Env: KIOSK_URL (default http://127.0.0.1:4179/), WEBDRIVER_URL (default
// http://127.0.0.1:4449), MINIBROWSER (WebKitGTK's MiniBrowser), SHOTS (a folder for
// screenshots taken with ImageMagick's `import`; none when unset).
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { Session } from "./webdriver.mjs";
import { axeCheck } from "./axe.mjs";

const base = process.env.WEBDRIVER_URL ?? "http://127.0.0.1:4449";
// Long (silent) speech so the repeat lasts while axe runs; "Finished?" is sent by hand.
const url = `${process.env.KIOSK_URL ?? "http://127.0.0.1:4179/"}?answer_end=after_silence&turns=manual&speech_ms=6000`;
const browser = process.env.MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const shots = process.env.SHOTS;
if (shots) mkdirSync(shots, { recursive: true });
const res = await fetch(`${base}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: browser, args: ["--automation"] } } } }) });
const body = await res.json();
if (!body.value?.sessionId) throw new Error(`new session failed: ${JSON.stringify(body)}`);
const s = new Session(base, body.value.sessionId);
let n = 0;
const checked = [];
/** Screenshot (when asked for) and axe on what is on screen now. */
const screen = async (name) => {
  n++;
  if (shots && process.env.DISPLAY) {
    execFileSync("sleep", ["0.3"]);
    execFileSync("import", ["-display", process.env.DISPLAY, "-window", "root", `${shots}/${String(n).padStart(2, "0")}-${name}.png`]);
  }
  await axeCheck(s, `kiosk ${name}`);
  checked.push(name);
};
const until = (what, script, args, ms = 10000) => s.until(what, script, ms, args);
const onScreen = (name) => until(`screen ${name}`, "return document.querySelector('main')?.dataset.screen === arguments[0]", [name]);
const state = () => s.exec("return window.__panelist.state()");
const emit = (event) => s.exec("return window.__panelistMock.emit(arguments[0])", [event]);
const check = (c, m) => {
  if (!c) throw new Error("FAIL " + m);
  console.log("ok", m);
};
const errors = [];
const rawClick = s.click.bind(s);
s.click = async (css) => {
  await s.exec("document.querySelector(arguments[0])?.scrollIntoView({block:'center'})", [css]);
  return rawClick(css);
};
try {
  await s.cmd("POST", "/window/rect", { width: 1380, height: 980, x: 0, y: 0 }).catch(() => {});
  await s.cmd("POST", "/url", { url });
  await s.exec("window.__errs = []; window.addEventListener('error', e => window.__errs.push(String(e.message))); window.addEventListener('unhandledrejection', e => window.__errs.push(String(e.reason && (e.reason.message || JSON.stringify(e.reason)))));");
  await onScreen("welcome");
  await until("an interview card", "return document.querySelector('[data-interview]') !== null");
  await screen("welcome");
  await s.type("#code-input", "NOPE");
  await s.click("#code-go");
  await until("the unknown-code error", "return document.querySelector('#welcome-error') !== null");
  await screen("welcome-unknown-code");

  // The attendant's PIN dialog (Ctrl+Alt+P) over the Welcome screen.
  await s.exec("window.dispatchEvent(new KeyboardEvent('keydown', {key: 'p', ctrlKey: true, altKey: true, bubbles: true}))");
  await until("the PIN dialog", "return document.querySelector('#pin-input') !== null");
  await screen("pin-dialog");
  await s.exec("[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Cancel').click()");
  await until("the PIN dialog to close", "return document.querySelector('#pin-input') === null");

  await s.click("[data-interview]");
  await onScreen("consent");
  await screen("consent");
  await s.click("#consent-decline");
  await until("declined", "return document.querySelector('#declined') !== null");
  await screen("declined");
  await s.click("#declined-done");
  await onScreen("welcome");

  await s.click("[data-interview]");
  await onScreen("consent");
  await s.click("#consent-accept");
  await onScreen("register");
  await s.type("#email", "not-an-email");
  await s.click("#name");
  await until("an inline email error", "return document.querySelector('#email-error').textContent.length > 0");
  await screen("register-invalid");
  await s.type("#name", "Zoë Ångström");
  await s.type("#email", "zoe@example.com");
  await s.click("#register-submit");
  await onScreen("mic");
  await screen("mic");
  await s.click("#mic-test");
  await until("the mic check to pass", "return !document.querySelector('#mic-continue').disabled", [], 15000);
  await screen("mic-checked");
  await s.click("#mic-continue");
  await onScreen("interview");
  await until("the avatar speaking", "return window.__panelist.state().phase === 'speaking'");
  await screen("interview-speaking");
  await until("the answer phase", "return window.__panelist.state().phase === 'answering'", [], 15000);
  check(await s.exec("return !document.querySelector('#repeat-question').disabled && document.querySelector('#repeat-question').getAttribute('aria-keyshortcuts') === 'Alt+R'"), "Repeat the question is offered, with Alt+R");
  await screen("interview-answering");

  // Repeat: the answer clock stands still while the question is heard again.
  await s.click("#repeat-question");
  await until("the repeat to start", "return window.__panelist.state().repeating === true");
  await new Promise((r) => setTimeout(r, 300));
  const before = await s.exec("return document.querySelector('#answer-timer').textContent");
  check(await s.exec("return document.querySelector('#repeat-question').disabled"), "the repeat button waits while the question is repeated");
  await screen("interview-repeating");
  await new Promise((r) => setTimeout(r, 1500));
  const during = await s.exec("return document.querySelector('#answer-timer').textContent");
  check(during === before, `the answer time is paused during the repeat (${before} → ${during})`);
  await until("the repeat to end", "const st = window.__panelist.state(); return st.repeating === false && st.phase === 'answering'", [], 15000);
  check(true, "the repeat ended and the answer goes on");

  // Alt+R repeats as the button does; a submit cuts it short.
  await s.exec("window.dispatchEvent(new KeyboardEvent('keydown', {key: 'r', code: 'KeyR', altKey: true, bubbles: true}))");
  await until("the repeat by Alt+R", "return window.__panelist.state().repeating === true");
  check(true, "Alt+R repeats the question");

  // Submitting during the repeat: the answer is saved, the repeat is over.
  await s.click("#submit-answer");
  await until("the next question", "const st = window.__panelist.state(); return st.phase === 'speaking' && st.question?.number === 2 && !st.repeating");
  check(true, "a submit during the repeat goes through and ends it");
  await until("the second answer phase", "return window.__panelist.state().phase === 'answering'", [], 15000);

  // End of turn: "Finished?" with its countdown, withdrawn by speech, then the end.
  check(await emit({ kind: "turn_ending", seconds_left: 3 }), "turn_ending sent");
  await until("the Finished? prompt", "return document.querySelector('#turn-ending') !== null");
  const prompt = await s.exec("const el = document.querySelector('#turn-ending'); return {role: el.getAttribute('role'), live: el.getAttribute('aria-live'), text: el.textContent.replace(/\\s+/g, ' ').trim()}");
  check(prompt.role === "status" && prompt.live === "polite" && /Finished\? Keep talking, or wait and I'll move on [123]/.test(prompt.text), `the prompt: ${JSON.stringify(prompt)}`);
  await screen("interview-turn-ending");
  await emit({ kind: "turn_resumed" });
  await until("the prompt to go", "return document.querySelector('#turn-ending') === null");
  check(true, "turn_resumed withdraws the prompt");
  await emit({ kind: "turn_ending", seconds_left: 3 });
  await emit({ kind: "turn_ended" });
  await onScreen("finish");
  check((await s.exec("return window.__panelistMock.saved.length")) === 2, "turn_ended submitted the last answer");
  await screen("finish");
  await s.click("#finish-done");
  await onScreen("welcome");
  const trace = await s.exec("return document.body.innerText + JSON.stringify(window.__panelist.state())");
  check(!trace.includes("Zoë"), "nothing of the candidate remains");

  // Typed answers.
  await s.click("[data-interview]");
  await onScreen("consent");
  await s.click("#consent-accept");
  await onScreen("register");
  await s.type("#name", "Jane Doe");
  await s.type("#email", "jane@example.com");
  await s.click("#register-submit");
  await onScreen("mic");
  await s.click("#mic-typed");
  await until("the typed answer phase", "return window.__panelist.state().phase === 'answering'", [], 15000);
  await s.type("#typed-answer", "I would write the test first.");
  await screen("interview-typed");
  errors.push(...(await s.exec("return window.__errs")));
  console.log(`axe checked ${checked.length} kiosk states: ${checked.join(", ")}`);
} catch (e) {
  console.log(String(e.stack ?? e));
  errors.push(...((await s.exec("return window.__errs").catch(() => [])) ?? []));
  process.exitCode = 1;
} finally {
  console.log("page errors:", JSON.stringify(errors));
  if (errors.length > 0) process.exitCode = 1;
  await s.end();
}
