// The connection planner on its own: each event sequence a node lives through (onboarding, polls
// answered 200/304/403/404, the controller unreachable before and after a config, tampered answers,
// the checkpoint found, missing or unusable) and what zedagent does about it.
import type { DecodedConfigResponse } from "@outpost/evecloud";
import { LedCount } from "@outpost/types";
import { describe, expect, it } from "vitest";
import {
  type ConnAction,
  type ConnEvent,
  type Connection,
  initialConnection,
  type Step,
  step,
} from "../src/connection.js";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const response = { configHash: "h1" } as DecodedConfigResponse;
const raw = new Uint8Array([1, 2, 3]);

/** Runs events in order from `s`, one second apart; returns the last step and every action. */
function run(s: Connection, events: ConnEvent[]): { last: Step; actions: ConnAction[] } {
  let last: Step = { state: s, actions: [] };
  const actions: ConnAction[] = [];
  events.forEach((e, i) => {
    last = step(last.state, e, new Date(T0.getTime() + i * 1000));
    actions.push(...last.actions);
  });
  return { last, actions };
}

const kinds = (a: ConnAction[]) => a.map((x) => x.kind);
const leds = (a: ConnAction[]) => a.flatMap((x) => (x.kind === "led" ? [x.count] : []));
const logs = (a: ConnAction[], level: string) =>
  a.flatMap((x) => (x.kind === "log" && x.level === level ? [x.msg] : []));

/** Onboarded, attested, first poll running. */
function polling(): Connection {
  return run(initialConnection, [
    { kind: "onboarded", uuid: "u1" },
    { kind: "poll-due" },
    { kind: "attested" },
  ]).last.state;
}

/** A config from the controller applied. */
function withConfig(): Connection {
  return run(polling(), [
    { kind: "config", response, raw },
    { kind: "applied", source: "controller" },
  ]).last.state;
}

describe("connection planner", () => {
  it("does nothing before onboarding: a timer firing polls nothing", () => {
    const r = step(initialConnection, { kind: "poll-due" }, T0);
    expect(r.actions).toEqual([]);
    expect(r.next).toBeUndefined();
  });

  it("onboarded: status connecting, session opened, first poll at once; attests before polling", () => {
    const on = step(initialConnection, { kind: "onboarded", uuid: "u1" }, T0);
    expect(on.state.phase).toBe("connecting");
    expect(on.actions).toContainEqual({ kind: "status", patch: { state: "connecting", deviceUuid: "u1" } });
    expect(on.actions).toContainEqual({ kind: "start-session", uuid: "u1" });
    expect(on.next).toBe("now");
    // A second OnboardingStatus change does not start a second session.
    expect(step(on.state, { kind: "onboarded", uuid: "u1" }, T0).actions).toEqual([]);

    const due = step(on.state, { kind: "poll-due" }, T0);
    expect(due.actions).toEqual([{ kind: "attest" }]);
    const att = step(due.state, { kind: "attested" }, T0);
    expect(att.actions).toEqual([{ kind: "poll" }]);
    expect(att.state.token).toBe("fresh");
  });

  it("a timer firing while a poll runs starts no second one", () => {
    const s = polling();
    expect(s.busy).toBe(true);
    expect(step(s, { kind: "poll-due" }, T0).actions).toEqual([]);
  });

  it("200: connected, applied from the controller, next poll after the period; applied -> LED onboarded", () => {
    const r = step(polling(), { kind: "config", response, raw }, T0);
    expect(r.state).toMatchObject({ phase: "connected", busy: false });
    expect(r.actions).toContainEqual({
      kind: "status",
      patch: { state: "connected", lastPollAt: T0.toISOString(), lastPollResult: "200" },
    });
    expect(r.actions).toContainEqual({ kind: "apply", source: "controller", response, raw });
    expect(r.next).toBe("period");
    const a = step(r.state, { kind: "applied", source: "controller" }, T0);
    expect(a.state.config).toBe("controller");
    expect(leds(a.actions)).toEqual([LedCount.onboarded]);
  });

  it("the next round polls with the token held, without attesting", () => {
    const r = step(withConfig(), { kind: "poll-due" }, T0);
    expect(r.actions).toEqual([{ kind: "poll" }]);
    expect(r.state.token).toBe("held");
  });

  it("304: nothing changes but the LED says config in force", () => {
    const s = step(withConfig(), { kind: "poll-due" }, T0).state;
    const r = step(s, { kind: "answer", status: 304 }, T0);
    expect(kinds(r.actions)).toEqual(["status", "led"]);
    expect(leds(r.actions)).toEqual([LedCount.onboarded]);
    expect(r.next).toBe("period");
  });

  it("404: no config yet, LED onboarded; other statuses are logged and polled again later", () => {
    const r = step(polling(), { kind: "answer", status: 404 }, T0);
    expect(leds(r.actions)).toEqual([LedCount.onboarded]);
    expect(logs(r.actions, "info")[0]).toMatch(/no config for this device yet/);
    const o = step(polling(), { kind: "answer", status: 500 }, T0);
    expect(logs(o.actions, "warn")).toEqual(["config: unexpected HTTP 500"]);
    expect(o.actions).toContainEqual({
      kind: "status",
      patch: { state: "connected", lastPollAt: T0.toISOString(), lastPollResult: "500" },
    });
    expect(o.next).toBe("period");
  });

  it("403 on a held token: drop it, attest and poll again at once; 403 right after attesting: back off", () => {
    const held = step(withConfig(), { kind: "poll-due" }, T0).state;
    const r = step(held, { kind: "answer", status: 403 }, T0);
    expect(r.actions).toContainEqual({ kind: "drop-token" });
    expect(r.state.token).toBe("none");
    expect(r.next).toBe("now");
    const again = run(r.state, [{ kind: "poll-due" }, { kind: "attested" }, { kind: "answer", status: 403 }]);
    expect(kinds(again.actions)).toContain("attest");
    expect(again.last.next).toBe("backoff");
  });

  it("an attestation refused over HTTP (401/403) drops the token; other HTTP errors keep it", () => {
    const s = step(withConfig(), { kind: "poll-due" }, T0).state;
    const r = step(s, { kind: "http-error", status: 401, message: "attest: HTTP 401" }, T0);
    expect(r.state.token).toBe("none");
    expect(r.actions).toContainEqual({ kind: "drop-token" });
    const k = step(s, { kind: "http-error", status: 500, message: "certs: HTTP 500" }, T0);
    expect(k.state.token).toBe("held");
    expect(logs(k.actions, "warn")).toEqual(["certs: HTTP 500"]);
  });

  it("unreachable before any config: offline, LED connecting, the checkpoint is loaded and applied", () => {
    const r = step(
      polling(),
      { kind: "unreachable", failure: "refused", message: "connect ECONNREFUSED" },
      T0,
    );
    expect(r.state).toMatchObject({ phase: "offline", busy: false, checkpoint: "loading" });
    expect(r.actions).toContainEqual({
      kind: "status",
      patch: {
        state: "offline",
        lastPollAt: T0.toISOString(),
        lastPollResult: "refused: connect ECONNREFUSED",
      },
    });
    expect(leds(r.actions)).toEqual([LedCount.connecting]);
    expect(kinds(r.actions)).toContain("load-checkpoint");
    expect(r.next).toBe("period");

    const c = step(r.state, { kind: "checkpoint", response, raw }, T0);
    expect(c.actions).toEqual([{ kind: "apply", source: "checkpoint", response, raw }]);
    const a = step(c.state, { kind: "applied", source: "checkpoint" }, T0);
    expect(a.state).toMatchObject({ config: "checkpoint", phase: "offline" });
    expect(logs(a.actions, "info")).toEqual(["applied the checkpointed config (controller unreachable)"]);
    // Still unreachable: the checkpoint is not read again.
    const again = run(a.state, [
      { kind: "poll-due" },
      { kind: "unreachable", failure: "refused", message: "connect ECONNREFUSED" },
    ]);
    expect(kinds(again.actions)).not.toContain("load-checkpoint");
  });

  it("the same unreachable cause is logged once; another cause and the way back are logged too", () => {
    const down = { kind: "unreachable", failure: "refused", message: "connect ECONNREFUSED" } as const;
    const r = run(withConfig(), [
      { kind: "poll-due" },
      down,
      { kind: "poll-due" },
      down,
      { kind: "poll-due" },
      { kind: "unreachable", failure: "timeout", message: "no answer in 120 s" },
      { kind: "poll-due" },
      { kind: "answer", status: 304 },
    ]);
    expect(logs(r.actions, "warn")).toEqual([
      "controller unreachable: connect ECONNREFUSED; the config in force stays",
      "controller unreachable: no answer in 120 s; the config in force stays",
    ]);
    expect(logs(r.actions, "info")).toEqual(["the controller answers again"]);
    // and info reports waiting out a retry go at once
    expect(kinds(r.actions).filter((k) => k === "reachable")).toHaveLength(1);
    expect(r.last.state).toMatchObject({ phase: "connected", error: undefined });
    // With a config in force, being unreachable never reads the checkpoint.
    expect(kinds(r.actions)).not.toContain("load-checkpoint");
  });

  it("the kept error keeps its first time while the cause stays the same", () => {
    const down = { kind: "unreachable", failure: "refused", message: "connect ECONNREFUSED" } as const;
    const r = run(withConfig(), [{ kind: "poll-due" }, down, { kind: "poll-due" }, down]);
    expect(r.last.state.error?.time).toBe(new Date(T0.getTime() + 1000).toISOString());
    expect(r.last.state.error?.description).toBe("controller unreachable (refused): connect ECONNREFUSED");
  });

  it("no checkpoint yet: looked for again on the next failed poll", () => {
    const down = { kind: "unreachable", failure: "refused", message: "x" } as const;
    const r = run(polling(), [down, { kind: "checkpoint-none" }, { kind: "poll-due" }, down]);
    expect(kinds(r.actions).filter((k) => k === "load-checkpoint")).toHaveLength(2);
  });

  it("an unusable checkpoint is rejected once (LED error) and never tried again", () => {
    const down = { kind: "unreachable", failure: "refused", message: "x" } as const;
    const r = run(polling(), [
      down,
      { kind: "checkpoint-unusable", code: "chain", message: "signing certificate: not signed by the root" },
      { kind: "poll-due" },
      down,
    ]);
    const rejects = r.actions.filter((a) => a.kind === "reject");
    expect(rejects).toEqual([
      {
        kind: "reject",
        code: "chain",
        reason: "checkpoint: signing certificate: not signed by the root",
        at: new Date(T0.getTime() + 1000).toISOString(),
      },
    ]);
    expect(kinds(r.actions).filter((k) => k === "load-checkpoint")).toHaveLength(1);
    expect(r.last.state.checkpoint).toBe("unusable");
    // The controller back with nothing new: LED error stays (the last config seen was refused).
    const back = run(r.last.state, [{ kind: "poll-due" }, { kind: "answer", status: 304 }]);
    expect(leds(back.actions)).toEqual([LedCount.error]);
  });

  it("a checkpoint read while a controller config landed is dropped", () => {
    const s = run(polling(), [
      { kind: "unreachable", failure: "refused", message: "x" },
      { kind: "poll-due" },
      { kind: "attested" },
      { kind: "config", response, raw },
      { kind: "applied", source: "controller" },
    ]).last.state;
    expect(step(s, { kind: "checkpoint", response, raw }, T0).actions).toEqual([]);
  });

  it("a tampered answer is rejected with its code, LED error until a config applies; 304 keeps the error", () => {
    const s = step(withConfig(), { kind: "poll-due" }, T0).state;
    const r = step(
      s,
      { kind: "refused-answer", code: "bad-signature", message: "config: rejected answer" },
      T0,
    );
    expect(r.actions).toContainEqual({
      kind: "status",
      patch: { state: "connected", lastPollAt: T0.toISOString(), lastPollResult: "rejected: bad-signature" },
    });
    expect(r.actions).toContainEqual({
      kind: "reject",
      code: "bad-signature",
      reason: "config: rejected answer",
      at: T0.toISOString(),
    });
    expect(leds(r.actions)).toEqual([LedCount.error]);
    expect(r.state.config).toBe("controller");
    const again = run(r.state, [{ kind: "poll-due" }, { kind: "answer", status: 304 }]);
    expect(leds(again.actions)).toEqual([LedCount.error]);
    const fixed = run(again.last.state, [
      { kind: "poll-due" },
      { kind: "config", response, raw },
      { kind: "applied", source: "controller" },
      { kind: "poll-due" },
      { kind: "answer", status: 304 },
    ]);
    expect(leds(fixed.actions)).toEqual([LedCount.onboarded, LedCount.onboarded]);
  });

  it("a verified config that does not apply is rejected as invalid; the config in force stays", () => {
    const r = run(withConfig(), [
      { kind: "poll-due" },
      { kind: "config", response, raw },
      { kind: "invalid-config", source: "controller", message: "config: datastore s3 not supported" },
    ]);
    expect(r.actions).toContainEqual({
      kind: "reject",
      code: "invalid",
      reason: "config: datastore s3 not supported",
      at: new Date(T0.getTime() + 2000).toISOString(),
    });
    expect(r.last.state).toMatchObject({ config: "controller", rejected: true });
  });

  it("an unexpected failure is logged and polled again after the period", () => {
    const r = step(polling(), { kind: "failed", message: "boom" }, T0);
    expect(r.state.busy).toBe(false);
    expect(logs(r.actions, "error")).toEqual(["config poll failed"]);
    expect(r.next).toBe("period");
  });
});
