// domainmgr as a process from the bundle against the real Docker engine; zedmanager is played by a
// bus in this process publishing DomainConfig. Every container, volume and image carries the test
// node's label and is removed at the end, pass or fail.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Publication, PubSub, Subscription } from "@outpost/pubsub";
import {
  buildTestImage,
  ensureDocker,
  Procs,
  removeByNodeLabel,
  removeRoot,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import {
  type DomainConfig,
  type DomainMetric,
  DomainMetricCodec,
  type DomainStatus,
  OutpostLabels,
} from "@outpost/types";
import Docker from "dockerode";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { zedmanagerBus } from "./zedmanager-bus.js";

const docker = new Docker();
// Images are shared by the tests of this file; they carry a node label of their own.
const imageNode = tempRoot("op-dmi-");
let SERVICE = "";
let FAILING = "";
let MEMHOG = "";

const APP1 = "11111111-aaaa-4bbb-8ccc-000000000001";
const APP2 = "22222222-aaaa-4bbb-8ccc-000000000002";

interface Node {
  root: string;
  procs: Procs;
  bus: PubSub;
  configs: Publication<DomainConfig>;
  statuses: Subscription<DomainStatus>;
  metrics: Subscription<DomainMetric>;
  startDomainmgr(): ReturnType<Procs["start"]>;
}

const nodes: Node[] = [];

async function startNode(): Promise<Node> {
  const root = tempRoot("op-dm-");
  const { bus, configs, statuses } = await zedmanagerBus(root);
  const metrics = bus.subscribe({ agent: "domainmgr", topic: "DomainMetric", codec: DomainMetricCodec });
  const procs = new Procs();
  const n: Node = {
    root,
    procs,
    bus,
    configs,
    statuses,
    metrics,
    startDomainmgr: () =>
      procs.start("domainmgr", [
        "--root",
        root,
        "--metrics-interval-ms",
        "1000",
        "--restart-min-ms",
        "500",
        "--restart-max-ms",
        "2000",
        "--stop-timeout-s",
        "2",
        // Frequent full re-reads, each logged at debug level ("resynced"): moreResyncs counts them.
        "--resync-interval-ms",
        "500",
        "--debug",
      ]),
  };
  nodes.push(n);
  return n;
}

/** Waits for `k` more full re-reads of the engine by this domainmgr than it has done now: it looked at
 * the containers again after the event under test (and acted on what it saw) before the test asserts
 * that nothing more happened. */
async function moreResyncs(dm: ReturnType<Procs["start"]>, k = 2): Promise<void> {
  const count = () => (dm.output().match(/"msg":"resynced"[,}]/g) ?? []).length;
  const target = count() + k;
  await waitFor(() => count() >= target, 20_000, `${k} more domainmgr resyncs`);
}

function config(uuid: string, o: Partial<DomainConfig> = {}): DomainConfig {
  return {
    uuid,
    version: "1",
    displayName: `app-${uuid.slice(0, 4)}`,
    activate: true,
    image: SERVICE,
    env: {},
    mounts: [],
    memoryBytes: 0,
    cpus: 0,
    restartCounter: 0,
    ...o,
  };
}

async function waitStatus(
  n: Node,
  uuid: string,
  pred: (s: DomainStatus) => boolean,
  what: string,
  ms = 30_000,
) {
  try {
    await waitFor(
      () => {
        const s = n.statuses.get(uuid);
        return s !== undefined && pred(s);
      },
      ms,
      what,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; status: ${JSON.stringify(n.statuses.get(uuid))}`);
  }
  return n.statuses.get(uuid) as DomainStatus;
}

const inspect = (id: string) => docker.getContainer(id).inspect();
const nodeContainers = (n: Node) =>
  docker.listContainers({ all: true, filters: { label: [`${OutpostLabels.node}=${n.root}`] } });

/** A Docker volume with the node's label (volumemgr creates them in real life). */
async function volume(n: Node, name: string): Promise<string> {
  await docker.createVolume({
    Name: name,
    Labels: { [OutpostLabels.node]: n.root, [OutpostLabels.owner]: "outpost" },
  });
  return ((await docker.getVolume(name).inspect()) as { Mountpoint: string }).Mountpoint;
}

beforeAll(async () => {
  await ensureDocker();
  const script = ['trap "exit 0" TERM', 'echo "start $GREETING" >> /data/log', "sleep 3600 & wait"].join(
    "; ",
  );
  SERVICE = buildTestImage(`outpost-test/dm-service-${process.pid}:1`, {
    cmd: ["sh", "-c", script],
    node: imageNode,
  });
  FAILING = buildTestImage(`outpost-test/dm-failing-${process.pid}:1`, {
    cmd: ["sh", "-c", "echo failing; exit 3"],
    node: imageNode,
  });
  // Keeps the last 100 MB of an endless stream in memory: more than its limit.
  MEMHOG = buildTestImage(`outpost-test/dm-memhog-${process.pid}:1`, {
    cmd: ["tail", "-c", "100000000", "/dev/zero"],
    node: imageNode,
  });
});

afterEach(async () => {
  for (const n of nodes.splice(0)) {
    n.procs.cleanup();
    await n.bus.close().catch(() => {});
    removeByNodeLabel(n.root);
    removeRoot(n.root);
  }
});

afterAll(() => {
  removeByNodeLabel(imageNode);
  removeRoot(imageNode);
});

describe("domainmgr with the real engine", () => {
  it("runs a DomainConfig with its env, mounts, limits and labels; halt keeps the data; restart counter; change recreates; delete removes", async () => {
    const n = await startNode();
    const dm = n.startDomainmgr();
    const mp = await volume(n, `op-dm-${process.pid}-data`);
    const host = join(n.root, "hostdir");
    mkdirSync(host);
    writeFileSync(join(host, "hello"), "hi\n");
    await n.configs.set(
      APP1,
      config(APP1, {
        env: { GREETING: "hello world", B: "x=y" },
        mounts: [
          { volume: `op-dm-${process.pid}-data`, target: "/data", readOnly: false },
          { hostPath: host, target: "/host", readOnly: true },
        ],
        memoryBytes: 64 << 20,
        cpus: 0.5,
      }),
    );
    const s = await waitStatus(n, APP1, (x) => x.state === "RUNNING", "RUNNING");
    expect(s).toMatchObject({ uuid: APP1, version: "1", activated: true, failedRestarts: 0 });
    const id = s.containerId as string;
    const i = await inspect(id);
    expect(i.State.Running).toBe(true);
    expect(i.Name).toBe(`/${s.containerName}`);
    expect(s.containerName).toMatch(/^outpost-[0-9a-f]{8}-app-1111-11111111$/);
    expect(i.Config.Env).toEqual(expect.arrayContaining(["GREETING=hello world", "B=x=y"]));
    expect(i.HostConfig.Memory).toBe(64 << 20);
    expect(i.HostConfig.NanoCpus).toBe(500_000_000);
    expect(i.Mounts.map((m) => [m.Type, m.Destination, m.RW])).toEqual(
      expect.arrayContaining([
        ["volume", "/data", true],
        ["bind", "/host", false],
      ]),
    );
    expect(i.Config.Labels).toMatchObject({
      [OutpostLabels.app]: APP1,
      [OutpostLabels.version]: "1",
      [OutpostLabels.node]: n.root,
      [OutpostLabels.owner]: "outpost",
    });
    await waitFor(
      () => readFileSync(join(mp, "log"), "utf8") === "start hello world\n",
      10_000,
      "app wrote to its volume",
    );

    // activate=false: HALTED, the container is kept (stopped); activate=true: the same container, same data.
    await n.configs.set(APP1, { ...(n.configs.get(APP1) as DomainConfig), activate: false });
    const h = await waitStatus(n, APP1, (x) => x.state === "HALTED", "HALTED");
    expect(h).toMatchObject({ activated: false, containerId: id });
    expect((await inspect(id)).State.Running).toBe(false);
    await n.configs.set(APP1, { ...(n.configs.get(APP1) as DomainConfig), activate: true });
    await waitStatus(n, APP1, (x) => x.state === "RUNNING" && x.activated, "RUNNING again");
    expect((await inspect(id)).State.Running).toBe(true);
    await waitFor(
      () => readFileSync(join(mp, "log"), "utf8") === "start hello world\nstart hello world\n",
      10_000,
      "second start appended to the same volume",
    );

    // Restart counter: stopped and started once, same container.
    const startedAt = (await inspect(id)).State.StartedAt;
    await n.configs.set(APP1, { ...(n.configs.get(APP1) as DomainConfig), restartCounter: 1 });
    const r = await waitStatus(
      n,
      APP1,
      (x) => x.state === "RUNNING" && x.restartCounter === 1,
      "restart done",
    );
    expect(r.containerId).toBe(id);
    expect((await inspect(id)).State.StartedAt).not.toBe(startedAt);
    await waitFor(
      () => readFileSync(join(mp, "log"), "utf8").split("\n").length === 4,
      10_000,
      "third start",
    );
    await moreResyncs(dm);
    expect(readFileSync(join(mp, "log"), "utf8").split("\n").filter(Boolean)).toHaveLength(3); // exactly once

    // A change of what runs (env): the container is replaced.
    await n.configs.set(APP1, {
      ...(n.configs.get(APP1) as DomainConfig),
      env: { GREETING: "v2" },
      version: "2",
    });
    const c = await waitStatus(n, APP1, (x) => x.state === "RUNNING" && x.version === "2", "recreated");
    expect(c.containerId).not.toBe(id);
    expect((await inspect(c.containerId as string)).Config.Env).toContain("GREETING=v2");
    await expect(inspect(id)).rejects.toMatchObject({ statusCode: 404 });
    expect(await nodeContainers(n)).toHaveLength(1);

    // Deleted: the container goes, and so does the status.
    await n.configs.delete(APP1);
    await waitFor(() => n.statuses.get(APP1) === undefined, 20_000, "status deleted");
    expect(await nodeContainers(n)).toHaveLength(0);
    expect(readFileSync(join(mp, "log"), "utf8")).toContain("start v2");
    expect(dm.exitCode).toBeNull();
  });

  it("an app that exits non-zero is BROKEN with its exit code and restarted after back-off; a bad image is BROKEN with the engine's error; the other domain is untouched", async () => {
    const n = await startNode();
    n.startDomainmgr();
    await n.configs.set(APP2, config(APP2, { displayName: "good" }));
    const good = await waitStatus(n, APP2, (x) => x.state === "RUNNING", "good RUNNING");

    await n.configs.set(APP1, config(APP1, { image: FAILING }));
    const b = await waitStatus(n, APP1, (x) => x.state === "BROKEN" && x.exitCode === 3, "BROKEN exit 3");
    expect(b.error?.description).toBe("app exited with code 3");
    expect(b.error?.source).toEqual({ type: "Domain", id: APP1, name: "app-1111" });
    expect(b.error?.retryCondition).toMatch(/retrying at/);
    const broken = await waitStatus(n, APP1, (x) => x.failedRestarts >= 2, "restarted twice", 20_000);
    expect(broken.containerId).toBe(b.containerId); // restarted, not duplicated
    expect((await inspect(b.containerId as string)).RestartCount).toBe(0); // by domainmgr, not Docker's policy

    const missing = `sha256:${"0".repeat(64)}`;
    await n.configs.set(APP1, config(APP1, { image: missing }));
    const bad = await waitStatus(
      n,
      APP1,
      (x) => x.state === "BROKEN" && /No such image/i.test(x.error?.description ?? ""),
      "bad image BROKEN",
    );
    expect(bad.error?.description).toMatch(/^cannot create container: No such image: sha256:0{64}/);
    expect(bad.containerId).toBeUndefined();
    await waitStatus(n, APP1, (x) => x.failedRestarts > bad.failedRestarts, "bad image retried");

    // A host directory that does not exist: the engine's own words.
    const APP3 = "33333333-aaaa-4bbb-8ccc-000000000003";
    await n.configs.set(
      APP3,
      config(APP3, { mounts: [{ hostPath: join(n.root, "missing"), target: "/m", readOnly: false }] }),
    );
    const mount = await waitStatus(n, APP3, (x) => x.state === "BROKEN", "bad mount BROKEN");
    expect(mount.error?.description).toMatch(
      /^cannot (create|start) container: .*bind source path does not exist/,
    );

    const now = n.statuses.get(APP2) as DomainStatus;
    expect(now).toMatchObject({ state: "RUNNING", containerId: good.containerId, failedRestarts: 0 });
    expect((await inspect(good.containerId as string)).State.StartedAt).toBe(good.startedAt);
  });

  it("an app killed for exceeding its memory limit is BROKEN, and the error says so", async () => {
    const n = await startNode();
    n.startDomainmgr();
    await n.configs.set(APP1, config(APP1, { image: MEMHOG, memoryBytes: 16 << 20 }));
    // The engine may mark the container OOM-killed a moment after its exit event: the status follows.
    const s = await waitStatus(
      n,
      APP1,
      (x) => x.state === "BROKEN" && /out of memory/.test(x.error?.description ?? ""),
      "BROKEN, killed: out of memory",
    );
    expect(s.exitCode).toBe(137);
    expect(s.error?.description).toBe("app exited with code 137 (killed: out of memory)");
  });

  it("a container stopped or removed behind its back is started again after back-off, or created again", async () => {
    const n = await startNode();
    n.startDomainmgr();
    await n.configs.set(APP1, config(APP1));
    const s = await waitStatus(n, APP1, (x) => x.state === "RUNNING", "RUNNING");
    const id = s.containerId as string;
    execFileSync("docker", ["stop", "-t", "1", id]);
    await waitStatus(n, APP1, (x) => x.state === "RUNNING" && x.failedRestarts === 1, "started again");
    expect(n.statuses.get(APP1)?.containerId).toBe(id);
    execFileSync("docker", ["rm", "-f", id]);
    const again = await waitStatus(
      n,
      APP1,
      (x) => x.state === "RUNNING" && x.containerId !== id,
      "created again",
    );
    expect((await inspect(again.containerId as string)).State.Running).toBe(true);
    expect(await nodeContainers(n)).toHaveLength(1);
  });

  it("no engine answers: the domain waits with a clear error, and the agent keeps running", async () => {
    const n = await startNode();
    const dm = n.procs.start("domainmgr", [
      "--root",
      n.root,
      "--docker-host",
      `unix://${join(n.root, "nope.sock")}`,
    ]);
    await n.configs.set(APP1, config(APP1));
    const s = await waitStatus(n, APP1, (x) => x.error !== undefined, "engine error on the status");
    expect(s.state).toBe("INITIAL");
    expect(s.error?.description).toMatch(
      new RegExp(`^no Docker engine answers at unix://${n.root}/nope.sock`),
    );
    expect(await nodeContainers(n)).toHaveLength(0);
    expect(dm.exitCode).toBeNull();
  });

  it("the restart counter is carried out exactly once across restarts of domainmgr, also when bumped while it was down", async () => {
    const n = await startNode();
    let dm = n.startDomainmgr();
    await n.configs.set(APP1, config(APP1, { restartCounter: 1 }));
    const s = await waitStatus(n, APP1, (x) => x.state === "RUNNING", "RUNNING");
    expect(s.restartCounter).toBe(1); // a new app is not restarted for an old bump
    const id = s.containerId as string;
    const startedAt = async () => (await inspect(id)).State.StartedAt;
    const first = await startedAt();
    await n.configs.set(APP1, config(APP1, { restartCounter: 2 }));
    await waitStatus(n, APP1, (x) => x.state === "RUNNING" && x.restartCounter === 2, "restart 2 done");
    const second = await startedAt();
    expect(second).not.toBe(first);

    const restartDomainmgr = async (between: () => Promise<void> = async () => {}) => {
      process.kill(dm.pid as number, "SIGKILL");
      await waitFor(() => dm.signalCode !== null, 10_000, "domainmgr killed");
      await between();
      dm = n.startDomainmgr();
      await waitFor(() => dm.output().includes("adopted container"), 20_000, "adopted");
    };
    await restartDomainmgr();
    await moreResyncs(dm);
    expect(await startedAt()).toBe(second); // not redone
    await restartDomainmgr(() => n.configs.set(APP1, config(APP1, { restartCounter: 3 })));
    await waitFor(
      () => dm.output().includes("restarted container (restart counter)"),
      20_000,
      "restart 3 done",
    );
    await waitStatus(
      n,
      APP1,
      (x) => x.state === "RUNNING" && x.restartCounter === 3,
      "RUNNING with counter 3",
    );
    const third = await startedAt();
    expect(third).not.toBe(second);
    await moreResyncs(dm);
    expect(await startedAt()).toBe(third); // once
    expect(n.statuses.get(APP1)?.containerId).toBe(id);
  });

  it("publishes DomainMetric from container stats", async () => {
    const n = await startNode();
    n.startDomainmgr();
    await n.configs.set(APP1, config(APP1, { memoryBytes: 48 << 20 }));
    await waitStatus(n, APP1, (x) => x.state === "RUNNING", "RUNNING");
    await waitFor(() => n.metrics.get(APP1) !== undefined, 20_000, "DomainMetric");
    const m = n.metrics.get(APP1) as DomainMetric;
    expect(m.memoryLimitBytes).toBe(48 << 20);
    expect(m.memoryBytes).toBeGreaterThan(0);
    expect(m.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(Math.abs(Date.now() - m.at)).toBeLessThan(10_000);
    await n.configs.set(APP1, { ...config(APP1, { memoryBytes: 48 << 20 }), activate: false });
    await waitFor(() => n.metrics.get(APP1) === undefined, 20_000, "metric withdrawn when halted");
  });

  it("kill -9 domainmgr while apps run: they keep running, a new domainmgr adopts them (same containers, no duplicates), and removes the one whose config went meanwhile", async () => {
    const n = await startNode();
    const first = n.startDomainmgr();
    await n.configs.set(APP1, config(APP1));
    await n.configs.set(APP2, config(APP2));
    const s1 = await waitStatus(n, APP1, (x) => x.state === "RUNNING", "APP1 RUNNING");
    const s2 = await waitStatus(n, APP2, (x) => x.state === "RUNNING", "APP2 RUNNING");
    const started1 = (await inspect(s1.containerId as string)).State.StartedAt;

    process.kill(first.pid as number, "SIGKILL");
    await waitFor(() => first.exitCode !== null || first.signalCode !== null, 10_000, "domainmgr gone");
    // Reaped after SIGKILL: it can do nothing more, so the containers' state now is the outcome.
    expect((await inspect(s1.containerId as string)).State.Running).toBe(true);
    expect((await inspect(s2.containerId as string)).State.Running).toBe(true);
    // While it is down, APP2's config goes away.
    await n.configs.delete(APP2);

    const second = n.startDomainmgr();
    await waitFor(() => second.output().includes("adopted container"), 20_000, "adoption logged");
    await waitFor(
      () => n.statuses.get(APP1)?.state === "RUNNING" && n.statuses.get(APP2) === undefined,
      20_000,
      "adopted and cleaned",
    );
    expect(n.statuses.get(APP1)?.containerId).toBe(s1.containerId);
    const all = await nodeContainers(n);
    expect(all.map((c) => c.Id)).toEqual([s1.containerId]);
    // Adopted, not restarted.
    expect((await inspect(s1.containerId as string)).State.StartedAt).toBe(started1);
    await expect(inspect(s2.containerId as string)).rejects.toMatchObject({ statusCode: 404 });
    // Still one copy after it re-read the engine again.
    await moreResyncs(second);
    expect(await nodeContainers(n)).toHaveLength(1);
    expect(
      execFileSync(
        "docker",
        [
          "ps",
          "-q",
          "--filter",
          `label=${OutpostLabels.app}=${APP1}`,
          "--filter",
          `label=${OutpostLabels.node}=${n.root}`,
        ],
        { encoding: "utf8" },
      )
        .trim()
        .split("\n"),
    ).toHaveLength(1);

    // An orderly stop of domainmgr leaves the app running too.
    process.kill(second.pid as number, "SIGTERM");
    await waitFor(() => second.exitCode !== null, 15_000, "domainmgr stopped");
    expect(second.exitCode).toBe(0);
    expect((await inspect(s1.containerId as string)).State.Running).toBe(true);
  });
});
