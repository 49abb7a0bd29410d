// The chaos suite's verdict (bench/chaos/verdict.ts) on hand-made observations: each check says
// "not converged" with its reason, and a healthy node is converged.
import type { ServedRequest } from "@outpost/testkit";
import { describe, expect, it } from "vitest";
import { ALL_AGENTS, duplicateDownloads, type Expectation, type Observation, verdict } from "./verdict.js";

const expectation: Expectation = {
  apps: [{ uuid: "u1", name: "app1", imageId: "sha256:i1" }],
  touchLimitMs: 30_000,
  zedagentStates: ["connected"],
};

function healthy(): Observation {
  return {
    agents: Object.fromEntries(
      ALL_AGENTS.map((a, i) => [a, { pids: [100 + i], pidFile: 100 + i, touchAgeMs: 1000 }]),
    ) as Observation["agents"],
    apps: { u1: "RUNNING" },
    containers: [{ id: "c1", state: "running", app: "u1" }],
    images: new Set(["sha256:i1"]),
    zedagentState: "connected",
    watchdog: { zedagent: "running" },
  };
}

const get = (path: string, range?: string, status = 206): ServedRequest => ({
  method: "GET",
  path,
  range,
  status,
});

describe("chaos verdict", () => {
  it("a healthy node has converged", () => {
    expect(verdict(healthy(), expectation)).toEqual([]);
  });

  it("names a dead, doubled, stale or given-up agent", () => {
    const o = healthy();
    o.agents.downloader = { pids: [], pidFile: 7, touchAgeMs: 1000 };
    o.agents.zedagent = { pids: [5, 6], pidFile: 5, touchAgeMs: 1000 };
    o.agents.verifier = { pids: [9], pidFile: 9, touchAgeMs: 45_000 };
    o.agents.domainmgr = { pids: [11], pidFile: 10, touchAgeMs: 1000 };
    o.watchdog = { volumemgr: "gave-up" };
    expect(verdict(o, expectation)).toEqual([
      "zedagent runs 2 times (pids 5, 6)",
      "downloader not running",
      "verifier: touch file 45 s old",
      "domainmgr: pid file says 10, process is 11",
      "watchdog: volumemgr is gave-up",
    ]);
  });

  it("names an app not RUNNING, run twice, or without its image, and a stray container", () => {
    const o = healthy();
    o.apps = { u1: "HALTED" };
    o.containers = [
      { id: "c1", state: "running", app: "u1" },
      { id: "c2", state: "exited", app: "u1" },
      { id: "c3", state: "running", app: "gone" },
    ];
    o.images = new Set();
    o.zedagentState = "offline";
    expect(verdict(o, expectation)).toEqual([
      "app app1 HALTED",
      "app app1: 1 running of 2 containers",
      "1 container(s) of no app (c3)",
      "app app1: image not in the engine",
      "zedagent offline",
    ]);
  });

  it("an unreadable source is a reason, never a pass", () => {
    const o = healthy();
    o.apps = { unreadable: "zedmanager does not answer" };
    o.containers = { unreadable: "engine down" };
    o.images = { unreadable: "engine down" };
    o.zedagentState = undefined;
    expect(verdict(o, expectation)).toEqual([
      "AppInstanceStatus unreadable: zedmanager does not answer",
      "containers unreadable: engine down",
      "images unreadable: engine down",
      "ZedAgentStatus unreadable",
    ]);
  });

  it("a resumed download is fine, a blob fetched again from byte 0 is a duplicate", () => {
    const before = [get("/big.tar", undefined, 200)];
    expect(duplicateDownloads(before, [get("/big.tar", "bytes=6000000-")])).toEqual([]);
    expect(duplicateDownloads(before, [get("/big.tar")])).toEqual([
      "/big.tar fetched from byte 0 1 more time(s)",
    ]);
    expect(duplicateDownloads(before, [get("/big.tar", "bytes=0-")])).toHaveLength(1);
    // If-Range did not match: the server sent the whole file.
    expect(duplicateDownloads(before, [get("/big.tar", "bytes=6000000-", 200)])).toHaveLength(1);
    // A blob first requested during the fault may be fetched from zero once.
    expect(duplicateDownloads(before, [get("/new.tar", undefined, 200)])).toEqual([]);
    expect(duplicateDownloads(before, [get("/new.tar"), get("/new.tar")])).toEqual([
      "/new.tar fetched from byte 0 1 more time(s)",
    ]);
  });
});
