// What the controller keeps, and the interface every store implements (README.md beside this file).
// Reads are async: a store shared by several controller processes (PostgreSQL) answers from the
// database; the embedded LMDB store answers the hot-path reads from memory all the same.
import type { ObjectVersions } from "../config-doc.js";

export interface OnboardingRecord {
  /** sha256 hex of the certificate DER. */
  id: string;
  certPem: string;
  subject: string;
  /** Serial numbers allowed to register with this certificate; ["*"] = any. */
  serials: string[];
  addedAt: string;
  /** The team owning it (and the devices registering with it); DEFAULT_TEAM when absent. */
  team?: string;
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
  /** The team owning the device (its onboarding certificate's at registration); DEFAULT_TEAM when
   * absent (devices registered before teams existed). */
  team?: string;
}

/** The team of devices and onboarding certificates that name none. */
export const DEFAULT_TEAM = "default";

/** Roles of a user in a team, weakest first: each can do what the ones before it can. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface UserRecord {
  name: string;
  /** "scrypt$N$r$p$<salt b64>$<hash b64>" (auth.ts). */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

export interface TeamRecord {
  name: string;
  createdAt: string;
}

export interface RoleGrant {
  user: string;
  team: string;
  role: Role;
}

/** A personal API token: only its sha256 is kept. */
export interface TokenRecord {
  id: string;
  user: string;
  /** What it is for (e.g. "ctl login", "backup script"). */
  name: string;
  /** sha256 hex of the token. */
  hash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

/** One change made through the admin API (or a refusal worth knowing: a failed login). */
export interface AuditEntry {
  /** Ascending, assigned by the store. */
  id: number;
  at: string;
  /** The user (or "admin-token" in single-token mode; the name tried for a failed login). */
  actor: string;
  tokenId?: string;
  /** Remote address of the request ("local" for init-admin). */
  remote: string;
  /** e.g. "config.set", "device.remove", "login.failed" (README: Audit trail). */
  action: string;
  /** The object changed: "device/<uuid>", "user/<name>", "token/<id>", ... */
  object: string;
  /** The device concerned, for queries by device. */
  device?: string;
  /** The team owning the object; absent for users, tokens and logins. */
  team?: string;
  /** What changed (config: {before, after} sha256 digests of the documents; roles: {role}...). */
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  actor?: string;
  device?: string;
  /** ISO 8601: entries at or after. */
  since?: string;
  limit: number;
  /** Only entries of these teams; `global` adds the entries without a team. Absent: all entries. */
  teams?: { names: string[]; global: boolean };
}

export interface AuditRetention {
  /** Keep at most this many entries (the newest). */
  maxEntries?: number;
  /** Drop entries older than this (ISO 8601). */
  before?: string;
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

export type ReportKind = "info" | "metrics" | "logs";

/** A stored report, as follow streams get it (from any process sharing the store). */
export interface ReportEvent {
  device: string;
  kind: ReportKind;
  record: ReportRecord;
}

export type ReportListener = (e: ReportEvent) => void;

/** The document kind removed with its device (id = the device's uuid). */
export const DEVICE_DOC_KINDS = ["device-labels"] as const;

/** How much a stored log record counts against its device's log budget. */
export function recordBytes(r: ReportRecord): number {
  return JSON.stringify(r).length;
}

/** What the controller keeps of each device's logs: the oldest lines go first past this. */
export const DEFAULT_LOGS_BUDGET = 64 * 1024 * 1024;

/** Metrics reports kept per device (the newest). */
export const KEEP_METRICS = 120;

export interface LogUsage {
  bytes: number;
  lines: number;
  dropped: number;
}

export interface StoreOptions {
  /** Bytes of log lines kept per device. */
  logsBudget?: number;
}

export interface ControllerStore {
  /** "lmdb" or "postgres": for logs and `--workers` checks. */
  readonly kind: "lmdb" | "postgres";
  /** Whether several controller processes may share this store at once. */
  readonly shared: boolean;

  listOnboarding(): Promise<OnboardingRecord[]>;
  getOnboarding(id: string): Promise<OnboardingRecord | undefined>;
  putOnboarding(r: OnboardingRecord): Promise<void>;
  removeOnboarding(id: string): Promise<boolean>;

  listDevices(): Promise<DeviceRecord[]>;
  countDevices(): Promise<number>;
  getDevice(uuid: string): Promise<DeviceRecord | undefined>;
  /** The hot path of every signed request. */
  deviceByCertHash(hashHex: string): Promise<DeviceRecord | undefined>;
  /** Adds a device unless its certificate, or its serial under the same onboarding certificate, is
   * already registered (checked and written as one: two processes cannot both register it). */
  addDevice(r: DeviceRecord): Promise<"added" | "cert-taken" | "serial-taken">;
  putDevice(r: DeviceRecord): Promise<void>;
  /** The device and everything stored about it (config, info, metrics, logs, its "device-labels"
   * document), as one change. */
  removeDevice(uuid: string): Promise<boolean>;

  /** When devices last sent an authenticated request (ms): each process writes what it saw in batches
   * (only where processes share the store: the LMDB store's one process keeps it in memory). */
  saveLastSeen(seen: [uuid: string, ms: number][]): Promise<void>;
  /** The newest time any process saved for the device. */
  lastSeen(uuid: string): Promise<number | undefined>;

  /** The hot path of every config poll. */
  getConfig(uuid: string): Promise<ConfigRecord | undefined>;
  /** Stores `r` only if the device's current config version is still `expectVersion` (0: none yet);
   * false when another writer got there first. */
  putConfig(uuid: string, r: ConfigRecord, expectVersion?: number): Promise<boolean>;

  /** Latest info per object key. */
  putInfo(uuid: string, r: ReportRecord): Promise<void>;
  listInfo(uuid: string): Promise<ReportRecord[]>;
  /** Metrics reports, newest last; the oldest are dropped past KEEP_METRICS. */
  putMetrics(uuid: string, r: ReportRecord): Promise<void>;
  listMetrics(uuid: string, limit: number): Promise<ReportRecord[]>;
  /** Log lines, oldest first; past the device's budget (bytes) the oldest lines are dropped. */
  appendLogs(uuid: string, entries: ReportRecord[]): Promise<void>;
  listLogs(uuid: string, limit: number): Promise<ReportRecord[]>;
  /** The newest `limit` lines that `match`, oldest first. */
  queryLogs(uuid: string, limit: number, match: (r: ReportRecord) => boolean): Promise<ReportRecord[]>;
  /** Bytes of log lines kept and lines dropped for the budget. */
  logUsage(uuid: string): Promise<LogUsage>;

  /** Small JSON documents by kind and id, for modules above the core (inventory: "device-labels" per
   * device uuid, removed with the device; "report" per saved report name; rollouts). */
  getDoc<T>(kind: string, id: string): Promise<T | undefined>;
  listDocs<T>(kind: string): Promise<{ id: string; value: T }[]>;
  putDoc(kind: string, id: string, value: unknown): Promise<void>;
  removeDoc(kind: string, id: string): Promise<boolean>;

  /** Every report stored from now on (putInfo, putMetrics, appendLogs), by whichever process shares
   * the store; the returned function stops it. */
  watchReports(l: ReportListener): Promise<() => Promise<void>>;

  /** Takes or renews the lease `name` for `holder` for `ttlMs`: true while `holder` holds it, false
   * while another holder's lease has not expired. Work that one process at a time must drive (a
   * rollout) runs only while its process holds the lease. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (only when `holder` holds it). */
  releaseLease(name: string, holder: string): Promise<void>;

  /** Users, teams, roles and tokens of the admin API (auth.ts). */
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  putUser(u: UserRecord): Promise<void>;
  getTeam(name: string): Promise<TeamRecord | undefined>;
  listTeams(): Promise<TeamRecord[]>;
  putTeam(t: TeamRecord): Promise<void>;
  /** Sets (or with undefined removes) the user's role in the team. */
  setRole(user: string, team: string, role: Role | undefined): Promise<void>;
  /** Grants, by user then team; only the user's when given. */
  listRoles(user?: string): Promise<RoleGrant[]>;
  putToken(t: TokenRecord): Promise<void>;
  getToken(id: string): Promise<TokenRecord | undefined>;
  tokenByHash(hashHex: string): Promise<TokenRecord | undefined>;
  /** Tokens, oldest first; only the user's when given. */
  listTokens(user?: string): Promise<TokenRecord[]>;

  /** Appends an entry to the audit trail (append-only: entries are only ever removed by trimAudit). */
  appendAudit(e: Omit<AuditEntry, "id">): Promise<AuditEntry>;
  /** The newest `limit` entries matching, newest first. */
  queryAudit(q: AuditQuery): Promise<AuditEntry[]>;
  /** Removes the oldest entries past the retention; returns how many (also added to auditRemoved). */
  trimAudit(r: AuditRetention): Promise<number>;
  /** Entries kept and removed so far by retention. */
  auditStats(): Promise<{ entries: number; removed: number }>;

  close(): Promise<void>;
}
