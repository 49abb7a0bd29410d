// nim's planner alone: which DPC is tested when, fallback, back-off retry, restore.
import type { DevicePortConfig } from "@outpost/types";
import { describe, expect, it } from "vitest";
import {
  initialState,
  type NimAction,
  type NimEvent,
  type NimState,
  type Policy,
  update,
} from "../src/update.js";

const policy: Policy = { retryDelay: (n) => 1000 * 2 ** n, verifyMs: 60_000 };

const dpc = (key: string, timePriority: number, dhcp: "dhcp" | "static" = "dhcp"): DevicePortConfig => ({
  key,
  timePriority,
  ports: [
    {
      ifname: "eth0",
      logicalLabel: "eth0",
      isMgmt: true,
      dhcp,
      addr: dhcp === "static" ? "192.0.2.5/24" : "",
      gateway: "",
      dns: [],
      domain: "",
      ntpServers: [],
      mtu: 0,
    },
  ],
});

function run(events: NimEvent[], s: NimState = initialState): { state: NimState; actions: NimAction[] } {
  let state = s;
  let actions: NimAction[] = [];
  for (const e of events) {
    const r = update(state, e, policy);
    state = r.state;
    actions = r.actions;
  }
  return { state, actions };
}
const tested = (a: NimAction[]) =>
  a.filter((x) => x.kind === "test").map((x) => (x.kind === "test" ? x.dpc.key : ""));

describe("nim planner", () => {
  it("tests the last resort first, and trusts it only once the test passed", () => {
    const r1 = run([{ kind: "source", key: "lastresort", dpc: dpc("lastresort", 0), now: 1 }]);
    expect(tested(r1.actions)).toEqual(["lastresort"]);
    expect(r1.state.current).toBe("");
    const r2 = run([{ kind: "tested", key: "lastresort", ok: true, error: "", now: 2 }], r1.state);
    expect(r2.state.current).toBe("lastresort");
    expect(r2.state.list[0]?.lastSucceeded).toBe(2);
  });

  it("tries a newer DPC at once and falls back to the working one when it fails", () => {
    const base = run([
      { kind: "source", key: "lastresort", dpc: dpc("lastresort", 0), now: 1 },
      { kind: "tested", key: "lastresort", ok: true, error: "", now: 2 },
    ]).state;
    const r = run([{ kind: "source", key: "zedagent", dpc: dpc("zedagent", 100, "static"), now: 10 }], base);
    expect(tested(r.actions)).toEqual(["zedagent"]);
    const f = run(
      [{ kind: "tested", key: "zedagent", ok: false, error: "controller: timeout", now: 20 }],
      r.state,
    );
    // The last resort is applied and tested again (the failed test reconfigured the ports).
    expect(tested(f.actions)).toEqual(["lastresort"]);
    expect(f.state.list[0]).toMatchObject({
      key: "zedagent",
      lastFailed: 20,
      lastError: "controller: timeout",
    });
    const back = run([{ kind: "tested", key: "lastresort", ok: true, error: "", now: 21 }], f.state);
    expect(back.state.current).toBe("lastresort");
    const pub = back.actions.find((a) => a.kind === "publish");
    expect(pub?.kind === "publish" && pub.currentIndex).toBe(1);
    // The newer one is retried after the back-off, not before.
    expect(tested(run([{ kind: "tick", now: 22 }], back.state).actions)).toEqual([]);
    const retry = run([{ kind: "tick", now: back.state.retryAt }], back.state);
    expect(tested(retry.actions)).toEqual(["zedagent"]);
  });

  it("an unchanged source changes nothing; a changed one resets what testing learnt", () => {
    const s = run([
      { kind: "source", key: "zedagent", dpc: dpc("zedagent", 100, "static"), now: 1 },
      { kind: "tested", key: "zedagent", ok: false, error: "x", now: 2 },
    ]).state;
    expect(
      run([{ kind: "source", key: "zedagent", dpc: dpc("zedagent", 200, "static"), now: 3 }], s).actions,
    ).toEqual([]);
    const changed = run([{ kind: "source", key: "zedagent", dpc: dpc("zedagent", 300, "dhcp"), now: 3 }], s);
    expect(changed.state.list[0]).toMatchObject({ lastFailed: 0, lastError: "" });
  });

  it("keeps lastFailed/lastSucceeded across a restart for the same DPC", () => {
    const saved = [{ ...dpc("zedagent", 100, "static"), lastFailed: 5, lastSucceeded: 0, lastError: "bad" }];
    const r = run([
      { kind: "restore", entries: saved },
      { kind: "source", key: "zedagent", dpc: dpc("zedagent", 999, "static"), now: 10 },
    ]);
    expect(r.state.list[0]).toMatchObject({ lastFailed: 5, lastError: "bad", timePriority: 100 });
    expect(tested(r.actions)).toEqual(["zedagent"]);
  });

  it("with nothing working, walks the whole list, then retries from the top after the back-off", () => {
    const s = run([
      { kind: "source", key: "lastresort", dpc: dpc("lastresort", 0), now: 1 },
      { kind: "tested", key: "lastresort", ok: false, error: "no lease", now: 2 },
    ]).state;
    expect(s.current).toBe("");
    const r = run([{ kind: "source", key: "override", dpc: dpc("override", 50, "static"), now: 3 }], s);
    expect(tested(r.actions)).toEqual(["override"]);
    const f = run([{ kind: "tested", key: "override", ok: false, error: "x", now: 4 }], r.state);
    expect(tested(f.actions)).toEqual(["lastresort"]);
    const f2 = run([{ kind: "tested", key: "lastresort", ok: false, error: "y", now: 5 }], f.state);
    expect(tested(f2.actions)).toEqual([]);
    expect(tested(run([{ kind: "tick", now: f2.state.retryAt }], f2.state).actions)).toEqual(["override"]);
  });

  it("re-verifies the DPC in use periodically", () => {
    const s = run([
      { kind: "source", key: "lastresort", dpc: dpc("lastresort", 0), now: 1 },
      { kind: "tested", key: "lastresort", ok: true, error: "", now: 2 },
    ]).state;
    expect(tested(run([{ kind: "tick", now: 2 + 60_000 }], s).actions)).toEqual(["lastresort"]);
  });

  it("a DPC removed while under test: the list is walked again from the top at once, its late result ignored", () => {
    const base = run([
      { kind: "source", key: "lastresort", dpc: dpc("lastresort", 0), now: 1 },
      { kind: "tested", key: "lastresort", ok: true, error: "", now: 2 },
      { kind: "source", key: "zedagent", dpc: dpc("zedagent", 10, "static"), now: 3 },
    ]);
    expect(base.state.testing).toBe("zedagent");
    const removed = run([{ kind: "source", key: "zedagent", dpc: undefined, now: 4 }], base.state);
    expect(tested(removed.actions)).toEqual(["lastresort"]);
    expect(removed.state.testing).toBe("lastresort");
    expect(removed.state.list.map((e) => e.key)).toEqual(["lastresort"]);
    // The superseded test's result, had it come, changes nothing.
    const late = run([{ kind: "tested", key: "zedagent", ok: false, error: "x", now: 5 }], removed.state);
    expect(late.actions).toEqual([]);
    expect(late.state.failures).toBe(0);
    const ok = run([{ kind: "tested", key: "lastresort", ok: true, error: "", now: 6 }], late.state);
    expect(ok.state.current).toBe("lastresort");
  });

  it("a failed higher-priority DPC removed: nothing is retried (the one in use is the top now)", () => {
    const failed = run([
      { kind: "source", key: "lastresort", dpc: dpc("lastresort", 0), now: 1 },
      { kind: "tested", key: "lastresort", ok: true, error: "", now: 2 },
      { kind: "source", key: "zedagent", dpc: dpc("zedagent", 10, "static"), now: 3 },
      { kind: "tested", key: "zedagent", ok: false, error: "no answer", now: 4 },
      { kind: "tested", key: "lastresort", ok: true, error: "", now: 5 },
    ]);
    expect(failed.state.current).toBe("lastresort");
    expect(failed.state.retryAt).toBeGreaterThan(0);
    const due = failed.state.retryAt + 1;
    // Without the removal, the back-off's end walks the list from the top again.
    expect(tested(run([{ kind: "tick", now: due }], failed.state).actions)).toEqual(["zedagent"]);
    const removed = run([{ kind: "source", key: "zedagent", dpc: undefined, now: 6 }], failed.state);
    expect(removed.state.retryAt).toBe(0);
    expect(tested(run([{ kind: "tick", now: due }], removed.state).actions)).toEqual([]);
  });

  it("ignores a test result for a DPC no longer being tested", () => {
    const s = run([{ kind: "source", key: "lastresort", dpc: dpc("lastresort", 0), now: 1 }]).state;
    expect(run([{ kind: "tested", key: "zedagent", ok: true, error: "", now: 2 }], s).actions).toEqual([]);
  });
});
