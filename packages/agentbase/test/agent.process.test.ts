// An agent process from the built bundle (the fixture, which is runAgent plus flags): what a user
// sees of agentbase: the layout, pid and touch files, JSON log lines with agent and pid, an orderly
// stop on SIGTERM, refusal of a second instance, and its own exit code.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { distBin, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

const roots: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0))
    if (c.pid && c.exitCode === null && c.signalCode === null)
      try {
        process.kill(c.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
  for (const r of roots.splice(0)) removeRoot(r);
});

function start(args: string[]) {
  const root = tempRoot("op-");
  roots.push(root);
  const child = spawn(distBin("fixture"), ["--root", root, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { root, child, exited, output: () => out };
}

describe("an agent process", () => {
  it("creates the layout, writes pid and touch files, logs JSON with agent and pid, stops on SIGTERM", async () => {
    const { root, child, exited, output } = start(["--name", "a1", "--publish", "Foo"]);
    await waitFor(() => existsSync(join(root, "run/a1.touch")), 10_000, "touch file");
    expect(readFileSync(join(root, "run/a1.pid"), "utf8").trim()).toBe(String(child.pid));
    for (const dir of ["config", "run", "persist", "persist/log"])
      expect(existsSync(join(root, dir)), dir).toBe(true);
    expect(statSync(join(root, "run/pubsub")).mode & 0o777).toBe(0o700);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(join(root, "run/a1.pid"))).toBe(false);
    expect(existsSync(join(root, "run/a1.touch"))).toBe(false);
    const lines = readFileSync(join(root, "persist/log/a1.log"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l).toMatchObject({ agent: "a1", pid: child.pid });
    expect(lines.at(-1)).toMatchObject({ msg: "stopped", code: 0 });
    // The same lines go to stdout.
    expect(output()).toContain('"msg":"stopping"');
  });

  it("refreshes the touch file while healthy", async () => {
    const { root } = start(["--name", "a2", "--touch-interval-ms", "100"]);
    const touch = join(root, "run/a2.touch");
    await waitFor(() => existsSync(touch), 10_000, "touch file");
    const first = statSync(touch).mtimeMs;
    await waitFor(() => statSync(touch).mtimeMs > first, 2000, "a newer touch");
  });

  it("refuses a second instance with exit code 1 and says which pid holds it", async () => {
    const { root, child } = start(["--name", "a3"]);
    await waitFor(() => existsSync(join(root, "run/a3.touch")), 10_000, "touch file");
    const second = spawnSync(distBin("fixture"), ["--root", root, "--name", "a3"], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`a3: another instance is already running as pid ${child.pid}`);
    expect(readFileSync(join(root, "run/a3.pid"), "utf8").trim()).toBe(String(child.pid));
  });

  it("replaces a stale pid file left by a killed instance", async () => {
    const first = start(["--name", "a4"]);
    await waitFor(() => existsSync(join(first.root, "run/a4.touch")), 10_000, "touch file");
    first.child.kill("SIGKILL");
    await first.exited;
    expect(existsSync(join(first.root, "run/a4.pid"))).toBe(true);
    const again = spawn(distBin("fixture"), ["--root", first.root, "--name", "a4"], { stdio: "ignore" });
    children.push(again);
    const killedTouch = statSync(join(first.root, "run/a4.touch")).mtimeMs;
    // The new instance removes the old touch file at start and writes its own.
    await waitFor(
      () => {
        try {
          return (
            readFileSync(join(first.root, "run/a4.pid"), "utf8").trim() === String(again.pid) &&
            statSync(join(first.root, "run/a4.touch")).mtimeMs > killedTouch
          );
        } catch {
          return false;
        }
      },
      10_000,
      "pid and touch file of the new instance",
    );
  });

  it("exits with the code main returns", async () => {
    const { exited } = start(["--name", "a5", "--exit-after", "300", "--exit-code", "3"]);
    expect(await exited).toBe(3);
  });

  it("rejects bad flags and bad agent names with a clear message and exit code 2", () => {
    const root = tempRoot("op-");
    roots.push(root);
    const run = (args: string[]) =>
      spawnSync(distBin("fixture"), ["--root", root, ...args], { encoding: "utf8" });
    let r = run(["--keys", "zero"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--keys: expected an integer >= 1, got "zero"');
    r = run(["--name", "a/b"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('invalid agent name "a/b"');
    r = run(["--log-budget", "lots"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '--log-budget: expected a size in bytes (suffix K, M or G allowed), got "lots"',
    );
    r = run(["--no-such-flag"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
    // Nothing was started: no pid file.
    expect(existsSync(join(root, "run"))).toBe(false);
  });

  it("moves a grown persist/log/<agent>.stderr (the init script's 2>>) to .stderr.1 at start", async () => {
    const root = tempRoot("op-");
    roots.push(root);
    const stderrPath = join(root, "persist/log/a6.stderr");
    mkdirSync(join(root, "persist/log"), { recursive: true });
    const old = "a crash of an earlier instance\n".repeat(100);
    writeFileSync(stderrPath, old);
    const fd = openSync(stderrPath, "a");
    const child = spawn(distBin("fixture"), ["--root", root, "--name", "a6", "--log-file-max", "1K"], {
      stdio: ["ignore", "ignore", fd],
    });
    closeSync(fd);
    children.push(child);
    await waitFor(() => existsSync(join(root, "run/a6.touch")), 10_000, "touch file");
    expect(readFileSync(`${stderrPath}.1`, "utf8")).toBe(old);
    expect(statSync(stderrPath).size).toBe(0);
    // The agent's fd 2 still works, at the start of the emptied file (it is in append mode).
    const second = spawnSync(distBin("fixture"), ["--root", root, "--name", "a6"], {
      stdio: ["ignore", "ignore", openSync(stderrPath, "a")],
      timeout: 20_000,
    });
    expect(second.status).toBe(1);
    expect(readFileSync(stderrPath, "utf8")).toMatch(/^a6: another instance is already running/);
  });

  it("--help lists the common and the agent's own flags, exit 0", () => {
    const r = spawnSync(distBin("fixture"), ["--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    for (const flag of ["--root <dir>", "--debug", "--touch-interval-ms", "--publish <Topic>"])
      expect(r.stdout).toContain(flag);
  });
});
