// The watchdog's reboot policy goes through nodeagent: a node booted by outpost-boot with
// `--policy reboot` (a regular file stands in for /dev/watchdog) and nodeagent's node-restart backend.
// An agent killed -> the watchdog asks nodeagent (NodeAgentRequest, reason WATCHDOG_PID) and keeps
// feeding -> nodeagent reboots the node -> the new boot reports WATCHDOG_PID with the agent named, and
// the agent runs again. nodeagent itself killed -> nobody can carry the reboot out: the watchdog's own
// path, it stops feeding the device (which resets a real device).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { makeNode, type Node, runBin, waitFor } from "@outpost/testkit";
import type { NodeAgentStatus } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("watchdog: the reboot policy through nodeagent", () => {
  let node: Node;
  let device: string;
  const size = () => statSync(device).size;
  const bootFile = () => {
    try {
      return JSON.parse(readFileSync(join(node.root, "persist/nodeagent/boot.json"), "utf8")) as {
        bootReason: string;
        bootCount: number;
        lastRebootReason: string;
      };
    } catch {
      return undefined;
    }
  };
  const status = (): NodeAgentStatus | undefined => {
    const r = runBin("ipcmonitor", [
      "--root",
      node.root,
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

  beforeAll(async () => {
    node = makeNode({
      OUTPOST_AGENTS: "watchdog nodeagent fixture:victim",
      OUTPOST_ARGS_nodeagent: "--backend node-restart --halt-timeout-s 1",
      OUTPOST_ONBOARD: "0",
    });
    device = join(node.root, "watchdog-device");
    writeFileSync(device, "");
    node.env.OUTPOST_ARGS_watchdog = `--device ${device} --policy reboot --feed-ms 100 --tick-ms 200`;
    expect(node.boot("start").status).toBe(0);
    await waitFor(() => bootFile()?.bootReason === "FIRST", 20_000, "the first boot recorded");
  }, 60_000);
  afterAll(() => {
    node?.boot("stop");
    node?.cleanup();
  });

  it("an agent killed: nodeagent reboots the node, the boot reports WATCHDOG_PID, the agent runs again", async () => {
    const victim = node.pid("victim") as number;
    const watchdog = node.pid("watchdog") as number;
    process.kill(victim, "SIGKILL");
    const b = await waitFor(
      () => {
        const f = bootFile();
        return f?.bootReason === "WATCHDOG_PID" ? f : undefined;
      },
      60_000,
      () => `a boot with reason WATCHDOG_PID (boot.json ${JSON.stringify(bootFile())})`,
    );
    expect(b.bootCount).toBe(1);
    expect(b.lastRebootReason).toMatch(/^watchdog: victim exited: process \d+ is gone/);
    // The watchdog had asked, not acted: its event says so.
    expect(node.events()).toContainEqual(
      expect.objectContaining({ agent: "victim", cause: "exited", action: "reboot" }),
    );
    expect(node.events().find((e) => e.agent === "victim")?.details).toContain(
      "asking nodeagent to reboot (WATCHDOG_PID)",
    );
    // A new boot: a new watchdog, the victim started again, nodeagent reports the reason.
    await waitFor(
      () => {
        const v = node.pid("victim");
        return (
          v !== undefined && v !== victim && isProcessAlive(v) && status()?.bootReason === "WATCHDOG_PID"
        );
      },
      30_000,
      "the victim running again and nodeagent reporting WATCHDOG_PID",
    );
    expect(node.pid("watchdog")).not.toBe(watchdog);
    expect(status()?.lastRebootReason).toContain("victim exited");
    // The new watchdog feeds the device.
    const fed = size();
    await waitFor(() => size() > fed + 3, 10_000, "the new watchdog feeding the device");
  }, 120_000);

  it("nodeagent itself killed: the watchdog's own path, it stops feeding the device", async () => {
    const nodeagent = node.pid("nodeagent") as number;
    process.kill(nodeagent, "SIGKILL");
    await waitFor(
      () => node.events().some((e) => e.agent === "nodeagent" && e.action === "reboot"),
      10_000,
      "the watchdog's reboot event for nodeagent",
    );
    expect(node.events().find((e) => e.agent === "nodeagent")?.details).toContain(
      "nodeagent is down: no longer feeding the hardware watchdog",
    );
    await new Promise((r) => setTimeout(r, 500));
    const stopped = size();
    await new Promise((r) => setTimeout(r, 1500));
    expect(size()).toBe(stopped);
    // No reboot through nodeagent happened: the same boot.
    expect(bootFile()?.bootCount).toBe(1);
  }, 60_000);
});
