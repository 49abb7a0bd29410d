// Rollouts end to end: a real controller process and simulated devices (testkit sim-fleet) that poll
// their config over the signed device API and report the apps they find in it, as a node does. A
// rollout in 3 waves to 12 devices, one of which reports its app in ERROR in wave 2, must stop there,
// say which device and why, and leave wave 3 untouched; one to devices that all report the config
// items in force must finish; a device that never reports fails its wave at the deadline.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  Procs,
  type RunningController,
  removeRoot,
  startController,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import { appInfoMsg, deviceInfoMsg, type SimDevice, SimFleet } from "@outpost/testkit/sim-fleet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Row = Record<string, unknown>;
interface RolloutJson {
  id: string;
  state: string;
  waves: number[];
  devices: { serial: string; wave: number; state: string; reason?: string }[];
  failure?: { serial: string; wave: number; reason: string };
}

const APP_FRAGMENT = `datastores: [{ id: ds, type: http, fqdn: "http://127.0.0.1:1", path: datastore }]
contentTrees: [{ id: img, datastore: ds, url: web.tar, sha256: "${"ab".repeat(32)}", maxSizeBytes: 1048576 }]
volumes: [{ id: web-vol, contentTree: img }]
apps: [{ id: web, name: web, volumes: [{ id: web-vol }] }]
`;

describe("rollouts over simulated devices", () => {
  const procs = new Procs();
  const root = tempRoot("opz-ro-");
  let ctl: RunningController;
  let fleet: SimFleet;
  const sims = new Map<string, SimDevice>();
  /** What each simulated device does when it finds the app in its config. */
  const behaviour = new Map<string, "running" | "error" | "silent">();
  /** Config items each device reports in force (after it fetched them). */
  let stopSim = false;
  let simLoop: Promise<void> | undefined;

  beforeAll(async () => {
    // Rollouts driven every 200 ms (1 s by default): each wave takes a few ticks.
    ctl = await startController(procs, root, ["--rollout-tick-ms", "200"]);
    const simDir = join(root, "sim");
    if (ctl.ctl("node-config", simDir).status !== 0) throw new Error("node-config failed");
    fleet = new SimFleet(join(simDir, "config"));
    const add = async (serial: string, tag: string) => {
      const d = await fleet.add(serial);
      sims.set(serial, d);
      await d.info(deviceInfoMsg({ version: "0.1.0", ips: [`10.7.0.${sims.size}`], pollIntervalS: 3600 }));
      const r = ctl.ctl("inventory", "label", serial, "--tag", tag);
      if (r.status !== 0) throw new Error(r.stderr);
    };
    for (let i = 0; i < 12; i++) await add(`ra-${String(i).padStart(2, "0")}`, "fleet-a");
    for (let i = 0; i < 3; i++) await add(`rb-${i}`, "fleet-b");
    await add("rc-0", "fleet-c");
    behaviour.set("ra-02", "error");
    behaviour.set("rc-0", "silent");
    // Each device polls its config and reports what it found, like a node: its app (RUNNING, or
    // ERROR for ra-02) and the config items in force.
    const reported = new Map<string, string>();
    simLoop = (async () => {
      while (!stopSim) {
        // The devices poll side by side, as a fleet does (one after another, a round took seconds).
        const round = [...sims].map(async ([serial, d]) => {
          const b = behaviour.get(serial) ?? "running";
          if (b === "silent") return;
          try {
            const c = await d.pollConfig();
            if (c.status !== 200 || reported.get(serial) === c.version) return;
            reported.set(serial, c.version);
            for (const a of c.apps)
              await d.info(
                appInfoMsg({
                  id: a.uuid,
                  name: a.name,
                  state: b === "error" ? "ERROR" : "RUNNING",
                  ...(b === "error" ? { error: "container exited with code 1" } : {}),
                }),
              );
            await d.info(
              deviceInfoMsg({
                version: "0.1.0",
                ips: [`10.7.1.${[...sims.keys()].indexOf(serial)}`],
                configItems: c.configItems,
              }),
            );
          } catch (e) {
            // the controller stopped at the end of the test, or was busy past the client's timeout
            if (!stopSim) console.warn(`${serial}: ${(e as Error).message}`);
          }
        });
        await Promise.all(round);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
  }, 60_000);

  afterAll(async () => {
    // The controller first: a simulated device's request in flight then fails at once instead of
    // holding this hook for the client's timeout (and the controller is never left behind).
    stopSim = true;
    await ctl?.stop();
    procs.cleanup();
    fleet?.close();
    await simLoop;
    removeRoot(root);
  });

  const fragment = (name: string, text: string) => {
    const f = join(root, name);
    writeFileSync(f, text);
    return f;
  };
  const status = (id: string) => ctl.ctlJson<RolloutJson>("rollout", "status", id);
  /** Polls (the simulated devices live in this process: a blocking `status --wait` would stop them)
   * until the rollout is no longer running; then `status --wait` answers at once with its exit code. */
  const finished = async (id: string, timeoutMs: number) => {
    await waitFor(
      () => !["running", "paused"].includes(status(id).state),
      timeoutMs,
      () => `rollout ${id} to finish: ${JSON.stringify(status(id))}`,
      500,
    );
    return ctl.ctl("rollout", "status", id, "--wait");
  };

  it("3 waves to 12 devices: a device in ERROR in wave 2 stops the rollout, named, wave 3 untouched", async () => {
    const created = ctl.ctlJson<RolloutJson>(
      "rollout",
      "create",
      "--fragment",
      fragment("app.yaml", APP_FRAGMENT),
      "--tag",
      "fleet-a",
      "--waves",
      "1,3,rest",
      "--deadline",
      "40s",
    );
    expect(created.waves).toEqual([1, 3, 8]);
    expect(created.devices.filter((d) => d.wave === 1).map((d) => d.serial)).toEqual([
      "ra-01",
      "ra-02",
      "ra-03",
    ]);
    const wait = await finished(created.id, 45_000);
    expect(wait.status).toBe(1);
    expect(wait.stderr).toMatch(new RegExp(`rollout ${created.id} failed`));
    expect(wait.stdout).toMatch(
      /failed: device ra-02 \(.*\) in wave 2: app web: ERROR: container exited with code 1/,
    );
    const r = status(created.id);
    expect(r.state).toBe("failed");
    expect(r.failure).toMatchObject({ serial: "ra-02", wave: 1 });
    const by = new Map(r.devices.map((d) => [d.serial, d.state]));
    expect(by.get("ra-00")).toBe("healthy");
    expect(by.get("ra-02")).toBe("failed");
    for (const s of ["ra-04", "ra-05", "ra-11"]) {
      expect(by.get(s)).toBe("pending");
      // wave 3 never got the app: no config was set for it
      expect(ctl.ctl("config", "get", s).status).toBe(1);
    }
    const doc = ctl.ctlJson<{ doc: { apps: { id: string }[] } }>("config", "get", "ra-01").doc;
    expect(doc.apps.map((a) => a.id)).toEqual(["web"]);
  }, 60_000);

  it("config items to 3 devices in one wave: done once each reports them in force", async () => {
    const created = ctl.ctlJson<RolloutJson>(
      "rollout",
      "create",
      "--fragment",
      fragment("items.yaml", 'configItems: { timer.config.interval: "7" }\n'),
      "--tag",
      "fleet-b",
      "--waves",
      "rest",
    );
    expect(created.waves).toEqual([3]);
    const wait = await finished(created.id, 25_000);
    expect(wait.stderr).toBe("");
    expect(wait.status).toBe(0);
    expect(status(created.id).devices.map((d) => d.state)).toEqual(["healthy", "healthy", "healthy"]);
  }, 40_000);

  it("a device that never reports fails its wave at the deadline; pause, resume and abort", async () => {
    const created = ctl.ctlJson<RolloutJson>(
      "rollout",
      "create",
      "--fragment",
      fragment("items2.yaml", 'configItems: { timer.config.interval: "7" }\n'),
      "--tag",
      "fleet-c",
      "--deadline",
      "2s",
    );
    const wait = await finished(created.id, 45_000);
    expect(wait.status).toBe(1);
    expect(wait.stdout).toMatch(
      /failed: device rc-0 .* in wave 1: not healthy within 2 s: waiting for config item timer.config.interval=7 in force/,
    );

    const again = ctl.ctlJson<RolloutJson>(
      "rollout",
      "create",
      "--fragment",
      fragment("items3.yaml", 'configItems: { timer.config.interval: "9" }\n'),
      "--tag",
      "fleet-c",
    );
    expect(ctl.ctlJson<RolloutJson>("rollout", "pause", again.id).state).toBe("paused");
    expect(ctl.ctlJson<RolloutJson>("rollout", "abort", again.id).state).toBe("aborted");
    const resume = ctl.ctl("rollout", "resume", again.id);
    expect(resume.status).toBe(1);
    expect(resume.stderr).toMatch(/HTTP 409: cannot resume a rollout that is aborted/);
    const list = ctl.ctlJson<Row[]>("rollout", "list").map((r) => [r.id, r.state]);
    expect(list).toContainEqual([again.id, "aborted"]);

    // a fragment that would make a device's document invalid is refused before anything is set
    const bad = ctl.ctl(
      "rollout",
      "create",
      "--fragment",
      fragment("bad.yaml", "apps: [{ id: x, name: x, volumes: [{ id: nope }] }]\n"),
      "--tag",
      "fleet-c",
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/HTTP 400: device rc-0: its config with the fragment is not valid/);
  }, 40_000);
});
