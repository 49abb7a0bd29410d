// Which scripts a process's V8 heap holds, from a heap snapshot (v8.writeHeapSnapshot): per script,
// its source text and the compiled state of its functions (SharedFunctionInfo, bytecode, scope info,
// feedback, closures and their contexts). Objects the code made (tables, caches, buffers) are not
// counted to any script: they are the "data" line. Used by agent-modules.long.ts (issue 16).
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[]];
      edge_fields: string[];
      edge_types: [string[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapShare {
  /** all nodes' self sizes, bytes (without ArrayBuffer backing stores, which live outside the heap) */
  total: number;
  /** per script URL: bytes of its source and of its functions' compiled state */
  scripts: Map<string, { source: number; code: number }>;
}

/** Edges followed from a function to what only it holds. */
const OWNED = new Set([
  "function_data",
  "raw_outer_scope_info_or_feedback_metadata",
  "name_or_scope_info",
  "constant_pool",
  "source_position_table",
  "handler_table",
  "feedback_cell",
  "value",
  "context",
  "bytecode_array",
  "interpreter_data",
  "baseline_code",
  "code",
]);

export function heapShare(path: string): HeapShare {
  const s = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  const { node_fields, node_types, edge_fields, edge_types } = s.snapshot.meta;
  const N = node_fields.length;
  const E = edge_fields.length;
  const [TYPE, NAME, SIZE, EDGES] = ["type", "name", "self_size", "edge_count"].map((f) =>
    node_fields.indexOf(f),
  ) as [number, number, number, number];
  const types = node_types[0];
  const etypes = edge_types[0];
  const { nodes, edges, strings } = s;
  const count = nodes.length / N;
  const firstEdge = new Uint32Array(count + 1);
  for (let k = 0, e = 0; k < count; k++) {
    firstEdge[k] = e;
    e += (nodes[k * N + EDGES] as number) * E;
    firstEdge[k + 1] = e;
  }
  const type = (k: number) => types[nodes[k * N + TYPE] as number] as string;
  const name = (k: number) => strings[nodes[k * N + NAME] as number] as string;
  const size = (k: number) => nodes[k * N + SIZE] as number;
  const nameOf = (j: number) => {
    const t = etypes[edges[j] as number];
    return t === "element" || t === "hidden" ? "" : (strings[edges[j + 1] as number] as string);
  };
  const target = (j: number) => (edges[j + 2] as number) / N;
  const edgeTo = (k: number, edgeName: string) => {
    for (let j = firstEdge[k] as number; j < (firstEdge[k + 1] as number); j += E)
      if (nameOf(j) === edgeName) return target(j);
    return undefined;
  };

  let total = 0;
  for (let k = 0; k < count; k++) if (type(k) !== "native") total += size(k);

  // Functions (SharedFunctionInfo) and the script each belongs to.
  const scriptOfSfi = new Map<number, number>();
  for (let k = 0; k < count; k++) {
    if (type(k) !== "code") continue;
    const script = edgeTo(k, "script_or_debug_info");
    if (script !== undefined && type(script) === "code") scriptOfSfi.set(k, script);
  }
  const claimed = new Uint8Array(count);
  const scripts = new Map<string, { source: number; code: number }>();
  const entry = (script: number) => {
    const key = name(script) || "(no name)";
    let e = scripts.get(key);
    if (!e) {
      e = { source: 0, code: 0 };
      scripts.set(key, e);
    }
    return e;
  };
  /** Claims `k` and what it owns (OWNED edges, never another function, a script or a shape). */
  const claim = (k: number, depth: number): number => {
    if (claimed[k] || scriptOfSfi.has(k) || type(k) === "object shape") return 0;
    claimed[k] = 1;
    let bytes = size(k);
    if (depth >= 4) return bytes;
    for (let j = firstEdge[k] as number; j < (firstEdge[k + 1] as number); j += E) {
      const t = target(j);
      const tt = type(t);
      if (OWNED.has(nameOf(j)) && (tt === "code" || tt === "array" || tt === "hidden" || tt === "object"))
        bytes += claim(t, depth + 1);
    }
    return bytes;
  };
  for (const [sfi, script] of scriptOfSfi) {
    const e = entry(script);
    claimed[sfi] = 0;
    e.code += size(sfi);
    claimed[sfi] = 1;
    for (let j = firstEdge[sfi] as number; j < (firstEdge[sfi + 1] as number); j += E) {
      if (OWNED.has(nameOf(j))) e.code += claim(target(j), 1);
    }
  }
  // Closures of those functions, with their feedback and contexts.
  for (let k = 0; k < count; k++) {
    if (type(k) !== "closure") continue;
    const sfi = edgeTo(k, "shared");
    const script = sfi === undefined ? undefined : scriptOfSfi.get(sfi);
    if (script === undefined) continue;
    entry(script).code += claim(k, 0);
  }
  // Each script's source text.
  for (const script of new Set(scriptOfSfi.values())) {
    const src = edgeTo(script, "source");
    if (src !== undefined && !claimed[src]) {
      claimed[src] = 1;
      entry(script).source += size(src);
    }
  }
  return { total, scripts };
}
