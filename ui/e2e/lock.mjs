// The kiosk's lock, checked from outside the app like an attacker at the screen (xdotool
// and the X window list): used by the kiosk's end-to-end test (debug build) and by the
// installed package's smoke test (release build).
import { execFileSync } from "node:child_process";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The visible X windows (id and name), read from outside the app. */
export function mappedWindows() {
  let ids = [];
  try {
    ids = execFileSync("xdotool", ["search", "--onlyvisible", "."]).toString().trim().split("\n").filter(Boolean);
  } catch {
    ids = []; // xdotool exits 1 when nothing matches
  }
  return ids.map((id) => {
    let name = "";
    try {
      name = execFileSync("xdotool", ["getwindowname", id]).toString().trim();
    } catch {
      name = "";
    }
    return `${id} ${name}`;
  });
}

/**
 * F12, Ctrl+Shift+I, Ctrl+Shift+C, F5, Ctrl+R and a right-click open no web inspector and
 * no menu (no new X window appears), and the page is still the kiosk's Welcome (no reload,
 * no navigation). `check(cond, message)` fails the run; `screenshot(name)` records the
 * screen; `screen()` returns the current screen's name.
 */
export async function checkLocked({ check, screenshot, screen }) {
  const before = mappedWindows();
  const wid = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "^Panelist$"]).toString().trim().split("\n").pop();
  execFileSync("xdotool", ["windowfocus", "--sync", wid]);
  for (const keys of ["F12", "ctrl+shift+i", "ctrl+shift+c", "F5", "ctrl+r"]) {
    execFileSync("xdotool", ["key", "--clearmodifiers", keys]);
  }
  execFileSync("xdotool", ["mousemove", "--window", wid, "30", "30", "click", "3"]);
  await sleep(1500);
  const after = mappedWindows();
  const added = after.filter((w) => !before.includes(w));
  await screenshot("lock-keys");
  check(!after.some((w) => /inspector/i.test(w)), "F12 and Ctrl+Shift+I/C open no web inspector");
  check(added.length === 0, `no new window after the keys and a right-click (${added.length} new: ${added.join(" | ")})`);
  execFileSync("xdotool", ["key", "Escape"]);
  check((await screen()) === "welcome", "the kiosk is still on Welcome (no reload, no navigation)");
}
