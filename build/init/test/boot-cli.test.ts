// outpost-boot as a command: --help says everything (default root /), a usage error exits 2, and the
// status table never shows a negative touch age.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOT, REPO, removeRoot, tempRoot } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

const boot = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync("dash", [BOOT, ...args], {
    encoding: "utf8",
    env: { ...process.env, OUTPOST_ROOT: "", ...env },
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe("outpost-boot command line", () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) removeRoot(r);
  });

  it("--help prints the full usage with the default root, exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = boot([flag]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(
        /^usage: outpost-boot \[--root DIR\] \[start \[--foreground\] \| stop \| status\]/,
      );
      for (const word of ["start", "stop", "status", "--foreground", "--root DIR", "OUTPOST_AGENTS"])
        expect(r.stdout).toContain(word);
      expect(r.stdout).toContain("(default: $OUTPOST_ROOT, else /, the device itself)");
      expect(r.stdout).toContain("Exit codes: 0 ok, 1 failure");
    }
  });

  it("a usage error exits 2 with the usage and the reason on stderr", () => {
    const bad = boot(["--root", "/tmp/x", "restart"]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("usage: outpost-boot");
    expect(bad.stderr).toContain("outpost-boot: unknown argument: restart");
    const noDir = boot(["--root"]);
    expect(noDir.status).toBe(2);
    expect(noDir.stderr).toContain("outpost-boot: --root needs a directory");
    const fg = boot(["--root", "/tmp/x", "status", "--foreground"]);
    expect(fg.status).toBe(2);
    expect(fg.stderr).toContain("--foreground goes with start");
  });

  it("status: a touch file newer than the clock reads shows age 0, not a negative one", () => {
    const root = tempRoot("op-cli-");
    roots.push(root);
    mkdirSync(join(root, "run"), { recursive: true });
    const touch = join(root, "run", "ledmanager.touch");
    writeFileSync(touch, "");
    const future = Date.now() / 1000 + 3600;
    utimesSync(touch, future, future);
    const r = boot(["--root", root, "status"], { OUTPOST_AGENTS: "core" });
    expect(r.stdout).toMatch(/^ledmanager\s+-\s+no\s+0$/m);
    expect(r.stdout).not.toMatch(/\s-\d+$/m);
    // Nothing runs: status says so with its exit code.
    expect(r.stdout).toMatch(/^watchdog\s+-\s+no\s+-$/m);
    expect(r.status).toBe(1);
  });

  it("outpost.service is a valid unit that keeps the node's main process running (Restart=always)", () => {
    // systemd is not running here: `systemd-analyze verify` checks the unit as systemd would load it,
    // with the install paths pointed at this checkout.
    const dir = tempRoot("op-unit-");
    roots.push(dir);
    const unit = readFileSync(join(REPO, "build/init/outpost.service"), "utf8");
    expect(unit).toMatch(/^ExecStart=\/opt\/outpost\/init\/outpost-boot start --foreground$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^Type=simple$/m);
    mkdirSync(join(dir, "init"));
    copyFileSync(BOOT, join(dir, "init", "outpost-boot"));
    chmodSync(join(dir, "init", "outpost-boot"), 0o755);
    writeFileSync(join(dir, "outpost.service"), unit.replaceAll("/opt/outpost", dir));
    const r = spawnSync("systemd-analyze", ["verify", join(dir, "outpost.service")], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
