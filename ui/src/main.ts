import { mount } from "svelte";
import App from "./App.svelte";
import "./styles.css";
import { inTauri, tauriBackend } from "./lib/backend";
import { mockBackend, mockOptions } from "./lib/backend-mock";
import { isAdminWindow } from "./lib/window-role";

const target = document.getElementById("app");
if (!target) throw new Error("no #app element");

if (isAdminWindow()) {
  // Admin mode is its own chunk: the kiosk window never loads it.
  void (async () => {
    const { default: AdminApp } = await import("./admin/AdminApp.svelte");
    const backend = inTauri() ? (await import("./lib/admin-backend")).tauriAdminBackend : (await import("./lib/admin-mock")).adminMock({ sample: true }).backend;
    mount(AdminApp, { target, props: { backend } });
  })();
} else {
  // In the app the backend is Rust; opened in a plain browser (screen work, the UI smoke
  // test) it is the mock, configured from the address (?answer_end=after_silence&speech_ms=4000)
  // and reachable as `window.__panelistMock` to send it the events Rust would.
  let backend = tauriBackend;
  if (!inTauri()) {
    const mock = mockBackend(mockOptions(new URLSearchParams(location.search)));
    (window as unknown as { __panelistMock: unknown }).__panelistMock = mock;
    backend = mock.backend;
  }
  mount(App, { target, props: { backend } });
}
