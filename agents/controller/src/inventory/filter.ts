// The inventory's filter language (README.md beside this file): comparisons of a row's fields joined
// with and / or / not and parentheses, e.g. `state=online and version<0.2.0`. Pure: parse once, then
// test rows; a filter that does not parse, or names a field rows do not have, is a FilterError with
// the position of the mistake.

export class FilterError extends Error {}

export type Op = "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~";

export type Filter =
  | { kind: "and" | "or"; left: Filter; right: Filter }
  | { kind: "not"; inner: Filter }
  | { kind: "cmp"; field: string; op: Op; value: string; re?: RegExp }
  | { kind: "true" };

/** A row: what the inventory's lists and reports are made of. Lists (tags, ips) match when one
 * element does. */
export type Row = Record<string, string | number | boolean | string[] | undefined>;

type Token = { t: "word" | "str" | "op" | "(" | ")"; v: string; at: number };

const OPS: Op[] = ["!=", "<=", ">=", "!~", "=", "<", ">", "~"];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ t: c, v: c, at: i });
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ t: "op", v: op, at: i });
      i += op.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let v = "";
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new FilterError(`filter: unterminated string starting at ${i + 1}`);
        const d = src[j] as string;
        if (d === "\\" && j + 1 < src.length) {
          v += src[j + 1];
          j += 2;
          continue;
        }
        if (d === c) break;
        v += d;
        j++;
      }
      out.push({ t: "str", v, at: i });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < src.length && !/[\s()"'=!<>~]/.test(src[j] as string)) j++;
    if (j === i) throw new FilterError(`filter: unexpected "${c}" at ${i + 1}`);
    out.push({ t: "word", v: src.slice(i, j), at: i });
    i = j;
  }
  return out;
}

/** Parses a filter; `fields` (when given) are the names rows have: any other is an error. An empty
 * filter matches every row. */
export function parseFilter(src: string, fields?: readonly string[]): Filter {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const where = () => (peek() ? `at ${(peek() as Token).at + 1} ("${(peek() as Token).v}")` : "at the end");
  const keyword = (k: string) => {
    const t = peek();
    return t?.t === "word" && t.v.toLowerCase() === k;
  };
  const orExpr = (): Filter => {
    let left = andExpr();
    while (keyword("or")) {
      p++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): Filter => {
    let left = notExpr();
    while (keyword("and")) {
      p++;
      left = { kind: "and", left, right: notExpr() };
    }
    return left;
  };
  const notExpr = (): Filter => {
    if (keyword("not")) {
      p++;
      return { kind: "not", inner: notExpr() };
    }
    return primary();
  };
  const primary = (): Filter => {
    const t = peek();
    if (t?.t === "(") {
      p++;
      const e = orExpr();
      if (peek()?.t !== ")") throw new FilterError(`filter: expected ")" ${where()}`);
      p++;
      return e;
    }
    if (t?.t !== "word") throw new FilterError(`filter: expected a field name ${where()}`);
    p++;
    if (fields && !fields.includes(t.v))
      throw new FilterError(`filter: no field "${t.v}" (fields: ${fields.join(", ")})`);
    const op = peek();
    if (op?.t !== "op")
      throw new FilterError(`filter: expected one of ${OPS.join(" ")} after ${t.v} ${where()}`);
    p++;
    const val = peek();
    if (val?.t !== "word" && val?.t !== "str")
      throw new FilterError(`filter: expected a value after ${t.v}${op.v} ${where()}`);
    p++;
    const node: Filter = { kind: "cmp", field: t.v, op: op.v as Op, value: val.v };
    if (node.op === "~" || node.op === "!~") {
      try {
        node.re = new RegExp(val.v, "i");
      } catch (e) {
        throw new FilterError(`filter: ${t.v}${op.v}: not a regular expression: ${(e as Error).message}`);
      }
    }
    return node;
  };
  if (!toks.length) return { kind: "true" };
  const f = orExpr();
  if (p < toks.length) throw new FilterError(`filter: expected "and", "or" or the end ${where()}`);
  return f;
}

const VERSION = /^v?(\d+(?:\.\d+)*)(?:[-+~](.*))?$/;
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Compares dotted versions numerically part by part ("0.10.0" > "0.9.1"); a pre-release suffix
 * ("0.2.0-rc1") is older than the release. undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const ma = VERSION.exec(a);
  const mb = VERSION.exec(b);
  if (!ma || !mb) return undefined;
  const pa = (ma[1] as string).split(".").map(Number);
  const pb = (mb[1] as string).split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  const sa = ma[2] ?? "";
  const sb = mb[2] ?? "";
  if (sa === sb) return 0;
  if (!sa) return 1;
  if (!sb) return -1;
  return sa < sb ? -1 : 1;
}

/** The filter's value as a number when the field is numeric: plain numbers, or durations (90s, 15m,
 * 24h, 2d, 1w) as seconds, for the `...AgeS` fields. */
function numberOf(v: string): number | undefined {
  if (v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  const d = DURATION.exec(v);
  return d ? Number(d[1]) * (UNIT_S[d[2] as string] as number) : undefined;
}

function compare(actual: string | number | boolean, value: string): number | undefined {
  if (typeof actual === "number") {
    const n = numberOf(value);
    return n === undefined ? undefined : Math.sign(actual - n);
  }
  if (typeof actual === "boolean") {
    const b = value.toLowerCase();
    if (b !== "true" && b !== "false") return undefined;
    return actual === (b === "true") ? 0 : actual ? 1 : -1;
  }
  const v = compareVersions(actual, value);
  if (v !== undefined) return v;
  const a = actual.toLowerCase();
  const b = value.toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

function testOne(
  actual: string | number | boolean | undefined,
  f: Extract<Filter, { kind: "cmp" }>,
): boolean {
  // A field the row does not have is the empty string: `location=""` finds devices without one.
  const a = actual ?? "";
  if (f.re) return f.re.test(String(a)) === (f.op === "~");
  if (f.op === "=" || f.op === "!=") {
    const eq = compare(a, f.value) === 0;
    return f.op === "=" ? eq : !eq;
  }
  if (actual === undefined || actual === "") return false;
  const c = compare(a, f.value);
  if (c === undefined) return false;
  return f.op === "<" ? c < 0 : f.op === "<=" ? c <= 0 : f.op === ">" ? c > 0 : c >= 0;
}

export function matches(f: Filter, row: Row): boolean {
  switch (f.kind) {
    case "true":
      return true;
    case "and":
      return matches(f.left, row) && matches(f.right, row);
    case "or":
      return matches(f.left, row) || matches(f.right, row);
    case "not":
      return !matches(f.inner, row);
    case "cmp": {
      const v = row[f.field];
      if (Array.isArray(v)) {
        // A list matches = when one element does; != when none does.
        if (f.op === "!=" || f.op === "!~") return v.every((x) => testOne(x, f));
        return v.some((x) => testOne(x, f));
      }
      return testOne(v, f);
    }
  }
}

/** A value to put into a filter from outside (a report parameter): one quoted string token, so it
 * can never change the filter's structure. */
export function quote(v: string): string {
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Sorts rows by `spec`: comma-separated fields, "-field" descending; numbers and versions compare
 * as such, a missing value sorts last. */
export function sortRows<T extends Row>(rows: T[], spec: string, fields?: readonly string[]): T[] {
  const keys = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith("-") ? { f: s.slice(1), dir: -1 } : { f: s.replace(/^\+/, ""), dir: 1 }));
  for (const k of keys)
    if (fields && !fields.includes(k.f))
      throw new FilterError(`sort: no field "${k.f}" (fields: ${fields.join(", ")})`);
  const cmp = (x: Row[string], y: Row[string]): number => {
    const ex = x === undefined || x === "";
    const ey = y === undefined || y === "";
    if (ex || ey) return ex && ey ? 0 : ex ? 1 : -1;
    if (typeof x === "number" && typeof y === "number") return x - y;
    const a = Array.isArray(x) ? x.join(",") : String(x);
    const b = Array.isArray(y) ? y.join(",") : String(y);
    return compareVersions(a, b) ?? a.localeCompare(b);
  };
  return [...rows].sort((r1, r2) => {
    for (const k of keys) {
      const c = cmp(r1[k.f], r2[k.f]);
      // Missing values stay last whichever way the column is sorted.
      const missing = r1[k.f] === undefined || r1[k.f] === "" || r2[k.f] === undefined || r2[k.f] === "";
      if (c) return missing ? c : c * k.dir;
    }
    return 0;
  });
}
