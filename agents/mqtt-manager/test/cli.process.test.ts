// `outpost mqtt-manager` as a user runs it (dist bundle, real mosquitto on loopback): its exit codes
// and what it prints for usage errors, an unreachable broker, a node's retained heartbeat and a wait
// that times out; `gen-key` writes an owner-only key.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeTopics } from "@outpost/mqttedge";
import { freePort, runBin, TestMosquitto } from "@outpost/testkit";
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("mqtt-manager CLI", () => {
  let broker: TestMosquitto;
  let dir: string;
  beforeAll(async () => {
    broker = await TestMosquitto.start();
    dir = mkdtempSync(join(tmpdir(), "opmm-"));
    // A node's retained heartbeat, as mqttagent publishes it.
    const c = await connectAsync(broker.url);
    const hb = {
      nodeId: "n1",
      nodeName: "bench node",
      status: "connected",
      timestamp: new Date().toISOString(),
      edgeApps: [{ id: "demo", name: "demo", version: 1, desired: "running", state: "running", modules: [] }],
    };
    await c.publishAsync(nodeTopics("n1").status, JSON.stringify(hb), { qos: 1, retain: true });
    await c.endAsync();
  });
  afterAll(async () => {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a usage error exits 2", () => {
    const r = runBin("mqtt-manager", ["status"]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/required option '--broker <url>' not specified/);
  });

  it("a broker nobody listens on exits 3 and says so", async () => {
    const port = await freePort();
    const r = runBin("mqtt-manager", ["status", "n1", "--broker", `mqtt://127.0.0.1:${port}`]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`cannot connect to mqtt://127\\.0\\.0\\.1:${port}`));
  });

  it("status prints the node's retained heartbeat; --wait for a state it is in exits 0", () => {
    const r = runBin("mqtt-manager", ["status", "n1", "--broker", broker.url, "--wait", "demo=running"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node n1 \(bench node\): connected/);
    expect(r.stdout).toMatch(/demo/);
  });

  it("--wait for a state the app never reaches exits 1 with the last heartbeat seen", () => {
    const r = runBin("mqtt-manager", [
      "status",
      "n1",
      "--broker",
      broker.url,
      "--wait",
      "demo=stopped",
      "--timeout-s",
      "1",
    ]);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stderr).toMatch(
      /timed out after 1 s waiting for demo stopped \(last heartbeat: connected, demo=running\)/,
    );
  });

  it("gen-key writes a key only its owner can read", () => {
    const key = join(dir, "org.key");
    const r = runBin("mqtt-manager", ["gen-key", key]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });
});
