// localapi steering a real app: the five app agents from the bundle (testkit TestNode; the test's bus
// stands in for zedagent), a busybox image from a real HTTP datastore, a real container in the shared
// Docker engine. A local stop is a recorded override (AppInstanceStatus.localOverride, a notice for the
// controller) that halts the container; start and restart bring it back; the controller's next change
// of the app ends the override. Metrics of the app come from Docker stats (domainmgr's DomainMetric).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildTestImage,
  ensureDocker,
  removeImages,
  saveImage,
  TestDatastore,
  TestNode,
  waitFor,
} from "@outpost/testkit";
import { AppInstanceConfigCodec, OutpostLabels } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stream, type Target } from "./client.js";

const APP = "5a5a5a5a-0000-4000-8000-00000000a11c";
const docker = (args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();

describe("localapi and apps", () => {
  let node: TestNode;
  let ds: TestDatastore;
  let dsDir: string;
  let api: Target;
  const container = () =>
    docker([
      "ps",
      "-aq",
      "--filter",
      `label=${OutpostLabels.node}=${node.nodeLabel}`,
      "--filter",
      `label=${OutpostLabels.app}=${APP}`,
    ]);
  const running = () => {
    const id = container();
    return id !== "" && docker(["inspect", "-f", "{{.State.Running}}", id]) === "true";
  };
  const status = () => node.appStatus.get(APP);

  beforeAll(async () => {
    await ensureDocker();
    dsDir = mkdtempSync(join(tmpdir(), "opla-ds-"));
    ds = await TestDatastore.start({ dir: dsDir });
    node = await TestNode.start({
      prefix: "opla-",
      args: { domainmgr: ["--metrics-interval-ms", "500", "--stop-timeout-s", "1"] },
    });
    const tag = `outpost-test/localapi-${process.pid}:1`;
    buildTestImage(tag, {
      cmd: [
        "sh",
        "-c",
        "trap 'exit 0' TERM; i=0; while :; do i=$((i+1)); echo tick $i; sleep 1 & wait; done",
      ],
      node: node.nodeLabel,
    });
    saveImage(tag, join(dsDir, "app.tar"));
    removeImages(tag);
    const sha256 = createHash("sha256")
      .update(readFileSync(join(dsDir, "app.tar")))
      .digest("hex");
    await node.datastores.set("ds1", {
      id: "ds1",
      type: "http",
      fqdn: ds.host,
      path: "",
      username: "",
      password: "",
      caCertsPem: [],
      insecure: false,
    });
    await node.contentTrees.set("ct1", {
      id: "ct1",
      datastoreId: "ds1",
      relativeUrl: "app.tar",
      format: "CONTAINER",
      sha256,
      maxSizeBytes: 0,
      displayName: "app image",
      generation: 0,
    });
    await node.volumes.set("v1#0", {
      id: "v1",
      generation: 0,
      origin: "download",
      contentTreeId: "ct1",
      maxSizeBytes: 0,
      readOnly: true,
      displayName: "image",
    });
    await node.apps.set(
      APP,
      AppInstanceConfigCodec.decode({
        uuid: APP,
        displayName: "sensor",
        activate: true,
        volumeRefs: [{ volumeId: "v1", generation: 0 }],
      }),
    );
    node.procs.start("localapi", ["--root", node.root, "--op-timeout-ms", "40000"]);
    api = { socketPath: join(node.root, "run", "localapi", "api.sock") };
    await waitFor(
      () => status()?.state === "RUNNING" && running(),
      120_000,
      () => JSON.stringify(status()),
    );
  }, 180_000);
  afterAll(async () => {
    await node?.stop();
    await ds?.close();
    if (dsDir) rmSync(dsDir, { recursive: true, force: true });
  });

  it("lists the app as a service and reports its metrics from Docker stats", async () => {
    const services = await waitFor(async () => {
      const r = await call(api, "GET", "/v1/services").catch(() => undefined);
      return r?.body.services?.find((s: { name: string }) => s.name === "sensor");
    }, 15_000);
    expect(services).toMatchObject({ kind: "app", state: "RUNNING", health: "healthy", uuid: APP });
    const m = await waitFor(async () => {
      const r = await call(api, "GET", "/v1/metrics?service=sensor");
      return r.body.apps?.sensor?.memoryBytes > 0 && r.body;
    }, 15_000);
    expect(Object.keys(m.agents)).toEqual([]);
    // Docker's own figure for the same container (docker stats): the same within a factor of 3 (the
    // two readings are taken at different moments of a tiny, idle container).
    const usage = docker(["stats", "--no-stream", "--format", "{{.MemUsage}}", container()]);
    const u = /^([\d.]+)\s*([KMG]?)i?B/.exec(usage);
    const dockerBytes = Number(u?.[1]) * 1024 ** " KMG".indexOf(u?.[2] || " ");
    expect(dockerBytes).toBeGreaterThan(0);
    expect(m.apps.sensor.memoryBytes / dockerBytes).toBeGreaterThan(1 / 3);
    expect(m.apps.sensor.memoryBytes / dockerBytes).toBeLessThan(3);
    expect(m.apps.sensor.cpuSeconds).toBeGreaterThanOrEqual(0);
  });

  it("logs of the app's container: recent lines and a follow stream", async () => {
    const r = await waitFor(async () => {
      const a = await call(api, "GET", "/v1/logs?service=sensor&lines=3");
      return a.status === 200 && a.body.lines.length >= 2 && a;
    }, 15_000);
    for (const l of r.body.lines) expect(l).toMatch(/^tick \d+$/);
    const last = Number(String(r.body.lines.at(-1)).split(" ")[1]);
    const s = await stream(api, "/v1/logs?service=sensor&lines=0&follow=1");
    try {
      await waitFor(
        () => s.events.some((e) => Number(e.split(" ")[1]) > last),
        15_000,
        () => s.events.join("\n"),
      );
    } finally {
      s.close();
    }
  });

  it("stop: a recorded local override halts the container; start brings it back", async () => {
    const stop = await call(api, "POST", "/v1/services/sensor/stop");
    expect(stop.body).toMatchObject({ status: 200, result: "done", state: "HALTED" });
    expect(running()).toBe(false);
    expect(status()?.localOverride).toMatchObject({ state: "stopped", by: expect.stringContaining("uid 0") });
    // Reported upward with the app's info: a notice, not an error.
    expect(status()?.error).toMatchObject({ severity: "notice" });
    const start = await call(api, "POST", "/v1/services/sensor/start");
    expect(start.body).toMatchObject({ status: 200, result: "done", state: "RUNNING" });
    expect(running()).toBe(true);
    expect(status()?.localOverride).toBeUndefined();
    expect(status()?.error).toBeUndefined();
  });

  it("restart runs a new container process", async () => {
    const boot = status()?.bootTime;
    const r = await call(api, "POST", "/v1/services/sensor/restart");
    expect(r.body).toMatchObject({ status: 200, result: "done", state: "RUNNING" });
    expect(status()?.bootTime).not.toBe(boot);
  });

  it("the controller's next change of the app ends a local stop", async () => {
    expect((await call(api, "POST", "/v1/services/sensor/stop")).body.result).toBe("done");
    const cur = node.apps.get(APP);
    if (!cur) throw new Error("no config");
    await node.apps.set(APP, { ...cur, version: "2" });
    await waitFor(
      () => status()?.state === "RUNNING" && status()?.localOverride === undefined && running(),
      60_000,
    );
  });
});
