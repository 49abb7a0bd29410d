// The log file under real limits: rotation by size, one budget for the whole directory, and a full
// disk (a real tmpfs filled to ENOSPC) that costs lines but never throws.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fillDisk } from "@outpost/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

let dir: string;
let mounted = false;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "op-log-"));
});
afterEach(() => {
  if (mounted) spawnSync("umount", ["-l", dir]);
  mounted = false;
  rmSync(dir, { recursive: true, force: true });
});

function mountTmpfs(size: string) {
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
  mounted = true;
}

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const sizes = () => readdirSync(dir).map((f) => ({ f, size: statSync(join(dir, f)).size }));

describe("logger", () => {
  it("rotates by size to <agent>.log.1, .2 ..., newest first, and keeps the directory within its budget", () => {
    const limits = { fileMaxBytes: 10_000, budgetBytes: 45_000 };
    const log = createLogger({ agent: "a", file: join(dir, "a.log"), debug: false, stdout: false, limits });
    const pad = "x".repeat(200);
    for (let i = 0; i < 1000; i++) log.info({ i, pad }, "line");
    const files = sizes();
    for (const { f, size } of files) expect(size, f).toBeLessThanOrEqual(limits.fileMaxBytes);
    // Rotated on every ~10 kB, then pruned: the directory stays within its budget.
    expect(files.reduce((s, f) => s + f.size, 0)).toBeLessThanOrEqual(limits.budgetBytes);
    const names = files.map((f) => f.f).sort();
    expect(names[0]).toBe("a.log");
    expect(names.length).toBeGreaterThanOrEqual(4);
    // The newest lines survive, in order: a.log ends with the last one; .1 comes right before it.
    const live = lines(join(dir, "a.log"));
    expect(live.at(-1)?.i).toBe(999);
    const one = lines(join(dir, "a.log.1"));
    expect(one.at(-1)?.i).toBe((live[0]?.i as number) - 1);
    const two = lines(join(dir, "a.log.2"));
    expect(two.at(-1)?.i).toBe((one[0]?.i as number) - 1);
    // The oldest went: line 0 is nowhere.
    const all = readdirSync(dir).flatMap((f) => lines(join(dir, f)).map((l) => l.i));
    expect(all).not.toContain(0);
  });

  it("shares one budget between agents: a chatty agent's old files go, a quiet agent keeps its log", () => {
    const limits = { fileMaxBytes: 8_000, budgetBytes: 30_000 };
    const quiet = createLogger({ agent: "q", file: join(dir, "q.log"), debug: false, stdout: false, limits });
    const chatty = createLogger({
      agent: "c",
      file: join(dir, "c.log"),
      debug: false,
      stdout: false,
      limits,
    });
    quiet.info("quiet start");
    for (let i = 0; i < 2000; i++) chatty.info({ i }, "chatter");
    quiet.info("quiet still here");
    const total = sizes().reduce((s, f) => s + f.size, 0);
    expect(total).toBeLessThanOrEqual(limits.budgetBytes);
    expect(lines(join(dir, "q.log")).map((l) => l.msg)).toEqual(["quiet start", "quiet still here"]);
  });

  it("drops and counts lines while the disk is full, never throws, and says so once when writes work", () => {
    mountTmpfs("256k");
    const file = join(dir, "a.log");
    const log = createLogger({ agent: "a", file, debug: false, stdout: false });
    log.info("before");
    const filler = join(dir, "filler");
    fillDisk(filler);
    // Each of these fails with ENOSPC underneath; none may throw.
    for (let i = 0; i < 50; i++) log.info({ i, pad: "y".repeat(300) }, "while full");
    unlinkSync(filler);
    log.info("after");
    log.info("after again");
    const got = lines(file); // every line parses: no torn line was left behind
    const notes = got.filter((l) => typeof l.dropped === "number");
    expect(notes).toHaveLength(1);
    const dropped = notes[0]?.dropped as number;
    const written = got.filter((l) => l.msg === "while full").length;
    // What fitted in the log file's last, partly used page went in; the rest was dropped and counted.
    expect(dropped + written).toBe(50);
    expect(written * 350).toBeLessThanOrEqual(4096);
    expect(notes[0]?.msg).toMatch(/^\d+ log lines dropped: writing the log failed \(ENOSPC\)$/);
    expect(got.at(0)?.msg).toBe("before");
    expect(got.slice(-3).map((l) => l.msg)).toEqual([notes[0]?.msg, "after", "after again"]);
  });
});
