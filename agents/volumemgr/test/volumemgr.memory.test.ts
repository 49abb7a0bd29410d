// volumemgr's wired units in this process: its tables over the memory transport (zedagent,
// zedmanager, the downloader and the verifier are buses of the test), the real Docker engine. No
// child process: what the composition root wires is exercised without the agent's process around it.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { WorkerPool } from "@outpost/agentbase";
import { DockerClient } from "@outpost/docker";
import { MainLoop } from "@outpost/primitives";
import { MemoryTransport, PubSub } from "@outpost/pubsub";
import { ensureDocker, removeByNodeLabel, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import {
  ContentTreeConfigCodec,
  DatastoreConfigCodec,
  DownloaderStatusCodec,
  VerifyImageStatusCodec,
  VolumeConfigCodec,
  VolumeRefConfigCodec,
  VolumeRefStatusCodec,
} from "@outpost/types";
import pino from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dockerVolumeName } from "../src/naming.js";
import { wireVolumemgr } from "../src/volumemgr.js";

const dockerVolumeExists = (name: string) =>
  spawnSync("docker", ["volume", "inspect", name], { stdio: "ignore" }).status === 0;

describe("volumemgr's units wired in process (memory transport, real Docker)", () => {
  let root: string;
  let buses: PubSub[] = [];
  let stop: AbortController;
  let pool: WorkerPool;

  beforeAll(async () => {
    await ensureDocker();
  });
  afterEach(async () => {
    stop.abort();
    await pool.close();
    await Promise.all(buses.map((b) => b.close()));
    buses = [];
    removeByNodeLabel(root);
    removeRoot(root);
  });

  async function world() {
    root = tempRoot("opvm-");
    stop = new AbortController();
    const net = new MemoryTransport();
    const bus = (agent: string, loop = new MainLoop()) => {
      const b = new PubSub({ agent, transport: net, persistDir: join(root, "persist", "pubsub"), loop });
      buses.push(b);
      return b;
    };
    const loop = new MainLoop();
    pool = new WorkerPool(loop, 4);
    const vm = await wireVolumemgr({
      loop,
      work: (fn, onDone) => pool.submit(fn, onDone),
      pubsub: bus("volumemgr", loop),
      log: pino({ level: "silent" }),
      signal: stop.signal,
      root,
      docker: new DockerClient(),
    });
    const zedagent = bus("zedagent");
    const zedmanager = bus("zedmanager");
    const watcher = bus("watcher");
    const owners = {
      volumes: await zedagent.publish({ topic: "VolumeConfig", codec: VolumeConfigCodec }),
      others: [
        await zedagent.publish({ topic: "DatastoreConfig", codec: DatastoreConfigCodec }),
        await zedagent.publish({ topic: "ContentTreeConfig", codec: ContentTreeConfigCodec }),
      ],
      refs: await zedmanager.publish({ topic: "VolumeRefConfig", codec: VolumeRefConfigCodec }),
    };
    await bus("downloader").publish({ topic: "DownloaderStatus", codec: DownloaderStatusCodec });
    await bus("verifier").publish({ topic: "VerifyImageStatus", codec: VerifyImageStatusCodec });
    const refStatus = watcher.subscribe({
      agent: "volumemgr",
      topic: "VolumeRefStatus",
      codec: VolumeRefStatusCodec,
    });
    vm.facts.scan();
    return { vm, owners, refStatus };
  }

  const blank = (id: string) => ({
    id,
    generation: 0,
    origin: "blank" as const,
    contentTreeId: "",
    maxSizeBytes: 0,
    readOnly: false,
    displayName: id,
  });
  const ref = (id: string) => ({ volumeId: id, generation: 0, apps: ["app1"], localGeneration: 0 });

  it("creates a blank volume in the engine, and signals restarted only once the owners' tables are complete", async () => {
    const { owners, refStatus } = await world();
    await owners.volumes.set("d1#0", blank("d1"));
    await owners.refs.set("d1#0", ref("d1"));
    await waitFor(() => refStatus.get("d1#0")?.state === "CREATED_VOLUME", 30_000, "the blank volume");
    const name = dockerVolumeName(root, "d1", 0, 0);
    expect(refStatus.get("d1#0")).toMatchObject({ kind: "volume", dockerVolume: name });
    expect(dockerVolumeExists(name)).toBe(true);
    const labels = JSON.parse(
      execFileSync("docker", ["volume", "inspect", "-f", "{{json .Labels}}", name], { encoding: "utf8" }),
    );
    expect(labels).toMatchObject({ "org.outpost.node": root, "org.outpost.volume": "d1#0" });
    // its tables hold everything, but the owners have not said theirs are whole: no restarted yet
    expect(refStatus.restartedCount).toBe(0);

    for (const p of [owners.volumes, ...owners.others, owners.refs]) p.signalRestarted();
    await waitFor(() => refStatus.restartedCount > 0, 30_000, "volumemgr's restarted");

    // the barrier is open: a volume nothing references any more is removed from the engine
    await owners.refs.delete("d1#0");
    await waitFor(() => !dockerVolumeExists(name), 30_000, "the unreferenced volume removed");
    await waitFor(() => refStatus.get("d1#0") === undefined, 30_000, "its status withdrawn");
  });

  it("a ref ahead of its VolumeConfig waits without an error until zedagent's table is complete", async () => {
    const { owners, refStatus } = await world();
    await owners.refs.set("late#0", ref("late"));
    await waitFor(() => refStatus.get("late#0")?.state === "INITIAL", 30_000, "the ref seen");
    expect(refStatus.get("late#0")?.error).toBeUndefined();
    owners.volumes.signalRestarted();
    await waitFor(() => refStatus.get("late#0")?.error !== undefined, 30_000, "the missing-config error");
    expect(refStatus.get("late#0")?.error?.description).toBe("volume late#0: no VolumeConfig for it");
    await owners.volumes.set("late#0", blank("late"));
    await waitFor(() => refStatus.get("late#0")?.state === "CREATED_VOLUME", 30_000, "created");
    expect(refStatus.get("late#0")?.error).toBeUndefined();
  });
});
