// End to end, from the built bundle: outpost-boot starts the node's agents as separate processes;
// pubsub works across them; ledmanager plays a count a fixture set; the watchdog restarts an agent
// killed with -9 and records why; a second instance refuses; stop leaves nothing running.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { blinksPerCycle, LedTransitionCodec } from "@outpost/ledmanager";
import { isProcessAlive } from "@outpost/primitives";
import { makeNode, type Node, readJson, runBin, waitFor } from "@outpost/testkit";
import { decodeJson } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The environment a process was started with (/proc/<pid>/environ), one entry per element. */
const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");

describe("outpost-boot", () => {
  let node: Node;
  let started: ReturnType<Node["boot"]>;

  beforeAll(() => {
    node = makeNode({
      OUTPOST_AGENTS: "core fixture:pub1 fixture:sub1",
      OUTPOST_ARGS_pub1: "--publish Foo --keys 3 --set-led 4",
      // ledmanager finds pub1 (started after it) within 300 ms instead of its 2 s discovery period.
      OUTPOST_ARGS_ledmanager: "--discover-ms 300",
      // The dump path is filled in below, once the root is known.
    });
    node.env.OUTPOST_ARGS_sub1 = `--subscribe pub1/Foo --dump ${join(node.root, "sub1.json")}`;
    started = node.boot("start");
  });
  afterAll(() => node?.cleanup());

  it("starts watchdog, ledmanager and the fixtures as separate live processes", () => {
    expect(started.stderr).toBe("");
    expect(started.status).toBe(0);
    const agents = ["watchdog", "ledmanager", "pub1", "sub1"];
    const pids = agents.map((a) => node.pid(a));
    for (const [i, pid] of pids.entries()) {
      expect(pid, agents[i]).toBeDefined();
      expect(isProcessAlive(pid as number), agents[i]).toBe(true);
      expect(node.touchMtimeMs(agents[i] as string), agents[i]).toBeDefined();
    }
    expect(new Set(pids).size).toBe(agents.length);
    // Each runs from its own symlink in the bin directory (the tests': dist-test/bin, see testkit).
    const argv0 = readFileSync(`/proc/${node.pid("ledmanager")}/cmdline`, "utf8").split("\0");
    expect(argv0.some((a) => a.endsWith("/dist-test/bin/ledmanager"))).toBe(true);
    // One malloc arena per agent (outpost-boot's default; bench/README.md, issue 16).
    for (const [i, pid] of pids.entries())
      expect(environOf(pid as number), agents[i]).toContain("MALLOC_ARENA_MAX=1");
    // Registered with the watchdog (but not the watchdog itself).
    expect(readdirSync(join(node.root, "run/watchdog/agents")).sort()).toEqual([
      "ledmanager",
      "pub1",
      "sub1",
    ]);
    expect(started.stdout).toMatch(/pub1\s+\d+\s+yes/);
  });

  it("a fixture's table is visible to another fixture process", async () => {
    const dump = join(node.root, "sub1.json");
    await waitFor(
      () =>
        existsSync(dump) &&
        Object.keys((readJson(dump) as Record<string, Record<string, unknown>>)["pub1/Foo"] ?? {}).length ===
          3,
      10_000,
      "sub1 to see pub1/Foo",
    );
    const view = readJson(dump) as Record<string, Record<string, { writer: string; key: string }>>;
    expect(Object.keys(view["pub1/Foo"] ?? {}).sort()).toEqual(["k0", "k1", "k2"]);
    expect(view["pub1/Foo"]?.k1).toMatchObject({ writer: "pub1", key: "k1" });
  });

  it("ipcmonitor shows the fixture's table", () => {
    const r = runBin("ipcmonitor", ["--root", node.root, "-a", "pub1", "-t", "Foo", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout.split("\n")[0] ?? "") as { entries: Record<string, unknown> };
    expect(Object.keys(doc.entries).sort()).toEqual(["k0", "k1", "k2"]);
  });

  it("ledmanager plays the count a fixture set: 4 blinks per cycle", async () => {
    const path = join(node.root, "run/ledmanager/transitions");
    const cycles = () => {
      if (!existsSync(path)) return [];
      const ts = readFileSync(path, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => decodeJson(LedTransitionCodec, l));
      // The first cycle of a new count is whole (ledmanager restarts the pattern from its first
      // blink: agents/ledmanager/src/update.ts); the last may still be under way: dropped.
      return blinksPerCycle(
        ts.filter((t) => t.count === 4),
        800,
      ).slice(0, -1);
    };
    await waitFor(() => cycles().length >= 2, 20_000, "two whole blink cycles");
    expect(cycles().every((n) => n === 4)).toBe(true);
    expect(readJson(join(node.root, "run/ledmanager/state.json"))).toMatchObject({
      blinkCount: 4,
      agent: "pub1",
    });
  });

  it("a second instance of an agent refuses to start", () => {
    const r = runBin("ledmanager", ["--root", node.root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `ledmanager: another instance is already running as pid ${node.pid("ledmanager")}`,
    );
    expect(isProcessAlive(node.pid("ledmanager") as number)).toBe(true);
  });

  it("kill -9 of an agent: the watchdog restarts it and records cause exited", async () => {
    const old = node.pid("pub1") as number;
    const killedAt = Date.now();
    process.kill(old, "SIGKILL");
    await waitFor(
      () => {
        const pid = node.pid("pub1");
        return (
          pid !== undefined &&
          pid !== old &&
          isProcessAlive(pid) &&
          (node.touchMtimeMs("pub1") ?? 0) >= killedAt
        );
      },
      20_000,
      "pub1 to be restarted",
    );
    expect(node.events()).toContainEqual(
      expect.objectContaining({ agent: "pub1", cause: "exited", pid: old, action: "restart" }),
    );
    // Restarted with the environment boot gave the watchdog.
    expect(environOf(node.pid("pub1") as number)).toContain("MALLOC_ARENA_MAX=1");
    expect(readFileSync(join(node.root, "persist/log/watchdog.log"), "utf8")).toContain("pub1: exited");
    // The watchdog's status table says so too.
    await waitFor(
      () => {
        const r = runBin("ipcmonitor", [
          "--root",
          node.root,
          "-a",
          "watchdog",
          "-t",
          "WatchdogStatus",
          "--json",
        ]);
        const doc = JSON.parse(r.stdout.split("\n")[0] || "{}") as {
          entries?: Record<string, { restarts: number; lastCause?: string; state: string }>;
        };
        const s = doc.entries?.pub1;
        return s?.restarts === 1 && s.lastCause === "exited" && s.state === "running";
      },
      10_000,
      "WatchdogStatus of pub1",
    );
  });

  it("stop leaves no process and no registration", () => {
    const r = node.boot("stop");
    expect(r.status).toBe(0);
    expect(node.processes()).toEqual([]);
    expect(readdirSync(join(node.root, "run")).filter((f) => f.endsWith(".pid"))).toEqual([]);
    expect(readdirSync(join(node.root, "run/watchdog/agents"))).toEqual([]);
    const status = node.boot("status");
    expect(status.stdout).toMatch(/watchdog\s+-\s+no/);
  });
});
