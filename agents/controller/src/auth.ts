// Who calls the admin API and what they may do (README.md: "Users, teams and roles"): passwords
// (scrypt, a salt per user, compared in constant time), personal API tokens (only their sha256 kept),
// the caller of a request (a Principal) with its role per team, and the audit trail.
import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Backoff } from "@outpost/primitives";
import {
  type AuditEntry,
  type AuditRetention,
  type ControllerStore,
  DEFAULT_TEAM,
  ROLES,
  type Role,
  type TokenRecord,
} from "./store/index.js";

/** scrypt cost: N = 2^15 (32 MiB of memory, ~0.1 s per check), r = 8, p = 1; 32-byte key. */
const SCRYPT = { N: 32768, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 };

function scryptAsync(password: string, salt: Buffer, o: { N: number; r: number; p: number; keylen: number }) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, o.keylen, { N: o.N, r: o.r, p: o.p, maxmem: SCRYPT.maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** The stored form of a password: "scrypt$N$r$p$<salt>$<key>" (base64), a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Whether `password` is the one `stored` was made from (constant-time comparison of the keys). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const want = Buffer.from(key, "base64");
  const got = await scryptAsync(password, Buffer.from(salt, "base64"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keylen: want.length,
  });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A stored hash nobody's password matches: checked for unknown users too, so a wrong user name
 * takes as long to refuse as a wrong password. */
let decoyHash: Promise<string> | undefined;
export function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return decoyHash;
}

export const MIN_PASSWORD = 8;
export function checkNewPassword(p: string): string | undefined {
  if (p.length < MIN_PASSWORD) return `a password needs at least ${MIN_PASSWORD} characters`;
  if (p.length > 1024) return "a password has at most 1024 characters";
  return undefined;
}

/** Names of users and teams: what fits in a URL path segment and a table cell. */
export const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new personal token: "opt_" + 32 random bytes; the record keeps only its sha256. */
export function newToken(user: string, name: string, ttlMs: number): { token: string; record: TokenRecord } {
  const token = `opt_${randomBytes(32).toString("base64url")}`;
  const now = Date.now();
  return {
    token,
    record: {
      id: randomBytes(6).toString("hex"),
      user,
      name,
      hash: tokenHash(token),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttlMs).toISOString(),
    },
  };
}

export function roleRank(r: Role | undefined): number {
  return r ? ROLES.indexOf(r) + 1 : 0;
}

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

/** The caller of an admin request. */
export interface Principal {
  /** The user, or "admin-token" for the single shared token. */
  user: string;
  tokenId?: string;
  /** Role per team. */
  roles: Map<string, Role>;
  /** The single shared token (--insecure-single-token): admin of every team. */
  superuser: boolean;
  remote: string;
}

export function roleIn(p: Principal, team: string | undefined): Role | undefined {
  if (p.superuser) return "admin";
  return p.roles.get(team ?? DEFAULT_TEAM);
}

export function can(p: Principal, team: string | undefined, need: Role): boolean {
  return roleRank(roleIn(p, team)) >= roleRank(need);
}

/** Admin of at least one team: may add users and teams. */
export function isAdmin(p: Principal): boolean {
  return p.superuser || [...p.roles.values()].includes("admin");
}

export function teamsOf(p: Principal, need: Role = "viewer"): string[] {
  return [...p.roles].filter(([, r]) => roleRank(r) >= roleRank(need)).map(([t]) => t);
}

export function remoteOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "";
}

/** Single shared token (--insecure-single-token) or users' personal tokens. */
export class Authenticator {
  private readonly singleHash: Buffer | undefined;
  constructor(
    private readonly store: ControllerStore,
    singleToken: string | undefined,
  ) {
    this.singleHash = singleToken ? createHash("sha256").update(singleToken).digest() : undefined;
  }

  /** The caller, or a reason it is refused (401). */
  async authenticate(req: IncomingMessage): Promise<Principal | { refused: string }> {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    const token = m?.[1];
    if (!token) return { refused: "missing or wrong admin token" };
    const remote = remoteOf(req);
    const digest = createHash("sha256").update(token).digest();
    if (this.singleHash && timingSafeEqual(digest, this.singleHash))
      return { user: "admin-token", roles: new Map(), superuser: true, remote };
    // Looked up by its sha256: the stored digest is the index, nothing secret is compared in a loop.
    const t = await this.store.tokenByHash(digest.toString("hex"));
    if (!t) return { refused: "missing or wrong admin token" };
    if (t.revokedAt) return { refused: `token ${t.id} was revoked` };
    if (t.expiresAt <= new Date().toISOString())
      return { refused: `token ${t.id} expired at ${t.expiresAt}` };
    const u = await this.store.getUser(t.user);
    if (!u || u.disabled) return { refused: `user ${t.user} is disabled` };
    const roles = new Map((await this.store.listRoles(u.name)).map((g) => [g.team, g.role]));
    return { user: u.name, tokenId: t.id, roles, superuser: false, remote };
  }
}

export interface AuditOptions {
  /** Entries kept (the newest); default 100 000. */
  maxEntries?: number;
  /** Entries older than this many ms are removed; default none. */
  maxAgeMs?: number;
}

/** Appends to the store's audit trail and keeps it within the retention budget. */
export class AuditTrail {
  private trimming: Promise<void> | undefined;
  constructor(
    private readonly store: ControllerStore,
    readonly retention: AuditOptions,
    private readonly onTrimmed: (n: number) => void = () => {},
  ) {}

  async record(
    who: { user: string; tokenId?: string | undefined; remote: string },
    e: Omit<AuditEntry, "id" | "at" | "actor" | "tokenId" | "remote">,
  ): Promise<AuditEntry> {
    const entry = await this.store.appendAudit({
      at: new Date().toISOString(),
      actor: who.user,
      ...(who.tokenId ? { tokenId: who.tokenId } : {}),
      remote: who.remote,
      ...e,
    });
    // One trim at a time; the trail is trimmed after each append (admin changes are rare).
    this.trimming ??= this.trim().finally(() => {
      this.trimming = undefined;
    });
    return entry;
  }

  async trim(): Promise<void> {
    const r: AuditRetention = {};
    if (this.retention.maxEntries !== undefined) r.maxEntries = this.retention.maxEntries;
    if (this.retention.maxAgeMs !== undefined)
      r.before = new Date(Date.now() - this.retention.maxAgeMs).toISOString();
    const n = await this.store.trimAudit(r);
    if (n) this.onTrimmed(n);
  }

  /** Waits for a trim under way (tests, stop). */
  async settled(): Promise<void> {
    await this.trimming;
  }
}

/** sha256 of a config document as stored (canonical JSON): the before/after of config changes. */
export function docDigest(doc: unknown): string | undefined {
  return doc === undefined ? undefined : createHash("sha256").update(JSON.stringify(doc)).digest("hex");
}

/** Failed logins slow down further attempts, per user name and per client address (this process's
 * memory): after `free` failures in a row each next attempt waits out a doubling delay (1 s, 2 s, ...,
 * at most 5 min) after the last failure, answered 429 with Retry-After without checking the password.
 * A success clears the user name's count. */
export class LoginThrottle {
  private readonly failures = new Map<string, { n: number; last: number }>();
  private readonly policy = new Backoff({ minMs: 1000, maxMs: 300_000, jitter: 0 });
  constructor(
    private readonly free = { user: 5, remote: 20 },
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before `user` may try again from `remote` (0: now). */
  waitS(user: string, remote: string): number {
    const t = this.now();
    let wait = 0;
    for (const [key, free] of [
      [`u:${user}`, this.free.user],
      [`r:${remote}`, this.free.remote],
    ] as const) {
      const f = this.failures.get(key);
      if (!f || f.n < free) continue;
      wait = Math.max(wait, f.last + this.policy.delay(f.n - free) - t);
    }
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  failed(user: string, remote: string): void {
    const t = this.now();
    for (const key of [`u:${user}`, `r:${remote}`]) {
      const f = this.failures.get(key);
      this.failures.set(key, { n: (f?.n ?? 0) + 1, last: t });
    }
    // Bounded memory: entries quiet for an hour are forgotten.
    if (this.failures.size > 10_000)
      for (const [k, f] of this.failures) if (t - f.last > 3_600_000) this.failures.delete(k);
  }

  succeeded(user: string): void {
    this.failures.delete(`u:${user}`);
  }
}
