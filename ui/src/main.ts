import { mount } from "svelte";
import App from "./App.svelte";
import "./styles.css";
import { inTauri, tauriBackend } from "./lib/backend";
import { mockBackend } from "./lib/backend-mock";

// In the app the backend is Rust; opened in a plain browser (screen work) it is the mock.
const backend = inTauri() ? tauriBackend : mockBackend().backend;

const target = document.getElementById("app");
if (!target) throw new Error("no #app element");
mount(App, { target, props: { backend } });
