// Boot with the controller down: outpost-boot starts the agents and returns at once (the onboarding
// client runs in the background); once the controller comes up, the client onboards and zedagent
// (started before it, waiting on OnboardingStatus) reaches the controller.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  distBin,
  freePort,
  makeNode,
  type Node,
  Procs,
  removeRoot,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

describe("outpost-boot onboards in the background", () => {
  const procs = new Procs();
  let node: Node | undefined;
  let croot: string | undefined;
  afterEach(() => {
    node?.boot("stop");
    node?.cleanup();
    procs.cleanup();
    if (croot) removeRoot(croot);
    node = undefined;
    croot = undefined;
  });

  it("does not wait for the controller; zedagent connects once it is up", async () => {
    croot = tempRoot("op-ctl-");
    const port = await freePort();
    const startController = async () => {
      const c = procs.start("controller", [
        "--root",
        croot ?? "",
        "--listen",
        `127.0.0.1:${port}`,
        "--insecure-single-token",
      ]);
      await waitFor(() => c.output().includes("controller listening"), 15_000, "controller");
      return c;
    };
    const ctl = await startController();
    node = makeNode({
      OUTPOST_AGENTS: "core zedagent",
      OUTPOST_CLIENT_ARGS: "--retry-min-ms 200 --retry-max-ms 1000",
    });
    const r0 = spawnSync(distBin("ctl"), ["--root", croot, "node-config", node.root, "--serial", "SN-BOOT"], {
      encoding: "utf8",
    });
    expect(r0.status, r0.stderr).toBe(0);
    ctl.kill("SIGTERM");
    await new Promise((r) => ctl.once("exit", r));

    const t0 = Date.now();
    const boot = node.boot("start");
    expect(boot.status, boot.stderr).toBe(0);
    expect(boot.stdout).toContain("onboarding in the background");
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(node.pid("zedagent")).toBeDefined();

    await startController();
    const n = node;
    await waitFor(
      () => {
        const r = spawnSync(
          distBin("ipcmonitor"),
          ["--root", n.root, "-a", "zedagent", "-t", "ZedAgentStatus", "--json"],
          {
            encoding: "utf8",
          },
        );
        return /"state": ?"connected"/.test(r.stdout);
      },
      60_000,
      "zedagent connected",
    ).catch((e) => {
      throw new Error(
        `${(e as Error).message}\n${readFileSync(join(n.root, "persist/log/client.log"), "utf8").slice(-2000)}`,
      );
    });
    // The client finished: the status table does not count it as down.
    await waitFor(() => node?.pid("client") === undefined, 20_000, "client to exit");
    expect(node.boot("status").status).toBe(0);
  }, 120_000);
});
