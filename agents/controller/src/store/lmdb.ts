// The embedded store (the default, for one machine): one LMDB environment under the data dir, used by
// one controller process. The reads of the hot path (device by certificate hash, the signed config)
// are answered from memory; every write goes to LMDB before it is acknowledged.
import { mkdirSync } from "node:fs";
import type { Database, RootDatabase } from "lmdb";
import {
  type AuditEntry,
  type AuditQuery,
  type AuditRetention,
  type ConfigRecord,
  type ControllerStore,
  DEFAULT_LOGS_BUDGET,
  DEVICE_DOC_KINDS,
  type DeviceRecord,
  KEEP_METRICS,
  type LogUsage,
  type OnboardingRecord,
  type ReportEvent,
  type ReportKind,
  type ReportListener,
  type ReportRecord,
  type Role,
  type RoleGrant,
  recordBytes,
  type StoreOptions,
  type TeamRecord,
  type TokenRecord,
  type UserRecord,
} from "./types.js";

interface LeaseRecord {
  holder: string;
  expiresAt: number;
}

export class LmdbStore implements ControllerStore {
  readonly kind = "lmdb";
  readonly shared = false;
  private readonly byHash = new Map<string, DeviceRecord>();
  private readonly configs = new Map<string, ConfigRecord>();
  private seq = Date.now() * 1000;
  /** Per device: bytes and lines of logs kept (counted once per device on first use), lines dropped. */
  private readonly logSizes = new Map<string, LogUsage>();
  private logsBudget = DEFAULT_LOGS_BUDGET;
  private readonly listeners = new Set<ReportListener>();

  private constructor(
    private readonly env: RootDatabase,
    private readonly onboarding: Database<OnboardingRecord, string>,
    private readonly devices: Database<DeviceRecord, string>,
    private readonly configDb: Database<ConfigRecord, string>,
    private readonly info: Database<ReportRecord, string>,
    private readonly metrics: Database<ReportRecord, string>,
    private readonly logs: Database<ReportRecord, string>,
    private readonly leases: Database<LeaseRecord, string>,
    private readonly docs: Database<unknown, string>,
    private readonly users: Database<UserRecord, string>,
    private readonly teams: Database<TeamRecord, string>,
    /** "<user>\u0000<team>" -> role */
    private readonly roles: Database<Role, string>,
    private readonly tokens: Database<TokenRecord, string>,
    /** Zero-padded id -> entry. */
    private readonly audit: Database<AuditEntry, string>,
    /** "audit-removed" -> count */
    private readonly meta: Database<number, string>,
  ) {
    for (const { value } of this.devices.getRange()) this.byHash.set(value.certHash, value);
  }

  static async open(dir: string, o: StoreOptions = {}): Promise<LmdbStore> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { open } = await import("lmdb");
    // overlappingSync off: a write resolves once it is on disk, so an acknowledged registration or
    // config survives a crash of the controller or the machine.
    const env = open({ path: dir, maxDbs: 32, compression: false, overlappingSync: false });
    const db = <T>(name: string) => env.openDB<T, string>({ name });
    const store = new LmdbStore(
      env,
      db("onboarding"),
      db("devices"),
      db("configs"),
      db("info"),
      db("metrics"),
      db("logs"),
      db("leases"),
      db("docs"),
      db("users"),
      db("teams"),
      db("roles"),
      db("tokens"),
      db("audit"),
      db("meta"),
    );
    if (o.logsBudget) store.logsBudget = o.logsBudget;
    return store;
  }

  async listOnboarding(): Promise<OnboardingRecord[]> {
    return [...this.onboarding.getRange()].map((e) => e.value);
  }
  async getOnboarding(id: string) {
    return this.onboarding.get(id);
  }
  async putOnboarding(r: OnboardingRecord) {
    await this.onboarding.put(r.id, r);
  }
  async removeOnboarding(id: string) {
    if (this.onboarding.get(id) === undefined) return false;
    return this.onboarding.remove(id);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return [...this.devices.getRange()].map((e) => e.value);
  }
  async countDevices() {
    return this.byHash.size;
  }
  async getDevice(uuid: string) {
    return this.devices.get(uuid);
  }
  deviceByCertHash(hashHex: string) {
    return Promise.resolve(this.byHash.get(hashHex));
  }
  async addDevice(r: DeviceRecord) {
    // One process writes this store, and nothing awaits between the checks and the write's start.
    if (this.byHash.has(r.certHash)) return "cert-taken" as const;
    for (const d of this.byHash.values())
      if (r.serial && d.onboardingId === r.onboardingId && d.serial === r.serial)
        return "serial-taken" as const;
    this.byHash.set(r.certHash, r);
    try {
      await this.devices.put(r.uuid, r);
    } catch (e) {
      this.byHash.delete(r.certHash);
      throw e;
    }
    return "added" as const;
  }
  async putDevice(r: DeviceRecord) {
    await this.devices.put(r.uuid, r);
    this.byHash.set(r.certHash, r);
  }
  async removeDevice(uuid: string) {
    const d = this.devices.get(uuid);
    if (!d) return false;
    this.byHash.delete(d.certHash);
    this.configs.delete(uuid);
    this.logSizes.delete(uuid);
    await this.env.transaction(() => {
      this.devices.remove(uuid);
      this.configDb.remove(uuid);
      for (const db of [this.info, this.metrics, this.logs])
        for (const key of db.getKeys(prefixRange(uuid))) db.remove(key);
      for (const kind of DEVICE_DOC_KINDS) this.docs.remove(`${kind}/${uuid}`);
    });
    return true;
  }

  async saveLastSeen(_seen: [string, number][]) {
    // One process: DeviceApi's memory is the truth.
  }
  async lastSeen(_uuid: string): Promise<number | undefined> {
    return undefined;
  }

  getConfig(uuid: string): Promise<ConfigRecord | undefined> {
    let c = this.configs.get(uuid);
    if (!c) {
      const stored = this.configDb.get(uuid);
      if (stored) {
        c = { ...stored, signed: Buffer.from(stored.signed) };
        this.configs.set(uuid, c);
      }
    }
    return Promise.resolve(c);
  }
  async putConfig(uuid: string, r: ConfigRecord, expectVersion?: number) {
    if (expectVersion !== undefined && ((await this.getConfig(uuid))?.version ?? 0) !== expectVersion)
      return false;
    this.configs.set(uuid, r);
    await this.configDb.put(uuid, r);
    return true;
  }

  async putInfo(uuid: string, r: ReportRecord) {
    await this.info.put(`${uuid}/${r.key}`, r);
    this.emit(uuid, "info", [r]);
  }
  async listInfo(uuid: string) {
    return [...this.info.getRange(prefixRange(uuid))].map((e) => e.value);
  }
  async putMetrics(uuid: string, r: ReportRecord) {
    await this.metrics.put(`${uuid}/${this.nextSeq()}`, r);
    await trim(this.metrics, uuid, KEEP_METRICS);
    this.emit(uuid, "metrics", [r]);
  }
  async listMetrics(uuid: string, limit: number) {
    return last(this.metrics, uuid, limit);
  }
  async appendLogs(uuid: string, entries: ReportRecord[]) {
    const usage = await this.logUsage(uuid);
    await this.logs.transaction(() => {
      for (const e of entries) this.logs.put(`${uuid}/${this.nextSeq()}`, e);
    });
    for (const e of entries) {
      usage.bytes += recordBytes(e);
      usage.lines++;
    }
    this.emit(uuid, "logs", entries);
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
  async listLogs(uuid: string, limit: number) {
    return last(this.logs, uuid, limit);
  }
  async queryLogs(uuid: string, limit: number, match: (r: ReportRecord) => boolean) {
    const out: ReportRecord[] = [];
    for (const { value } of this.logs.getRange({ start: `${uuid}/\uffff`, end: `${uuid}/`, reverse: true })) {
      if (!match(value)) continue;
      out.push(value);
      if (out.length >= limit) break;
    }
    return out.reverse();
  }
  async logUsage(uuid: string) {
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

  async getDoc<T>(kind: string, id: string) {
    return this.docs.get(`${kind}/${id}`) as T | undefined;
  }
  async listDocs<T>(kind: string) {
    return [...this.docs.getRange({ start: `${kind}/`, end: `${kind}/\uffff` })].map((e) => ({
      id: e.key.slice(kind.length + 1),
      value: e.value as T,
    }));
  }
  async putDoc(kind: string, id: string, value: unknown) {
    await this.docs.put(`${kind}/${id}`, value);
  }
  async removeDoc(kind: string, id: string) {
    if (this.docs.get(`${kind}/${id}`) === undefined) return false;
    return this.docs.remove(`${kind}/${id}`);
  }

  async watchReports(l: ReportListener) {
    this.listeners.add(l);
    return async () => {
      this.listeners.delete(l);
    };
  }

  private emit(device: string, kind: ReportKind, records: ReportRecord[]): void {
    if (!this.listeners.size) return;
    for (const record of records) {
      const e: ReportEvent = { device, kind, record };
      for (const l of this.listeners) l(e);
    }
  }

  async acquireLease(name: string, holder: string, ttlMs: number) {
    return this.leases.transaction(() => {
      const cur = this.leases.get(name);
      const now = Date.now();
      if (cur && cur.holder !== holder && cur.expiresAt > now) return false;
      this.leases.put(name, { holder, expiresAt: now + ttlMs });
      return true;
    });
  }
  async releaseLease(name: string, holder: string) {
    await this.leases.transaction(() => {
      if (this.leases.get(name)?.holder === holder) this.leases.remove(name);
    });
  }

  async getUser(name: string) {
    return this.users.get(name);
  }
  async listUsers() {
    return [...this.users.getRange()].map((e) => e.value);
  }
  async putUser(u: UserRecord) {
    await this.users.put(u.name, u);
  }
  async getTeam(name: string) {
    return this.teams.get(name);
  }
  async listTeams() {
    return [...this.teams.getRange()].map((e) => e.value);
  }
  async putTeam(t: TeamRecord) {
    await this.teams.put(t.name, t);
  }
  async setRole(user: string, team: string, role: Role | undefined) {
    const key = `${user}\u0000${team}`;
    if (role) await this.roles.put(key, role);
    else await this.roles.remove(key);
  }
  async listRoles(user?: string): Promise<RoleGrant[]> {
    const range = user ? { start: `${user}\u0000`, end: `${user}\u0001` } : {};
    return [...this.roles.getRange(range)].map(({ key, value }) => {
      const [u = "", team = ""] = key.split("\u0000");
      return { user: u, team, role: value };
    });
  }
  async putToken(t: TokenRecord) {
    await this.tokens.put(t.id, t);
  }
  async getToken(id: string) {
    return this.tokens.get(id);
  }
  async tokenByHash(hashHex: string) {
    // Few tokens per controller: a scan, no index to keep in step.
    for (const { value } of this.tokens.getRange()) if (value.hash === hashHex) return value;
    return undefined;
  }
  async listTokens(user?: string) {
    return [...this.tokens.getRange()]
      .map((e) => e.value)
      .filter((t) => !user || t.user === user)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async appendAudit(e: Omit<AuditEntry, "id">): Promise<AuditEntry> {
    // The next id is read and written in one write transaction: an init-admin process writing to the
    // same environment as the running controller cannot take the same id.
    return this.audit.transaction(() => {
      const lastKey = [...this.audit.getKeys({ reverse: true, limit: 1 })][0];
      const entry: AuditEntry = { id: (lastKey ? Number(lastKey) : 0) + 1, ...e };
      this.audit.put(auditKey(entry.id), entry);
      return entry;
    });
  }
  async queryAudit(q: AuditQuery): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (const { value: e } of this.audit.getRange({ reverse: true })) {
      if (q.since && e.at < q.since) break;
      if (q.actor && e.actor !== q.actor) continue;
      if (q.device && e.device !== q.device) continue;
      if (q.teams && !(e.team ? q.teams.names.includes(e.team) : q.teams.global)) continue;
      out.push(e);
      if (out.length >= q.limit) break;
    }
    return out;
  }
  async trimAudit(r: AuditRetention): Promise<number> {
    return this.audit.transaction(() => {
      const old: string[] = [];
      let kept = 0;
      for (const { key, value } of this.audit.getRange({ reverse: true })) {
        if ((r.maxEntries !== undefined && kept >= r.maxEntries) || (r.before && value.at < r.before))
          old.push(key);
        else kept++;
      }
      for (const k of old) this.audit.remove(k);
      if (old.length) this.meta.put("audit-removed", (this.meta.get("audit-removed") ?? 0) + old.length);
      return old.length;
    });
  }
  async auditStats() {
    return { entries: this.audit.getCount(), removed: this.meta.get("audit-removed") ?? 0 };
  }

  private nextSeq(): string {
    this.seq = Math.max(this.seq + 1, Date.now() * 1000);
    return String(this.seq).padStart(20, "0");
  }

  async close() {
    await this.env.close();
  }
}

function auditKey(id: number): string {
  return String(id).padStart(16, "0");
}

function prefixRange(uuid: string) {
  return { start: `${uuid}/`, end: `${uuid}/\uffff` };
}

function last(db: Database<ReportRecord, string>, uuid: string, limit: number): ReportRecord[] {
  return [...db.getRange({ reverse: true, limit, start: `${uuid}/\uffff`, end: `${uuid}/` })]
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
