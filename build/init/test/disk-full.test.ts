// Issue 7, item 1: the watchdog and the agents it keeps keep running when persist/ (a real 16 MB
// tmpfs here) is full: log lines are dropped and counted instead of ending the process, the watchdog
// still restarts an agent killed while the disk is full, and its log says how many lines it lost.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { fillDisk, makeNode, type Node, waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("watchdog and an agent on a full persist/", () => {
  let node: Node;
  let persist: string;
  beforeAll(() => {
    node = makeNode({
      OUTPOST_AGENTS: "watchdog fixture:a1",
      OUTPOST_ARGS_watchdog: "--tick-ms 200 --backoff-min-ms 200 --backoff-max-ms 1000",
      OUTPOST_ARGS_a1: "--touch-interval-ms 200",
    });
    persist = join(node.root, "persist");
    mkdirSync(persist, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", persist]);
  });
  afterAll(() => {
    // Lazily: the agents still hold files there until cleanup kills them.
    spawnSync("umount", ["-l", persist]);
    node?.cleanup();
  });

  const restartedFrom = async (old: number) => {
    await waitFor(
      () => {
        const pid = node.pid("a1");
        return pid !== undefined && pid !== old && isProcessAlive(pid);
      },
      20_000,
      `a1 restarted (was ${old})`,
    );
    return node.pid("a1") as number;
  };

  it("restarts an agent killed while the disk is full, stays up, and counts the log lines it lost", async () => {
    const started = node.boot("start");
    expect(started.status, started.stderr).toBe(0);
    const watchdog = node.pid("watchdog") as number;
    let a1 = node.pid("a1") as number;

    const filler = join(persist, "filler");
    fillDisk(filler);
    // Several crashes while full: each one is logged (and its event recorded) by the watchdog, more
    // than what is left of its log file's last page.
    for (let i = 0; i < 3; i++) {
      process.kill(a1, "SIGKILL");
      a1 = await restartedFrom(a1);
    }
    expect(isProcessAlive(watchdog)).toBe(true);
    expect(node.pid("watchdog")).toBe(watchdog);
    // The restarted agent runs on the full disk too: it keeps its touch file fresh.
    const touched = node.touchMtimeMs("a1") ?? 0;
    await waitFor(() => (node.touchMtimeMs("a1") ?? 0) > touched, 5_000, "a1 touching");

    unlinkSync(filler);
    process.kill(a1, "SIGKILL");
    await restartedFrom(a1);
    expect(node.pid("watchdog")).toBe(watchdog);

    const log = readFileSync(join(persist, "log/watchdog.log"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; dropped?: number }); // whole lines only
    const notes = log.filter((l) => l.dropped !== undefined);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.dropped).toBeGreaterThanOrEqual(1);
    expect(notes[0]?.msg).toMatch(/^\d+ log lines dropped: writing the log failed \(ENOSPC\)$/);
    // The crash after the space came back is in the log after the note, and in events.jsonl.
    const at = log.indexOf(notes[0] as (typeof log)[number]);
    expect(log.slice(at).some((l) => /^a1: exited/.test(l.msg))).toBe(true);
    expect(node.events().filter((e) => e.agent === "a1").length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
