// The tarball from `make dist` installs and runs with nothing but node: unpacked into an empty
// directory, with no NODE_PATH and no repo node_modules on the resolution path.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registry, testPrograms } from "@outpost/outpost";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const VERSION: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
const TARBALL = join(ROOT, "dist", `outpost-${VERSION}-linux-${process.arch}.tar.gz`);
const SIZE_BUDGET = 20 * 1024 * 1024;

describe("dist tarball", () => {
  const tmp = mkdtempSync(join(tmpdir(), "outpost-dist-"));
  const top = join(tmp, `outpost-${VERSION}`);
  // Only what an installed node needs: PATH holds nothing from the repo (node is called by full path).
  const env = { PATH: "/usr/bin:/bin", HOME: tmp };
  const run = (program: string, args: string[]) =>
    spawnSync(process.execPath, [join(top, "bin", program), ...args], { cwd: tmp, env, encoding: "utf8" });

  beforeAll(() => {
    // `make test` always rebuilds first; this covers a bare `npx vitest run` on a fresh tree or after
    // the registry changed (a cheap staleness check, not a full dependency graph).
    const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : 0);
    const registry = join(ROOT, "agents/outpost/src/registry.ts");
    const bundle = join(ROOT, "dist/outpost");
    if (mtime(bundle) < mtime(registry)) {
      execFileSync(process.execPath, [join(ROOT, "build/bundle.mjs")], { stdio: "inherit" });
    }
    if (mtime(TARBALL) < mtime(bundle)) {
      execFileSync(process.execPath, [join(ROOT, "build/package.mjs")], { stdio: "inherit" });
    }
    execFileSync("tar", ["-xzf", TARBALL, "-C", tmp]);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("unpacks to a single outpost-<version>/ folder holding the bundle, bin/, node_modules/ and a README", () => {
    expect(execFileSync("ls", [tmp], { encoding: "utf8" }).trim()).toBe(`outpost-${VERSION}`);
    for (const item of ["outpost", "lib/main.mjs", "bin", "node_modules", "README"])
      expect(existsSync(join(top, item))).toBe(true);
  });

  it("fits the 20 MB installed-size budget", () => {
    const bytes = Number(execFileSync("du", ["-sb", top], { encoding: "utf8" }).split("\t")[0]);
    expect(bytes).toBeLessThanOrEqual(SIZE_BUDGET);
  });

  it("carries native addons for its own platform and arch only", () => {
    const addons = execFileSync("find", [join(top, "node_modules"), "-name", "*.node"], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(addons.length).toBeGreaterThan(0);
    for (const addon of addons) expect(addon).toMatch(new RegExp(`linux[-/]${process.arch}[-/]`));
  });

  it("bin/outpost --help lists every program", () => {
    const result = run("outpost", ["--help"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`outpost ${VERSION}`);
    for (const entry of registry) expect(result.stdout).toContain(entry.name);
  });

  it("ships no test program: no bin/ link, no code in the bundle, and the name is unknown", () => {
    for (const entry of testPrograms) {
      expect(existsSync(join(top, "bin", entry.name))).toBe(false);
      expect(existsSync(join(ROOT, "dist", "bin", entry.name))).toBe(false);
      expect(run("outpost", ["--help"]).stdout).not.toMatch(new RegExp(`\\b${entry.name}\\b`));
      const result = run("outpost", [entry.name]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`unknown agent or tool "${entry.name}"`);
    }
    // The fixture's value codec is named in its source only: its code is not in the shipped bundle.
    expect(testPrograms.map((entry) => entry.name)).toContain("fixture");
    const code = readdirSync(join(top, "lib")).filter((f) => f.endsWith(".mjs"));
    expect(code).toContain("main.mjs");
    for (const f of code) expect(readFileSync(join(top, "lib", f), "utf8")).not.toContain("FixtureValue");
  });

  it("bin/ledmanager --help runs ledmanager from its symlink", () => {
    const result = run("ledmanager", ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("ledmanager");
  });

  it("has a symlink for every program, and refuses an unknown name with exit 2", () => {
    for (const entry of registry) expect(existsSync(join(top, "bin", entry.name))).toBe(true);
    const result = run("outpost", ["no-such-program"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown agent or tool "no-such-program"');
  });

  it("loads zeromq, lmdb and node-unix-socket from its own node_modules", () => {
    const script = `require("zeromq"); require("lmdb"); new (require("node-unix-socket").DgramSocket)().close();
      const maps = require("node:fs").readFileSync("/proc/self/maps", "utf8");
      console.log([...new Set(maps.split("\\n").filter((l) => l.endsWith(".node")).map((l) => l.split(/\\s+/)[5]))].join("\\n"));`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: top, env, encoding: "utf8" });
    const loaded = out.trim().split("\n");
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    expect(loaded.some((file) => file.includes("/node-unix-socket-"))).toBe(true);
    for (const file of loaded) expect(file.startsWith(`${top}/node_modules/`)).toBe(true);
  });
});
