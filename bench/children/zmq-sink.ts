// Child of pubsub-throughput.bench.ts: the raw ZeroMQ floor. A ROUTER that counts messages and reports
// (with its monotonic clock) each time another `count` have arrived; no pubsub, no codec.
import { join } from "node:path";
import { Router } from "zeromq";
import { fromParent, toParent } from "../harness.js";
import { nowNs } from "../stats.js";

const [root, countArg] = process.argv.slice(2) as [string, string];
const count = Number(countArg);
const sock = new Router({ linger: 0, receiveHighWaterMark: 0 });
await sock.bind(`ipc://${join(root, "sink.sock")}`);
fromParent(() => {});
toParent({ type: "ready" });
let n = 0;
for await (const _ of sock) {
  if (++n % count === 0) toParent({ type: "done", atNs: nowNs() });
}
