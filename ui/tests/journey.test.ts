import { describe, expect, it } from "vitest";
import { mockBackend } from "../src/lib/backend-mock";
import { Journey, initialState, percentile } from "../src/lib/journey";

async function throughRegistration(j: Journey) {
  await j.load();
  await j.choose(j.state.interviews[0]!);
  await j.consent(true);
  const ok = await j.register({ name: "Zoë Ångström", email: "zoe@example.com", phone: "+46 70 123 4567", resume: null });
  expect(ok).toBe(true);
}

describe("the candidate's journey", () => {
  it("goes welcome → consent → register → mic → interview → finish in order", async () => {
    const mock = mockBackend();
    const j = new Journey(mock.backend);
    await j.load();
    expect(j.state.screen).toBe("welcome");
    await j.choose(j.state.interviews[0]!);
    expect(j.state.screen).toBe("consent");
    expect(j.state.notice?.version).toBe("mock-v1");
    await j.consent(true);
    expect(j.state.screen).toBe("register");
    await j.register({ name: "Jane Doe", email: "jane@example.com", phone: null, resume: null });
    expect(j.state.screen).toBe("mic");
    await j.micStart();
    expect(j.state.level).toBe(-20);
    await j.micStop();
    expect(j.state.micCheck?.silent).toBe(false);
    await j.begin("voice");
    expect(j.state.screen).toBe("interview");
    expect(j.state.phase).toBe("speaking");
    expect(j.state.question?.progress).toBe("Question 1 of 2");
    await j.speechDone();
    expect(j.state.phase).toBe("answering");
    expect(j.state.partial).toBe("I built");
    await j.submit();
    expect(j.state.question?.number).toBe(2);
    expect(j.state.phase).toBe("speaking");
    await j.speechDone();
    await j.submit();
    expect(j.state.screen).toBe("finish");
    const order = mock.calls.map((c) => c.cmd);
    expect(order.indexOf("consent")).toBeLessThan(order.indexOf("register"));
    expect(order.indexOf("register")).toBeLessThan(order.indexOf("micCheckStart"));
  });

  it("never opens the microphone before consent", async () => {
    const mock = mockBackend();
    const j = new Journey(mock.backend);
    await j.load();
    await j.choose(j.state.interviews[0]!);
    await j.micStart();
    expect(j.state.error?.code).toBe("wrong_state");
    expect(j.state.micDevice).toBeNull();
  });

  it("declining ends politely and stores nothing", async () => {
    const mock = mockBackend();
    const j = new Journey(mock.backend);
    await j.load();
    await j.choose(j.state.interviews[0]!);
    await j.consent(false);
    expect(j.state.screen).toBe("declined");
    expect(mock.calls.some((c) => c.cmd === "register")).toBe(false);
    await j.reset();
    expect(j.state.screen).toBe("welcome");
  });

  it("enters an interview by code and reports an unknown code", async () => {
    const j = new Journey(mockBackend().backend);
    await j.load();
    await j.enterCode("nope");
    expect(j.state.screen).toBe("welcome");
    expect(j.state.error?.code).toBe("not_found");
    await j.enterCode("abc123");
    expect(j.state.screen).toBe("consent");
    expect(j.state.error).toBeNull();
  });

  it("shows a field error from Rust without leaving the form", async () => {
    const j = new Journey(mockBackend().backend);
    await j.load();
    await j.choose(j.state.interviews[0]!);
    await j.consent(true);
    const ok = await j.register({ name: "Jane", email: "not-an-email", phone: null, resume: null });
    expect(ok).toBe(false);
    expect(j.state.screen).toBe("register");
    expect(j.state.error?.field).toBe("email");
  });

  it("says clearly when no microphone works, and typed answers still go", async () => {
    const j = new Journey(mockBackend({ noMicrophone: true }).backend);
    await throughRegistration(j);
    await j.micStart();
    expect(j.state.error?.code).toBe("no_microphone");
    await j.begin("typed");
    await j.speechDone();
    await j.submit("I would use a queue.");
    expect(j.state.answered).toBe(1);
  });

  it("submits typed answers as text and voice answers as audio", async () => {
    const mock = mockBackend({ questions: ["Q1"] });
    const j = new Journey(mock.backend);
    await throughRegistration(j);
    await j.begin("typed");
    await j.speechDone();
    await j.submit("typed words here");
    expect(mock.saved).toEqual(["typed words here"]);
    expect(j.state.screen).toBe("finish");
  });

  it("ignores a second submit and a submit while the avatar speaks", async () => {
    const mock = mockBackend();
    const j = new Journey(mock.backend);
    await throughRegistration(j);
    await j.begin("voice");
    await j.submit(); // still speaking
    expect(mock.calls.filter((c) => c.cmd === "submit")).toHaveLength(0);
    await j.speechDone();
    await Promise.all([j.submit(), j.submit()]);
    expect(mock.calls.filter((c) => c.cmd === "submit")).toHaveLength(1);
  });

  it("wipes every trace of the candidate when it returns to Welcome", async () => {
    const mock = mockBackend({ questions: ["Q1"] });
    const j = new Journey(mock.backend);
    await throughRegistration(j);
    await j.begin("voice");
    await j.speechDone();
    await j.submit();
    expect(j.state.screen).toBe("finish");
    await j.reset();
    const dump = JSON.stringify(j.state);
    expect(dump).not.toContain("Zoë");
    expect(dump).not.toContain("zoe@example.com");
    expect(dump).not.toContain("I built");
    expect({ ...j.state, interviews: [] }).toEqual({ ...initialState(), interviews: [] });
    expect(mock.calls.at(-2)?.cmd).toBe("wipe");
  });

  it("abandons an open session on idle timeout and wipes", async () => {
    const mock = mockBackend();
    const j = new Journey(mock.backend);
    await throughRegistration(j);
    await j.begin("voice");
    await j.speechDone();
    await j.submit(); // one answer saved
    await j.abandon();
    expect(mock.abandonedCount()).toBe(1);
    expect(mock.saved).toHaveLength(1); // the saved answer is kept
    expect(j.state.screen).toBe("welcome");
    expect(JSON.stringify(j.state)).not.toContain("Zoë");
  });

  it("measures submit → next question audio", async () => {
    let t = 0;
    const j = new Journey(mockBackend().backend, () => t);
    await throughRegistration(j);
    await j.begin("voice");
    j.audioStarted(); // first question: no submit before it
    await j.speechDone();
    t = 1000;
    await j.submit();
    t = 1420;
    j.audioStarted();
    expect(j.metrics.latencies).toEqual([420]);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
  });
});
