import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@outpost/testkit/wait";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquirePidFile, holderIsAgent, PidFileHeldError, pidFileVerdict } from "../src/pidfile.js";

describe("pidFileVerdict", () => {
  const alive = (pid: number) => pid === 42;
  it("no file is free", () => expect(pidFileVerdict(undefined, 1, alive)).toEqual({ kind: "free" }));
  it("a live other pid holds it", () =>
    expect(pidFileVerdict("42\n", 1, alive)).toEqual({ kind: "held", pid: 42 }));
  it("a dead pid is stale", () =>
    expect(pidFileVerdict("43\n", 1, alive)).toEqual({ kind: "stale", pid: 43 }));
  it("our own pid is a leftover, hence stale", () =>
    expect(pidFileVerdict("42", 42, alive)).toEqual({ kind: "stale", pid: 42 }));
  it("garbage is stale", () => expect(pidFileVerdict("", 1, alive)).toEqual({ kind: "stale" }));
});

describe("acquirePidFile", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "op-pid-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes our pid and removes the file on release", () => {
    const path = join(dir, "a.pid");
    const pf = acquirePidFile(path);
    expect(readFileSync(path, "utf8")).toBe(`${process.pid}\n`);
    pf.release();
    expect(existsSync(path)).toBe(false);
  });

  it("refuses when a live process holds it", () => {
    const path = join(dir, "a.pid");
    writeFileSync(path, `${process.ppid}\n`);
    expect(() => acquirePidFile(path)).toThrow(PidFileHeldError);
    expect(readFileSync(path, "utf8")).toBe(`${process.ppid}\n`);
  });

  it("replaces a stale pid file of a process that exited", () => {
    const dead = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" }).stdout.trim();
    const path = join(dir, "a.pid");
    writeFileSync(path, `${dead}\n`);
    acquirePidFile(path);
    expect(readFileSync(path, "utf8")).toBe(`${process.pid}\n`);
  });

  it("release leaves a file that now names another process alone", () => {
    const path = join(dir, "a.pid");
    const pf = acquirePidFile(path);
    writeFileSync(path, "12345\n");
    pf.release();
    expect(readFileSync(path, "utf8")).toBe("12345\n");
  });
});

describe("holderIsAgent", () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const c of started.splice(0)) c.kill("SIGKILL");
  });

  it("tells the agent from an unrelated process that reused its pid", async () => {
    const agent = spawn(
      process.execPath,
      ["-e", "setTimeout(() => {}, 20000)", "/opt/outpost/bin/ledmanager"],
      { stdio: "ignore" },
    );
    const other = spawn("sleep", ["20"], { stdio: "ignore" });
    started.push(agent, other);
    // Until each child has exec'd, /proc/<pid>/cmdline is still the forked parent's: wait for the
    // programs' own command lines.
    const cmdline = (pid: number | undefined) => readFileSync(`/proc/${pid}/cmdline`, "utf8");
    await waitFor(() => cmdline(agent.pid).includes("/opt/outpost/bin/ledmanager"), 5000, "the agent's exec");
    await waitFor(() => cmdline(other.pid).startsWith("sleep\0"), 5000, "sleep's exec");
    expect(holderIsAgent(agent.pid as number, "ledmanager")).toBe(true);
    expect(holderIsAgent(agent.pid as number, "watchdog")).toBe(false);
    expect(holderIsAgent(other.pid as number, "sleep")).toBe(false); // not node
    const dead = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" }).stdout.trim();
    expect(holderIsAgent(Number(dead), "ledmanager")).toBe(false);
  });
});
