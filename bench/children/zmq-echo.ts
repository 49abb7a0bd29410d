// Child of pubsub-latency.bench.ts: the raw ZeroMQ floor. A ROUTER that sends every message straight
// back to its sender; no pubsub, no codec, no main loop.
import { join } from "node:path";
import { Router } from "zeromq";
import { toParent } from "../harness.js";

const root = process.argv[2] as string;
const sock = new Router({ linger: 0 });
await sock.bind(`ipc://${join(root, "raw.sock")}`);
process.on("disconnect", () => process.exit(0));
toParent({ type: "ready" });
for await (const [peer, body] of sock) {
  if (peer && body) await sock.send([peer, body]);
}
