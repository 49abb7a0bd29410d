// The PostgreSQL store: the same records as the LMDB store in tables (migrations/), shared by any
// number of controller processes on one or several machines. Every read goes to the database (a
// process keeps no state a request depends on); writes that change several records are one
// transaction; reports are announced with NOTIFY so follow streams of every process see them.
import postgres, { type Sql } from "postgres";
import { MIGRATIONS } from "./migrations/index.js";
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

/** NOTIFY channel of stored reports. */
export const REPORTS_CHANNEL = "outpost_reports";
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: larger reports are announced by id. */
const INLINE_PAYLOAD = 7800;
/** Any number, the same in every version: the advisory lock migrations are applied under. */
const MIGRATION_LOCK = 4_711_020_014;

export interface PgStoreOptions extends StoreOptions {
  /** postgres://user@host:port/db (a password in it is taken, but keep it out of argv: PGPASSWORD). */
  url: string;
  password?: string;
  /** Connections of this process (default 10). */
  maxConnections?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/** Inline: the records themselves; otherwise where to read them. */
type Announcement =
  | { d: string; k: ReportKind; r: ReportRecord[] }
  | { d: string; k: "metrics" | "logs"; ids: string[] }
  | { d: string; k: "info"; keys: string[] };

interface ConfigRow {
  version: number;
  config_hash: string;
  signed: Buffer;
  doc: unknown;
  object_versions: ConfigRecord["objectVersions"];
  set_at: string;
}

export class PgStore implements ControllerStore {
  readonly kind = "postgres";
  readonly shared = true;
  private readonly listeners = new Set<ReportListener>();
  private listening: Promise<{ unlisten(): Promise<void> }> | undefined;

  private constructor(
    private readonly sql: Sql,
    /** Report writes (info, metrics, logs): a pool of their own, so polls never queue behind them,
     * with synchronous_commit off: a report is acknowledged before its commit is flushed (a crash of
     * the database server may lose the last fraction of a second of reports, never a registration or
     * a config, which stay on the synchronous pool). */
    private readonly reports: Sql,
    private readonly logsBudget: number,
  ) {}

  /** A jsonb parameter (the client serialises it once). */
  private j(v: unknown) {
    return this.sql.json(v as Parameters<Sql["json"]>[0]);
  }

  /** Connects, applies the migrations the database has not had yet, and returns the store. */
  static async open(o: PgStoreOptions): Promise<PgStore> {
    const common = {
      ...(o.password !== undefined ? { password: o.password } : {}),
      onnotice: () => {},
      connect_timeout: 10,
    };
    const name = o.applicationName ?? "outpost-controller";
    const sql = postgres(o.url, {
      ...common,
      max: o.maxConnections ?? 10,
      connection: { application_name: name },
    });
    const reports = postgres(o.url, {
      ...common,
      max: Math.max(2, Math.ceil((o.maxConnections ?? 10) / 2)),
      connection: { application_name: `${name} reports`, synchronous_commit: "off" },
    });
    try {
      await migrate(sql);
    } catch (e) {
      await Promise.all([sql.end({ timeout: 1 }), reports.end({ timeout: 1 })]);
      throw e;
    }
    return new PgStore(sql, reports, o.logsBudget ?? DEFAULT_LOGS_BUDGET);
  }

  async listOnboarding(): Promise<OnboardingRecord[]> {
    return (await this.sql<{ rec: OnboardingRecord }[]>`select rec from onboarding order by id`).map(
      (r) => r.rec,
    );
  }
  async getOnboarding(id: string) {
    const [r] = await this.sql<{ rec: OnboardingRecord }[]>`select rec from onboarding where id = ${id}`;
    return r?.rec;
  }
  async putOnboarding(r: OnboardingRecord) {
    await this.sql`insert into onboarding (id, rec) values (${r.id}, ${this.j(r)})
      on conflict (id) do update set rec = excluded.rec`;
  }
  async removeOnboarding(id: string) {
    return (await this.sql`delete from onboarding where id = ${id}`).count > 0;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return (await this.sql<{ rec: DeviceRecord }[]>`select rec from devices order by uuid`).map((r) => r.rec);
  }
  async countDevices() {
    const [r] = await this.sql<{ n: number }[]>`select count(*)::int as n from devices`;
    return r?.n ?? 0;
  }
  async getDevice(uuid: string) {
    const [r] = await this.sql<{ rec: DeviceRecord }[]>`select rec from devices where uuid = ${uuid}`;
    return r?.rec;
  }
  async deviceByCertHash(hashHex: string) {
    const [r] = await this.sql<{ rec: DeviceRecord }[]>`select rec from devices where cert_hash = ${hashHex}`;
    return r?.rec;
  }
  async addDevice(r: DeviceRecord) {
    // The unique constraints decide, so two processes registering the same device cannot both win.
    const added = await this.sql`insert into devices (uuid, cert_hash, onboarding_id, serial, rec)
      values (${r.uuid}, ${r.certHash}, ${r.onboardingId}, ${r.serial}, ${this.j(r)})
      on conflict do nothing returning uuid`;
    if (added.count) return "added" as const;
    return (await this.deviceByCertHash(r.certHash)) ? ("cert-taken" as const) : ("serial-taken" as const);
  }
  async putDevice(r: DeviceRecord) {
    await this.sql`insert into devices (uuid, cert_hash, onboarding_id, serial, rec)
      values (${r.uuid}, ${r.certHash}, ${r.onboardingId}, ${r.serial}, ${this.j(r)})
      on conflict (uuid) do update set cert_hash = excluded.cert_hash, onboarding_id = excluded.onboarding_id,
        serial = excluded.serial, rec = excluded.rec`;
  }
  async removeDevice(uuid: string) {
    return this.sql.begin(async (tx) => {
      const gone = await tx`delete from devices where uuid = ${uuid}`;
      if (!gone.count) return false;
      await tx`delete from configs where uuid = ${uuid}`;
      await tx`delete from info where uuid = ${uuid}`;
      await tx`delete from metrics where uuid = ${uuid}`;
      await tx`delete from logs where uuid = ${uuid}`;
      await tx`delete from log_usage where uuid = ${uuid}`;
      await tx`delete from docs where kind in ${tx(DEVICE_DOC_KINDS as unknown as string[])} and id = ${uuid}`;
      return true;
    });
  }

  async saveLastSeen(seen: [string, number][]) {
    if (!seen.length) return;
    const rows = seen.map(([u, t]) => ({ u, t }));
    await this.reports`update devices d set last_seen_ms = greatest(coalesce(d.last_seen_ms, 0), v.t)
      from jsonb_to_recordset(${this.j(rows)}) as v(u text, t bigint) where d.uuid = v.u`;
  }
  async lastSeen(uuid: string) {
    const [r] = await this.sql<
      { t: string | null }[]
    >`select last_seen_ms as t from devices where uuid = ${uuid}`;
    return r?.t ? Number(r.t) : undefined;
  }

  async getConfig(uuid: string): Promise<ConfigRecord | undefined> {
    const [r] = await this.sql<ConfigRow[]>`select version, config_hash, signed, doc, object_versions, set_at
      from configs where uuid = ${uuid}`;
    if (!r) return undefined;
    return {
      version: r.version,
      configHash: r.config_hash,
      signed: r.signed,
      doc: r.doc,
      objectVersions: r.object_versions,
      setAt: r.set_at,
    };
  }
  async putConfig(uuid: string, r: ConfigRecord, expectVersion?: number) {
    const signed = Buffer.from(r.signed);
    const values = this.sql`(${uuid}, ${r.version}, ${r.configHash}, ${signed}, ${this.j(r.doc)},
      ${this.j(r.objectVersions)}, ${r.setAt})`;
    const set = this.sql`version = excluded.version, config_hash = excluded.config_hash,
      signed = excluded.signed, doc = excluded.doc, object_versions = excluded.object_versions,
      set_at = excluded.set_at`;
    const res =
      expectVersion === undefined
        ? await this
            .sql`insert into configs (uuid, version, config_hash, signed, doc, object_versions, set_at)
            values ${values} on conflict (uuid) do update set ${set}`
        : await this
            .sql`insert into configs (uuid, version, config_hash, signed, doc, object_versions, set_at)
            values ${values} on conflict (uuid) do update set ${set}
            where configs.version = ${expectVersion}`;
    return res.count > 0;
  }

  async putInfo(uuid: string, r: ReportRecord) {
    const note = announcement(uuid, "info", [r], () => ({ d: uuid, k: "info", keys: [r.key] }));
    await this.reports`with ins as (
        insert into info (uuid, key, at, value) values (${uuid}, ${r.key}, ${r.at}, ${this.j(r.value)})
        on conflict (uuid, key) do update set at = excluded.at, value = excluded.value returning 1)
      select pg_notify(${REPORTS_CHANNEL}, ${note ?? ""}) from ins`;
  }
  async listInfo(uuid: string) {
    return this.sql<ReportRecord[]>`select at, key, value from info where uuid = ${uuid} order by key`;
  }
  async putMetrics(uuid: string, r: ReportRecord) {
    const inline = announcement(uuid, "metrics", [r], () => undefined);
    // One statement: insert, drop what is past KEEP_METRICS, announce (by id when too large).
    await this.reports`with ins as (
        insert into metrics (uuid, at, value) values (${uuid}, ${r.at}, ${this.j(r.value)}) returning id),
      old as (
        delete from metrics where uuid = ${uuid} and id in (
          select id from metrics where uuid = ${uuid} order by id desc offset ${KEEP_METRICS - 1}))
      select pg_notify(${REPORTS_CHANNEL},
        coalesce(${inline ?? null}::text, json_build_object('d', ${uuid}::text, 'k', 'metrics',
          'ids', json_build_array(ins.id::text))::text)) from ins`;
  }
  async listMetrics(uuid: string, limit: number) {
    return (
      await this.sql<ReportRecord[]>`select at, key, value from (
        select id, at, 'metrics' as key, value from metrics where uuid = ${uuid} order by id desc limit ${limit}) m
        order by id`
    ).slice();
  }
  async appendLogs(uuid: string, entries: ReportRecord[]) {
    if (!entries.length) return;
    const rows = entries.map((e) => ({ at: e.at, key: e.key, value: e.value, bytes: recordBytes(e) }));
    const total = rows.reduce((n, r) => n + r.bytes, 0);
    const inline = announcement(uuid, "logs", entries, () => undefined);
    await this.reports.begin(async (tx) => {
      // The usage row is locked until commit: appends for one device from two processes queue here.
      await tx`insert into log_usage (uuid) values (${uuid}) on conflict do nothing`;
      const [u] = await tx<{ bytes: string }[]>`select bytes from log_usage where uuid = ${uuid} for update`;
      const ids = await tx<{ id: string }[]>`insert into logs (uuid, at, key, value, bytes)
        select ${uuid}, r.at, r.key, r.value, r.bytes
        from jsonb_to_recordset(${this.j(rows)}) as r(at text, key text, value jsonb, bytes int)
        returning id`;
      let bytes = Number(u?.bytes ?? 0) + total;
      let dropped = 0;
      if (bytes > this.logsBudget) {
        // Oldest first, until the device is within its budget.
        const excess = bytes - this.logsBudget;
        const [d] = await tx<{ n: number; b: string | null }[]>`with gone as (
            delete from logs where id in (
              select id from (select id, sum(bytes) over (order by id) - bytes as before
                from logs where uuid = ${uuid}) c where before < ${excess})
            returning bytes)
          select count(*)::int as n, sum(bytes)::bigint as b from gone`;
        dropped = d?.n ?? 0;
        bytes -= Number(d?.b ?? 0);
      }
      await tx`update log_usage set bytes = ${bytes}, lines = lines + ${rows.length} - ${dropped},
        dropped = dropped + ${dropped} where uuid = ${uuid}`;
      const note = inline ?? JSON.stringify({ d: uuid, k: "logs", ids: ids.map((r) => String(r.id)) });
      if (note.length < INLINE_PAYLOAD) await tx`select pg_notify(${REPORTS_CHANNEL}, ${note})`;
      else
        for (let i = 0; i < ids.length; i += 300)
          await tx`select pg_notify(${REPORTS_CHANNEL}, ${JSON.stringify({ d: uuid, k: "logs", ids: ids.slice(i, i + 300).map((r) => String(r.id)) })})`;
    });
  }
  async listLogs(uuid: string, limit: number) {
    return (
      await this.sql<ReportRecord[]>`select at, key, value from (
        select id, at, key, value from logs where uuid = ${uuid} order by id desc limit ${limit}) l order by id`
    ).slice();
  }
  async queryLogs(uuid: string, limit: number, match: (r: ReportRecord) => boolean) {
    // Newest first in pages, filtered here (the filters are the same code for both stores).
    const out: ReportRecord[] = [];
    let before: string | null = null;
    for (;;) {
      const page: (ReportRecord & { id: string })[] = await this.sql<(ReportRecord & { id: string })[]>`
        select id, at, key, value from logs where uuid = ${uuid}
        and (${before}::bigint is null or id < ${before}::bigint) order by id desc limit 1000`;
      for (const { id: _id, ...r } of page) {
        if (!match(r)) continue;
        out.push(r);
        if (out.length >= limit) return out.reverse();
      }
      if (page.length < 1000) return out.reverse();
      before = String(page[page.length - 1]?.id);
    }
  }
  async logUsage(uuid: string): Promise<LogUsage> {
    const [u] = await this.sql<{ bytes: string; lines: string; dropped: string }[]>`
      select bytes, lines, dropped from log_usage where uuid = ${uuid}`;
    return { bytes: Number(u?.bytes ?? 0), lines: Number(u?.lines ?? 0), dropped: Number(u?.dropped ?? 0) };
  }

  async getDoc<T>(kind: string, id: string) {
    const [r] = await this.sql<{ value: T }[]>`select value from docs where kind = ${kind} and id = ${id}`;
    return r?.value;
  }
  async listDocs<T>(kind: string) {
    return (
      await this.sql<{ id: string; value: T }[]>`select id, value from docs where kind = ${kind} order by id`
    ).slice();
  }
  async putDoc(kind: string, id: string, value: unknown) {
    await this.sql`insert into docs (kind, id, value) values (${kind}, ${id}, ${this.j(value)})
      on conflict (kind, id) do update set value = excluded.value`;
  }
  async removeDoc(kind: string, id: string) {
    return (await this.sql`delete from docs where kind = ${kind} and id = ${id}`).count > 0;
  }

  async watchReports(l: ReportListener) {
    this.listeners.add(l);
    // LISTEN only while someone follows: a process with no follow stream is not woken per report.
    this.listening ??= this.sql.listen(REPORTS_CHANNEL, (payload) => {
      this.deliver(payload).catch(() => {});
    });
    try {
      await this.listening;
    } catch (e) {
      this.listeners.delete(l);
      this.listening = undefined;
      throw e;
    }
    return async () => {
      this.listeners.delete(l);
      if (this.listeners.size || !this.listening) return;
      const listening = this.listening;
      this.listening = undefined;
      await (await listening).unlisten();
    };
  }

  private async deliver(payload: string): Promise<void> {
    if (!this.listeners.size) return;
    const a = JSON.parse(payload) as Announcement;
    let records: ReportRecord[];
    if ("r" in a) records = a.r;
    else if ("keys" in a)
      records = await this.sql<ReportRecord[]>`select at, key, value from info
        where uuid = ${a.d} and key in ${this.sql(a.keys)}`;
    else if (a.k === "metrics")
      records = await this.sql<ReportRecord[]>`select at, 'metrics' as key, value from metrics
        where id in ${this.sql(a.ids)} order by id`;
    else
      records = await this.sql<ReportRecord[]>`select at, key, value from logs
        where id in ${this.sql(a.ids)} order by id`;
    for (const record of records) {
      const e: ReportEvent = {
        device: a.d,
        kind: a.k,
        record: { at: record.at, key: record.key, value: record.value },
      };
      for (const l of this.listeners) l(e);
    }
  }

  async acquireLease(name: string, holder: string, ttlMs: number) {
    const r = await this.sql`insert into leases (name, holder, expires_at)
      values (${name}, ${holder}, now() + ${ttlMs} * interval '1 millisecond')
      on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where leases.holder = excluded.holder or leases.expires_at <= now()
      returning holder`;
    return r.count > 0;
  }
  async releaseLease(name: string, holder: string) {
    await this.sql`delete from leases where name = ${name} and holder = ${holder}`;
  }

  async getUser(name: string) {
    const [r] = await this.sql<{ rec: UserRecord }[]>`select rec from users where name = ${name}`;
    return r?.rec;
  }
  async listUsers() {
    return (await this.sql<{ rec: UserRecord }[]>`select rec from users order by name`).map((r) => r.rec);
  }
  async putUser(u: UserRecord) {
    await this.sql`insert into users (name, rec) values (${u.name}, ${this.j(u)})
      on conflict (name) do update set rec = excluded.rec`;
  }
  async getTeam(name: string) {
    const [r] = await this.sql<{ rec: TeamRecord }[]>`select rec from teams where name = ${name}`;
    return r?.rec;
  }
  async listTeams() {
    return (await this.sql<{ rec: TeamRecord }[]>`select rec from teams order by name`).map((r) => r.rec);
  }
  async putTeam(t: TeamRecord) {
    await this.sql`insert into teams (name, rec) values (${t.name}, ${this.j(t)})
      on conflict (name) do update set rec = excluded.rec`;
  }
  async setRole(user: string, team: string, role: Role | undefined) {
    if (role)
      await this.sql`insert into roles (username, team, role) values (${user}, ${team}, ${role})
        on conflict (username, team) do update set role = excluded.role`;
    else await this.sql`delete from roles where username = ${user} and team = ${team}`;
  }
  async listRoles(user?: string): Promise<RoleGrant[]> {
    return (
      await this.sql<RoleGrant[]>`select username as user, team, role from roles
        where ${user ?? null}::text is null or username = ${user ?? null} order by username, team`
    ).slice();
  }
  async putToken(t: TokenRecord) {
    await this
      .sql`insert into tokens (id, username, hash, rec) values (${t.id}, ${t.user}, ${t.hash}, ${this.j(t)})
      on conflict (id) do update set rec = excluded.rec`;
  }
  async getToken(id: string) {
    const [r] = await this.sql<{ rec: TokenRecord }[]>`select rec from tokens where id = ${id}`;
    return r?.rec;
  }
  async tokenByHash(hashHex: string) {
    const [r] = await this.sql<{ rec: TokenRecord }[]>`select rec from tokens where hash = ${hashHex}`;
    return r?.rec;
  }
  async listTokens(user?: string) {
    return (
      await this.sql<{ rec: TokenRecord }[]>`select rec from tokens
        where ${user ?? null}::text is null or username = ${user ?? null} order by rec->>'createdAt', id`
    ).map((r) => r.rec);
  }

  async appendAudit(e: Omit<AuditEntry, "id">): Promise<AuditEntry> {
    const [r] = await this.sql<{ id: string }[]>`insert into audit (at, actor, device, team, rec)
      values (${e.at}, ${e.actor}, ${e.device ?? null}, ${e.team ?? null}, ${this.j(e)}) returning id`;
    return { id: Number(r?.id), ...e };
  }
  async queryAudit(q: AuditQuery): Promise<AuditEntry[]> {
    const s = this.sql;
    const conds = [s`true`];
    if (q.actor) conds.push(s`actor = ${q.actor}`);
    if (q.device) conds.push(s`device = ${q.device}`);
    if (q.since) conds.push(s`at >= ${q.since}`);
    if (q.teams)
      conds.push(
        q.teams.names.length
          ? s`(team in ${s(q.teams.names)} or (team is null and ${q.teams.global}))`
          : s`(team is null and ${q.teams.global})`,
      );
    const where = conds.reduce((a, c) => s`${a} and ${c}`);
    return (
      await s<{ id: string; rec: Omit<AuditEntry, "id"> }[]>`select id, rec from audit where ${where}
        order by id desc limit ${q.limit}`
    ).map((r) => ({ id: Number(r.id), ...r.rec }));
  }
  async trimAudit(r: AuditRetention): Promise<number> {
    return this.sql.begin(async (tx) => {
      let n = 0;
      if (r.maxEntries !== undefined)
        n += (
          await tx`delete from audit where id <= (
            select id from audit order by id desc offset ${r.maxEntries} limit 1)`
        ).count;
      if (r.before) n += (await tx`delete from audit where at < ${r.before}`).count;
      if (n) await tx`update audit_state set removed = removed + ${n}`;
      return n;
    });
  }
  async auditStats() {
    const [r] = await this.sql<{ entries: number; removed: string }[]>`
      select (select count(*)::int from audit) as entries, removed from audit_state`;
    return { entries: r?.entries ?? 0, removed: Number(r?.removed ?? 0) };
  }

  async close() {
    if (this.listening) {
      const l = this.listening;
      this.listening = undefined;
      await (await l).unlisten().catch(() => {});
    }
    await Promise.all([this.sql.end({ timeout: 5 }), this.reports.end({ timeout: 5 })]);
  }
}

/** The NOTIFY payload with the records in it, or `byRef()`'s when that is too large for NOTIFY. */
function announcement(
  device: string,
  kind: ReportKind,
  records: ReportRecord[],
  byRef: () => Announcement | undefined,
): string | undefined {
  const inline = JSON.stringify({ d: device, k: kind, r: records });
  if (Buffer.byteLength(inline) < INLINE_PAYLOAD) return inline;
  const ref = byRef();
  return ref && JSON.stringify(ref);
}

async function migrate(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    // Two processes starting at once: the second waits here, then finds everything applied.
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = new Set(
      (await tx<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql).simple();
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
    }
  });
}
