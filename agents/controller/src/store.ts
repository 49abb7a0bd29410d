// What the controller keeps. The interface is what the HTTP handlers use; LmdbStore keeps everything in
// one embedded LMDB environment under the data dir (a server database for large fleets can implement
// the same interface later). Reads the hot path needs (device by certificate hash, the signed config)
// are answered from memory; every write goes to LMDB before it is acknowledged.
import { mkdirSync } from "node:fs";
import type { Database, RootDatabase } from "lmdb";
import type { ObjectVersions } from "./config-doc.js";

export interface OnboardingRecord {
  /** sha256 hex of the certificate DER. */
  id: string;
  certPem: string;
  subject: string;
  /** Serial numbers allowed to register with this certificate; ["*"] = any. */
  serials: string[];
  addedAt: string;
}

export interface DeviceRecord {
  uuid: string;
  serial: string;
  softSerial: string;
  certPem: string;
  /** sha256 hex of the device certificate DER: how signed requests find their device. */
  certHash: string;
  onboardingId: string;
  registeredAt: string;
  /** hex; set by attest, required on config polls once set. */
  integrityToken?: string;
}

export interface ConfigRecord {
  version: number;
  /** The operator's document (decoded, canonical). */
  doc: unknown;
  configHash: string;
  /** The signed AuthContainer holding ConfigResponse{config, configHash}: the 200 answer as is. */
  signed: Uint8Array;
  objectVersions: ObjectVersions;
  setAt: string;
}

export interface ReportRecord {
  /** ISO 8601 receive time. */
  at: string;
  /** info: "device", "app/<uuid>", "volume/<uuid>", "contentTree/<uuid>"; metrics: "metrics";
   * logs: the log source. */
  key: string;
  /** The decoded message as JSON (protobuf JSON names). */
  value: unknown;
}

/** How much a stored log record counts against its device's log budget. */
export function recordBytes(r: ReportRecord): number {
  return JSON.stringify(r).length;
}

/** What the controller keeps of each device's logs: the oldest lines go first past this. */
export const DEFAULT_LOGS_BUDGET = 64 * 1024 * 1024;

export interface ControllerStore {
  listOnboarding(): OnboardingRecord[];
  getOnboarding(id: string): OnboardingRecord | undefined;
  putOnboarding(r: OnboardingRecord): Promise<void>;
  removeOnboarding(id: string): Promise<boolean>;

  listDevices(): DeviceRecord[];
  getDevice(uuid: string): DeviceRecord | undefined;
  deviceByCertHash(hashHex: string): DeviceRecord | undefined;
  putDevice(r: DeviceRecord): Promise<void>;
  removeDevice(uuid: string): Promise<boolean>;

  getConfig(uuid: string): ConfigRecord | undefined;
  putConfig(uuid: string, r: ConfigRecord): Promise<void>;

  /** Latest info per object key. */
  putInfo(uuid: string, r: ReportRecord): Promise<void>;
  listInfo(uuid: string): ReportRecord[];
  /** Metrics reports, newest last; the oldest are dropped past a bound. */
  putMetrics(uuid: string, r: ReportRecord): Promise<void>;
  listMetrics(uuid: string, limit: number): ReportRecord[];
  /** Log lines, oldest first; past the device's budget (bytes) the oldest lines are dropped. */
  appendLogs(uuid: string, entries: ReportRecord[]): Promise<void>;
  listLogs(uuid: string, limit: number): ReportRecord[];
  /** The newest `limit` lines that `match`, oldest first. */
  queryLogs(uuid: string, limit: number, match: (r: ReportRecord) => boolean): ReportRecord[];
  /** Bytes of log lines kept and lines dropped for the budget since the controller started. */
  logUsage(uuid: string): { bytes: number; lines: number; dropped: number };

  /** Small JSON documents by kind and id, for modules above the core (inventory: "device-labels"
   * per device uuid, removed with the device; "report" per saved report name). */
  getDoc<T>(kind: string, id: string): T | undefined;
  listDocs<T>(kind: string): { id: string; value: T }[];
  putDoc(kind: string, id: string, value: unknown): Promise<void>;
  removeDoc(kind: string, id: string): Promise<boolean>;

  close(): Promise<void>;
}

const KEEP_METRICS = 120;

export class LmdbStore implements ControllerStore {
  private readonly byHash = new Map<string, DeviceRecord>();
  private readonly configs = new Map<string, ConfigRecord>();
  private seq = Date.now() * 1000;
  /** Per device: bytes and lines of logs kept (counted once per device on first use), lines dropped. */
  private readonly logSizes = new Map<string, { bytes: number; lines: number; dropped: number }>();
  private logsBudget = DEFAULT_LOGS_BUDGET;

  private constructor(
    private readonly env: RootDatabase,
    private readonly onboarding: Database<OnboardingRecord, string>,
    private readonly devices: Database<DeviceRecord, string>,
    private readonly configDb: Database<ConfigRecord, string>,
    private readonly info: Database<ReportRecord, string>,
    private readonly metrics: Database<ReportRecord, string>,
    private readonly logs: Database<ReportRecord, string>,
    private readonly docs: Database<unknown, string>,
  ) {
    for (const { value } of this.devices.getRange()) this.byHash.set(value.certHash, value);
  }

  static async open(dir: string, o: { logsBudget?: number } = {}): Promise<LmdbStore> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { open } = await import("lmdb");
    // overlappingSync off: a write resolves once it is on disk, so an acknowledged registration or
    // config survives a crash of the controller or the machine.
    const env = open({ path: dir, maxDbs: 16, compression: false, overlappingSync: false });
    const db = <T>(name: string) => env.openDB<T, string>({ name });
    const store = new LmdbStore(
      env,
      db("onboarding"),
      db("devices"),
      db("configs"),
      db("info"),
      db("metrics"),
      db("logs"),
      db("docs"),
    );
    if (o.logsBudget) store.logsBudget = o.logsBudget;
    return store;
  }

  listOnboarding(): OnboardingRecord[] {
    return [...this.onboarding.getRange()].map((e) => e.value);
  }
  getOnboarding(id: string) {
    return this.onboarding.get(id);
  }
  async putOnboarding(r: OnboardingRecord) {
    await this.onboarding.put(r.id, r);
  }
  async removeOnboarding(id: string) {
    return this.onboarding.remove(id);
  }

  listDevices(): DeviceRecord[] {
    return [...this.devices.getRange()].map((e) => e.value);
  }
  getDevice(uuid: string) {
    return this.devices.get(uuid);
  }
  deviceByCertHash(hashHex: string) {
    return this.byHash.get(hashHex);
  }
  async putDevice(r: DeviceRecord) {
    await this.devices.put(r.uuid, r);
    this.byHash.set(r.certHash, r);
  }
  async removeDevice(uuid: string) {
    const d = this.devices.get(uuid);
    if (!d) return false;
    await this.devices.remove(uuid);
    this.byHash.delete(d.certHash);
    this.configs.delete(uuid);
    await this.configDb.remove(uuid);
    for (const db of [this.info, this.metrics, this.logs])
      for (const key of db.getKeys(prefixRange(uuid))) await db.remove(key);
    this.logSizes.delete(uuid);
    await this.docs.remove(`device-labels/${uuid}`);
    return true;
  }

  getConfig(uuid: string) {
    let c = this.configs.get(uuid);
    if (!c) {
      c = this.configDb.get(uuid);
      if (c) this.configs.set(uuid, { ...c, signed: Buffer.from(c.signed) });
    }
    return this.configs.get(uuid);
  }
  async putConfig(uuid: string, r: ConfigRecord) {
    await this.configDb.put(uuid, r);
    this.configs.set(uuid, r);
  }

  async putInfo(uuid: string, r: ReportRecord) {
    await this.info.put(`${uuid}/${r.key}`, r);
  }
  listInfo(uuid: string) {
    return [...this.info.getRange(prefixRange(uuid))].map((e) => e.value);
  }
  async putMetrics(uuid: string, r: ReportRecord) {
    await this.metrics.put(`${uuid}/${this.nextSeq()}`, r);
    await trim(this.metrics, uuid, KEEP_METRICS);
  }
  listMetrics(uuid: string, limit: number) {
    return last(this.metrics, uuid, limit);
  }
  async appendLogs(uuid: string, entries: ReportRecord[]) {
    const usage = this.logUsage(uuid);
    await this.logs.transaction(() => {
      for (const e of entries) this.logs.put(`${uuid}/${this.nextSeq()}`, e);
    });
    for (const e of entries) {
      usage.bytes += recordBytes(e);
      usage.lines++;
    }
    if (usage.bytes <= this.logsBudget) return;
    // Oldest first, until the device is within its budget.
    const old: string[] = [];
    for (const { key, value } of this.logs.getRange(prefixRange(uuid))) {
      if (usage.bytes <= this.logsBudget) break;
      old.push(key);
      usage.bytes -= recordBytes(value);
      usage.lines--;
      usage.dropped++;
    }
    await this.logs.transaction(() => {
      for (const k of old) this.logs.remove(k);
    });
  }
  listLogs(uuid: string, limit: number) {
    return last(this.logs, uuid, limit);
  }
  queryLogs(uuid: string, limit: number, match: (r: ReportRecord) => boolean): ReportRecord[] {
    const out: ReportRecord[] = [];
    for (const { value } of this.logs.getRange({ start: `${uuid}/\uffff`, end: `${uuid}/`, reverse: true })) {
      if (!match(value)) continue;
      out.push(value);
      if (out.length >= limit) break;
    }
    return out.reverse();
  }
  logUsage(uuid: string) {
    let u = this.logSizes.get(uuid);
    if (!u) {
      u = { bytes: 0, lines: 0, dropped: 0 };
      for (const { value } of this.logs.getRange(prefixRange(uuid))) {
        u.bytes += recordBytes(value);
        u.lines++;
      }
      this.logSizes.set(uuid, u);
    }
    return u;
  }

  getDoc<T>(kind: string, id: string): T | undefined {
    return this.docs.get(`${kind}/${id}`) as T | undefined;
  }
  listDocs<T>(kind: string): { id: string; value: T }[] {
    return [...this.docs.getRange({ start: `${kind}/`, end: `${kind}/\uffff` })].map((e) => ({
      id: e.key.slice(kind.length + 1),
      value: e.value as T,
    }));
  }
  async putDoc(kind: string, id: string, value: unknown) {
    await this.docs.put(`${kind}/${id}`, value);
  }
  async removeDoc(kind: string, id: string) {
    return this.docs.remove(`${kind}/${id}`);
  }

  private nextSeq(): string {
    this.seq = Math.max(this.seq + 1, Date.now() * 1000);
    return String(this.seq).padStart(20, "0");
  }

  async close() {
    await this.env.close();
  }
}

function prefixRange(uuid: string) {
  return { start: `${uuid}/`, end: `${uuid}/\uffff` };
}

function last(db: Database<ReportRecord, string>, uuid: string, limit: number): ReportRecord[] {
  return [
    ...db.getRange({ ...prefixRange(uuid), reverse: true, limit, start: `${uuid}/\uffff`, end: `${uuid}/` }),
  ]
    .map((e) => e.value)
    .reverse();
}

async function trim(db: Database<ReportRecord, string>, uuid: string, keep: number): Promise<void> {
  const old = [...db.getKeys({ start: `${uuid}/\uffff`, end: `${uuid}/`, reverse: true, offset: keep })];
  if (old.length)
    await db.transaction(() => {
      for (const k of old) db.remove(k);
    });
}
