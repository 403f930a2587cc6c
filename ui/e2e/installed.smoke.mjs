// Smoke test of the installed package (scripts/deb-smoke.sh): the installed release
// `panelist-kiosk`, started by tauri-driver from an empty HOME with no source tree on its
// paths, paints Welcome (so it found its speech model and UI without the repository), says
// it is not ready before staff have set it up, and keeps its lock (no inspector, no menu,
// no reload) in the release build.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { checkLocked } from "./lock.mjs";
import { Session } from "./webdriver.mjs";

const env = process.env;
const base = `http://127.0.0.1:${env.E2E_PORT}`;
const artifacts = env.E2E_ARTIFACTS;
mkdirSync(artifacts, { recursive: true });

function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
  console.log(`  ok: ${message}`);
}
function screenshot(name) {
  const file = join(artifacts, `installed-${name}.png`);
  execFileSync("import", ["-display", env.DISPLAY, "-window", "root", file]);
  console.log(`  screenshot ${file}`);
}

async function main() {
  const started = Date.now();
  const s = await Session.start(base, env.E2E_APP);
  const screen = () => s.exec("return document.querySelector('main')?.dataset.screen ?? null");
  try {
    await s.until("Welcome", "return document.querySelector('main')?.dataset.screen === 'welcome'", 60000);
    console.log(`welcome painted ${Date.now() - started} ms after the WebDriver session was requested`);
    screenshot("welcome");
    const notice = await s.exec("return document.querySelector('#not-set-up')?.textContent ?? null");
    check(notice !== null && /not ready/.test(notice), "a fresh install says it is not ready for interviews until staff set it up");
    const hrefs = await s.exec("return location.protocol + '//' + location.host");
    check(/^tauri:|^http:\/\/tauri\.localhost/.test(hrefs), `the UI is served from the binary (${hrefs}), not from a dev server or a file`);
    await checkLocked({ check, screenshot, screen });
  } finally {
    await s.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
