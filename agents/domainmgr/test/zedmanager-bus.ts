// The side of the bus domainmgr's process tests play: zedmanager, in the test process, under a node
// root. DomainConfig is published as zedmanager publishes it (persistent, complete from the start) and
// domainmgr's DomainStatus is subscribed.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { MainLoop } from "@outpost/primitives";
import { PubSub, zmqTransport } from "@outpost/pubsub";
import { DomainConfigCodec, DomainStatusCodec } from "@outpost/types";

export async function zedmanagerBus(root: string) {
  mkdirSync(join(root, "run", "pubsub"), { recursive: true, mode: 0o700 });
  const bus = new PubSub({
    agent: "zedmanager",
    transport: zmqTransport(join(root, "run")),
    persistDir: join(root, "persist", "pubsub"),
    loop: new MainLoop(),
  });
  const configs = await bus.publish({ topic: "DomainConfig", codec: DomainConfigCodec, persistent: true });
  configs.signalRestarted();
  const statuses = bus.subscribe({ agent: "domainmgr", topic: "DomainStatus", codec: DomainStatusCodec });
  return { bus, configs, statuses };
}
