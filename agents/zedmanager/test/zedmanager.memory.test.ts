// The executor over the memory transport: zedagent, volumemgr and domainmgr are buses in this
// process that publish what those agents would; zedmanager's tables are read back from them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MainLoop } from "@outpost/primitives";
import { MemoryTransport, PubSub, silentLogger } from "@outpost/pubsub";
import { waitFor } from "@outpost/testkit/wait";
import {
  AppInstanceConfigCodec,
  AppInstanceStatusCodec,
  DomainConfigCodec,
  DomainStatusCodec,
  VolumeRefConfigCodec,
  VolumeRefStatusCodec,
} from "@outpost/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Zedmanager } from "../src/zedmanager.js";
import { APP, appConfig, DATA_KEY, dataRef, domain, IMG_KEY, imageRef } from "./builders.js";

describe("zedmanager over the memory transport", () => {
  let root: string;
  let buses: PubSub[];
  let net: MemoryTransport;
  const bus = (agent: string) => {
    const b = new PubSub({
      agent,
      transport: net,
      persistDir: join(root, "persist", "pubsub"),
      loop: new MainLoop(),
    });
    buses.push(b);
    return b;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "zm-"));
    buses = [];
    net = new MemoryTransport();
  });
  afterEach(async () => {
    await Promise.all(buses.map((b) => b.close()));
    rmSync(root, { recursive: true, force: true });
  });

  async function world() {
    const zedagent = bus("zedagent");
    const volumemgr = bus("volumemgr");
    const domainmgr = bus("domainmgr");
    const watcher = bus("watcher");
    const configs = await zedagent.publish({ topic: "AppInstanceConfig", codec: AppInstanceConfigCodec });
    const refStatus = await volumemgr.publish({ topic: "VolumeRefStatus", codec: VolumeRefStatusCodec });
    const domStatus = await domainmgr.publish({ topic: "DomainStatus", codec: DomainStatusCodec });
    const zbus = bus("zedmanager");
    const z = await Zedmanager.start({ pubsub: zbus, loop: zbus.options.loop, log: silentLogger });
    const sub = <T>(topic: string, codec: { decode(x: unknown): T; name: string }) =>
      watcher.subscribe({ agent: "zedmanager", topic, codec });
    return {
      z,
      configs,
      refStatus,
      domStatus,
      status: sub("AppInstanceStatus", AppInstanceStatusCodec),
      refs: sub("VolumeRefConfig", VolumeRefConfigCodec),
      domains: sub("DomainConfig", DomainConfigCodec),
    };
  }

  it("drives an app to RUNNING and back out on delete, counting shared refs", async () => {
    const w = await world();
    const other = "22222222-2222-4222-8222-222222222222";
    await w.configs.set(APP, appConfig());
    await w.configs.set(
      other,
      appConfig({ uuid: other, displayName: "other", volumeRefs: [{ volumeId: "vol-img", generation: 1 }] }),
    );
    await waitFor(() => w.refs.get(IMG_KEY)?.apps.length === 2, 5000, "both apps on the shared image ref");
    expect(w.refs.get(IMG_KEY)?.apps).toEqual([APP, other].sort());
    expect(w.refs.get(DATA_KEY)?.apps).toEqual([APP]);
    expect(w.status.get(APP)?.state).toBe("INITIAL");

    await w.refStatus.set(IMG_KEY, imageRef());
    await w.refStatus.set(DATA_KEY, dataRef());
    await waitFor(() => w.domains.size === 2, 5000, "two DomainConfigs");
    expect(w.domains.get(APP)?.mounts).toEqual([
      { volume: "outpost-vol-data-1", target: "/data", readOnly: false },
    ]);
    await w.domStatus.set(APP, domain());
    await waitFor(() => w.status.get(APP)?.state === "RUNNING", 5000, "RUNNING");

    await w.configs.delete(APP);
    await waitFor(() => w.domains.get(APP) === undefined, 5000, "DomainConfig deleted");
    // The container is not gone yet: the data volume is still held.
    expect(w.refs.get(DATA_KEY)?.apps).toEqual([APP]);
    await w.domStatus.delete(APP);
    await waitFor(
      () => w.refs.get(DATA_KEY) === undefined && w.status.get(APP) === undefined,
      5000,
      "refs released",
    );
    expect(w.refs.get(IMG_KEY)?.apps).toEqual([other]);
    w.z.stop();
  });
});
