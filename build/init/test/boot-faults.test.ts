// Faults an unattended node must survive, for real, from the built bundle under a temp root:
// - a power cut (kill -9 of every process that has a pid file) and `outpost-boot start` again: the
//   new watchdog does not fight boot over the agents, nothing burns the restart budget, and a real
//   crash afterwards is still repaired;
// - kill -9 of the watchdog: its respawn loop brings it back (and it feeds the hardware watchdog
//   stand-in again), so an agent killed afterwards is restarted;
// - foreign pid files in run/ (at root / that is the system's /run): stop and status leave them alone;
// - a stop asked while a start is still bringing agents up (a reboot through nodeagent's node-restart
//   backend right after a boot) waits for that start, then stops everything it started.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { BOOT, killQuietly, makeNode, type Node, readPid, TEST_BIN, waitFor } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

/** Every pid file under run/ (agents', and the respawn loop's in run/watchdog/). */
function pidFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...pidFilesUnder(p));
    else if (e.name.endsWith(".pid")) out.push(p);
  }
  return out;
}

/** Waits until `agent` runs as a new live process (not `old`) that touched after `since`. */
async function restartedSince(node: Node, agent: string, old: number, since: number, what: string) {
  await waitFor(
    () => {
      const pid = node.pid(agent);
      return (
        pid !== undefined && pid !== old && isProcessAlive(pid) && (node.touchMtimeMs(agent) ?? 0) >= since
      );
    },
    30_000,
    what,
  );
}

describe("outpost-boot under faults", () => {
  let node: Node | undefined;
  afterEach(() => node?.cleanup());

  it("power cut, then start: no duplicate spawns, no restart burnt; a later crash is repaired", async () => {
    // A small restart budget and short backoff: the old behaviour (the new watchdog restarting the
    // stale registrations while boot starts the same agents) gives up on an agent within seconds.
    node = makeNode({
      OUTPOST_AGENTS: "core fixture:pub1 fixture:pub2",
      OUTPOST_ARGS_pub1: "--publish Foo --keys 1",
      OUTPOST_ARGS_watchdog: "--max-restarts 2 --backoff-min-ms 100 --tick-ms 200",
    });
    const root = node.root;
    const first = node.boot("start");
    expect(first.status, first.stderr).toBe(0);
    const before = pidFilesUnder(join(node.root, "run"));
    expect(before.map((p) => p.slice(root.length)).sort()).toEqual([
      "/run/ledmanager.pid",
      "/run/pub1.pid",
      "/run/pub2.pid",
      "/run/watchdog.pid",
      "/run/watchdog/supervisor.pid",
    ]);
    const dead = before.map((p) => readPid(p) as number);
    for (const pid of dead) killQuietly(pid);
    await waitFor(() => dead.every((p) => !isProcessAlive(p)), 10_000, "every process to die");
    expect(node.processes()).toEqual([]);

    const second = node.boot("start");
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toBe("");
    expect(second.stdout).toContain("pub1: stale registration removed (not running)");
    for (const a of ["watchdog", "ledmanager", "pub1", "pub2"])
      expect(second.stdout).toMatch(new RegExp(`^${a}\\s+\\d+\\s+yes`, "m"));

    // A real crash now: repaired, and it is the only event the watchdog ever recorded.
    const victim = node.pid("pub1") as number;
    const killedAt = Date.now();
    process.kill(victim, "SIGKILL");
    await restartedSince(node, "pub1", victim, killedAt, "pub1 to be restarted after the crash");
    expect(node.events()).toEqual([
      expect.objectContaining({ agent: "pub1", cause: "exited", pid: victim, action: "restart" }),
    ]);
    // No copy of any agent was started twice: no "already running" exit in any stderr log.
    for (const f of readdirSync(join(node.root, "persist/log")).filter((f) => f.endsWith(".stderr")))
      expect(readFileSync(join(node.root, "persist/log", f), "utf8"), f).not.toContain("already running");
    const status = node.boot("status");
    expect(status.status, status.stdout).toBe(0);
  });

  it("kill -9 of the watchdog: the respawn loop restarts it, it feeds the device again, and repairs agents", async () => {
    node = makeNode({ OUTPOST_AGENTS: "core fixture:pub1" });
    const device = join(node.root, "hw-watchdog");
    // A regular file stands in for /dev/watchdog (same open/write interface): it grows while fed.
    writeFileSync(device, "");
    node.env.OUTPOST_ARGS_watchdog = `--device ${device} --feed-ms 100`;
    const r = node.boot("start");
    expect(r.status, r.stderr).toBe(0);
    await waitFor(() => statSync(device).size > 0, 10_000, "the watchdog to feed the device");

    const oldWd = node.pid("watchdog") as number;
    const wdKilledAt = Date.now();
    process.kill(oldWd, "SIGKILL");
    await restartedSince(node, "watchdog", oldWd, wdKilledAt, "the watchdog to be respawned");
    expect(readFileSync(join(node.root, "persist/log/watchdog.stderr"), "utf8")).toMatch(
      /watchdog exited \(status 137\) after \d+ s; starting it again in 1 s/,
    );
    const fedBefore = statSync(device).size;
    await waitFor(
      () => statSync(device).size > fedBefore,
      10_000,
      "the respawned watchdog to feed the device",
    );

    const victim = node.pid("pub1") as number;
    const killedAt = Date.now();
    process.kill(victim, "SIGKILL");
    await restartedSince(node, "pub1", victim, killedAt, "pub1 to be restarted by the new watchdog");
    expect(node.events()).toContainEqual(
      expect.objectContaining({ agent: "pub1", cause: "exited", pid: victim, action: "restart" }),
    );

    // stop ends the loop too: nothing comes back.
    const loop = readPid(join(node.root, "run/watchdog/supervisor.pid")) as number;
    expect(isProcessAlive(loop)).toBe(true);
    expect(node.boot("stop").status).toBe(0);
    expect(isProcessAlive(loop)).toBe(false);
    expect(node.processes()).toEqual([]);
  });

  it("start --foreground (the systemd unit's main process) stays as the respawn loop until stop", async () => {
    node = makeNode({ OUTPOST_AGENTS: "core fixture:pub1" });
    const fg = spawn("dash", [BOOT, "--root", node.root, "start", "--foreground"], {
      env: { ...process.env, OUTPOST_BIN: TEST_BIN, ...node.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    fg.stdout?.on("data", (d) => {
      out += String(d);
    });
    const exited = new Promise<number | null>((r) => fg.once("exit", (code) => r(code)));
    try {
      await waitFor(
        () => node?.pid("watchdog") !== undefined && (node?.touchMtimeMs("watchdog") ?? 0) > 0,
        30_000,
        "the watchdog to start",
      );
      // The unit's main process is the loop itself (exec: same pid), not a detached copy.
      expect(readPid(join(node.root, "run/watchdog/supervisor.pid"))).toBe(fg.pid);
      expect(out).toContain(`watchdog: respawn loop in the foreground (pid ${fg.pid})`);
      expect(node.boot("status").status).toBe(0);

      const oldWd = node.pid("watchdog") as number;
      const at = Date.now();
      process.kill(oldWd, "SIGKILL");
      await restartedSince(node, "watchdog", oldWd, at, "the watchdog to be respawned");

      expect(node.boot("stop").status).toBe(0);
      expect(await exited).toBe(0);
      expect(node.processes()).toEqual([]);
    } finally {
      if (fg.exitCode === null) fg.kill("SIGKILL");
    }
  });

  it("stop and status touch only Outpost's own pid files", () => {
    node = makeNode({ OUTPOST_AGENTS: "core fixture:pub1" });
    expect(node.boot("start").status).toBe(0);
    // Another daemon's live pid file, and a dead one's, as /run holds them on a device.
    const daemon = spawn("sleep", ["600"], { detached: true, stdio: "ignore" });
    daemon.unref();
    const run = join(node.root, "run");
    try {
      writeFileSync(join(run, "docker.pid"), `${daemon.pid}\n`);
      writeFileSync(join(run, "sshd.pid"), "999999\n");
      const status = node.boot("status");
      expect(status.status, status.stdout).toBe(0);
      expect(status.stdout).not.toMatch(/docker|sshd/);

      const stop = node.boot("stop");
      expect(stop.status).toBe(0);
      expect(isProcessAlive(daemon.pid as number)).toBe(true);
      expect(readFileSync(join(run, "docker.pid"), "utf8")).toBe(`${daemon.pid}\n`);
      expect(readFileSync(join(run, "sshd.pid"), "utf8")).toBe("999999\n");
      expect(
        readdirSync(run)
          .filter((f) => f.endsWith(".pid"))
          .sort(),
      ).toEqual(["docker.pid", "sshd.pid"]);
      expect(node.processes()).toEqual([]);
      // Outpost's agents are down; the foreign files do not count either way.
      const after = node.boot("status");
      expect(after.status).toBe(1);
      expect(after.stdout).not.toMatch(/docker|sshd/);
    } finally {
      killQuietly(daemon.pid as number);
    }
  });

  it("stop during a start waits for it: nothing the start brought up is left running or registered", async () => {
    node = makeNode({ OUTPOST_AGENTS: "core fixture:a1 fixture:a2 fixture:a3 fixture:a4 fixture:a5" });
    const starting = spawn("dash", [BOOT, "--root", node.root, "start"], {
      env: { ...process.env, OUTPOST_BIN: TEST_BIN, ...node.env },
      stdio: "ignore",
    });
    const started = new Promise<number | null>((r) => starting.once("exit", (code) => r(code)));
    try {
      // The start is under way (its first fixture is up; four more to go) when the stop comes.
      await waitFor(() => node?.pid("a1") !== undefined, 30_000, "the start to reach a1", 20);
      const stop = node.boot("stop");
      expect(stop.status, stop.stderr).toBe(0);
      // The start finished before the stop went ahead: it succeeded, and the stop left nothing behind.
      expect(await started).toBe(0);
      expect(node.processes()).toEqual([]);
      expect(readdirSync(join(node.root, "run/watchdog/agents"))).toEqual([]);
      expect(node.boot("status").status).toBe(1);
    } finally {
      if (starting.exitCode === null) starting.kill("SIGKILL");
    }
  });
});
