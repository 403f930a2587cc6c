// The same bundle serves two windows: the kiosk and admin mode. Which one this is comes
// from the Tauri window label ("admin" → admin mode). Outside Tauri (vite dev, tests)
// `#admin` in the address opens admin mode instead.

import { getCurrentWindow } from "@tauri-apps/api/window";
import { inTauri } from "./backend";

export function windowLabel(): string | null {
  if (!inTauri()) return null;
  try {
    return getCurrentWindow().label;
  } catch {
    return null;
  }
}

export function isAdminWindow(label: string | null = windowLabel(), hash: string = typeof location === "undefined" ? "" : location.hash): boolean {
  if (label !== null) return label === "admin";
  return hash === "#admin";
}
