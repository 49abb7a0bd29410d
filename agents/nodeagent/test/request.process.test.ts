// A reboot asked for by another agent (NodeAgentRequest, as baseosmgr will publish it), played by a
// bus in this process over real ZeroMQ; nodeagent from the bundle under outpost-boot. With the
// node-restart backend the node boots again and reports the requester's reason; the same request seen
// again after the boot is not acted on. With the systemd backend at a temp root, nodeagent refuses
// before halting anything and says why in its status.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MainLoop } from "@outpost/primitives";
import { PubSub, zmqTransport } from "@outpost/pubsub";
import { makeNode, type Node, runBin, waitFor } from "@outpost/testkit";
import { NodeAgentRequestCodec, type NodeAgentStatus } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";

describe("nodeagent: requests from other agents", () => {
  let node: Node | undefined;
  let bus: PubSub | undefined;
  afterEach(async () => {
    await bus?.close();
    bus = undefined;
    node?.boot("stop");
    node?.cleanup();
    node = undefined;
  });

  const bootFile = (n: Node) => {
    try {
      return JSON.parse(readFileSync(join(n.root, "persist/nodeagent/boot.json"), "utf8")) as {
        bootReason: string;
        bootCount: number;
        lastRebootReason: string;
      };
    } catch {
      return undefined;
    }
  };
  const status = (n: Node): NodeAgentStatus | undefined => {
    const r = runBin("ipcmonitor", [
      "--root",
      n.root,
      "-a",
      "nodeagent",
      "-t",
      "NodeAgentStatus",
      "--json",
      "--wait",
      "2000",
    ]);
    if (r.status !== 0) return undefined;
    return (JSON.parse(r.stdout.split("\n")[0] ?? "{}") as { entries?: { global?: NodeAgentStatus } }).entries
      ?.global;
  };
  const requester = async (n: Node) => {
    bus = new PubSub({
      agent: "tester",
      transport: zmqTransport(join(n.root, "run")),
      persistDir: join(n.root, "persist/pubsub"),
      loop: new MainLoop(),
    });
    return bus.publish({ topic: "NodeAgentRequest", codec: NodeAgentRequestCodec });
  };

  it("node-restart: the node boots again with the requester's reason, once", async () => {
    const n = makeNode({
      OUTPOST_AGENTS: "core nodeagent",
      OUTPOST_ARGS_nodeagent: "--backend node-restart --halt-timeout-s 1 --requesters tester",
      OUTPOST_ONBOARD: "0",
    });
    node = n;
    expect(n.boot("start").status).toBe(0);
    await waitFor(() => bootFile(n)?.bootReason === "FIRST", 10_000, "first boot recorded");
    const before = n.pid("nodeagent");
    const pub = await requester(n);
    await pub.set("update", {
      op: "reboot",
      reason: "UPDATE",
      detail: "update to 0.2.0 (slot B)",
      requestedAt: new Date().toISOString(),
    });
    const b = await waitFor(
      () => {
        const f = bootFile(n);
        return f?.bootReason === "UPDATE" ? f : undefined;
      },
      60_000,
      "a new boot with reason UPDATE",
    );
    expect(b).toMatchObject({ bootCount: 1, lastRebootReason: "update to 0.2.0 (slot B)" });
    await waitFor(
      () => n.pid("nodeagent") !== before && status(n)?.bootReason === "UPDATE",
      30_000,
      "the new nodeagent up",
    );
    expect(status(n)).toMatchObject({ state: "ONLINE", restartCounter: 1, haltApps: false });
    // The request is still published: the new nodeagent sees it, made before its boot, and leaves it.
    await waitFor(
      () =>
        readFileSync(join(n.root, "persist/log/nodeagent.log"), "utf8").includes(
          "request made before this boot: ignored",
        ),
      30_000,
      "the old request seen and ignored",
    );
    expect(bootFile(n)?.bootCount).toBe(1);
  }, 120_000);

  it("systemd at a temp root: refused before anything is halted, the error in NodeAgentStatus", async () => {
    const n = makeNode({
      OUTPOST_AGENTS: "core nodeagent",
      OUTPOST_ARGS_nodeagent: "--requesters tester",
      OUTPOST_ONBOARD: "0",
    });
    node = n;
    expect(n.boot("start").status).toBe(0);
    const pub = await requester(n);
    await pub.set("fallback", {
      op: "reboot",
      reason: "FALLBACK",
      detail: "",
      requestedAt: new Date().toISOString(),
    });
    const s = await waitFor(
      () => {
        const st = status(n);
        return st?.error ? st : undefined;
      },
      30_000,
      "the refusal in NodeAgentStatus",
    );
    expect(s.error?.description).toContain("runs only for the node at root /");
    expect(s).toMatchObject({
      state: "ONLINE",
      haltApps: false,
      rebootInProgress: false,
      backend: "systemd",
    });
    expect(bootFile(n)).toMatchObject({ bootReason: "FIRST", bootCount: 0 });
  }, 60_000);
});
