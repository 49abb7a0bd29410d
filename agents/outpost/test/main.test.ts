// The built entry point as a user calls it: no program named is a usage error (exit 2, usage on
// stderr), asking for help is not (exit 0, usage on stdout).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { distBin, REPO } from "@outpost/testkit";
import { describe, expect, it } from "vitest";

describe("dist/outpost", () => {
  distBin("outpost"); // builds the bundle when a bare vitest run finds none
  const outpost = (args: string[]) =>
    spawnSync(join(REPO, "dist", "outpost"), args, { encoding: "utf8", timeout: 20_000 });

  it("with no arguments prints the usage to stderr and exits 2", () => {
    const r = outpost([]);
    expect(r.stderr).toContain("Usage: outpost <name> [args]");
    expect(r.stderr).toMatch(/\n {2}ipcmonitor +\S/);
    expect(r.stdout).toBe("");
    expect(r.status).toBe(2);
  });

  it("with --help prints the same usage to stdout and exits 0", () => {
    const r = outpost(["--help"]);
    expect(r.stdout).toContain("Usage: outpost <name> [args]");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
