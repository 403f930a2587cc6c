// Drives every admin screen in a real WebKit against the in-memory admin mock (no Rust,
// no Tauri): the same data-testids the end-to-end test uses (see AdminApp.svelte). Each
// screen shot is checked with axe-core (e2e/axe.mjs). scripts/ui-smoke.sh runs it.
// Setup, from ui/ after `npm run build`:
//   npx vite preview --port 4179 --strictPort &
//   Xvfb :97 -screen 0 1400x1000x24 &
//   DISPLAY=:97 WebKitWebDriver --port=4449 &
//   DISPLAY=:97 node e2e/admin-mock.smoke.mjs
// Env: ADMIN_URL (default http://127.0.0.1:4179/#admin), WEBDRIVER_URL (default
// http://127.0.0.1:4449), MINIBROWSER (WebKitGTK's MiniBrowser), SHOTS (a folder for
// screenshots taken with ImageMagick's `import`; none when unset).
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { Session } from "./webdriver.mjs";
import { axeCheck } from "./axe.mjs";

const base = process.env.WEBDRIVER_URL ?? "http://127.0.0.1:4449";
const url = process.env.ADMIN_URL ?? "http://127.0.0.1:4179/#admin";
const browser = process.env.MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const shots = process.env.SHOTS;
if (shots) mkdirSync(shots, { recursive: true });
const res = await fetch(`${base}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: browser, args: ["--automation"] } } } }) });
const body = await res.json();
if (!body.value?.sessionId) throw new Error(`new session failed: ${JSON.stringify(body)}`);
const s = new Session(base, body.value.sessionId);
let n = 0;
/** A screenshot (with SHOTS) and axe-core on the screen (serious or critical fails). */
const shot = async (name) => {
  n++;
  if (shots && process.env.DISPLAY) {
    execFileSync("sleep", ["0.4"]);
    execFileSync("import", ["-display", process.env.DISPLAY, "-window", "root", `${shots}/${String(n).padStart(2, "0")}-${name}.png`]);
  }
  if (name !== "failure") await axeCheck(s, `admin ${name}`);
};
const q = (id) => `[data-testid="${id}"]`;
const text = (css) => s.exec("return document.querySelector(arguments[0])?.textContent ?? null", [css]);
const count = (css) => s.exec("return document.querySelectorAll(arguments[0]).length", [css]);
const until = (what, script, args) => s.until(what, script, 8000, args);
const visible = (id) => until(id, "return document.querySelector(arguments[0]) !== null", [q(id)]);
const check = (c, m) => { if (!c) throw new Error("FAIL " + m); console.log("ok", m); };
const errors = [];
// WebKitWebDriver's own scrolling can leave a button under the viewport's edge: centre it first.
const rawClick = s.click.bind(s);
s.click = async (css) => { await s.exec("document.querySelector(arguments[0])?.scrollIntoView({block:'center'})", [css]); return rawClick(css); };
try {
  await s.cmd("POST", "/window/rect", { width: 1380, height: 980, x: 0, y: 0 }).catch(() => {});
  await s.cmd("POST", "/url", { url });
  await s.exec("window.__errs = []; window.addEventListener('error', e => window.__errs.push(String(e.message))); window.addEventListener('unhandledrejection', e => window.__errs.push(String(e.reason && (e.reason.message || JSON.stringify(e.reason)))));");
  await visible("first-email");
  await shot("first-run");
  await s.type(q("first-email"), "ada@example.com");
  await s.type(q("first-name"), "Ada Admin");
  await s.type(q("first-password"), "short");
  await s.type(q("first-confirm"), "short");
  await s.click(q("first-submit"));
  check((await text("#first-password-error")).includes("12"), "short password refused inline");
  await s.type(q("first-password"), "a long enough password");
  await s.type(q("first-confirm"), "a long enough password");
  await s.click(q("first-submit"));
  await visible("nav-audit");
  check((await count("nav.side ul button")) === 7, "admin sees 7 nav entries");
  await shot("interviews");
  await s.click(q("new-interview"));
  await visible("field-job-role");
  await s.type(q("field-job-role"), "QA Engineer");
  await s.type(q("field-job-description"), "Tests our kiosk.");
  await s.type(q("field-focus-areas"), "testing, design");
  await s.type(q("field-num-questions"), "3");
  await s.click(q("generate-questions"));
  await until("3 questions", "return document.querySelectorAll('[data-testid=question-row]').length === 3");
  {
    const first = await s.exec("return document.querySelectorAll('[data-testid=question-text]')[0].value");
    await s.type("#q-0-text", "Edited question one?");
    await s.click('[aria-label="Move question 1 down"]');
    const second = await s.exec("return document.querySelectorAll('[data-testid=question-text]')[1].value");
    check(second === "Edited question one?", `moved down (was ${first})`);
  }
  await s.click(q("generate-questions"));
  await visible("generate-replace");
  check(true, "asks before replacing edited questions");
  await s.exec("[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Keep mine').click()");
  await s.click(q("add-question"));
  check((await count(q("question-row"))) === 4, "added a question");
  await s.type("#q-3-text", "What would you automate first?");
  await s.click(q("hear-question"));
  await until("audio src", "return (document.querySelector('aside audio')?.getAttribute('src') ?? '').startsWith('data:audio/wav;base64,')");
  check(true, "hear it loads a wav into <audio>");
  await shot("editor");
  await s.click(q("save-interview"));
  await until("saved", "return document.querySelector('[data-testid=interview-status]') !== null");
  await s.click(q("publish-interview"));
  await visible("kiosk-code");
  console.log("kiosk code", await text(q("kiosk-code")), "revision", await text('[data-testid=revision]'));
  await shot("published");
  await s.click(q("publish-interview"));
  await until("revision 2", "return document.querySelector('[data-testid=revision]')?.textContent === '2'");
  check(true, "republish makes revision 2");
  await s.exec("[...document.querySelectorAll('button')].find(b => b.textContent.includes('Back to the list')).click()");
  await until("list", "return document.querySelectorAll('[data-testid=interview-row]').length === 3");
  check(true, "list shows 3 interviews");
  await s.exec("[...document.querySelectorAll('[data-testid=interview-row]')].find(r => r.textContent.includes('Data Scientist')).querySelector('[data-testid=open-interview]').click()");
  await visible("archive-interview");
  await s.click(q("archive-interview"));
  await s.click(q("archive-confirm"));
  await until("archived", "return document.querySelector('[data-testid=interview-status]')?.textContent.includes('archived')");
  check(await s.exec("return document.querySelector('[data-testid=field-job-role]').matches(':disabled') && document.querySelectorAll('[data-testid=duplicate-interview]').length === 1"), "archived is read-only, one Duplicate");
  await s.click(q("duplicate-interview"));
  await until("copy", "return document.querySelector('[data-testid=field-job-role]')?.value === 'Data Scientist (copy)' && !document.querySelector('[data-testid=field-job-role]').matches(':disabled')");
  check(true, "duplicate opens an editable draft copy");
  await s.exec("[...document.querySelectorAll('button')].find(b => b.textContent.includes('Back to the list')).click()");
  await until("list of 4", "return document.querySelectorAll('[data-testid=interview-row]').length === 4");

  await s.click(q("nav-sessions"));
  await until("rows", "return document.querySelectorAll('[data-testid=session-row]').length === 3");
  await s.click(q("select-all"));
  check((await text(".toolbar p.muted")).includes("2 selected"), "select all (with a report)");
  await s.click(q("export-selected"));
  await until("export", "return document.querySelector('[data-testid=export-result]').textContent.includes('.zip')");
  check(true, "bulk export shows the zip path");
  await s.exec("document.querySelector('#filter-status').value = 'completed'; document.querySelector('#filter-status').dispatchEvent(new Event('change'))");
  await s.click(q("apply-filters"));
  await until("2 rows", "return document.querySelectorAll('[data-testid=session-row]').length === 2");
  check(true, "status filter");
  await shot("sessions");
  await s.click(q("open-report"));
  await visible("draft-badge");
  // Scores are adjusted before the sign-off: a final report cannot change.
  await s.exec("const k = document.querySelector('#adjust-key'); k.value = 'technical'; k.dispatchEvent(new Event('change'))");
  await s.type(q("adjust-value"), "91");
  await s.type(q("adjust-reason"), "Strong live demo");
  await s.click(q("adjust-submit"));
  await until("adjusted", "return document.querySelector('[data-score=technical]')?.textContent.includes('91(was 48)')");
  check((await s.exec("return document.querySelector('[data-score=technical] rect[stroke-dasharray]') !== null")), "original drawn behind the adjusted bar");
  await s.click(q("review-submit"));
  check((await text("#review-error")).length > 0, "review note required");
  await s.type(q("review-note"), "Listened to Q1; fair.");
  await s.click(q("review-submit"));
  await visible("final-badge");
  console.log(await text(q("final-badge")));
  await s.click(q("play-answer"));
  await until("answer audio", "return document.querySelector('[data-testid=answer] audio') !== null");
  await s.click(q("export-pdf"));
  await until("pdf", "return document.querySelector('[data-testid=export-result]')?.textContent.includes('.pdf')");
  await shot("report");
  await s.click(q("back-to-sessions"));
  await until("reviewed in list", "return [...document.querySelectorAll('[data-testid=session-row]')].some(r => r.textContent.includes('Final'))");
  check(true, "list shows the review after closing the report");

  await s.click(q("nav-candidates"));
  await until("cands", "return document.querySelectorAll('[data-testid=candidate-row]').length === 3");
  const name = await s.exec("return document.querySelector('[data-testid=candidate-row] td').textContent");
  await s.click(q("erase-button"));
  check(await s.exec("return document.querySelector('[data-testid=erase-confirm]').disabled"), "erase disabled before typing the name");
  await s.type(q("erase-confirm-name"), name);
  await s.click(q("erase-confirm"));
  await until("erased", "return document.querySelector('[data-testid=erase-result]').textContent.includes('erased')");
  console.log(await text(q("erase-result")));
  check((await count(q("candidate-row"))) === 2, "row gone");
  await s.click(q("purge-now"));
  await until("purged", "return document.querySelector('[data-testid=purge-result]').textContent.includes('Purge done')");
  await shot("candidates");

  await s.click(q("nav-settings"));
  await visible("settings-save");
  await s.exec("const k = document.querySelector('#mic'); k.value = 'Silent Line In'; k.dispatchEvent(new Event('change'))");
  await s.click(q("mic-test"));
  await until("mic", "return document.querySelector('[data-testid=mic-result]').textContent.includes('Nothing was heard')");
  // How an answer ends: the two times are disabled with "Submit only" and checked inline.
  check(await s.exec("return document.querySelector('#end-silence').disabled && document.querySelector('#end-grace').disabled"), "silence times disabled with Submit only");
  await s.exec("const k = document.querySelector('#answer-end'); k.value = 'after_silence'; k.dispatchEvent(new Event('change'))");
  await until("silence fields enabled", "return !document.querySelector('#end-silence').disabled");
  await s.type(q("settings-end-silence"), "1");
  await s.type(q("settings-end-grace"), "abc");
  await s.click(q("settings-save"));
  check((await text("#end-silence-error")).includes("1.5 to 10"), "silence below 1.5 s refused inline");
  check((await text("#end-grace-error")).includes("1 to 10"), "grace that is not a number refused inline");
  await s.type(q("settings-end-silence"), "2,5");
  await s.type(q("settings-end-grace"), "4");
  await s.type(q("settings-audio-days"), "abc");
  await s.click(q("settings-save"));
  check((await text("#audio-days-error")).length > 0, "bad retention refused inline");
  await s.type(q("settings-audio-days"), "14");
  await s.click(q("settings-save"));
  await until("saved", "return !document.querySelector('[data-testid=settings-message]').hidden");
  check((await text("#end-silence-error")) === "" && (await s.exec("return document.querySelector('#end-silence').value")) === "2.5", "answer end saved (2,5 read as 2.5)");
  await s.type(q("pin-new"), "246810");
  await s.type(q("pin-confirm"), "2469");
  await s.click(q("pin-submit"));
  check((await text("#pin-confirm-error")).length > 0, "PIN mismatch");
  await s.type(q("pin-confirm"), "246810");
  await s.click(q("pin-submit"));
  await until("pin", "return !document.querySelector('[data-testid=pin-message]').hidden");
  await s.click(q("backup"));
  await until("backup", "return document.querySelector('[data-testid=backup-result]').textContent.includes('sqlite')");
  await shot("settings");

  await s.click(q("nav-users"));
  await visible("user-submit");
  await s.type(q("user-email"), "hana@example.com");
  await s.type(q("user-name"), "Hana HR");
  await s.exec("const k = document.querySelector('#user-role'); k.value = 'hr'; k.dispatchEvent(new Event('change'))");
  await s.type(q("user-password"), "another long password");
  await s.click(q("user-submit"));
  await until("user", "return document.querySelectorAll('[data-testid=user-row]').length === 2");
  await shot("users");

  await s.click(q("nav-audit"));
  await until("audit", "return document.querySelectorAll('[data-testid=audit-row]').length > 5");
  await s.click(q("audit-verify"));
  await until("verify", "return document.querySelector('[data-testid=audit-result]').textContent.includes('Chain intact')");
  console.log(await text(q("audit-result")));
  await shot("audit");
  await s.click(q("nav-sync"));
  await visible("sync-status");
  await s.click(q("sync-now"));
  await until("synced", "return document.querySelector('[data-testid=sync-status]').textContent.includes('0 items')");
  await shot("sync");

  await s.click(q("sign-out"));
  await visible("login-email");
  // Failed sign-ins until the throttle answers (the 4th, unless the machine is so slow
  // that the first delay has passed by then), then wait out the delay it names.
  let tries = 0;
  for (; tries < 8 && !(await text(q("login-error")) ?? "").includes("Try again"); tries++) {
    await s.type(q("login-email"), "hana@example.com");
    await s.type(q("login-password"), "wrong");
    await s.click(q("login-submit"));
    await new Promise((r) => setTimeout(r, 150));
  }
  const throttled = (await text(q("login-error"))) ?? "";
  console.log(`after ${tries} failures:`, throttled);
  check(throttled.includes("Try again"), "throttle message shown");
  await shot("throttled");
  const wait = Number(/Try again in (\d+) s/.exec(throttled)?.[1] ?? 2);
  await new Promise((r) => setTimeout(r, wait * 1000 + 300));
  await s.type(q("login-email"), "hana@example.com");
  await s.type(q("login-password"), "another long password");
  await s.click(q("login-submit"));
  await visible("nav-sessions");
  check((await count("nav.side ul button")) === 2, "HR sees 2 nav entries");
  check((await count(q("nav-interviews"))) === 0, "HR has no Interviews");
  await shot("hr");
  errors.push(...(await s.exec("return window.__errs")));
} catch (e) {
  console.log(String(e));
  await shot("failure");
  console.log("messages:", await s.exec("return [...document.querySelectorAll('.error, .field-error, .notice')].map(e => e.textContent.trim()).filter(Boolean).join(' | ')").catch(String));
  console.log("scroll width", await s.exec("return [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.querySelector('main.content')?.scrollWidth]").catch(String));
  errors.push(...((await s.exec("return window.__errs").catch(() => [])) ?? []));
  process.exitCode = 1;
} finally {
  console.log("page errors:", JSON.stringify(errors));
  if (errors.length > 0) process.exitCode = 1;
  await s.end();
}
