// The multi-call bundle must evaluate only the program a process runs (docs/architecture.md section 1).
// esbuild keeps `import()` lazy in a non-split CommonJS bundle only while the registry's loaders stay
// bare dynamic imports and main.ts imports no agent statically; these tests catch a regression of either.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registry } from "@outpost/outpost";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleOptions, DIST, ROOT } from "./bundle.mjs";

const env = { ...process.env, NODE_PATH: "" };

describe("a bundle process evaluates only the program it runs", () => {
  const tmp = mkdtempSync(join(tmpdir(), "outpost-lazy-"));
  const outfile = join(tmp, "outpost");
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  beforeAll(async () => {
    // Same build options as dist/outpost, but every @outpost/* program package is swapped for a module
    // that announces at top level that it was evaluated.
    const markers: esbuild.Plugin = {
      name: "marker-programs",
      setup(build) {
        build.onResolve({ filter: /^@outpost\// }, (args) => ({ path: args.path, namespace: "marker" }));
        build.onLoad({ filter: /.*/, namespace: "marker" }, (args) => ({
          contents: `console.log("evaluated " + ${JSON.stringify(args.path)});
            export async function run(argv) { console.log("run " + JSON.stringify(argv)); return 7; }`,
          loader: "js",
        }));
      },
    };
    const options = bundleOptions({ outfile });
    await esbuild.build({ ...options, plugins: [markers, ...(options.plugins ?? [])], logLevel: "error" });
    writeFileSync(join(tmp, "package.json"), JSON.stringify({ type: "commonjs" }));
  });

  for (const entry of registry) {
    it(`\`outpost ${entry.name}\` evaluates @outpost/${entry.name} and nothing else`, () => {
      const result = spawnSync(process.execPath, [outfile, entry.name, "--x"], { env, encoding: "utf8" });
      expect(result.stdout).toBe(`evaluated @outpost/${entry.name}\nrun ["--x"]\n`);
      expect(result.status).toBe(7);
    });
  }

  it("`outpost --help` evaluates no program", () => {
    const result = spawnSync(process.execPath, [outfile, "--help"], { env, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain("evaluated");
  });
});

describe("dist/outpost loads native externals only when a program needs them", () => {
  const tmp = mkdtempSync(join(tmpdir(), "outpost-externals-"));
  const hook = join(tmp, "record-externals.cjs");
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  beforeAll(() => {
    if (!existsSync(join(DIST, "outpost"))) execFileSync(process.execPath, [join(ROOT, "build/bundle.mjs")]);
    writeFileSync(
      hook,
      `const Module = require("node:module");
       const load = Module._load;
       Module._load = function (request, ...rest) {
         if (["zeromq", "lmdb", "node-unix-socket"].includes(request)) process.stderr.write("external " + request + "\\n");
         return load.call(this, request, ...rest);
       };`,
    );
  });

  // ctl uses primitives but never the bus: what primitives re-exports from pubsub must not load zeromq.
  for (const args of [["--help"], ["--version"], ["no-such-program"], ["ctl", "--help"]]) {
    it(`\`outpost ${args.join(" ")}\` requires no native external (zeromq, lmdb, node-unix-socket)`, () => {
      const result = spawnSync(process.execPath, ["--require", hook, join(DIST, "outpost"), ...args], {
        cwd: tmp,
        env,
        encoding: "utf8",
      });
      expect(result.stderr).not.toContain("external ");
    });
  }
});
