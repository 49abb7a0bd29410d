// ctl's first failure a new user meets: no controller where it looks. The message must say where it
// looked, how that place was chosen, and how to point it elsewhere (not a bare ENOENT).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { distBin, removeRoot, tempRoot } from "@outpost/testkit";
import { afterAll, describe, expect, it } from "vitest";

function ctl(args: string[], env: NodeJS.ProcessEnv) {
  const { OUTPOST_ROOT: _r, OUTPOST_CONTROLLER_DIR: _d, ...rest } = process.env;
  return spawnSync(distBin("ctl"), args, { env: { ...rest, ...env }, encoding: "utf8", timeout: 20_000 });
}

describe("ctl without a controller where it looks", () => {
  const root = tempRoot("op-ctl-");
  afterAll(() => removeRoot(root));

  it("with no --root and no OUTPOST_ROOT: names the default root and says to pass --root or OUTPOST_ROOT", () => {
    // The default root is /; this host runs no controller there.
    expect(existsSync("/persist/controller/server")).toBe(false);
    const r = ctl(["devices", "list"], {});
    expect(r.stderr).toContain("ctl: no controller at /persist/controller (the default root /");
    expect(r.stderr).toContain("pass --root <dir> or set OUTPOST_ROOT");
    expect(r.stderr).not.toContain("ENOENT");
    expect(r.status).toBe(1);
  });

  it("with --root or OUTPOST_ROOT: says which one pointed where", () => {
    const cli = ctl(["--root", root, "devices", "list"], {});
    expect(cli.stderr).toContain(`ctl: no controller at ${root}/persist/controller (--root ${root})`);
    expect(cli.stderr).toContain("is a controller running with that root?");
    expect(cli.status).toBe(1);
    const env = ctl(["devices", "list"], { OUTPOST_ROOT: root });
    expect(env.stderr).toContain(`(OUTPOST_ROOT=${root})`);
    expect(env.status).toBe(1);
  });
});
