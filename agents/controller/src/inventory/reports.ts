// Reports: saved, parameterised queries over the inventory's rows (README.md beside this file). A
// report names its rows (devices or apps), a filter with {param} placeholders, a sort, its columns
// and optionally a grouping (one row per value of a field with counts and sums). Built-in reports
// are here; users save their own (the store's "report" docs). Output as JSON rows or CSV (RFC 4180).
import { FilterError, parseFilter, quote, type Row, sortRows } from "./filter.js";
import { APP_FIELDS, DEVICE_FIELDS, VOLUME_FIELDS } from "./model.js";

export interface ReportParam {
  name: string;
  description: string;
  /** number: digits (a value in a filter such as lastSeenAgeS>{hours}h); version; text: anything. */
  type: "number" | "version" | "text";
  /** Without a default the parameter must be given. */
  default?: string;
}

export interface ReportDef {
  name: string;
  description: string;
  rows: "devices" | "apps" | "volumes";
  /** Filter text; {name} is replaced by the parameter's value as one quoted token. */
  filter: string;
  params: ReportParam[];
  /** Comma-separated fields, "-field" descending. */
  sort: string;
  /** Columns in order; empty = every field of the rows. */
  columns: string[];
  /** One output row per value of this field: `count` and the sum of each numeric column. */
  groupBy?: string;
  builtin?: boolean;
}

export class ReportError extends Error {}

export const BUILTIN_REPORTS: ReportDef[] = [
  {
    name: "not-seen",
    description: "devices not seen for more than N hours (or never since registering)",
    rows: "devices",
    filter: "lastSeenAgeS>{hours}h or lastSeen=''",
    params: [{ name: "hours", description: "hours of silence", type: "number", default: "24" }],
    sort: "-lastSeenAgeS,serial",
    columns: ["serial", "uuid", "name", "team", "tags", "state", "lastSeen", "lastSeenAgeS", "version"],
  },
  {
    name: "old-version",
    description: "devices running an Outpost version older than V",
    rows: "devices",
    filter: "version<{version}",
    params: [{ name: "version", description: "the oldest version that is fine", type: "version" }],
    sort: "version,serial",
    columns: ["serial", "uuid", "name", "team", "tags", "state", "version", "slots", "lastSeen"],
  },
  {
    name: "apps-in-error",
    description: "apps in error (state ERROR or an error reported), by team",
    rows: "apps",
    filter: "state=error or error!=''",
    params: [],
    sort: "team,serial,name",
    columns: ["team", "serial", "device", "name", "uuid", "state", "error", "reportedAt"],
  },
  {
    name: "fleet-usage",
    description: "resources of the fleet per team: devices, CPUs, memory and storage, used and total",
    rows: "devices",
    filter: "",
    params: [],
    sort: "team",
    columns: [
      "team",
      "cpus",
      "memoryMB",
      "memUsedMB",
      "storageMB",
      "diskTotalMB",
      "diskUsedMB",
      "apps",
      "appsRunning",
    ],
    groupBy: "team",
  },
];

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const RESERVED = new Set(["format", "filter", "sort", "tag"]);

export function fieldsOf(rows: ReportDef["rows"]): readonly string[] {
  return rows === "apps" ? APP_FIELDS : rows === "volumes" ? VOLUME_FIELDS : DEVICE_FIELDS;
}

/** Checks a report a user wants to save (JSON from the admin API); throws ReportError with the path
 * of the mistake. */
export function decodeReport(input: unknown): ReportDef {
  const o = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const known = ["name", "description", "rows", "filter", "params", "sort", "columns", "groupBy"];
  for (const k of Object.keys(o))
    if (!known.includes(k)) throw new ReportError(`${k}: unknown field (fields: ${known.join(", ")})`);
  const s = (k: string, dflt?: string): string => {
    const v = o[k] ?? dflt;
    if (typeof v !== "string") throw new ReportError(`${k}: expected a string`);
    if (v.length > 4096) throw new ReportError(`${k}: longer than 4096 characters`);
    return v;
  };
  const name = s("name");
  if (!NAME.test(name))
    throw new ReportError(`name: expected lower-case letters, digits, . _ - (at most 64), got "${name}"`);
  if (BUILTIN_REPORTS.some((b) => b.name === name))
    throw new ReportError(`name: "${name}" is a built-in report`);
  const rows = s("rows", "devices");
  if (rows !== "devices" && rows !== "apps" && rows !== "volumes")
    throw new ReportError(`rows: expected devices, apps or volumes, got "${rows}"`);
  const fields = fieldsOf(rows);
  const params: ReportParam[] = [];
  const rawParams = o.params ?? [];
  if (!Array.isArray(rawParams) || rawParams.length > 16)
    throw new ReportError("params: expected a list (at most 16)");
  for (const [i, p] of rawParams.entries()) {
    const q = (p && typeof p === "object" ? p : {}) as Record<string, unknown>;
    const pn = q.name;
    if (typeof pn !== "string" || !/^[a-z][a-zA-Z0-9_]{0,31}$/.test(pn) || RESERVED.has(pn))
      throw new ReportError(
        `params[${i}].name: expected a name (letters, digits, _), not ${[...RESERVED].join("/")}`,
      );
    const type = q.type ?? "text";
    if (type !== "number" && type !== "version" && type !== "text")
      throw new ReportError(`params[${i}].type: expected number, version or text`);
    const param: ReportParam = {
      name: pn,
      description: typeof q.description === "string" ? q.description : "",
      type,
    };
    if (q.default !== undefined) {
      if (typeof q.default !== "string") throw new ReportError(`params[${i}].default: expected a string`);
      param.default = checkParam(param, q.default);
    }
    params.push(param);
  }
  const columns = o.columns ?? [];
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string" && fields.includes(c)))
    throw new ReportError(`columns: expected a list of fields of ${rows} (${fields.join(", ")})`);
  const def: ReportDef = {
    name,
    description: s("description", ""),
    rows,
    filter: s("filter", ""),
    params,
    sort: s("sort", ""),
    columns: columns as string[],
  };
  if (o.groupBy !== undefined) {
    const g = s("groupBy");
    if (!fields.includes(g)) throw new ReportError(`groupBy: no field "${g}" of ${rows}`);
    def.groupBy = g;
  }
  // The filter must parse with every placeholder filled (a stand-in value of its type).
  try {
    parseFilter(fill(def.filter, Object.fromEntries(params.map((p) => [p.name, "0"]))), fields);
    sortRows([], def.sort, def.groupBy ? ["count", def.groupBy, ...fields] : fields);
  } catch (e) {
    if (e instanceof FilterError || e instanceof ReportError) throw new ReportError(e.message);
    throw e;
  }
  return def;
}

function checkParam(p: ReportParam, v: string): string {
  if (p.type === "number" && !/^\d+(\.\d+)?$/.test(v))
    throw new ReportError(`${p.name}: expected a number, got "${v}"`);
  if (p.type === "version" && !/^v?\d+(\.\d+)*([-+~][0-9A-Za-z.-]+)?$/.test(v))
    throw new ReportError(`${p.name}: expected a version such as 0.2.0, got "${v}"`);
  if (v.length > 256) throw new ReportError(`${p.name}: longer than 256 characters`);
  return v;
}

/** Replaces each {name} by the quoted value; a placeholder without a value is an error. */
function fill(filter: string, values: Record<string, string>): string {
  return filter.replace(/\{([a-zA-Z][a-zA-Z0-9_]*)\}([a-z]?)/g, (_m, name: string, unit: string) => {
    const v = values[name];
    if (v === undefined) throw new ReportError(`filter: {${name}} is not a parameter of the report`);
    return quote(`${v}${unit}`);
  });
}

/** The filter of a report with its parameters given (`given`, by name) or defaulted. */
export function reportFilter(def: ReportDef, given: Record<string, string>): string {
  for (const k of Object.keys(given))
    if (!def.params.some((p) => p.name === k))
      throw new ReportError(
        `no parameter "${k}" in report ${def.name}${def.params.length ? ` (parameters: ${def.params.map((p) => p.name).join(", ")})` : " (it takes none)"}`,
      );
  const values: Record<string, string> = {};
  for (const p of def.params) {
    const v = given[p.name] ?? p.default;
    if (v === undefined)
      throw new ReportError(`report ${def.name} needs --param ${p.name}=<${p.type}>: ${p.description}`);
    values[p.name] = checkParam(p, v);
  }
  return fill(def.filter, values);
}

/** Rows of a grouped report: per value of `by`, how many rows and the sum of each numeric column. */
export function groupRows(rows: Row[], by: string, columns: string[]): Row[] {
  const groups = new Map<string, Row>();
  for (const r of rows) {
    const v = r[by];
    const k = Array.isArray(v) ? v.join(",") : String(v ?? "");
    let g = groups.get(k);
    if (!g) {
      g = { [by]: k, count: 0 };
      groups.set(k, g);
    }
    g.count = (g.count as number) + 1;
    for (const c of columns) {
      if (c === by) continue;
      const n = r[c];
      if (typeof n === "number") g[c] = Math.round(((g[c] as number | undefined) ?? 0) * 100 + n * 100) / 100;
    }
  }
  return [...groups.values()];
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled; lists
 * joined with a space. A leading =, +, - or @ is not altered: the file is data, not a spreadsheet. */
function csvField(v: Row[string]): string {
  const s = Array.isArray(v) ? v.join(" ") : v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header line, CRLF line ends (RFC 4180). */
export function toCsv(rows: Row[], columns: string[]): string {
  const lines = [columns.map(csvField).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** Keeps only `columns` of each row, in that order. */
export function project(rows: Row[], columns: string[]): Row[] {
  return rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])));
}
