// restrictTree / ensurePrivateDir on a real temp directory under a permissive umask.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensurePrivateDir, restrictTree } from "../src/private-files.js";

const mode = (p: string) => (statSync(p).mode & 0o7777).toString(8);

describe("private files", () => {
  let dir: string;
  let oldUmask: number;
  beforeEach(() => {
    oldUmask = process.umask(0o000);
    dir = mkdtempSync(join(tmpdir(), "op-private-"));
  });
  afterEach(() => {
    process.umask(oldUmask);
    rmSync(dir, { recursive: true, force: true });
  });

  it("ensurePrivateDir makes new and existing directories 0700 whatever the umask", () => {
    const fresh = join(dir, "a/b");
    ensurePrivateDir(fresh);
    expect([mode(join(dir, "a")), mode(fresh)]).toEqual(["700", "700"]);
    const old = join(dir, "old");
    mkdirSync(old, { mode: 0o777 });
    expect(mode(old)).toBe("777");
    ensurePrivateDir(old);
    expect(mode(old)).toBe("700");
  });

  it("restrictTree takes group and other bits off a whole tree and says what it changed", () => {
    const t = join(dir, "t");
    mkdirSync(join(t, "sub"), { recursive: true, mode: 0o755 });
    chmodSync(t, 0o755);
    writeFileSync(join(t, "key.pem"), "k", { mode: 0o644 });
    writeFileSync(join(t, "sub/data.mdb"), "d", { mode: 0o666 });
    writeFileSync(join(t, "tool"), "x", { mode: 0o755 });
    writeFileSync(join(t, "ok"), "x", { mode: 0o600 });
    const changed = restrictTree(t);
    expect(mode(t)).toBe("700");
    expect(mode(join(t, "sub"))).toBe("700");
    expect(mode(join(t, "key.pem"))).toBe("600");
    expect(mode(join(t, "sub/data.mdb"))).toBe("600");
    expect(mode(join(t, "tool"))).toBe("700");
    expect(changed.sort()).toEqual(
      [t, join(t, "sub"), join(t, "key.pem"), join(t, "sub/data.mdb"), join(t, "tool")].sort(),
    );
    expect(restrictTree(t)).toEqual([]);
  });

  it("does not follow symbolic links and skips a missing path", () => {
    const outside = join(dir, "outside");
    writeFileSync(outside, "x", { mode: 0o644 });
    const t = join(dir, "t");
    mkdirSync(t, { mode: 0o700 });
    symlinkSync(outside, join(t, "link"));
    symlinkSync(dir, join(t, "dirlink"));
    expect(restrictTree(t)).toEqual([]);
    expect(mode(outside)).toBe("644");
    expect(restrictTree(join(dir, "nope"))).toEqual([]);
  });
});
