// The multi-call bundle must evaluate only the program a process runs (docs/architecture.md section 1).
// esbuild splits the ES module bundle per program only while the registry's loaders stay bare dynamic
// imports and main.ts imports no agent statically; these tests catch a regression of either.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registry } from "@outpost/outpost";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleOptions, DIST, ROOT, writeBundle } from "./bundle.mjs";

const env = { ...process.env, NODE_PATH: "" };

describe("a bundle process evaluates only the program it runs", () => {
  const tmp = mkdtempSync(join(tmpdir(), "outpost-lazy-"));
  const outfile = join(tmp, "outpost");
  const written: string[] = [];
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
    const options = bundleOptions({ outdir: tmp });
    const result = await esbuild.build({
      ...options,
      plugins: [markers, ...(options.plugins ?? [])],
      logLevel: "error",
      write: false,
    });
    written.push(...writeBundle(result, tmp));
  });

  for (const entry of registry) {
    it(`\`outpost ${entry.name}\` evaluates @outpost/${entry.name} and nothing else`, () => {
      const result = spawnSync(process.execPath, [outfile, entry.name, "--x"], { env, encoding: "utf8" });
      expect(result.stdout).toBe(`evaluated @outpost/${entry.name}\nrun ["--x"]\n`);
      expect(result.status).toBe(7);
    });
  }

  it("each program's code is a file of its own, loaded by no other program", () => {
    // One marker module per program: each in lib/ once, and main.mjs holds none of them.
    const code = written.filter((f) => f.endsWith(".mjs"));
    const main = readFileSync(join(tmp, "lib", "main.mjs"), "utf8");
    for (const entry of registry) {
      const holders = code.filter((f) =>
        readFileSync(join(tmp, "lib", f), "utf8").includes(`evaluated @outpost/${entry.name}"`),
      );
      expect(holders, entry.name).toHaveLength(1);
      expect(main).not.toContain(`evaluated @outpost/${entry.name}"`);
    }
  });

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
    // What proves an external was loaded is its native addon mapped into the process when it exits
    // (however the bundle loads it). The hook also names the built-in modules loaded by then.
    writeFileSync(
      hook,
      `process.on("exit", () => {
         const maps = require("node:fs").readFileSync("/proc/self/maps", "utf8");
         const addons = new Set(maps.split("\\n").map((l) => l.split(/\\s+/)[5] ?? "").filter((f) => f.endsWith(".node")));
         for (const a of addons) process.stderr.write("external " + a + "\\n");
         for (const m of process.moduleLoadList) if (m.startsWith("NativeModule ")) process.stderr.write("builtin " + m.slice(13) + "\\n");
       });`,
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

  it("an agent on the bus does load zeromq's addon (what the tests above look for)", async () => {
    const child = spawn(
      process.execPath,
      ["--require", hook, join(DIST, "outpost"), "ledmanager", "--root", join(tmp, "node")],
      {
        cwd: tmp,
        env,
      },
    );
    let out = "";
    let err = "";
    let stopping = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      // Its first blink count is played once it has subscribed on the bus: stop it then, once and
      // cleanly (SIGTERM), so the exit hook runs.
      if (!stopping && out.includes("playing blink count")) {
        stopping = true;
        child.kill("SIGTERM");
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    await new Promise((resolve) => child.once("exit", resolve));
    expect(out).toContain("playing blink count");
    expect(err).toMatch(/external \S*zeromq\S*\.node/);
    // Built-ins an idle agent does not use are not on every agent's start path (bench/README.md,
    // "Start path"): the HTTP proxy tunnel, pubsub's ids, commander's subcommand spawner, the idle GC.
    const builtins = new Set([...err.matchAll(/^builtin (\S+)$/gm)].map((m) => m[1]));
    expect(builtins.has("fs")).toBe(true);
    for (const unused of ["http", "https", "tls", "crypto", "child_process", "dgram", "v8", "vm"])
      expect(builtins.has(unused), `node:${unused} loaded`).toBe(false);
  }, 20_000);
});
