// LMDB's lock-region race between processes (README "persistent tables"): several processes read a
// short-lived publisher's store at once while it is written by processes that open it, write and exit.
// Before the fix a reader that lost the race kept a broken environment open for good: every later read
// in that process failed ("Invalid argument: Attempting to setup locks after open"), and its lock kept
// the other processes, writers included, from ever recovering.
import { spawn } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { readPersistentTable } from "../src/store.js";

const fixture = (name: string) => join(__dirname, "fixtures", name);

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const p = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  p.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  p.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve) => p.once("exit", (code) => resolve({ code, out, err })));
}

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

it("readers in three processes and writers that come and go: every write lands and every reader sees the last one", async () => {
  root = mkdtempSync(join(tmpdir(), "ops-race-"));
  const persistDir = join(root, "persist");
  const stop = join(root, "stop");
  const first = await run([fixture("store-writer.ts"), persistDir, "0"]);
  expect(first.code, first.err).toBe(0);
  const readers = [1, 2, 3].map(() => run([fixture("store-readers.ts"), persistDir, "4", stop]));
  const WRITES = 4;
  const writers: { code: number | null; err: string }[] = [];
  for (let n = 1; n <= WRITES; n++)
    writers.push(await run([fixture("store-writer.ts"), persistDir, String(n)]));
  const last = JSON.stringify({ n: WRITES });
  // Atomically: a reader that sees the file must read its whole content (a file still being written
  // read as "" made a loop wait for a value no read could match).
  writeFileSync(`${stop}.tmp`, last);
  renameSync(`${stop}.tmp`, stop);
  const results = await Promise.all(readers);

  // Every short-lived publisher wrote its value (a writer that lost the lock race and retried may have
  // left lmdb-js's own "No current read transaction available" on stderr: only its exit code and its
  // "writer <n>:" error line say it failed)...
  expect(
    writers.map((w) => w.code),
    writers.map((w) => w.err).join("\n"),
  ).toEqual(writers.map(() => 0));
  expect(writers.map((w) => /^writer \d+:/m.test(w.err))).toEqual(writers.map(() => false));
  // ...and each reader process, in each of its loops, reads the store and sees the last value.
  for (const r of results) {
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as {
      reads: number;
      errors: Record<string, number>;
      saw: number;
      missed: Record<string, string>;
    };
    expect(report.reads).toBeGreaterThan(10); // the readers did overlap the writers
    expect(report.saw, JSON.stringify({ errors: report.errors, missed: report.missed })).toBe(4);
  }
  // And so does a reader that comes afterwards.
  const table = await readPersistentTable(persistDir, "client", "/OnboardingStatus");
  expect(table.get("global")?.toString()).toBe(last);
}, 60_000);
