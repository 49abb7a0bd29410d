// The inventory's and reports' admin routes (under /admin/v1/, the admin API's token checked before):
//   GET  inventory/devices[?filter=&tag=&sort=&format=json|csv]
//   GET  inventory/apps, inventory/volumes[?filter=&tag=&sort=&format=json|csv]
//   GET  inventory/warnings[?tag=&filter=]           (filter on the devices concerned)
//   GET  inventory/devices/<d>                       one device's row, its apps and warnings
//   PUT  inventory/devices/<d>/labels {tags?, team?, location?}   (PATCH-like: given fields replace)
//   GET  reports, POST reports <def>, GET reports/<name>, DELETE reports/<name>
//   GET  reports/<name>/run[?<param>=v&filter=&tag=&sort=&format=json|csv]
// Every store read is awaited, so the routes work on a store whose reads are asynchronous.
import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ControllerStore, DeviceRecord } from "../store/index.js";
import { type Filter, FilterError, matches, parseFilter, type Row, sortRows } from "./filter.js";
import {
  type AppRow,
  buildDevice,
  type DeviceLabels,
  type DeviceRow,
  fleetWarnings,
  NO_LABELS,
  type VolumeRow,
  type Warning,
} from "./model.js";
import {
  BUILTIN_REPORTS,
  decodeReport,
  fieldsOf,
  groupRows,
  project,
  type ReportDef,
  ReportError,
  reportFilter,
  toCsv,
} from "./reports.js";

export const LABELS_DOC = "device-labels";
export const REPORT_DOC = "report";

/** At most this many saved reports (each a small document). */
const MAX_REPORTS = 256;

export class InventoryError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface InventoryContext {
  store: ControllerStore;
  /** When this process last heard from the device (memory; undefined if not since it started). */
  /** The device's last signed call (DeviceApi: this process's memory, and the store's shared times). */
  lastSeen: (uuid: string) => Promise<string | undefined>;
  log: Logger;
}

export interface Snapshot {
  devices: DeviceRow[];
  apps: AppRow[];
  volumes: VolumeRow[];
  warnings: Warning[];
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}$/;

/** Checks labels from the admin API; fields not given keep `prev`'s value. */
export function decodeLabels(input: unknown, prev: DeviceLabels): DeviceLabels {
  const o = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!["tags", "team", "location"].includes(k))
      throw new InventoryError(400, `${k}: unknown field (tags, team, location)`);
  const out = { ...prev };
  if (o.tags !== undefined) {
    if (
      !Array.isArray(o.tags) ||
      o.tags.length > 64 ||
      !o.tags.every((t) => typeof t === "string" && TAG.test(t))
    )
      throw new InventoryError(
        400,
        "tags: expected at most 64 tags of letters, digits and . _ : / = - (at most 64 characters each)",
      );
    out.tags = [...new Set(o.tags as string[])].sort();
  }
  for (const k of ["team", "location"] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== "string" || v.length > 256 || [...v].some((ch) => ch.charCodeAt(0) < 0x20))
      throw new InventoryError(
        400,
        `${k}: expected a string of at most 256 characters without control characters`,
      );
    out[k] = v;
  }
  return out;
}

export class InventoryApi {
  constructor(private readonly c: InventoryContext) {}

  /** The whole inventory, built now from the store. */
  async snapshot(): Promise<Snapshot> {
    const now = Date.now();
    const s = this.c.store;
    const labels = new Map((await s.listDocs<DeviceLabels>(LABELS_DOC)).map((d) => [d.id, d.value]));
    const devices: DeviceRow[] = [];
    const apps: AppRow[] = [];
    const volumes: VolumeRow[] = [];
    const warnings: Warning[] = [];
    for (const d of await s.listDevices()) {
      const b = await this.build(d, labels.get(d.uuid), now);
      devices.push(b.device);
      apps.push(...b.apps);
      volumes.push(...b.volumes);
      warnings.push(...b.warnings);
    }
    const fleet = fleetWarnings(devices);
    const byUuid = new Map(devices.map((d) => [d.uuid, d]));
    for (const w of fleet) {
      const d = byUuid.get(w.device);
      if (d) d.warnings = (d.warnings as number) + 1;
    }
    warnings.push(...fleet);
    return { devices, apps, volumes, warnings };
  }

  private async build(d: DeviceRecord, labels: DeviceLabels | undefined, now: number) {
    const s = this.c.store;
    const [info, metrics, config, lastSeen] = await Promise.all([
      s.listInfo(d.uuid),
      s.listMetrics(d.uuid, 1),
      s.getConfig(d.uuid),
      this.c.lastSeen(d.uuid),
    ]);
    const m = metrics.at(-1);
    return buildDevice(
      {
        uuid: d.uuid,
        serial: d.serial,
        registeredAt: d.registeredAt,
        info,
        ...(m ? { metrics: { at: m.at, value: m.value } } : {}),
        ...(config ? { config: { version: config.version, doc: config.doc } } : {}),
        labels: { ...NO_LABELS, ...labels },
        ...(lastSeen ? { lastSeen } : {}),
      },
      now,
    );
  }

  /** Runs a report (built-in or saved) with its parameters, plus an optional extra filter, tag and
   * sort from the caller. Returns the rows (projected to the report's columns) and those columns. */
  async runReport(
    def: ReportDef,
    params: Record<string, string>,
    extra: { filter?: string; tag?: string; sort?: string } = {},
  ): Promise<{ columns: string[]; rows: Row[] }> {
    const fields = fieldsOf(def.rows);
    const f = parseFilter(reportFilter(def, params), fields);
    const more = parseFilter(extra.filter ?? "", fields);
    const snap = await this.snapshot();
    let rows: Row[] = snap[def.rows].filter((r) => matches(f, r) && matches(more, r) && hasTag(r, extra.tag));
    let columns = def.columns.length ? [...def.columns] : [...fields];
    let sortFields: readonly string[] = fields;
    if (def.groupBy) {
      rows = groupRows(rows, def.groupBy, columns);
      columns = [def.groupBy, "count", ...columns.filter((c) => c !== def.groupBy)];
      sortFields = columns;
    }
    rows = sortRows(rows, extra.sort || def.sort, sortFields);
    return { columns, rows: project(rows, columns) };
  }

  async reports(): Promise<ReportDef[]> {
    const saved = (await this.c.store.listDocs<ReportDef>(REPORT_DOC)).map((d) => d.value);
    return [...BUILTIN_REPORTS.map((r) => ({ ...r, builtin: true })), ...saved];
  }

  async report(name: string): Promise<ReportDef> {
    const r = (await this.reports()).find((x) => x.name === name);
    if (!r) throw new InventoryError(404, `no report "${name}" (ctl report list)`);
    return r;
  }

  private async resolve(id: string): Promise<DeviceRecord> {
    const direct = await this.c.store.getDevice(id);
    if (direct) return direct;
    const found = (await this.c.store.listDevices()).filter((d) => d.serial === id || d.uuid.startsWith(id));
    if (found.length === 1 && found[0]) return found[0];
    throw new InventoryError(
      404,
      found.length ? `"${id}" matches ${found.length} devices` : `no device ${id}`,
    );
  }

  /** One admin request under inventory/ or reports/ (`parts` after /admin/v1/). */
  async handle(
    method: string,
    parts: string[],
    url: URL,
    body: () => unknown,
    res: ServerResponse,
  ): Promise<void> {
    try {
      return await this.route(method, parts, url, body, res);
    } catch (e) {
      if (e instanceof FilterError || e instanceof ReportError) throw new InventoryError(400, e.message);
      throw e;
    }
  }

  private async route(
    method: string,
    parts: string[],
    url: URL,
    body: () => unknown,
    res: ServerResponse,
  ): Promise<void> {
    const q = url.searchParams;
    const [what, a, b, c, ...rest] = parts;
    if (rest.length) throw new InventoryError(404, "no such admin endpoint");
    const format = q.get("format") ?? "json";
    if (format !== "json" && format !== "csv")
      throw new InventoryError(400, `format: expected json or csv, got "${format}"`);

    if (what === "inventory") {
      if ((a === "devices" || a === "apps" || a === "volumes") && !b && method === "GET") {
        const fields = fieldsOf(a);
        const f = parseFilter(q.get("filter") ?? "", fields);
        const snap = await this.snapshot();
        const list: Row[] = snap[a];
        const rows = sortRows(
          list.filter((r) => matches(f, r) && hasTag(r, q.get("tag") ?? undefined)),
          q.get("sort") ?? (a === "devices" ? "serial" : "serial,name"),
          fields,
        );
        return output(res, format, [...fields], rows);
      }
      if (a === "devices" && b && c === "labels" && method === "PUT")
        return sendJson(res, 200, await this.setLabels(b, body()));
      if (c) throw new InventoryError(404, "no such admin endpoint");
      if (a === "devices" && b && method === "GET") {
        const d = await this.resolve(b);
        const labels = await this.c.store.getDoc<DeviceLabels>(LABELS_DOC, d.uuid);
        const snap = await this.snapshot();
        const row = snap.devices.find((x) => x.uuid === d.uuid);
        return sendJson(res, 200, {
          device: row,
          apps: snap.apps.filter((x) => x.device === d.uuid),
          volumes: snap.volumes.filter((x) => x.device === d.uuid),
          warnings: snap.warnings.filter((w) => w.device === d.uuid),
          labels: { ...NO_LABELS, ...labels },
        });
      }
      if (a === "warnings" && !b && method === "GET") {
        const f: Filter = parseFilter(q.get("filter") ?? "", fieldsOf("devices"));
        const snap = await this.snapshot();
        const keep = new Set(
          snap.devices
            .filter((d) => matches(f, d) && hasTag(d, q.get("tag") ?? undefined))
            .map((d) => d.uuid),
        );
        return sendJson(
          res,
          200,
          snap.warnings.filter((w) => keep.has(w.device)),
        );
      }
    }
    if (what === "reports" && !c) {
      if (!a && method === "GET") return sendJson(res, 200, await this.reports());
      if (!a && method === "POST") {
        const def = decodeReport(body());
        const saved = await this.c.store.listDocs<ReportDef>(REPORT_DOC);
        if (saved.length >= MAX_REPORTS && !saved.some((s) => s.id === def.name))
          throw new InventoryError(409, `at most ${MAX_REPORTS} saved reports: delete one first`);
        await this.c.store.putDoc(REPORT_DOC, def.name, def);
        this.c.log.info({ report: def.name }, "report saved");
        return sendJson(res, 201, def);
      }
      if (a && !b && method === "GET") return sendJson(res, 200, await this.report(a));
      if (a && !b && method === "DELETE") {
        if (BUILTIN_REPORTS.some((r) => r.name === a))
          throw new InventoryError(409, `"${a}" is a built-in report: it cannot be deleted`);
        if (!(await this.c.store.removeDoc(REPORT_DOC, a)))
          throw new InventoryError(404, `no saved report "${a}"`);
        this.c.log.info({ report: a }, "report deleted");
        return sendJson(res, 200, { removed: a });
      }
      if (a && b === "run" && method === "GET") {
        const def = await this.report(a);
        const params: Record<string, string> = {};
        for (const [k, v] of q) if (!["format", "filter", "sort", "tag"].includes(k)) params[k] = v;
        const extra: { filter?: string; tag?: string; sort?: string } = {};
        for (const k of ["filter", "tag", "sort"] as const) {
          const v = q.get(k);
          if (v !== null) extra[k] = v;
        }
        const { columns, rows } = await this.runReport(def, params, extra);
        return output(res, format, columns, rows);
      }
    }
    throw new InventoryError(404, "no such admin endpoint");
  }

  /** PUT inventory/devices/<d>/labels: the given fields replace the stored ones. */
  async setLabels(id: string, input: unknown): Promise<{ device: string; labels: DeviceLabels }> {
    const d = await this.resolve(id);
    const prev = { ...NO_LABELS, ...(await this.c.store.getDoc<DeviceLabels>(LABELS_DOC, d.uuid)) };
    const labels = decodeLabels(input, prev);
    await this.c.store.putDoc(LABELS_DOC, d.uuid, labels);
    this.c.log.info({ device: d.uuid, labels }, "device labels set");
    return { device: d.uuid, labels };
  }
}

function hasTag(r: Row, tag: string | undefined): boolean {
  return !tag || (Array.isArray(r.tags) && r.tags.includes(tag));
}

function output(res: ServerResponse, format: string, columns: string[], rows: Row[]): void {
  if (format === "csv") {
    const body = toCsv(rows, columns);
    res.writeHead(200, {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Length": Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  sendJson(res, 200, rows);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
