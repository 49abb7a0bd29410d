// diag on a node booted by outpost-boot (watchdog, ledmanager, diag, a fixture agent): the summary in
// run/diag/summary.txt follows the node through onboarding, an app's deploy and error, and a watchdog
// restart of an agent killed with -9. client, zedagent and zedmanager are stood in for by buses in
// the test process publishing their real tables. `diag --once` prints the same and exits 0; a root
// that does not exist is exit 1 with the reason.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rootLayout } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { PubSub, zmqTransport } from "@outpost/pubsub";
import { distBin, makeNode, type Node, runBin, waitFor } from "@outpost/testkit";
import {
  type AppInstanceStatus,
  AppInstanceStatusCodec,
  makeError,
  OnboardingStatusCodec,
  ZedAgentStatusCodec,
} from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("diag", () => {
  let node: Node;
  const buses: PubSub[] = [];
  const bus = (agent: string) => {
    const layout = rootLayout(node.root);
    const b = new PubSub({
      agent,
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop: new MainLoop((e) => console.error(e)),
    });
    buses.push(b);
    return b;
  };
  const summary = () => {
    try {
      return readFileSync(join(node.root, "run", "diag", "summary.txt"), "utf8").split("\n");
    } catch {
      return [];
    }
  };
  const waitLine = (line: string | RegExp, ms = 20_000) =>
    waitFor(
      () => summary().some((l) => (typeof line === "string" ? l === line : line.test(l))),
      ms,
      () => `line ${line} in the summary:\n${summary().join("\n")}`,
    );

  beforeAll(() => {
    node = makeNode({
      OUTPOST_AGENTS: "core diag fixture:pub1",
      OUTPOST_ARGS_pub1: "--publish Foo --keys 1",
      OUTPOST_ARGS_watchdog: "--backoff-min-ms 100 --tick-ms 200",
      OUTPOST_ONBOARD: "0",
    });
    // A regular file stands in for the console device: not a tty, so no colour codes.
    node.env.OUTPOST_ARGS_diag = `--min-interval-ms 200 --refresh-ms 300 --console ${join(node.root, "console")}`;
    const r = node.boot("start");
    if (r.status !== 0) throw new Error(`boot failed: ${r.stderr}`);
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    node?.cleanup();
  });

  it("before onboarding: says so, and what it does not know yet", async () => {
    await waitLine("Onboarding: not onboarded yet (no OnboardingStatus from client)");
    const s = summary();
    expect(s).toContain("Controller link: unknown (zedagent not running)");
    expect(s).toContain("Apps: 0 (none configured)");
    expect(s.some((l) => l.startsWith("Disk persist/: ") && l.includes("free of"))).toBe(true);
    expect(s).toContain("Watchdog: no agent restarted recently");
    for (const l of s) expect(l.length).toBeLessThanOrEqual(80);
    expect(s.join("\n")).not.toContain("\x1b");
    const con = readFileSync(join(node.root, "console"), "utf8");
    expect(con).toContain("Onboarding: not onboarded yet (no OnboardingStatus from client)\n");
    expect(con).not.toContain("\x1b");
  });

  it("onboarding, then the controller and a config", async () => {
    const client = await bus("client").publish({
      topic: "OnboardingStatus",
      codec: OnboardingStatusCodec,
      persistent: true,
    });
    await client.set("global", {
      deviceUuid: "5d0c1a2e-0000-4000-8000-000000000001",
      serial: "s1",
      softSerial: "ss1",
      server: "controller.test:8443",
      confirmedAt: new Date().toISOString(),
    });
    await waitLine("Onboarding: onboarded, device 5d0c1a2e-0000-4000-8000-000000000001");
    const zedagent = await bus("zedagent").publish({ topic: "ZedAgentStatus", codec: ZedAgentStatusCodec });
    await zedagent.set("global", {
      state: "connected",
      deviceUuid: "5d0c1a2e-0000-4000-8000-000000000001",
      configHash: "abc",
      configVersion: "12",
      configSource: "controller",
      configAppliedAt: "2026-12-02T13:00:00.000Z",
      lastPollAt: "2026-12-02T13:00:05.000Z",
      lastPollResult: "200",
      rejectedCount: 0,
      pendingReports: 0,
    });
    await waitLine("Controller link: connected, last poll 13:00:05 200");
    await waitLine("Config: version 12 from controller, applied 2026-12-02 13:00:00Z");
    expect(summary()).toContain("Controller reachable: yes (zedagent's last poll)");
  });

  it("an app deploys, then fails with an error", async () => {
    const apps = await bus("zedmanager").publish({
      topic: "AppInstanceStatus",
      codec: AppInstanceStatusCodec,
    });
    const app: AppInstanceStatus = {
      uuid: "a1",
      version: "1",
      displayName: "web",
      state: "DOWNLOADING",
      activated: true,
      progress: 30,
      volumeRefs: [],
      restartCounter: 0,
      purgeCounter: 0,
    };
    await apps.set("a1", app);
    await waitLine("App web DOWNLOADING 30%");
    await apps.set("a1", { ...app, state: "RUNNING", progress: 100 });
    await waitLine("App web RUNNING");
    await waitLine("Apps: 1");
    await apps.set("a1", {
      ...app,
      state: "HALTED",
      progress: 0,
      error: makeError("container exited with code 3", { retryCondition: "restarting in 2 s" }),
    });
    await waitLine("App web HALTED");
    await waitLine("  error: container exited with code 3 (restarting in 2 s)");
  });

  it("an agent killed with -9: the watchdog's restart and why", async () => {
    const pid = node.pid("pub1");
    expect(pid).toBeDefined();
    process.kill(pid as number, "SIGKILL");
    await waitLine(/^Watchdog restart pub1 at \d\d:\d\d:\d\d: exited, /);
    expect(summary()).not.toContain("Watchdog: no agent restarted recently");
  });

  it("diag --once prints the same facts and exits 0; a missing root is exit 1 with the reason", async () => {
    // Not spawnSync: the stand-in publishers live in this process and must answer meanwhile.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(distBin("diag"), ["--once", "--root", node.root, "--wait-ms", "2000"], (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = r.stdout.split("\n");
    expect(out).toContain("Onboarding: onboarded, device 5d0c1a2e-0000-4000-8000-000000000001");
    expect(out).toContain("App web HALTED");
    expect(out.some((l) => /^Watchdog restart pub1 at /.test(l))).toBe(true);
    const bad = runBin("diag", ["--once", "--root", join(node.root, "nope")]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("is not a node's root");
  });
});
