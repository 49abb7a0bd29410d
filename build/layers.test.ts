// The tree is layered types < pubsub < packages < agents (docs/architecture.md): a layer imports only
// from layers below it, no agent imports another (agents/outpost, the multi-call entry, loads them all),
// and no module imports itself back through others. Read from the sources' import lines, so a new
// upward arrow or cycle fails here rather than in a reader's head.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./bundle.mjs";

/** Every .ts file under `dir` (tests and fixtures excluded: they are not the product's layering). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "test") out.push(...sources(path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

/** Every .ts file under the `test` folders below `dir`. */
function testSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (!entry.isDirectory() || entry.name === "node_modules") continue;
    if (entry.name === "test") {
      for (const f of readdirSync(path, { recursive: true, encoding: "utf8" }))
        if (f.endsWith(".ts")) out.push(join(path, f));
    } else out.push(...testSources(path));
  }
  return out;
}

/** The module specifiers a file imports or re-exports, static and dynamic, type-only included. */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gms)) found.push(m[1] ?? "");
  for (const m of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) found.push(m[1] ?? "");
  return found;
}

type Layer = "types" | "pubsub" | "packages" | "agents";
const RANK: Record<Layer, number> = { types: 0, pubsub: 1, packages: 2, agents: 3 };

/** Workspace package name -> its folder and layer, from the root package.json's workspaces. */
function workspaces(): Map<string, { dir: string; layer: Layer }> {
  const map = new Map<string, { dir: string; layer: Layer }>();
  const add = (dir: string, layer: Layer) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
    map.set(pkg.name, { dir, layer });
  };
  add("types", "types");
  add("pubsub", "pubsub");
  for (const d of readdirSync(join(ROOT, "packages"))) add(`packages/${d}`, "packages");
  for (const d of readdirSync(join(ROOT, "agents"))) add(`agents/${d}`, "agents");
  return map;
}

describe("layering", () => {
  const ws = workspaces();

  it("each workspace's sources import only from layers below it, and no agent from another", () => {
    const wrong: string[] = [];
    for (const [name, { dir, layer }] of ws) {
      const srcDir = join(ROOT, dir, "src");
      if (!statSync(srcDir, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const file of sources(srcDir)) {
        for (const spec of imports(file)) {
          const target = [...ws.entries()].find(([n]) => spec === n || spec.startsWith(`${n}/`));
          if (!target || target[0] === name) continue;
          const [targetName, { layer: targetLayer }] = target;
          const up = RANK[targetLayer] > RANK[layer];
          const sideways = layer === "agents" && targetLayer === "agents" && name !== "@outpost/outpost";
          const sameLowLayer = targetLayer === layer && layer !== "packages" && layer !== "agents";
          if (up || sideways || sameLowLayer) wrong.push(`${relative(ROOT, file)} imports ${targetName}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("no file reaches into another workspace by path, or into another workspace's tests", () => {
    const wrong: string[] = [];
    for (const { dir } of ws.values()) {
      const home = join(ROOT, dir);
      for (const file of [...sources(home), ...testSources(home)]) {
        for (const spec of imports(file)) {
          const outside =
            spec.startsWith(".") && relative(home, resolve(dirname(file), spec)).startsWith("..");
          const intoTests = /^@outpost\/[^/]+\/test(\/|$)/.test(spec);
          if (outside || intoTests) wrong.push(`${relative(ROOT, file)} imports ${spec}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("no module imports itself back through relative imports (no import cycles)", () => {
    const graph = new Map<string, string[]>();
    for (const { dir } of ws.values()) {
      const srcDir = join(ROOT, dir, "src");
      if (!statSync(srcDir, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const file of sources(srcDir)) {
        const deps = imports(file)
          .filter((s) => s.startsWith("."))
          .map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")));
        graph.set(file, deps);
      }
    }
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, "open");
      stack.push(file);
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === "open") {
          const cycle = stack.slice(stack.indexOf(dep)).concat(dep);
          cycles.push(cycle.map((f) => relative(ROOT, f)).join(" -> "));
        } else if (!state.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
