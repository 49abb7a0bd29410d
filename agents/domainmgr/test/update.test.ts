import { Backoff } from "@outpost/primitives";
import type { DomainConfig, DomainStatus } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { containerName, createOptions, type Observed, specHash } from "../src/container-spec.js";
import { freshMemory, type Memory, type UpdateInput, type UpdateResult, update } from "../src/update.js";

const UUID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const NOW = 1_700_000_000_000;
// Jitter on, as in the agent: a back-off of `base` waits between base / 2 and base.
const policy = { backoff: new Backoff({ minMs: 1000, maxMs: 8000 }), stableMs: 60_000 };

function config(o: Partial<DomainConfig> = {}): DomainConfig {
  return {
    uuid: UUID,
    version: "1",
    displayName: "web",
    activate: true,
    image: "sha256:aaa",
    env: { A: "1" },
    mounts: [{ volume: "vol1", target: "/data", readOnly: false }],
    memoryBytes: 64 << 20,
    cpus: 0.5,
    restartCounter: 0,
    ...o,
  };
}

function container(cfg: DomainConfig, o: Partial<Observed> = {}): Observed {
  return {
    id: "c1",
    name: "outpost-x-web-6ba7b810",
    running: true,
    exitCode: 0,
    oomKilled: false,
    engineError: "",
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: undefined,
    spec: specHash(cfg),
    ...o,
  };
}

function input(o: Partial<UpdateInput>): UpdateInput {
  return {
    uuid: UUID,
    config: config(),
    container: null,
    mem: { ...freshMemory(), handledRestartCounter: 0 },
    prevStatus: undefined,
    now: NOW,
    busy: false,
    configsComplete: true,
    policy,
    ...o,
  };
}

const kinds = (r: { actions: { kind: string }[] }) => r.actions.map((a) => a.kind);

/** The one action of `r` is a wakeAt within the jittered back-off of `base` ms after `from`; its time. */
function wakeWithin(r: UpdateResult, from: number, base: number): number {
  const [a, ...rest] = r.actions;
  expect(rest).toEqual([]);
  if (a?.kind !== "wakeAt") throw new Error(`expected one wakeAt, got ${JSON.stringify(r.actions)}`);
  const at = a.at;
  expect(at).toBeGreaterThanOrEqual(from + base / 2);
  expect(at).toBeLessThanOrEqual(from + base);
  return at;
}

describe("update: creating and starting", () => {
  it("no container yet -> create, BOOTING", () => {
    const r = update(input({}));
    expect(kinds(r)).toEqual(["create"]);
    expect(r.status?.state).toBe("BOOTING");
    expect(r.status?.activated).toBe(true);
  });

  it("created, not started -> start", () => {
    const cfg = config();
    const r = update(input({ container: container(cfg, { running: false, startedAt: undefined }) }));
    expect(r.actions).toEqual([{ kind: "start", id: "c1" }]);
    expect(r.status?.state).toBe("BOOTING");
  });

  it("running -> RUNNING with container id, name and start time", () => {
    const r = update(input({ container: container(config()) }));
    expect(r.actions).toEqual([]);
    expect(r.status).toMatchObject({
      state: "RUNNING",
      containerId: "c1",
      startedAt: "2026-01-01T00:00:00Z",
    });
    expect(r.mem.expectRunning).toBe(true);
  });

  it("before the engine was listed: nothing is done (no second copy of an adopted app)", () => {
    const r = update(input({ container: undefined }));
    expect(r.actions).toEqual([]);
    expect(r.status?.state).toBe("INITIAL");
  });

  it("busy: no new decision, last status kept", () => {
    const prev = { state: "BOOTING" } as DomainStatus;
    const r = update(input({ busy: true, prevStatus: prev }));
    expect(r.actions).toEqual([]);
    expect(r.status).toBe(prev);
  });
});

describe("update: engine", () => {
  it("no engine yet: INITIAL with the reason, nothing done", () => {
    const r = update(
      input({
        container: undefined,
        engineError: "no Docker engine answers at unix:///x.sock: connect ENOENT",
      }),
    );
    expect(r.actions).toEqual([]);
    expect(r.status?.state).toBe("INITIAL");
    expect(r.status?.error?.description).toMatch(/^no Docker engine answers/);
    expect(r.status?.error?.retryCondition).toBe("waiting for the Docker engine");
  });
});

describe("update: activate, restart counter, changes", () => {
  it("activate=false while running -> stop, HALTING; stopped -> HALTED, kept", () => {
    const cfg = config({ activate: false });
    const r = update(
      input({
        config: cfg,
        container: container(cfg),
        mem: { ...freshMemory(), expectRunning: true, handledRestartCounter: 0 },
      }),
    );
    expect(r.actions).toEqual([{ kind: "stop", id: "c1" }]);
    expect(r.status?.state).toBe("HALTING");
    expect(r.mem.expectRunning).toBe(false);
    const h = update(
      input({
        config: cfg,
        container: container(cfg, { running: false, exitCode: 143, finishedAt: "2026-01-01T00:01:00Z" }),
        mem: r.mem,
      }),
    );
    expect(h.actions).toEqual([]);
    expect(h.status).toMatchObject({ state: "HALTED", activated: false, exitCode: 143 });
    expect(h.status?.error).toBeUndefined();
  });

  it("activate=true again after a halt -> start at once (no back-off: we stopped it)", () => {
    const cfg = config();
    const r = update(
      input({
        config: cfg,
        container: container(cfg, { running: false, exitCode: 143, finishedAt: "2026-01-01T00:01:00Z" }),
      }),
    );
    expect(r.actions).toEqual([{ kind: "start", id: "c1" }]);
  });

  it("restart counter bumped while running -> one restart, then RUNNING", () => {
    const cfg = config({ restartCounter: 1 });
    const r = update(input({ config: cfg, container: container(cfg) }));
    expect(r.actions).toEqual([{ kind: "restart", id: "c1" }]);
    expect(r.mem.handledRestartCounter).toBe(1);
    const again = update(input({ config: cfg, container: container(cfg), mem: r.mem }));
    expect(again.actions).toEqual([]);
    expect(again.status).toMatchObject({ state: "RUNNING", restartCounter: 1 });
  });

  it("first sight of a domain (after our restart, nothing saved): its counter is taken as done", () => {
    const cfg = config({ restartCounter: 5 });
    const r = update(input({ config: cfg, container: container(cfg), mem: freshMemory() }));
    expect(r.actions).toEqual([]);
    expect(r.status?.restartCounter).toBe(5);
  });

  it.each([
    ["image", { image: "sha256:bbb" }],
    ["env", { env: { A: "2" } }],
    ["mounts", { mounts: [] }],
    ["memory", { memoryBytes: 128 << 20 }],
    ["cpus", { cpus: 1 }],
    ["version", { version: "2" }],
  ])("a change of %s -> remove (then create)", (_what, change) => {
    const old = config();
    const r = update(input({ config: config(change), container: container(old) }));
    expect(r.actions).toEqual([{ kind: "remove", id: "c1" }]);
    expect(
      update(input({ config: config(change), container: null, mem: r.mem })).actions.map((a) => a.kind),
    ).toEqual(["create"]);
  });

  it("a change of restart counter or activate only does not recreate", () => {
    const old = config();
    expect(kinds(update(input({ config: config({ activate: false }), container: container(old) })))).toEqual([
      "stop",
    ]);
  });
});

describe("update: deletion and orphans", () => {
  it("config deleted -> remove the container, HALTING; once gone -> no status", () => {
    const r = update(input({ config: undefined, container: container(config()) }));
    expect(r.actions).toEqual([{ kind: "remove", id: "c1" }]);
    expect(r.status?.state).toBe("HALTING");
    expect(update(input({ config: undefined, container: null })).status).toBeUndefined();
  });

  it("a labelled container without config is left alone until the config table is complete", () => {
    const r = update(input({ config: undefined, container: container(config()), configsComplete: false }));
    expect(r.actions).toEqual([]);
  });
});

describe("update: failures and back-off", () => {
  const exited = (code: number, o: Partial<Observed> = {}) =>
    container(config(), {
      running: false,
      exitCode: code,
      startedAt: "2026-01-01T00:00:00Z",
      finishedAt: "2026-01-01T00:00:01Z",
      ...o,
    });

  it("an app that exits non-zero -> BROKEN with the exit code, restart after back-off, counted", () => {
    const mem: Memory = { ...freshMemory(), expectRunning: true, handledRestartCounter: 0 };
    const r = update(input({ container: exited(3), mem }));
    expect(r.status).toMatchObject({ state: "BROKEN", exitCode: 3 });
    expect(r.status?.error?.description).toBe("app exited with code 3");
    expect(r.status?.error?.source).toEqual({ type: "Domain", id: UUID, name: "web" });
    const at = wakeWithin(r, NOW, 1000);
    // Too early: still waiting, for the same time.
    expect(update(input({ container: exited(3), mem: r.mem, now: at - 1 })).actions).toEqual([
      { kind: "wakeAt", at },
    ]);
    const due = update(input({ container: exited(3), mem: r.mem, now: at }));
    expect(due.actions).toEqual([{ kind: "start", id: "c1" }]);
    expect(due.status?.failedRestarts).toBe(1);
    // Started, exits again: the next delay doubles.
    const again = update(
      input({ container: exited(3), mem: { ...due.mem, expectRunning: true }, now: NOW + 2000 }),
    );
    wakeWithin(again, NOW + 2000, 2000);
  });

  it("exit 0 while it should run -> HALTED with a warning, restarted too", () => {
    const r = update(
      input({
        container: exited(0),
        mem: { ...freshMemory(), expectRunning: true, handledRestartCounter: 0 },
      }),
    );
    expect(r.status).toMatchObject({ state: "HALTED", exitCode: 0 });
    expect(r.status?.error?.severity).toBe("warning");
    expect(kinds(r)).toEqual(["wakeAt"]);
  });

  it("OOM kill is named", () => {
    const r = update(
      input({
        container: exited(137, { oomKilled: true }),
        mem: { ...freshMemory(), expectRunning: true, handledRestartCounter: 0 },
      }),
    );
    expect(r.status?.error?.description).toBe("app exited with code 137 (killed: out of memory)");
  });

  it("the engine marks the OOM kill after the exit event: the next look names it", () => {
    const first = update(
      input({
        container: exited(137),
        mem: { ...freshMemory(), expectRunning: true, handledRestartCounter: 0 },
      }),
    );
    expect(first.status?.error?.description).toBe("app exited with code 137");
    const again = update(
      input({ container: exited(137, { oomKilled: true }), mem: first.mem, now: NOW + 50 }),
    );
    expect(again.status?.state).toBe("BROKEN");
    expect(again.status?.error?.description).toBe("app exited with code 137 (killed: out of memory)");
  });

  it("a run longer than stableMs resets the back-off", () => {
    const mem: Memory = { ...freshMemory(), expectRunning: true, attempts: 3, handledRestartCounter: 0 };
    const r = update(input({ container: exited(1, { finishedAt: "2026-01-01T00:10:00Z" }), mem }));
    wakeWithin(r, NOW, 1000);
  });

  it("create refused (bad image) -> BROKEN with the engine's error, retried after back-off", () => {
    const mem: Memory = {
      ...freshMemory(),
      handledRestartCounter: 0,
      failure: { description: "cannot create container: No such image: sha256:aaa", at: NOW },
    };
    const r = update(input({ container: null, mem }));
    expect(r.status?.state).toBe("BROKEN");
    expect(r.status?.error?.description).toBe("cannot create container: No such image: sha256:aaa");
    expect(r.status?.error?.retryCondition).toMatch(/^retrying at /);
    const at = wakeWithin(r, NOW, 1000);
    expect(kinds(update(input({ container: null, mem: r.mem, now: at })))).toEqual(["create"]);
  });

  it("a container the engine refused to start twice is replaced: removed, then created after back-off", () => {
    const cfg = config();
    const stopped = container(cfg, { running: false, exitCode: 128 });
    const refused = "cannot start container: failed to start shim: mkdir /run/moby/c1: file exists";
    // One refusal: the same container is started again after the back-off.
    let mem: Memory = {
      ...freshMemory(),
      handledRestartCounter: 0,
      failure: { description: refused, at: NOW },
      startRefusals: 1,
    };
    let r = update(input({ container: stopped, mem }));
    expect(r.status?.state).toBe("BROKEN");
    expect(r.status?.error?.description).toBe(refused);
    expect(kinds(update(input({ container: stopped, mem: r.mem, now: NOW + 1000 })))).toEqual(["start"]);
    // A second refusal in a row: no third start of that container; it goes, with the error shown.
    mem = { ...r.mem, startRefusals: 2, failure: { description: refused, at: NOW + 1000 } };
    r = update(input({ container: stopped, mem, now: NOW + 1000 }));
    expect(r.actions).toEqual([{ kind: "remove", id: "c1" }]);
    expect(r.status?.state).toBe("BROKEN");
    expect(r.status?.error?.description).toBe(refused);
    expect(r.mem.startRefusals).toBeUndefined();
    // Gone: a new container (after what is left of the back-off, if any).
    let gone = update(input({ container: null, mem: r.mem, now: NOW + 1000 }));
    if (kinds(gone)[0] === "wakeAt") {
      const at = (gone.actions[0] as { at: number }).at;
      gone = update(input({ container: null, mem: gone.mem, now: at }));
    }
    expect(kinds(gone)).toEqual(["create"]);
  });

  it("an app that exits by itself is restarted, never replaced (its exits are not refusals)", () => {
    const cfg = config();
    const mem: Memory = {
      ...freshMemory(),
      handledRestartCounter: 0,
      failure: { description: "app exited with code 1", exitCode: 1, at: NOW },
      attempts: 5,
    };
    const r = update(
      input({ container: container(cfg, { running: false, exitCode: 1 }), mem, now: NOW + 60_000 }),
    );
    expect(kinds(r)).toEqual(["wakeAt"]);
    const at = (r.actions[0] as { at: number }).at;
    expect(
      kinds(
        update(input({ container: container(cfg, { running: false, exitCode: 1 }), mem: r.mem, now: at })),
      ),
    ).toEqual(["start"]);
  });

  it("back-off doubles per failure and is capped", () => {
    const failed = (attempts: number) =>
      update(
        input({
          container: null,
          mem: {
            ...freshMemory(),
            handledRestartCounter: 0,
            attempts,
            failure: { description: "x", at: NOW },
          },
        }),
      );
    for (const [attempts, base] of [
      [0, 1000],
      [1, 2000],
      [2, 4000],
      [3, 8000],
      [4, 8000],
      [10, 8000],
      [5000, 8000],
    ] as const)
      wakeWithin(failed(attempts), NOW, base);
  });

  it("halting clears a failure", () => {
    const cfg = config({ activate: false });
    const mem: Memory = {
      ...freshMemory(),
      handledRestartCounter: 0,
      failure: { description: "x", exitCode: 1, at: NOW },
      retryAt: NOW + 5,
    };
    const r = update(input({ config: cfg, container: container(cfg, { running: false }), mem }));
    expect(r.status?.state).toBe("HALTED");
    expect(r.status?.error).toBeUndefined();
    expect(r.actions).toEqual([]);
  });
});

describe("container spec", () => {
  it("maps env, mounts, limits and labels", () => {
    const o = createOptions(
      "/tmp/op-x",
      config({
        mounts: [
          { volume: "v", target: "/data", readOnly: false },
          { hostPath: "/srv", target: "/srv", readOnly: true },
        ],
      }),
    );
    expect(o.Env).toEqual(["A=1"]);
    expect(o.HostConfig?.Memory).toBe(64 << 20);
    expect(o.HostConfig?.NanoCpus).toBe(500_000_000);
    expect(o.HostConfig?.Mounts).toEqual([
      { Type: "volume", Source: "v", Target: "/data", ReadOnly: false },
      { Type: "bind", Source: "/srv", Target: "/srv", ReadOnly: true },
    ]);
    expect(o.Labels).toMatchObject({
      "org.outpost.app": UUID,
      "org.outpost.version": "1",
      "org.outpost.node": "/tmp/op-x",
      "org.outpost.owner": "outpost",
    });
  });

  it("names are readable, per node and per app", () => {
    expect(containerName("/tmp/a", { uuid: UUID, displayName: "my web/app" })).toMatch(
      /^outpost-[0-9a-f]{8}-my_web_app-6ba7b810$/,
    );
    expect(containerName("/tmp/a", config())).not.toBe(containerName("/tmp/b", config()));
  });

  it("env order does not change the spec", () => {
    expect(specHash(config({ env: { A: "1", B: "2" } }))).toBe(specHash(config({ env: { B: "2", A: "1" } })));
  });
});
