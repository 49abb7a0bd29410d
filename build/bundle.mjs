#!/usr/bin/env node
// Builds dist/: the multi-call bundle dist/outpost, one dist/bin/<name> symlink per program, and
// dist/node_modules holding only what the two native externals (zeromq, lmdb) need at run time on this
// platform. `node build/bundle.mjs` from the repo root; `make build` calls it.
// `node build/bundle.mjs --test` builds dist-test/ instead (see buildTestDist): the test-only programs
// (the fixture agent), never in dist/ nor in the tarball.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// OUTPOST_DIST_DIR and OUTPOST_RELEASE_VERSION build a release elsewhere with another version
// (build/demo-update.sh: a newer release to roll out); by default dist/ and package.json's version.
export const DIST = process.env.OUTPOST_DIST_DIR ? resolve(process.env.OUTPOST_DIST_DIR) : join(ROOT, "dist");
export const ENTRY = join(ROOT, "agents/outpost/src/main.ts");
export const REGISTRY = join(ROOT, "agents/outpost/src/registry.ts");
/** The test bundle: shipped programs plus agents/outpost/src/test-programs.ts. */
export const TEST_DIST = join(ROOT, "dist-test");
export const TEST_ENTRY = join(ROOT, "agents/outpost/src/main-test.ts");
export const TEST_PROGRAMS = join(ROOT, "agents/outpost/src/test-programs.ts");

/** Native packages: never bundled, installed beside the bundle in dist/node_modules. */
export const EXTERNALS = ["zeromq", "lmdb", "node-unix-socket"];

/** Dependencies of the externals that only matter when compiling an addon (C++ headers). */
const BUILD_ONLY = new Set(["node-addon-api"]);

/** Package sub-folders that hold sources, build scripts or docs, never code loaded at run time. */
const SKIP_DIRS = new Set([
  "node_modules",
  "src",
  "deps",
  "dependencies",
  "test",
  "tests",
  "__tests__",
  "bench",
  "benchmark",
  "benchmarks",
  "docs",
  "doc",
  "example",
  "examples",
  "script",
  "scripts",
  ".github",
]);

/** Data files read with fs at run time, beyond JS/JSON (found by reading the packages' sources). */
const EXTRA_FILES = {
  // lmdb reads its compression dictionary when a database is opened with `compression`.
  lmdb: ["dict/dict.txt"],
};

/** The root package.json version; also what `outpost --version` prints. */
export function version() {
  if (process.env.OUTPOST_RELEASE_VERSION) return process.env.OUTPOST_RELEASE_VERSION;
  return JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
}

/**
 * Bundled packages that try to load an optional native addon (ssh2's crypto binding and cpu-features,
 * pulled in by dockerode) get a module that throws instead: they catch it and use their pure-JS path.
 * Only EXTERNALS ship native code; `make build` names each addon left out.
 */
export const addonsLeftOut = new Set();
const optionalAddonsStay = {
  name: "optional-native-addons",
  setup(build) {
    build.onResolve({ filter: /\.node$/ }, (args) => ({
      path: relative(ROOT, join(args.resolveDir, args.path)),
      namespace: "native-addon-not-shipped",
    }));
    build.onLoad({ filter: /.*/, namespace: "native-addon-not-shipped" }, (args) => {
      addonsLeftOut.add(args.path);
      const message = `native addon ${args.path} is not shipped with the outpost bundle`;
      return { contents: `throw new Error(${JSON.stringify(message)});`, loader: "js" };
    });
  },
};

/**
 * Packages a dependency requires for features Outpost never uses: dockerode's BuildKit session (gRPC)
 * and BuildKit progress decoding (`Docker.followProgress`, full protobufjs with its .proto parser),
 * and docker-modem's ssh:// engine access (ssh2). Leaving them out takes ~1.8 MB off the bundle and
 * ~90 KB off what the Docker agents read at start. Their stand-in loads fine and throws a clear error
 * if used. UNUSED_ONLY_FROM limits a package to the dependency named (evecloud uses protobufjs).
 */
const UNUSED_FEATURES = {
  "@grpc/grpc-js": "BuildKit sessions (docker build with a session)",
  "@grpc/proto-loader": "BuildKit sessions (docker build with a session)",
  protobufjs: "BuildKit build progress (dockerode's followProgress)",
  ssh2: "ssh:// Docker engine addresses (use the unix socket or tcp)",
};
const UNUSED_ONLY_FROM = { protobufjs: "dockerode" };
const unusedFeaturesStay = {
  name: "unused-features",
  setup(build) {
    const filter = new RegExp(
      `^(${Object.keys(UNUSED_FEATURES)
        .map((n) => n.replace(/[/.]/g, "\\$&"))
        .join("|")})$`,
    );
    build.onResolve({ filter }, (args) => {
      const only = UNUSED_ONLY_FROM[args.path];
      if (only && !args.importer.includes(`${sep}node_modules${sep}${only}${sep}`)) return undefined;
      return { path: args.path, namespace: "unused-feature" };
    });
    build.onLoad({ filter: /.*/, namespace: "unused-feature" }, (args) => {
      const message = `${args.path} is not shipped with outpost: ${UNUSED_FEATURES[args.path]} are not supported`;
      // Any property is a function that throws when called or constructed, so `require(x).Client`
      // at load time still works.
      const contents = `const fail = () => { throw new Error(${JSON.stringify(message)}); };
module.exports = new Proxy({}, { get: (_, key) => (key === "__esModule" ? false : fail) });`;
      return { contents, loader: "js" };
    });
  },
};

/**
 * The native externals are loaded with require(), not import: each `import ... from "zeromq"` (or a
 * dynamic `import("lmdb")`) in the sources resolves to a small bundled module that requires the
 * package and re-exports its properties by name (read here, at build time). Node imports a CommonJS
 * package from ESM by running cjs-module-lexer over its files to find the named exports, and lmdb's
 * `import` condition is a tree of ES modules (node-index.js, msgpackr's ESM build) where its `require`
 * condition is one prebuilt file (dist/index.cjs): require() loads zeromq ~7 ms and lmdb ~15 ms faster
 * per process (bench/README.md, "Cold start").
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
function externalsByRequire() {
  const requireHere = createRequire(join(ROOT, "package.json"));
  return {
    name: "externals-by-require",
    setup(build) {
      const filter = new RegExp(`^(${EXTERNALS.map((n) => n.replace(/[/.-]/g, "\\$&")).join("|")})$`);
      build.onResolve({ filter }, (args) =>
        args.namespace === "external-by-require"
          ? { path: args.path, external: true }
          : { path: args.path, namespace: "external-by-require" },
      );
      build.onLoad({ filter: /.*/, namespace: "external-by-require" }, (args) => {
        const names = Object.keys(requireHere(args.path)).filter(
          (n) => IDENTIFIER.test(n) && n !== "default",
        );
        const contents = [
          `const m = require(${JSON.stringify(args.path)});`,
          "export default m;",
          ...names.map((n) => `export const ${n} = m.${n};`),
        ].join("\n");
        return { contents, loader: "js" };
      });
    },
  };
}

/**
 * Built-in modules a bundled package requires at load time for a feature Outpost never uses, loaded
 * on first use instead: commander requires node:child_process (which loads net and dgram) only to
 * run git-style executable subcommands. Every program parses its flags with commander, so that was
 * ~2 ms of every start. The stand-in loads the built-in when a property is first read.
 */
const LAZY_BUILTINS = { commander: ["node:child_process"] };
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(build) {
    const names = [...new Set(Object.values(LAZY_BUILTINS).flat())];
    const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.:-]/g, "\\$&")).join("|")})$`);
    build.onResolve({ filter }, (args) => {
      if (args.namespace === "lazy-builtin") return { path: args.path, external: true };
      const pkg = Object.keys(LAZY_BUILTINS).find((p) =>
        args.importer.includes(`${sep}node_modules${sep}${p}${sep}`),
      );
      if (!pkg || !LAZY_BUILTINS[pkg].includes(args.path)) return undefined;
      return { path: args.path, namespace: "lazy-builtin" };
    });
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
      contents: `let m;
const load = () => (m ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
      loader: "js",
    }));
  },
};

/** dist/lib/: the ES modules the launcher dist/outpost loads (main.mjs and the shared chunks). */
export const LIB = "lib";

/**
 * The launcher dist/outpost (and bin/<name> through it): CommonJS (dist/package.json says so), so it
 * runs on every Node 20 whatever its file name, and imports lib/main.mjs, resolved next to the real
 * file (Node follows the bin/ symlink for the main module).
 */
export const LAUNCHER = [
  "#!/usr/bin/env node",
  "// Outpost's multi-call entry: the program named by the symlink (or the first argument) runs from",
  "// lib/main.mjs, which loads only that program's modules (lib/*.mjs, shared between programs).",
  '"use strict";',
  'import("./lib/main.mjs").catch((error) => {',
  '  process.stderr.write("outpost: cannot load " + __dirname + "/lib/main.mjs: " + (error?.stack ?? error) + "\\n");',
  "  process.exitCode = 1;",
  "});",
  "",
].join("\n");

export function bundleOptions({ entry = ENTRY, outdir = DIST } = {}) {
  return {
    entryPoints: [{ in: entry, out: `${LIB}/main` }],
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    // ES modules split per program: each program's own modules and the ones several programs share
    // are separate files, and a process reads, parses and evaluates only the files of the program it
    // runs (checked by build/lazy-load.test.ts). A single CommonJS file made every process read and
    // pre-parse all of it: ~1 MB more anonymous memory per agent and a slower start.
    format: "esm",
    splitting: true,
    outExtension: { ".js": ".mjs" },
    chunkNames: `${LIB}/[name]-[hash]`,
    external: EXTERNALS,
    // SQL migrations (agents/controller/src/store/migrations) are bundled as their text.
    loader: { ".sql": "text" },
    sourcemap: "linked",
    // Minified: less to read and parse per process. Stack traces map back through lib/*.mjs.map with
    // NODE_OPTIONS=--enable-source-maps.
    minify: true,
    sourcesContent: false,
    banner: {
      // The bundled CommonJS dependencies call require (built-ins, the native externals) and a few
      // name __dirname/__filename (paths of optional features): give them what CommonJS would.
      js: [
        'import { createRequire as __outpostCreateRequire } from "node:module";',
        'import { fileURLToPath as __outpostFileURLToPath } from "node:url";',
        "const require = __outpostCreateRequire(import.meta.url);",
        "const __filename = __outpostFileURLToPath(import.meta.url);",
        'const __dirname = __filename.slice(0, __filename.lastIndexOf("/"));',
      ].join("\n"),
    },
    define: {
      OUTPOST_VERSION: JSON.stringify(version()),
    },
    plugins: [optionalAddonsStay, unusedFeaturesStay, externalsByRequire(), lazyBuiltins],
    logLevel: "warning",
    metafile: true,
  };
}

/** The lib/ file names of the last build of `distDir` (its meta.json): what a release ships. */
export function currentLibFiles(distDir = DIST) {
  const meta = JSON.parse(readFileSync(join(distDir, "meta.json"), "utf8"));
  return new Set(
    Object.keys(meta.outputs)
      .filter((k) => k.includes(`/${LIB}/`))
      .map((k) => basename(k)),
  );
}

/** lib/ files older builds left behind are removed once they are this old: a process started from
 * the previous build may still import one of its chunks (programs load theirs lazily). */
const STALE_LIB_MS = 10 * 60 * 1000;

/**
 * Writes one esbuild result into `distDir`: lib/ (each file atomically), the launcher, package.json;
 * then drops lib/ files no longer built (see STALE_LIB_MS). Returns the lib/ file names written.
 */
export function writeBundle(result, distDir) {
  mkdirSync(join(distDir, LIB), { recursive: true });
  const written = new Set();
  for (const output of result.outputFiles) {
    writeAtomically(output.path, output.contents);
    written.add(basename(output.path));
  }
  // The repo's package.json says "type": "module"; without this, Node would read the extensionless
  // launcher as ESM. Shipped in the tarball too, for the same reason wherever it is unpacked.
  writeAtomically(join(distDir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
  writeAtomically(join(distDir, "outpost"), LAUNCHER, 0o755);
  // The single-file bundle of earlier builds.
  rmSync(join(distDir, "outpost.map"), { force: true });
  const now = Date.now();
  for (const name of readdirSync(join(distDir, LIB))) {
    const path = join(distDir, LIB, name);
    if (!written.has(name) && now - statSync(path).mtimeMs > STALE_LIB_MS) rmSync(path, { force: true });
  }
  return [...written];
}

/** Program names from the registry, read by bundling registry.ts alone (its imports stay unevaluated);
 * with `from` = TEST_PROGRAMS, `testPrograms` instead. */
export async function programNames(from = REGISTRY) {
  const result = await esbuild.build({
    entryPoints: [from],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    external: ["@outpost/*"],
    logLevel: "error",
  });
  const source = result.outputFiles[0].text;
  const mod = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
  return (from === REGISTRY ? mod.registry : mod.testPrograms).map((entry) => entry.name);
}

/** Where Node would resolve package `name` from `fromDir` (walking up node_modules folders). */
function findPackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === ROOT || dirname(dir) === dir) return undefined;
  }
}

/** The externals and everything they depend on at run time, as package folders under ROOT. */
export function runtimeClosure() {
  const dirs = new Map();
  const queue = EXTERNALS.map((name) => ({ name, from: ROOT, optional: false }));
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift();
    if (BUILD_ONLY.has(name)) continue;
    const dir = findPackageDir(name, from);
    if (dir === undefined) {
      // npm skips optional dependencies for other platforms (e.g. @lmdb/lmdb-darwin-arm64).
      if (optional) continue;
      throw new Error(`${name} (needed from ${relative(ROOT, from) || "."}) is not installed: run npm ci`);
    }
    if (dirs.has(dir)) continue;
    dirs.set(dir, name);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const dep of Object.keys(pkg.dependencies ?? {}))
      queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}))
      queue.push({ name: dep, from: dir, optional: true });
  }
  return dirs;
}

/**
 * The addon files Node actually maps when the externals load here, read from /proc/self/maps of a
 * child that requires them (the loaders pick by platform, arch, libc and Node ABI; asking them is more
 * reliable than re-implementing their choice).
 */
export function loadedAddons(fromDir = ROOT) {
  const script = `
    for (const name of ${JSON.stringify(EXTERNALS)}) require(name);
    const maps = require("node:fs").readFileSync("/proc/self/maps", "utf8");
    const files = new Set(maps.split("\\n").map((line) => line.split(/\\s+/)[5] ?? "").filter((f) => f.endsWith(".node")));
    process.stdout.write(JSON.stringify([...files]));`;
  const out = execFileSync(process.execPath, ["-e", script], {
    cwd: fromDir,
    env: withoutNodePath(),
    encoding: "utf8",
  });
  return JSON.parse(out);
}

function withoutNodePath() {
  const env = { ...process.env };
  delete env.NODE_PATH;
  return env;
}

/**
 * The addons to ship: each one the loaders chose, plus its ABI-stable N-API sibling when the chosen one
 * is tied to this Node's ABI (`node.abi115.glibc.node` -> `node.napi.glibc.node`), so the same tarball
 * also runs on later Node majors. Other platforms, arches and libcs are dropped.
 */
export function addonsToKeep() {
  const keep = new Set();
  for (const file of loadedAddons()) {
    if (!file.startsWith(ROOT + sep)) throw new Error(`addon loaded from outside the repo: ${file}`);
    keep.add(file);
    const napi = file.replace(/\.abi\d+\./, ".napi.");
    if (napi !== file && existsSync(napi)) keep.add(napi);
  }
  return keep;
}

function copyPackage(srcDir, destDir, keepAddons, extraFiles) {
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(srcDir, path);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
        continue;
      }
      const wanted =
        /\.(c|m)?js$|\.json$/.test(entry.name) ||
        /^(licen[cs]e|notice|copying)/i.test(entry.name) ||
        (entry.name.endsWith(".node") && keepAddons.has(path)) ||
        extraFiles.includes(rel);
      if (!wanted) continue;
      mkdirSync(dirname(join(destDir, rel)), { recursive: true });
      if (/\.(c|m)?js$/.test(entry.name)) writeFileSync(join(destDir, rel), compactScript(path));
      else cpSync(path, join(destDir, rel));
    }
  };
  walk(srcDir);
}

/**
 * An external's script as it ships: comments and blank space dropped and every non-ASCII character
 * escaped (esbuild, same code otherwise: no renaming, no syntax lowering). V8 keeps the source text
 * of every script a process loads, for as long as it runs (lazy compilation, Function.toString), and
 * one character beyond Latin-1 anywhere in a file (lmdb and msgpackr have em dashes and arrows in
 * comments) makes it a two-byte string: lmdb's and msgpackr's sources took ~450 KB of V8 heap in every
 * agent that opens a store, ~150 KB after this (bench/README.md, issue 16). A file esbuild cannot
 * parse ships unchanged.
 */
export function compactScript(path) {
  const source = readFileSync(path, "utf8");
  try {
    return esbuild.transformSync(source, {
      loader: "js",
      charset: "ascii",
      minifyWhitespace: true,
      legalComments: "inline",
      logLevel: "silent",
    }).code;
  } catch {
    return source;
  }
}

/**
 * zeromq's loader (cmake-ts) tries every manifest entry for this os/arch/libc, newest ABI first, and
 * warns on each one whose file is missing: keep the manifest in step with the addons shipped.
 */
function pruneZeromqManifest(nodeModules) {
  const buildDir = join(nodeModules, "zeromq", "build");
  const manifestPath = join(buildDir, "manifest.json");
  if (!existsSync(manifestPath)) return;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const kept = Object.fromEntries(
    Object.entries(manifest).filter(([, file]) => existsSync(join(buildDir, file))),
  );
  writeFileSync(manifestPath, JSON.stringify(kept));
}

/**
 * dist/node_modules: the runtime closure of the externals, same relative layout as the repo. Built
 * beside the old one and swapped in, so agents already running from dist/ (other people's tests) see
 * either the old tree or the new one.
 */
export function assembleRuntime(distDir = DIST) {
  const staging = join(distDir, ".staging");
  rmSync(staging, { recursive: true, force: true });
  const keepAddons = addonsToKeep();
  for (const [dir, name] of runtimeClosure()) {
    copyPackage(dir, join(staging, relative(ROOT, dir)), keepAddons, EXTRA_FILES[name] ?? []);
  }
  pruneZeromqManifest(join(staging, "node_modules"));
  const nodeModules = join(distDir, "node_modules");
  const old = join(distDir, ".node_modules.old");
  rmSync(old, { recursive: true, force: true });
  if (existsSync(nodeModules)) renameSync(nodeModules, old);
  renameSync(join(staging, "node_modules"), nodeModules);
  rmSync(old, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  return [...keepAddons].map((file) => relative(ROOT, file));
}

/** dist/bin/<name> -> ../outpost for every program, plus bin/outpost itself (each replaced atomically). */
export async function createLinks(distDir = DIST) {
  const binDir = join(distDir, "bin");
  mkdirSync(binDir, { recursive: true });
  const names = ["outpost", ...(await programNames())];
  for (const name of names) {
    const temp = join(binDir, `.${name}.tmp`);
    rmSync(temp, { force: true });
    symlinkSync("../outpost", temp);
    renameSync(temp, join(binDir, name));
  }
  // Programs removed from the registry lose their link.
  for (const entry of readdirSync(binDir)) {
    if (!names.includes(entry)) rmSync(join(binDir, entry), { force: true });
  }
  return names;
}

/**
 * Proves dist/ stands alone: a copy in an empty temp dir (so the repo's node_modules is not on the
 * resolution path) answers --help and loads the externals from its own node_modules, exercising an
 * lmdb database with compression, a zeromq socket pair and a unix datagram round trip.
 */
export function verifyStandalone(distDir = DIST) {
  const tmp = mkdtempSync(join(tmpdir(), "outpost-verify-"));
  try {
    const copy = join(tmp, "outpost-dist");
    cpSync(distDir, copy, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => !src.endsWith(".tar.gz"),
    });
    execFileSync(process.execPath, [join(copy, "bin", "outpost"), "--help"], {
      cwd: tmp,
      env: withoutNodePath(),
    });
    const script = `
      const { open } = require("lmdb");
      const zmq = require("zeromq");
      (async () => {
        const db = open({ path: ${JSON.stringify(join(tmp, "db"))}, compression: true });
        const value = "x".repeat(4000);
        await db.put("k", value);
        if (db.get("k") !== value) throw new Error("lmdb round trip failed");
        await db.close();
        const push = new zmq.Push(); const pull = new zmq.Pull();
        await pull.bind("inproc://verify"); push.connect("inproc://verify");
        await push.send("ping");
        const [msg] = await pull.receive();
        if (msg.toString() !== "ping") throw new Error("zeromq round trip failed");
        push.close(); pull.close();
        const { DgramSocket } = require("node-unix-socket");
        const sockPath = ${JSON.stringify(join(tmp, "dgram.sock"))};
        const rx = new DgramSocket(); const tx = new DgramSocket();
        const got = new Promise((resolve) => rx.on("data", (b) => resolve(b.toString())));
        rx.bind(sockPath);
        tx.sendTo(Buffer.from("ping"), 0, 4, sockPath);
        if ((await got) !== "ping") throw new Error("node-unix-socket round trip failed");
        rx.close(); tx.close();
        const maps = require("node:fs").readFileSync("/proc/self/maps", "utf8");
        const addons = [...new Set(maps.split("\\n").map((l) => l.split(/\\s+/)[5] ?? "").filter((f) => f.endsWith(".node")))];
        process.stdout.write(JSON.stringify(addons));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const out = execFileSync(process.execPath, ["-e", script], {
      cwd: copy,
      env: withoutNodePath(),
      encoding: "utf8",
    });
    const addons = JSON.parse(out);
    const foreign = addons.filter((file) => !file.startsWith(copy + sep));
    if (foreign.length > 0)
      throw new Error(`standalone copy loaded addons from elsewhere: ${foreign.join(", ")}`);
    if (addons.length === 0) throw new Error("standalone copy loaded no addon at all");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Apparent size in bytes of a tree (files and symlinks; symlinks count as their own length). */
export function treeSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() || entry.isSymbolicLink()) total += entry.isFile() ? statSync(path).size : 0;
  }
  return total;
}

export const mb = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Write then rename, so a process starting from dist/ meanwhile never reads half a file. */
function writeAtomically(path, contents, mode = 0o644) {
  const temp = join(dirname(path), `.${basename(path)}.tmp`);
  writeFileSync(temp, contents, { mode });
  chmodSync(temp, mode);
  renameSync(temp, path);
}

export async function buildDist() {
  mkdirSync(DIST, { recursive: true });
  const result = await esbuild.build({ ...bundleOptions({ outdir: DIST }), write: false });
  const files = writeBundle(result, DIST);
  writeAtomically(join(DIST, "meta.json"), JSON.stringify(result.metafile));
  const names = await createLinks(DIST);
  const addons = assembleRuntime(DIST);
  verifyStandalone(DIST);
  const code = files.filter((f) => f.endsWith(".mjs"));
  const codeBytes = code.reduce((sum, f) => sum + statSync(join(DIST, LIB, f)).size, 0);
  console.log(`dist/outpost          launcher of dist/lib/main.mjs (ES modules, node20)`);
  console.log(`dist/lib/             ${mb(codeBytes)} of code in ${code.length} files (+ source maps)`);
  console.log(`dist/bin/             ${names.join(" ")}`);
  console.log(
    `dist/node_modules/    ${mb(treeSize(join(DIST, "node_modules")))}; addons: ${addons.join(", ")}`,
  );
  if (addonsLeftOut.size > 0)
    console.log(`optional addons left out (pure-JS fallbacks): ${[...addonsLeftOut].join(", ")}`);
  console.log("verified: runs from an empty temp dir with its own node_modules only");
}

/**
 * dist-test/: what tests run. bin/<program> links to the shipped bundle (../../dist/outpost) for every
 * shipped program, so tests exercise what ships; bin/<test program> links to dist-test/outpost, the
 * same build options over main-test.ts (shipped programs + test-programs.ts). Its node_modules is
 * dist/node_modules. Needs dist/ built first; testkit rebuilds this whenever dist/outpost is newer.
 */
export async function buildTestDist() {
  if (!existsSync(join(DIST, "outpost")) || !existsSync(join(DIST, "node_modules")))
    throw new Error("dist/ is not built: run node build/bundle.mjs first");
  mkdirSync(TEST_DIST, { recursive: true });
  const result = await esbuild.build({
    ...bundleOptions({ entry: TEST_ENTRY, outdir: TEST_DIST }),
    write: false,
  });
  writeBundle(result, TEST_DIST);
  const link = (target, path) => {
    const temp = join(dirname(path), `.${basename(path)}.tmp`);
    rmSync(temp, { force: true });
    symlinkSync(target, temp);
    renameSync(temp, path);
  };
  link("../dist/node_modules", join(TEST_DIST, "node_modules"));
  const binDir = join(TEST_DIST, "bin");
  mkdirSync(binDir, { recursive: true });
  const shipped = ["outpost", ...(await programNames())];
  const testOnly = await programNames(TEST_PROGRAMS);
  for (const name of shipped) link("../../dist/outpost", join(binDir, name));
  for (const name of testOnly) link("../outpost", join(binDir, name));
  for (const entry of readdirSync(binDir)) {
    if (!shipped.includes(entry) && !testOnly.includes(entry)) rmSync(join(binDir, entry), { force: true });
  }
  console.log(`dist-test/            test bundle: shipped programs + ${testOnly.join(" ")}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const build = process.argv.includes("--test") ? buildTestDist : buildDist;
  build().catch((error) => {
    console.error(`bundle: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
