// zedmanager as a process from the bundle, the other agents played by buses in this process: its
// tables survive its restart (so nothing downstream is torn down), and a purge is not redone.
import { MainLoop } from "@outpost/primitives";
import { type Publication, PubSub, zmqTransport } from "@outpost/pubsub";
import { TestNode } from "@outpost/testkit";
import {
  type DomainStatus,
  DomainStatusCodec,
  type VolumeRefStatus,
  VolumeRefStatusCodec,
} from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";
import { APP, appConfig, DATA_KEY, dataRef, domain, IMG_KEY, imageRef } from "./builders.js";

describe("zedmanager process", () => {
  let node: TestNode | undefined;
  const others: PubSub[] = [];
  afterEach(async () => {
    await Promise.all(others.splice(0).map((b) => b.close()));
    await node?.stop();
    node = undefined;
  });

  async function peer(agent: string) {
    const n = node as TestNode;
    const b = new PubSub({
      agent,
      transport: zmqTransport(`${n.root}/run`),
      persistDir: `${n.root}/persist/pubsub`,
      loop: new MainLoop(),
    });
    others.push(b);
    return b;
  }

  it("after kill -9 restarts with the same DomainConfig and VolumeRefConfig tables, signals restarted, and does not purge twice", async () => {
    node = await TestNode.start({ agents: ["zedmanager"] });
    const n = node;
    const refs: Publication<VolumeRefStatus> = await (await peer("volumemgr")).publish({
      topic: "VolumeRefStatus",
      codec: VolumeRefStatusCodec,
    });
    const doms: Publication<DomainStatus> = await (await peer("domainmgr")).publish({
      topic: "DomainStatus",
      codec: DomainStatusCodec,
    });
    await refs.set(IMG_KEY, imageRef());
    await refs.set(DATA_KEY, dataRef());
    await n.apps.set(APP, appConfig());
    await n.waitState(APP, "BOOTING", 20_000);
    await doms.set(APP, domain());
    await n.waitState(APP, "RUNNING", 20_000);

    // A purge: the domain goes, the data volume's localGeneration is bumped, then the domain comes back.
    await n.apps.set(APP, appConfig({ purge: { counter: 1 } }));
    await n.waitApp(
      APP,
      () => n.domainConfig.get(APP) === undefined,
      20_000,
      "DomainConfig deleted by the purge",
    );
    await doms.delete(APP);
    await n.waitApp(
      APP,
      () => n.volumeRefConfig.get(DATA_KEY)?.localGeneration === 1,
      20_000,
      "localGeneration bumped",
    );
    await refs.set(DATA_KEY, dataRef({ localGeneration: 1 }));
    await n.waitApp(
      APP,
      (s) => s.purgeCounter === 1 && n.domainConfig.get(APP) !== undefined,
      20_000,
      "purge done",
    );
    await doms.set(APP, domain({ containerId: "second" }));
    await n.waitState(APP, "RUNNING", 20_000);
    const before = { domain: n.domainConfig.get(APP), refs: n.volumeRefConfig.entries() };

    // kill -9: nothing is flushed on the way out; what it published must already be durable.
    await n.kill9("zedmanager");
    n.startAgent("zedmanager");
    const signalled = () =>
      n
        .log("zedmanager", 1000)
        .split("\n")
        .filter((l) => l.includes("signalled restarted")).length;
    await n.waitApp(
      APP,
      () => signalled() === 2 && n.domainConfig.restartedCount === 1,
      20_000,
      "restarted signalled again",
    );
    expect(n.domainConfig.get(APP)).toEqual(before.domain);
    expect(n.volumeRefConfig.entries()).toEqual(before.refs);
    const s = await n.waitState(APP, "RUNNING", 20_000);
    expect(s).toMatchObject({ purgeCounter: 1, containerId: "second" });
    expect(n.volumeRefConfig.get(DATA_KEY)?.localGeneration).toBe(1);
  });
});
