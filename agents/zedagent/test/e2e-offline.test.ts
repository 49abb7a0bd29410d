// Controller down: apps keep running; a full node restart (every agent stopped and started again)
// with the controller still down applies the checkpoint (re-verified) and the app comes back;
// controller up again -> 304 polling resumes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { idToUuid } from "@outpost/controller";
import { appDoc, idleApp, Rig } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

describe("zedagent with the controller down", () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it("keeps apps running, restarts from the checkpoint, resumes 304 polling", async () => {
    rig = new Rig();
    await rig.startController();
    await rig.onboard();
    const server = `127.0.0.1:${rig.port}`;
    const image = rig.image("keep", idleApp());
    const app = idToUuid("keep");
    const set = rig.setConfig(appDoc({ server, image, apps: [{ id: "keep", env: { A: "1" } }] }));
    rig.startAgents();
    const before = await rig.waitApp(app, (s) => s.state === "RUNNING", "app RUNNING");
    expect(existsSync(join(rig.nroot, "persist/checkpoint/lastconfig"))).toBe(true);

    await rig.stopController();
    const offline = await rig.waitZedagent((s) => s.state === "offline", "zedagent offline");
    expect(offline.configHash).toBe(set.configHash);
    // zedagent polled (and failed) twice more with the controller down: the app stays as it was.
    const polls = new Set([offline.lastPollAt]);
    await rig.waitZedagent((s) => {
      if (s.state === "offline") polls.add(s.lastPollAt);
      return polls.size >= 3;
    }, "two more failed polls");
    expect(rig.app(app)).toMatchObject({ state: "RUNNING", containerId: before.containerId });

    // Full node restart, controller still down.
    await rig.stopAgents();
    rig.startAgents();
    const za = await rig.waitZedagent((s) => s.configSource === "checkpoint", "checkpoint applied");
    expect(za).toMatchObject({ state: "offline", configHash: set.configHash });
    await rig.waitApp(app, (s) => s.state === "RUNNING", "app RUNNING after the restart");
    expect(rig.log("zedagent", 200)).toContain("applied the checkpointed config");

    // Controller back on the same address: the kept hash matches, so polls answer 304.
    await rig.startController();
    await rig.waitZedagent((s) => s.state === "connected" && s.lastPollResult === "304", "304 polling again");
    expect(rig.app(app)?.state).toBe("RUNNING");
  }, 300_000);
});
