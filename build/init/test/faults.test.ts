// The quick faults of `make chaos` (bench/chaos.ts) as regular tests, on a node without Docker
// (watchdog, ledmanager and two fixture agents from the built bundle, booted by outpost-boot):
// - a power cut (kill -9 of every process of the node, the watchdog and whatever supervises it
//   included) then `outpost-boot start`: every agent runs exactly once, nothing is given up, and
//   a crash right after is still repaired (issue 7, items 3 and 4);
// - a 200 MB frame into an agent's ZeroMQ socket: the agent stays up, keeps serving its table and
//   does not keep the frame's memory (issue 7, item 10).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { makeNode, type Node, runBin, waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dealer } from "zeromq";

/** Every process the boot script starts inherits this variable, so the test finds them all. */
const MARKER = "OUTPOST_FAULTS_TEST_NODE";
const AGENTS = ["watchdog", "ledmanager", "pub1", "sub1"];

function bootNode(): Node {
  const node = makeNode({
    OUTPOST_AGENTS: "core fixture:pub1 fixture:sub1",
    OUTPOST_ARGS_pub1: "--publish Foo --keys 3",
    OUTPOST_ARGS_sub1: "--subscribe pub1/Foo",
    // Checks and restarts sooner than on a device (1 s ticks, 500 ms first back-off): the budget
    // under test (5 restarts per window) is the default one.
    OUTPOST_ARGS_watchdog: "--tick-ms 200 --backoff-min-ms 100",
  });
  node.env[MARKER] = node.root;
  const r = node.boot("start");
  expect(r.status, r.stderr).toBe(0);
  return node;
}

/** Live processes of the node: the marker in the environment or the root in the command line. */
function nodeProcesses(node: Node): number[] {
  const found: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const mine =
        readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").includes(node.root) ||
        readFileSync(`/proc/${d}/environ`, "utf8").split("\0").includes(`${MARKER}=${node.root}`);
      if (mine && isProcessAlive(Number(d))) found.push(Number(d));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Live processes running `agent` with this root (its program, or `--name agent`). */
function agentProcesses(node: Node, agent: string): number[] {
  return nodeProcesses(node).filter((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return (
        argv.includes(node.root) &&
        argv.some((a, i) => a.endsWith(`/${agent}`) || (a === "--name" && argv[i + 1] === agent))
      );
    } catch {
      return false;
    }
  });
}

function killAll(node: Node): void {
  for (let round = 0; round < 20; round++) {
    const left = nodeProcesses(node);
    if (left.length === 0) return;
    for (const p of left) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}

function vmRss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) * 1024;
}

// One node for both faults, booted once (a boot is most of each test's time): the frame first, as it
// leaves the node as it was (the agent stays up), then the power cut, which boots it again.
describe("faults", () => {
  let n: Node;
  beforeAll(() => {
    n = bootNode();
  });
  afterAll(() => {
    if (n) killAll(n);
    n?.cleanup();
  });

  it("a 200 MB frame into an agent's socket: it stays up, serves, and does not keep the memory", async () => {
    const pid = n.pid("pub1") as number;
    const before = vmRss(pid);
    let peak = before;
    const sock = new Dealer({ linger: 0 });
    let dropped = false;
    sock.events.on("disconnect", () => {
      dropped = true;
    });
    sock.connect(`ipc://${join(n.root, "run/pubsub/pub1.sock")}`);
    try {
      await sock.send(Buffer.alloc(200 << 20, 0x41));
      // Either the agent's socket refuses the frame (ZeroMQ drops the connection once the size
      // announced is over the limit) or the agent takes it in (its memory grows by about the
      // frame's size): wait for whichever happens.
      await waitFor(
        () => {
          if (!isProcessAlive(pid)) return true;
          peak = Math.max(peak, vmRss(pid));
          return dropped || peak > before + (150 << 20);
        },
        30_000,
        "the frame to be refused or taken in",
      );
    } finally {
      sock.close();
    }
    expect(isProcessAlive(pid), "pub1 survived the frame").toBe(true);
    const r = runBin("ipcmonitor", ["--root", n.root, "-a", "pub1", "-t", "Foo", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(
      Object.keys((JSON.parse(r.stdout.split("\n")[0] ?? "{}") as { entries: object }).entries).sort(),
    ).toEqual(["k0", "k1", "k2"]);
    expect(
      Math.round((peak - before) / (1 << 20)),
      "MB of RSS the agent grew by while the frame came in",
    ).toBeLessThan(64);
    expect(dropped, "the agent's socket dropped the connection that sent the frame").toBe(true);
  });

  it("power cut: after kill -9 of everything and a boot, each agent runs once and crashes are still repaired", async () => {
    killAll(n);
    expect(nodeProcesses(n)).toEqual([]);

    const r = n.boot("start");
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    await waitFor(
      () => AGENTS.every((a) => agentProcesses(n, a).length === 1 && agentProcesses(n, a)[0] === n.pid(a)),
      20_000,
      "every agent running exactly once, as its pid file says",
    );

    // The unclean stop must not have used up the restart budget (5 restarts in 5 minutes): four
    // crashes in a row are each repaired, and nothing is given up.
    for (let crash = 1; crash <= 4; crash++) {
      const old = n.pid("pub1") as number;
      process.kill(old, "SIGKILL");
      await waitFor(
        () => {
          const p = n.pid("pub1");
          return (
            p !== undefined &&
            p !== old &&
            isProcessAlive(p) &&
            (n.touchMtimeMs("pub1") ?? 0) > Date.now() - 5000
          );
        },
        30_000,
        `pub1 restarted after crash ${crash} following the power cut (watchdog events: ${JSON.stringify(n.events().slice(-6))})`,
      );
    }
    expect(n.events().filter((e) => e.action === "give-up")).toEqual([]);
    expect(AGENTS.map((a) => `${a}: ${agentProcesses(n, a).length}`)).toEqual(AGENTS.map((a) => `${a}: 1`));
  });
});
