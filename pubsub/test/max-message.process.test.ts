// Hostile input on the bus: a 200 MB frame sent to a running agent's socket with a raw ZeroMQ socket.
// The receiving sockets have a maximum message size (ZMQ_MAXMSGSIZE): the sender is disconnected
// before the frame is buffered, so the agent neither grows nor dies, and it still serves subscribers.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureLayout, rootLayout } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { Procs, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { VerifyImageStatusCodec } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";
import { Dealer } from "zeromq";
import { PubSub, zmqTransport } from "../src/index.js";

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1]) * 1024;
}

describe("maximum message size on the ZeroMQ sockets", () => {
  const procs = new Procs();
  let root = "";
  let bus: PubSub | undefined;
  afterEach(async () => {
    await bus?.close();
    bus = undefined;
    procs.cleanup();
    if (root) removeRoot(root);
  });

  it("a 200 MB frame into an agent's socket disconnects the sender; the agent stays alive, small, and serving", async () => {
    root = tempRoot("opm-");
    const layout = rootLayout(root);
    ensureLayout(layout);
    const agent = procs.start("verifier", ["--root", root]);
    const sockPath = join(layout.run, "pubsub", "verifier.sock");
    await waitFor(
      () => existsSync(layout.touchFile("verifier")) && existsSync(sockPath),
      20_000,
      "verifier up",
    );
    const pid = agent.pid as number;
    const before = rssBytes(pid);

    const raw = new Dealer({ linger: 0 });
    let disconnected = false;
    raw.events.on("disconnect", () => {
      disconnected = true;
    });
    raw.connect(`ipc://${sockPath}`);
    const frame = Buffer.alloc(200 * 1024 * 1024, 0x61);
    await raw.send([Buffer.from("SUB"), frame]);
    await waitFor(() => disconnected, 30_000, "the agent to drop the sender");
    raw.close();

    // Still the same process, alive, and not hundreds of MB larger.
    expect(agent.exitCode).toBeNull();
    expect(agent.signalCode).toBeNull();
    process.kill(pid, 0);
    const after = rssBytes(pid);
    expect(after - before).toBeLessThan(64 * 1024 * 1024);

    // And it still serves a subscriber.
    bus = new PubSub({
      agent: "probe",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop: new MainLoop(),
    });
    const sub = bus.subscribe({
      agent: "verifier",
      topic: "VerifyImageStatus",
      codec: VerifyImageStatusCodec,
    });
    await sub.waitSynchronized(15_000);
    // The publisher's table list comes with its answer to a ping, which may come after the data.
    await waitFor(() => sub.publisherTables !== undefined, 15_000, "the publisher's answer to a ping");
    expect(sub.publisherTables).toContain("/VerifyImageStatus");
    expect(agent.output()).not.toMatch(/FATAL|out of memory/i);
  }, 90_000);
});
