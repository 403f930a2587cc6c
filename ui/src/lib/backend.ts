// The one way the UI reaches Rust. `tauriBackend` calls the kiosk's Tauri commands;
// `mockBackend` (backend-mock.ts) stands in for UI tests and for working on screens
// without the app.

import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AnswerMode,
  AnswerStarted,
  ConsentNotice,
  InterviewCard,
  KioskEvent,
  KioskView,
  MicCheck,
  QuestionView,
  Registered,
  RegistrationForm,
  SpeechClip,
  Step,
  UiError,
} from "./bindings";

export interface Backend {
  view(): Promise<KioskView>;
  ready(): Promise<number>;
  interviews(): Promise<InterviewCard[]>;
  find(code: string): Promise<InterviewCard>;
  notice(): Promise<ConsentNotice>;
  consent(interview: string, accepted: boolean): Promise<void>;
  register(form: RegistrationForm): Promise<Registered>;
  micCheckStart(onEvent: (e: KioskEvent) => void): Promise<string>;
  micCheckStop(): Promise<MicCheck>;
  begin(): Promise<QuestionView>;
  speechFinished(mode: AnswerMode, onEvent: (e: KioskEvent) => void): Promise<AnswerStarted>;
  submit(typed: string | null): Promise<Step>;
  /** "Repeat the question": the answer clock stops in Rust; returns the question's speech. */
  repeatQuestion(): Promise<SpeechClip>;
  /** The repeated question was heard (or its audio failed or was cut short): the clock runs again. */
  repeatFinished(): Promise<void>;
  abandon(): Promise<string | null>;
  wipe(): Promise<void>;
  unlock(pin: string): Promise<void>;
}

/** Errors from Rust arrive as `UiError`; anything else is wrapped as internal. */
export function asUiError(e: unknown): UiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as UiError;
  return { code: "internal", message: String(e), field: null };
}

function channel(onEvent: (e: KioskEvent) => void): Channel<KioskEvent> {
  const ch = new Channel<KioskEvent>();
  ch.onmessage = onEvent;
  return ch;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asUiError(e);
  }
}

export const tauriBackend: Backend = {
  view: () => call("kiosk_view"),
  ready: () => call("kiosk_ready"),
  interviews: () => call("kiosk_interviews"),
  find: (code) => call("kiosk_find", { code }),
  notice: () => call("kiosk_notice"),
  consent: (interview, accepted) => call("kiosk_consent", { interview, accepted }),
  register: (form) => call("kiosk_register", { form }),
  micCheckStart: (onEvent) => call("kiosk_mic_check_start", { events: channel(onEvent) }),
  micCheckStop: () => call("kiosk_mic_check_stop"),
  begin: () => call("kiosk_begin"),
  speechFinished: (mode, onEvent) => call("kiosk_speech_finished", { mode, events: channel(onEvent) }),
  submit: (typed) => call("kiosk_submit", { typed }),
  repeatQuestion: () => call("kiosk_repeat_question"),
  repeatFinished: () => call("kiosk_repeat_finished"),
  abandon: () => call("kiosk_abandon"),
  wipe: () => call("kiosk_wipe"),
  unlock: (pin) => call("kiosk_unlock", { pin }),
};

/** True inside the Tauri app (the IPC bridge is injected); false in a plain browser. */
export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}
