// The admin REST API (JSON, bearer token) that `outpost ctl` speaks. Routes:
//   GET/POST /admin/v1/onboarding, DELETE /admin/v1/onboarding/<id>
//   POST /admin/v1/node-config                      -> files for a node's config/ (new onboarding cert)
//   GET /admin/v1/devices, GET/DELETE /admin/v1/devices/<uuid|serial>
//   GET/PUT /admin/v1/devices/<d>/config            (PUT body: the config document as JSON)
//   POST /admin/v1/devices/<d>/{reboot,shutdown}     bumps that counter in the device's config
//   GET /admin/v1/devices/<d>/{info,metrics,logs}[?limit=N]
//       logs also: &app=&source=&severity=[>=|=]level&since=&grep=   (log-query.ts)
//   GET /admin/v1/devices/<d>/follow?kinds=info,metrics,logs[&log filters]   (server-sent events)
//   /admin/v1/inventory/..., /admin/v1/reports/...  (src/inventory/api.ts), /admin/v1/rollouts/... (src/rollout/)
//   PUT /admin/v1/devices/<d>/team {team}
//   POST /admin/v1/login {user, password, ttlS?}    (no token needed) -> a personal token
//   GET whoami; GET/POST users, PUT users/<u>/password, POST users/<u>/{disable,enable}
//   GET/POST teams, GET roles, PUT/DELETE teams/<t>/roles/<user>
//   GET/POST tokens, DELETE tokens/<id>; GET audit?user=&device=&since=&limit=
// Every route checks the caller's role in the team owning the object (README.md: roles table).
import { createHash, randomUUID, X509Certificate } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hostname } from "node:os";
import { deviceCertHash, eve, privateKeyPem } from "@outpost/evecloud";
import { DecodeError } from "@outpost/types";
import type { Logger } from "pino";
import {
  AuditTrail,
  Authenticator,
  can,
  checkNewPassword,
  decoy,
  docDigest,
  hashPassword,
  isAdmin,
  isRole,
  LoginThrottle,
  NAME,
  newToken,
  type Principal,
  remoteOf,
  roleIn,
  teamsOf,
  verifyPassword,
} from "./auth.js";
import { buildEdgeDevConfig, decodeConfigDoc } from "./config-doc.js";
import type { DeviceApi } from "./device-api.js";
import type { Feed, ReportKind } from "./feed.js";
import { InventoryApi, InventoryError } from "./inventory/index.js";
import { LogQueryError, matchLog, parseLogQuery } from "./log-query.js";
import { type ControllerPki, issue } from "./pki.js";
import { handleRollouts, type Rollout, RolloutDriver, StoreLease } from "./rollout/index.js";
import {
  type AuditEntry,
  type ConfigRecord,
  type ControllerStore,
  DEFAULT_TEAM,
  type DeviceRecord,
  type OnboardingRecord,
  type Role,
  type TokenRecord,
  type UserRecord,
} from "./store/index.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds, sent as Retry-After (429). */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export interface AdminContext {
  store: ControllerStore;
  pki: ControllerPki;
  deviceApi: DeviceApi;
  feed: Feed;
  log: Logger;
  /** The single shared admin token (--insecure-single-token): admin of every team. Without it only
   * users' personal tokens are accepted. */
  token?: string;
  /** Audit trail retention (--audit-keep, --audit-max-age). */
  audit?: { maxEntries?: number; maxAgeMs?: number };
  /** Lifetime of tokens made by login (default 30 days). */
  loginTtlMs?: number;
  /** host:port devices should use (what config/server gets). */
  serverAddress: () => string;
  /** How often rollouts are driven (default 1 s). */
  rolloutTickMs?: number;
}

const DAY_MS = 86_400_000;
/** The longest a personal token may live. */
const MAX_TOKEN_TTL_MS = 366 * DAY_MS;

function teamOf(x: { team?: string | undefined }): string {
  return x.team ?? DEFAULT_TEAM;
}

/** The store as the caller sees it: devices of other teams are not there. */
function scopedStore(store: ControllerStore, visible: (d: DeviceRecord) => boolean): ControllerStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === "listDevices") return async () => (await target.listDevices()).filter(visible);
      if (key === "getDevice")
        return async (uuid: string) => {
          const d = await target.getDevice(uuid);
          return d && visible(d) ? d : undefined;
        };
      const v = Reflect.get(target, key) as unknown;
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

function publicToken(t: TokenRecord) {
  const { hash: _hash, ...rest } = t;
  return rest;
}

export function onboardingRecord(certPem: string, serials: string[]): OnboardingRecord {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new HttpError(400, "cert: not a PEM certificate");
  }
  if (!serials.length) throw new HttpError(400, 'serials: give at least one serial, or "*" for any');
  return {
    id: deviceCertHash(cert).toString("hex"),
    certPem: cert.toString(),
    subject: cert.subject.replace(/\n/g, ", "),
    serials,
    addedAt: new Date().toISOString(),
  };
}

function stringList(v: unknown, what: string): string[] {
  if (v === undefined) return ["*"];
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string" && s.length > 0))
    throw new HttpError(400, `${what}: expected a list of non-empty strings`);
  return v as string[];
}

export class AdminApi {
  /** inventory/ and reports/ routes (src/inventory/). */
  readonly inventory: InventoryApi;
  /** rollouts/ routes and their driver (src/rollout/); index.ts starts and stops it. */
  readonly rollouts: RolloutDriver;
  readonly auth: Authenticator;
  readonly audit: AuditTrail;
  private readonly throttle = new LoginThrottle();
  constructor(private readonly c: AdminContext) {
    this.auth = new Authenticator(c.store, c.token);
    this.audit = new AuditTrail(c.store, c.audit ?? {}, (n) =>
      c.log.info({ removed: n }, "audit entries past the retention removed"),
    );
    this.inventory = new InventoryApi({
      store: c.store,
      lastSeen: (u) => c.deviceApi.lastSeen(u),
      log: c.log,
    });
    this.rollouts = new RolloutDriver({
      store: c.store,
      inventory: this.inventory,
      setConfig: (d, doc) => this.setConfig(d, doc, { user: "rollout", remote: "controller" }),
      log: c.log,
      ...(c.rolloutTickMs !== undefined ? { tickMs: c.rolloutTickMs } : {}),
      // Several processes on one shared store: each rollout is driven by the one holding its lease.
      ...(c.store.shared
        ? { lease: new StoreLease(c.store, `${hostname()}/${process.pid}/${randomUUID()}`) }
        : {}),
    });
  }

  /** The caller of a request (before its body is read), or why it is refused (401). */
  authenticate(req: IncomingMessage): Promise<Principal | { refused: string }> {
    return this.auth.authenticate(req);
  }

  /** Appends to the audit trail as `who`. */
  private record(
    who: { user: string; tokenId?: string | undefined; remote: string },
    e: Omit<AuditEntry, "id" | "at" | "actor" | "tokenId" | "remote">,
  ): Promise<AuditEntry> {
    return this.audit.record(who, e);
  }

  /** 404 when the caller cannot see the team's objects, 403 when they can but their role is lower. */
  private need(who: Principal, team: string, role: Role, what: string, notFound: string): void {
    if (!can(who, team, "viewer")) throw new HttpError(404, notFound);
    if (!can(who, team, role))
      throw new HttpError(
        403,
        `${what} needs the ${role} role in team "${team}" (you: ${roleIn(who, team)})`,
      );
  }

  private needAdmin(who: Principal, what: string): void {
    if (!isAdmin(who)) throw new HttpError(403, `${what} needs the admin role in a team`);
  }

  /** Another user's password, disabling, tokens: only by an admin of every team that user has a role
   * in (an admin of one team cannot lock out, or take over, the admin of another). */
  private async needManage(who: Principal, user: string, what: string): Promise<void> {
    this.needAdmin(who, what);
    if (who.superuser) return;
    const beyond = (await this.c.store.listRoles(user)).filter((g) => !can(who, g.team, "admin"));
    if (beyond.length)
      throw new HttpError(
        403,
        `${what} needs the admin role in every team of ${user} (not in: ${beyond.map((g) => g.team).join(", ")})`,
      );
  }

  /** Handles one admin request; `body` is already read. `who` is undefined only for `login`. */
  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer, who?: Principal): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "https://x");
      const parts = url.pathname.split("/").filter(Boolean).slice(2).map(decodeURIComponent);
      const json = () => parseJson(body);
      const [what, id, sub, ...rest] = parts;
      const m = req.method ?? "GET";
      if (what === "login" && !id && m === "POST") return send(res, 201, await this.login(req, json()));
      if (!who) throw new HttpError(401, "missing or wrong admin token");
      const sees = (d: DeviceRecord) => can(who, teamOf(d), "viewer");
      // --- inventory, reports and rollouts: src/inventory/, src/rollout/ (README.md there) ---
      if (what === "inventory" || what === "reports") {
        const scoped = who.superuser
          ? this.inventory
          : new InventoryApi({
              store: scopedStore(this.c.store, sees),
              lastSeen: (u) => this.c.deviceApi.lastSeen(u),
              log: this.c.log,
            });
        if (m !== "GET") {
          if (what === "inventory" && id === "devices" && sub) {
            const d = await this.resolve(sub, who);
            this.need(who, teamOf(d), "operator", "setting labels", `no device ${sub}`);
          } else if (!teamsOf(who, "operator").length && !who.superuser)
            throw new HttpError(403, "changing saved reports needs the operator role in a team");
        }
        await scoped.handle(m, parts, url, json, res);
        if (m !== "GET" && res.statusCode < 300)
          await this.record(who, {
            action: what === "reports" ? (m === "DELETE" ? "report.delete" : "report.save") : "device.labels",
            object: parts.slice(what === "reports" ? 0 : 1, 3).join("/"),
            ...(what === "inventory" && sub ? { detail: { labels: json() } } : {}),
          });
        return;
      }
      if (what === "rollouts") {
        const teams = new Map((await this.c.store.listDevices()).map((d) => [d.uuid, teamOf(d)]));
        const teamsOfRollout = (r: Rollout) =>
          [...new Set(r.devices.map((d) => teams.get(d.uuid)))].filter((t) => t !== undefined);
        const operable = (d: DeviceRecord) => can(who, teamOf(d), "operator");
        return await handleRollouts(this.rollouts, m, parts, json, res, {
          sees: (r) => who.superuser || teamsOfRollout(r).some((t) => can(who, t, "viewer")),
          mayControl: (r) => teamsOfRollout(r).every((t) => can(who, t, "operator")),
          mayCreate: who.superuser || teamsOf(who, "operator").length > 0,
          snapshot: () =>
            (who.superuser
              ? this.inventory
              : new InventoryApi({
                  store: scopedStore(this.c.store, operable),
                  lastSeen: (u) => this.c.deviceApi.lastSeen(u),
                  log: this.c.log,
                })
            ).snapshot(),
          changed: async (action, r) => {
            await this.record(who, {
              action: `rollout.${action}`,
              object: `rollout/${r.id}`,
              detail: {
                state: r.state,
                devices: r.devices.length,
                ...(r.filter ? { filter: r.filter } : {}),
              },
            });
          },
        });
      }
      // --- end inventory, reports and rollouts ---
      if (["whoami", "users", "teams", "roles", "tokens", "audit"].includes(what ?? ""))
        return await this.people(who, m, parts, url, json, res);
      if (rest.length) throw new HttpError(404, "no such admin endpoint");
      if (what === "onboarding" && !sub) {
        if (!id && m === "GET")
          return send(
            res,
            200,
            (await this.c.store.listOnboarding()).filter((o) => can(who, teamOf(o), "viewer")),
          );
        if (!id && m === "POST") {
          const b = json() as { cert?: unknown; serials?: unknown; team?: unknown };
          if (typeof b.cert !== "string") throw new HttpError(400, "cert: expected the PEM text");
          const team = await this.teamFor(who, b.team, "adding an onboarding certificate");
          const r = { ...onboardingRecord(b.cert, stringList(b.serials, "serials")), team };
          await this.c.store.putOnboarding(r);
          this.c.log.info({ onboarding: r.id, serials: r.serials, team }, "onboarding certificate added");
          await this.record(who, {
            action: "onboarding.add",
            object: `onboarding/${r.id}`,
            team,
            detail: { serials: r.serials, subject: r.subject },
          });
          return send(res, 201, r);
        }
        if (id && m === "DELETE") {
          const match = (await this.c.store.listOnboarding()).filter(
            (o) => o.id.startsWith(id) && can(who, teamOf(o), "viewer"),
          );
          if (match.length !== 1 || !match[0])
            throw new HttpError(
              404,
              match.length ? `"${id}" is ambiguous` : `no onboarding certificate ${id}`,
            );
          const o = match[0];
          this.need(
            who,
            teamOf(o),
            "admin",
            "removing an onboarding certificate",
            `no onboarding certificate ${id}`,
          );
          await this.c.store.removeOnboarding(o.id);
          await this.record(who, {
            action: "onboarding.remove",
            object: `onboarding/${o.id}`,
            team: teamOf(o),
          });
          return send(res, 200, { removed: o.id });
        }
      }
      if (what === "node-config" && !id && m === "POST") {
        const b = json() as { serials?: unknown; team?: unknown };
        const serials = stringList(b.serials, "serials");
        const team = await this.teamFor(who, b.team, "creating node config");
        const onboard = issue(this.c.pki.root, "Outpost onboarding", { client: true });
        const r = { ...onboardingRecord(onboard.pem, serials), team };
        await this.c.store.putOnboarding(r);
        this.c.log.info({ onboarding: r.id, serials, team }, "onboarding certificate created for a node");
        await this.record(who, {
          action: "onboarding.add",
          object: `onboarding/${r.id}`,
          team,
          detail: { serials, subject: r.subject, nodeConfig: true },
        });
        return send(res, 201, {
          server: this.c.serverAddress(),
          rootCertificate: this.c.pki.root.pem,
          onboardCert: onboard.pem,
          onboardKey: privateKeyPem(onboard.key),
          onboardingId: r.id,
        });
      }
      if (what === "devices") {
        if (!id && m === "GET")
          return send(
            res,
            200,
            await Promise.all((await this.c.store.listDevices()).filter(sees).map((d) => this.summary(d))),
          );
        if (!id) throw new HttpError(404, "no such admin endpoint");
        const device = await this.resolve(id, who);
        const team = teamOf(device);
        const needs = (role: Role, what: string) => this.need(who, team, role, what, `no device ${id}`);
        if (!sub && m === "GET")
          return send(res, 200, {
            ...(await this.summary(device)),
            config: await this.configSummary(device),
          });
        if (!sub && m === "DELETE") {
          needs("admin", "removing a device");
          await this.c.store.removeDevice(device.uuid);
          this.c.deviceApi.forget(device.uuid);
          this.c.log.info({ device: device.uuid }, "device removed");
          await this.record(who, {
            action: "device.remove",
            object: `device/${device.uuid}`,
            device: device.uuid,
            team,
            detail: { serial: device.serial },
          });
          return send(res, 200, { removed: device.uuid });
        }
        if (sub === "team" && m === "PUT") {
          const b = json() as { team?: unknown };
          needs("admin", "moving a device to another team");
          const to = await this.teamFor(who, b.team, "moving a device into a team");
          await this.c.store.putDevice({ ...device, team: to });
          this.c.log.info({ device: device.uuid, from: team, to }, "device moved to another team");
          await this.record(who, {
            action: "device.team",
            object: `device/${device.uuid}`,
            device: device.uuid,
            team: to,
            detail: { from: team, to },
          });
          return send(res, 200, { device: device.uuid, team: to });
        }
        if (sub === "config" && m === "GET") {
          const cfg = await this.c.store.getConfig(device.uuid);
          if (!cfg) throw new HttpError(404, `no config set for ${device.uuid}`);
          return send(res, 200, { ...summaryOfConfig(cfg), doc: cfg.doc });
        }
        if (sub === "config" && m === "PUT") {
          needs("operator", "setting a config");
          return send(res, 200, await this.setConfig(device, json(), who));
        }
        if ((sub === "reboot" || sub === "shutdown") && m === "POST") {
          needs("operator", `${sub}`);
          return send(res, 200, await this.bump(device, sub, who));
        }
        const limit = Math.max(1, Math.min(10_000, Number(url.searchParams.get("limit") ?? 100) || 100));
        if (sub === "info" && m === "GET") return send(res, 200, await this.c.store.listInfo(device.uuid));
        if (sub === "networks" && m === "GET")
          return send(res, 200, networkInstancesOf(await this.c.store.listInfo(device.uuid)));
        if (sub === "metrics" && m === "GET")
          return send(res, 200, await this.c.store.listMetrics(device.uuid, limit));
        if (sub === "logs" && m === "GET")
          return send(
            res,
            200,
            await this.c.store.queryLogs(device.uuid, limit, matchLog(parseLogQuery(url.searchParams))),
          );
        if (sub === "follow" && m === "GET") return await this.follow(device, url, req, res);
      }
      throw new HttpError(404, "no such admin endpoint");
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError && e.retryAfterS) res.setHeader("Retry-After", String(e.retryAfterS));
      if (e instanceof HttpError || e instanceof InventoryError)
        return send(res, e.status, { error: e.message });
      if (e instanceof DecodeError || e instanceof LogQueryError) return send(res, 400, { error: e.message });
      this.c.log.error({ err: e }, "admin request failed");
      return send(res, 500, { error: (e as Error).message });
    }
  }

  /** The team a new object goes to: `team` (default "default"), which must exist (or be "default")
   * and in which the caller must be admin. */
  private async teamFor(who: Principal, input: unknown, what: string): Promise<string> {
    if (input !== undefined && (typeof input !== "string" || !NAME.test(input)))
      throw new HttpError(400, "team: expected a team name (lower case letters, digits, . _ -)");
    const team = (input as string | undefined) ?? DEFAULT_TEAM;
    if (team !== DEFAULT_TEAM && !(await this.c.store.getTeam(team)))
      throw new HttpError(who.superuser || isAdmin(who) ? 400 : 404, `no team "${team}" (ctl team add)`);
    this.need(who, team, "admin", what, `no team "${team}"`);
    return team;
  }

  /** POST login: a personal token for the user's password; a failure is audited. */
  private async login(req: IncomingMessage, input: unknown) {
    const b = (input ?? {}) as { user?: unknown; password?: unknown; ttlS?: unknown; name?: unknown };
    if (typeof b.user !== "string" || typeof b.password !== "string")
      throw new HttpError(400, "expected {user, password}");
    // No password is longer (checkNewPassword): nothing larger reaches scrypt.
    if (b.password.length > 1024) throw new HttpError(400, "password: at most 1024 characters");
    const remote = remoteOf(req);
    const tried = b.user.slice(0, 64);
    const wait = this.throttle.waitS(tried, remote);
    if (wait) {
      // Logged, not audited: a flood of refused attempts must not push real entries out of the trail.
      this.c.log.warn({ user: tried, remote, retryAfterS: wait }, "login refused: too many failures");
      throw new HttpError(429, `too many failed logins: try again in ${wait} s`, wait);
    }
    const u = NAME.test(b.user) ? await this.c.store.getUser(b.user) : undefined;
    // An unknown user costs the same scrypt as a wrong password.
    const ok = await verifyPassword(b.password, u?.passwordHash ?? (await decoy()));
    if (!u || !ok || u.disabled) {
      const reason = !u ? "no such user" : !ok ? "wrong password" : "user disabled";
      this.throttle.failed(tried, remote);
      this.c.log.warn({ user: tried, remote, reason }, "login refused");
      await this.record(
        { user: tried, remote },
        { action: "login.failed", object: `user/${tried}`, detail: { reason } },
      );
      throw new HttpError(401, "wrong user name or password");
    }
    this.throttle.succeeded(tried);
    const ttl = this.ttl(b.ttlS, this.c.loginTtlMs ?? 30 * DAY_MS);
    const name = typeof b.name === "string" && b.name ? b.name.slice(0, 128) : "ctl login";
    const { token, record } = newToken(u.name, name, ttl);
    await this.c.store.putToken(record);
    await this.record(
      { user: u.name, tokenId: record.id, remote },
      { action: "login", object: `token/${record.id}`, detail: { expiresAt: record.expiresAt } },
    );
    return { token, ...publicToken(record) };
  }

  private ttl(input: unknown, dflt: number): number {
    if (input === undefined) return dflt;
    if (typeof input !== "number" || !(input > 0) || input * 1000 > MAX_TOKEN_TTL_MS)
      throw new HttpError(400, `ttlS: expected seconds, more than 0 and at most ${MAX_TOKEN_TTL_MS / 1000}`);
    return input * 1000;
  }

  private async userSummary(u: UserRecord) {
    const roles = await this.c.store.listRoles(u.name);
    return {
      name: u.name,
      disabled: u.disabled,
      createdAt: u.createdAt,
      roles: Object.fromEntries(roles.map((g) => [g.team, g.role])),
    };
  }

  /** whoami, users, teams, roles, tokens, audit. */
  private async people(
    who: Principal,
    m: string,
    parts: string[],
    url: URL,
    json: () => unknown,
    res: ServerResponse,
  ): Promise<void> {
    const [what, id, sub, arg, ...rest] = parts;
    const store = this.c.store;
    if (rest.length) throw new HttpError(404, "no such admin endpoint");
    if (what === "whoami" && !id && m === "GET")
      return send(res, 200, {
        user: who.user,
        ...(who.tokenId ? { tokenId: who.tokenId } : {}),
        superuser: who.superuser,
        roles: Object.fromEntries(who.roles),
      });
    if (what === "users") {
      if (!id && m === "GET") {
        this.needAdmin(who, "listing users");
        return send(res, 200, await Promise.all((await store.listUsers()).map((u) => this.userSummary(u))));
      }
      if (!id && m === "POST") {
        this.needAdmin(who, "adding a user");
        const b = json() as { name?: unknown; password?: unknown };
        if (typeof b.name !== "string" || !NAME.test(b.name))
          throw new HttpError(
            400,
            "name: expected 1-64 lower case letters, digits, . _ - (first a letter or digit)",
          );
        if (typeof b.password !== "string") throw new HttpError(400, "password: expected a string");
        const weak = checkNewPassword(b.password);
        if (weak) throw new HttpError(400, `password: ${weak}`);
        if (await store.getUser(b.name)) throw new HttpError(409, `user ${b.name} exists`);
        const u: UserRecord = {
          name: b.name,
          passwordHash: await hashPassword(b.password),
          disabled: false,
          createdAt: new Date().toISOString(),
        };
        await store.putUser(u);
        await this.record(who, { action: "user.add", object: `user/${u.name}` });
        return send(res, 201, await this.userSummary(u));
      }
      const u = id ? await store.getUser(id) : undefined;
      // Users are global; someone who is not an admin sees only themselves.
      if (!u || (!isAdmin(who) && u.name !== who.user)) throw new HttpError(404, `no user ${id}`);
      if (!sub && m === "GET") return send(res, 200, await this.userSummary(u));
      if (sub === "password" && !arg && m === "PUT") {
        const b = json() as { password?: unknown; current?: unknown };
        if (typeof b.password !== "string") throw new HttpError(400, "password: expected a string");
        const weak = checkNewPassword(b.password);
        if (weak) throw new HttpError(400, `password: ${weak}`);
        if (u.name === who.user && !isAdmin(who)) {
          if (typeof b.current !== "string" || !(await verifyPassword(b.current, u.passwordHash)))
            throw new HttpError(403, "current: your current password is needed to change it");
        } else if (u.name !== who.user)
          await this.needManage(who, u.name, "changing another user's password");
        await store.putUser({ ...u, passwordHash: await hashPassword(b.password) });
        await this.record(who, { action: "user.passwd", object: `user/${u.name}` });
        return send(res, 200, { user: u.name, changed: true });
      }
      if ((sub === "disable" || sub === "enable") && !arg && m === "POST") {
        await this.needManage(who, u.name, `${sub === "disable" ? "disabling" : "enabling"} a user`);
        if (u.name === who.user) throw new HttpError(409, "you cannot disable or enable yourself");
        await store.putUser({ ...u, disabled: sub === "disable" });
        await this.record(who, { action: `user.${sub}`, object: `user/${u.name}` });
        return send(res, 200, await this.userSummary({ ...u, disabled: sub === "disable" }));
      }
    }
    if (what === "teams") {
      if (!id && m === "GET") {
        const teams = await store.listTeams();
        return send(
          res,
          200,
          teams.filter((t) => can(who, t.name, "viewer")).map((t) => ({ ...t, role: roleIn(who, t.name) })),
        );
      }
      if (!id && m === "POST") {
        this.needAdmin(who, "adding a team");
        const b = json() as { name?: unknown };
        if (typeof b.name !== "string" || !NAME.test(b.name))
          throw new HttpError(400, "name: expected 1-64 lower case letters, digits, . _ -");
        if (await store.getTeam(b.name)) throw new HttpError(409, `team ${b.name} exists`);
        const t = { name: b.name, createdAt: new Date().toISOString() };
        await store.putTeam(t);
        // Whoever makes a team administers it.
        if (!who.superuser) await store.setRole(who.user, t.name, "admin");
        await this.record(who, { action: "team.add", object: `team/${t.name}`, team: t.name });
        return send(res, 201, t);
      }
      if (id && sub === "roles" && arg && (m === "PUT" || m === "DELETE")) {
        if (id !== DEFAULT_TEAM && !(await store.getTeam(id))) throw new HttpError(404, `no team "${id}"`);
        this.need(who, id, "admin", "granting or revoking roles", `no team "${id}"`);
        const u = await store.getUser(arg);
        if (!u) throw new HttpError(404, `no user ${arg}`);
        const before = (await store.listRoles(u.name)).find((g) => g.team === id)?.role;
        let role: Role | undefined;
        if (m === "PUT") {
          const b = json() as { role?: unknown };
          if (!isRole(b.role)) throw new HttpError(400, "role: expected viewer, operator or admin");
          role = b.role;
        } else if (!before) throw new HttpError(404, `${u.name} has no role in team "${id}"`);
        await store.setRole(u.name, id, role);
        await this.record(who, {
          action: m === "PUT" ? "role.grant" : "role.revoke",
          object: `user/${u.name}`,
          team: id,
          detail: { before: before ?? null, after: role ?? null },
        });
        return send(res, 200, { user: u.name, team: id, role: role ?? null });
      }
    }
    if (what === "roles" && !id && m === "GET") {
      const all = await store.listRoles();
      return send(
        res,
        200,
        all.filter((g) => g.user === who.user || can(who, g.team, "admin")),
      );
    }
    if (what === "tokens") {
      if (who.superuser && m === "POST")
        throw new HttpError(400, "the single shared admin token has no personal tokens: log in as a user");
      const forUser = url.searchParams.get("user");
      if (!id && m === "GET") {
        if (forUser && forUser !== who.user)
          await this.needManage(who, forUser, "listing another user's tokens");
        const list = await store.listTokens(forUser ?? (who.superuser ? undefined : who.user));
        return send(res, 200, list.map(publicToken));
      }
      if (!id && m === "POST") {
        const b = json() as { name?: unknown; ttlS?: unknown };
        if (typeof b.name !== "string" || !b.name || b.name.length > 128)
          throw new HttpError(400, "name: expected what the token is for (1-128 characters)");
        const { token, record } = newToken(who.user, b.name, this.ttl(b.ttlS, 90 * DAY_MS));
        await store.putToken(record);
        await this.record(who, {
          action: "token.create",
          object: `token/${record.id}`,
          detail: { name: record.name, expiresAt: record.expiresAt },
        });
        return send(res, 201, { token, ...publicToken(record) });
      }
      if (id && !sub && m === "DELETE") {
        const t = await store.getToken(id);
        if (!t || (t.user !== who.user && !isAdmin(who))) throw new HttpError(404, `no token ${id}`);
        if (t.user !== who.user) await this.needManage(who, t.user, "revoking another user's token");
        if (!t.revokedAt) {
          await store.putToken({ ...t, revokedAt: new Date().toISOString() });
          await this.record(who, {
            action: "token.revoke",
            object: `token/${t.id}`,
            detail: { owner: t.user, name: t.name },
          });
        }
        return send(res, 200, { revoked: t.id });
      }
    }
    if (what === "audit" && !id && m === "GET") {
      this.needAdmin(who, "reading the audit trail");
      const q = url.searchParams;
      const limit = Math.max(1, Math.min(10_000, Number(q.get("limit") ?? 100) || 100));
      const since = q.get("since");
      let sinceIso: string | undefined;
      if (since) {
        const age = /^(\d+)(s|m|h|d)$/.exec(since);
        const t = age
          ? Date.now() - Number(age[1]) * { s: 1e3, m: 6e4, h: 36e5, d: DAY_MS }[age[2] as "s"]
          : Date.parse(since);
        if (!Number.isFinite(t))
          throw new HttpError(400, `since: expected RFC 3339 or 90s, 15m, 2h, 1d; got "${since}"`);
        sinceIso = new Date(t).toISOString();
      }
      let device: string | undefined;
      const dq = q.get("device");
      if (dq) device = (await this.resolve(dq, who).catch(() => undefined))?.uuid ?? dq;
      const user = q.get("user");
      const entries = await store.queryAudit({
        limit,
        ...(user ? { actor: user } : {}),
        ...(device ? { device } : {}),
        ...(sinceIso ? { since: sinceIso } : {}),
        ...(who.superuser ? {} : { teams: { names: teamsOf(who, "admin"), global: true } }),
      });
      const stats = await store.auditStats();
      return send(res, 200, {
        entries,
        kept: stats.entries,
        removedByRetention: stats.removed,
        retention: this.audit.retention,
      });
    }
    throw new HttpError(404, "no such admin endpoint");
  }

  /** A device the caller can see, by uuid, serial or uuid prefix (others' devices are not found). */
  private async resolve(id: string, who: Principal): Promise<DeviceRecord> {
    const sees = (d: DeviceRecord) => can(who, teamOf(d), "viewer");
    const direct = await this.c.store.getDevice(id);
    if (direct && sees(direct)) return direct;
    const bySerial = (await this.c.store.listDevices()).filter(
      (d) => sees(d) && (d.serial === id || d.uuid.startsWith(id)),
    );
    if (bySerial.length === 1 && bySerial[0]) return bySerial[0];
    throw new HttpError(
      404,
      bySerial.length ? `"${id}" matches ${bySerial.length} devices` : `no device ${id}`,
    );
  }

  private async summary(d: DeviceRecord) {
    const info = await this.c.store.listInfo(d.uuid);
    const value = info.find((r) => r.key === "device")?.value as
      | { dinfo?: Record<string, unknown> }
      | undefined;
    const dinfo = value?.dinfo;
    const nis = networkInstancesOf(info);
    return {
      ...summaryOf(d, await this.c.deviceApi.lastSeen(d.uuid)),
      ...lifecycleOf(dinfo),
      ...baseosOf(dinfo),
      ...configItemsOf(dinfo),
      ...(nis.length ? { networkInstances: nis } : {}),
      ...portsOf(dinfo),
    };
  }

  /** "Do it once": the counter in the device's current config goes up by one. */
  private async bump(device: DeviceRecord, op: "reboot" | "shutdown", who: Principal) {
    const cfg = await this.c.store.getConfig(device.uuid);
    if (!cfg) throw new HttpError(409, `no config set for ${device.uuid}: set one first (ctl config set)`);
    const doc = decodeConfigDoc(cfg.doc);
    const counter = doc[op] + 1;
    const r = await this.setConfig(device, { ...doc, [op]: counter }, who, `device.${op}`);
    this.c.log.info({ device: device.uuid, op, counter }, `${op} requested`);
    return { op, counter, ...r };
  }

  private async configSummary(device: DeviceRecord) {
    const cfg = await this.c.store.getConfig(device.uuid);
    return cfg ? summaryOfConfig(cfg) : undefined;
  }

  async setConfig(
    device: DeviceRecord,
    input: unknown,
    who: { user: string; tokenId?: string; remote: string },
    action = "config.set",
  ) {
    const doc = decodeConfigDoc(input);
    const prev = await this.c.store.getConfig(device.uuid);
    if (prev && JSON.stringify(prev.doc) === JSON.stringify(doc))
      return { changed: false, version: prev.version, configHash: prev.configHash };
    const version = (prev?.version ?? 0) + 1;
    const { config, objectVersions } = buildEdgeDevConfig(device.uuid, doc, version, prev?.objectVersions);
    const bytes = eve.config.EdgeDevConfig.encode(config).finish();
    const configHash = createHash("sha256").update(bytes).digest("hex");
    const signed = this.c.deviceApi.sign(eve.config.ConfigResponse.encode({ config, configHash }).finish());
    const stored = await this.c.store.putConfig(
      device.uuid,
      { version, doc, configHash, signed, objectVersions, setAt: new Date().toISOString() },
      prev?.version ?? 0,
    );
    // Another admin request (maybe through another controller process) set a config in between:
    // this one was built on an older version and is not stored.
    if (!stored)
      throw new HttpError(
        409,
        `the config of ${device.uuid} changed while this one was being set; try again`,
      );
    this.c.log.info({ device: device.uuid, version, configHash }, "device config set");
    await this.record(who, {
      action,
      object: `device/${device.uuid}/config`,
      device: device.uuid,
      team: teamOf(device),
      detail: { version, before: docDigest(prev?.doc) ?? null, after: docDigest(doc), configHash },
    });
    return { changed: true, version, configHash };
  }

  private async follow(
    device: DeviceRecord,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const kinds = new Set((url.searchParams.get("kinds") ?? "info,metrics,logs").split(",") as ReportKind[]);
    // Log filters apply to followed log lines too; a bad one is a 400 before the stream starts.
    const logMatch = matchLog(parseLogQuery(url.searchParams));
    // Watching before answering: once the client reads ": following", every report stored after it
    // (through this process or another sharing the store) reaches the stream.
    const off = await this.c.feed.on(device.uuid, (e) => {
      if (kinds.has(e.kind) && (e.kind !== "logs" || logMatch(e.record)))
        res.write(`event: ${e.kind}\ndata: ${JSON.stringify(e.record)}\n\n`);
    });
    if (res.destroyed) return off();
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    res.write(": following\n\n");
    // A comment every 15 s keeps proxies and idle timers from closing a quiet stream.
    const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
    const done = () => {
      clearInterval(ping);
      off();
    };
    req.on("close", done);
    res.on("close", done);
  }
}

function summaryOfConfig(cfg: ConfigRecord) {
  return { version: cfg.version, configHash: cfg.configHash, setAt: cfg.setAt };
}

function summaryOf(d: DeviceRecord, lastSeenAt: string | undefined) {
  return {
    uuid: d.uuid,
    serial: d.serial,
    softSerial: d.softSerial,
    registeredAt: d.registeredAt,
    onboardingId: d.onboardingId,
    team: teamOf(d),
    certHash: d.certHash,
    attested: Boolean(d.integrityToken),
    ...(lastSeenAt ? { lastSeenAt } : {}),
  };
}

/** What the device last said about its life cycle (ZInfoDevice), for `ctl devices get`. */
function lifecycleOf(dinfo: Record<string, unknown> | undefined) {
  if (!dinfo) return {};
  const pick = [
    "state",
    "last_boot_reason",
    "lastRebootReason",
    "lastRebootTime",
    "restartCounter",
    "rebootConfigCounter",
    "shutdown_config_counter",
    "reboot_inprogress",
    "maintenance_mode",
  ];
  return {
    lifecycle: Object.fromEntries(pick.filter((k) => dinfo[k] !== undefined).map((k) => [k, dinfo[k]])),
  };
}

/** The device's ports as it last reported them (ZInfoDevice network, systemAdapter, dns: nim), for
 * `ctl devices get`: each port with its addresses, and each port configuration with its test record. */
function portsOf(dinfo: Record<string, unknown> | undefined) {
  type Rec = Record<string, unknown>;
  const network = dinfo?.network as Rec[] | undefined;
  const sa = dinfo?.systemAdapter as { currentIndex?: number; status?: Rec[] } | undefined;
  if (!network?.length && !sa?.status?.length) return {};
  const when = (t: unknown) => {
    const s = Number((t as { seconds?: unknown } | undefined)?.seconds ?? 0);
    return s > 0 ? new Date(s * 1000).toISOString() : undefined;
  };
  return {
    ports: (network ?? []).map((n) => ({
      ifname: n.devName,
      name: n.alias,
      uplink: n.uplink ?? false,
      up: n.ipv4_up ?? false,
      addrs: n.IPAddrs ?? [],
      gateways: n.defaultRouters ?? [],
      dns: (n.dns as Rec | undefined)?.DNSservers ?? [],
      ...(n.proxy ? { proxy: (n.proxy as Rec).networkProxyURL } : {}),
      ...(n.networkErr ? { error: (n.networkErr as Rec).description } : {}),
    })),
    portConfigs: (sa?.status ?? []).map((d, i) => ({
      key: d.key,
      inUse: i === (sa?.currentIndex ?? 0),
      ...(when(d.lastSucceeded) ? { lastSucceeded: when(d.lastSucceeded) } : {}),
      ...(when(d.lastFailed) ? { lastFailed: when(d.lastFailed) } : {}),
      ...(d.lastError ? { lastError: d.lastError } : {}),
      ports: ((d.ports as Rec[] | undefined) ?? []).map(
        (p) =>
          `${p.ifname}:${({ 1: "static", 2: "none", 4: "dhcp" } as Rec)[String(p.dhcpType)] ?? p.dhcpType}${p.subnet ? ` ${p.subnet}` : ""}`,
      ),
    })),
  };
}

/** The config items the device last reported as in force when not at their default (ZInfoDevice
 * configItemStatus): what the controller set, or a local override made on the device. */
function configItemsOf(dinfo: Record<string, unknown> | undefined) {
  type Item = { value?: string; error?: string };
  const st = dinfo?.configItemStatus as
    | { configItems?: Record<string, Item>; unknownConfigItems?: Record<string, Item> }
    | undefined;
  if (!st) return {};
  const show = (m: Record<string, Item> | undefined) =>
    Object.fromEntries(
      Object.entries(m ?? {}).map(([k, v]) => [
        k,
        v.error ? `${v.value ?? ""} (${v.error})` : (v.value ?? ""),
      ]),
    );
  const unknown = show(st.unknownConfigItems);
  return {
    configItems: show(st.configItems),
    ...(Object.keys(unknown).length ? { unknownConfigItems: unknown } : {}),
  };
}

/** The device's slots as it last reported them (ZInfoDevSW with a partition label), and its update
 * counter, for `ctl devices get`; nothing for a device that reports no slots. */
function baseosOf(dinfo: Record<string, unknown> | undefined) {
  const sw = (dinfo?.swList as Record<string, unknown>[] | undefined)?.filter((s) => s.partitionLabel);
  if (!sw?.length) return {};
  const pick = [
    "partitionLabel",
    "partitionState",
    "activated",
    "status",
    "shortVersion",
    "userStatus",
    "subStatus",
    "subStatusStr",
    "subStatusProgress",
    "swErr",
  ];
  return {
    baseos: {
      updateCounter: dinfo?.baseos_update_counter ?? 0,
      slots: sw.map((s) => Object.fromEntries(pick.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]))),
    },
  };
}

/** The device's network instances as it last reported them (ZInfoNetworkInstance), each with the
 * apps attached and their addresses, for `ctl networks` and `ctl devices get`. A deleted instance
 * (reported with its id only) is left out. */
export function networkInstancesOf(info: { key: string; value: unknown }[]) {
  const out = [];
  for (const r of info) {
    if (!r.key.startsWith("networkInstance/")) continue;
    const ni = (r.value as { niinfo?: Record<string, unknown> } | undefined)?.niinfo;
    if (!ni?.displayname) continue;
    const vifs = (ni.vifs as Record<string, unknown>[] | undefined) ?? [];
    const ips = (ni.ipAssignments as Record<string, unknown>[] | undefined) ?? [];
    const errs = (ni.networkErr as { description?: string }[] | undefined) ?? [];
    out.push({
      id: ni.networkID,
      name: ni.displayname,
      type: ni.instType === 1 ? "switch" : ni.instType === 2 ? "local" : String(ni.instType ?? ""),
      state: String(ni.state ?? "").replace(/^ZNETINST_STATE_/, ""),
      bridge: ni.bridgeName ?? "",
      bridgeIp: ni.bridgeIPAddr ?? "",
      uplink: ni.CurrentUplinkIntf ?? "",
      apps: vifs.map((v, n) => ({
        app: v.appID,
        vif: v.vifName,
        mac: v.macAddress,
        ips: (ips[n]?.ipAddress as string[] | undefined) ?? [],
      })),
      ...(errs[0]?.description ? { error: errs[0].description } : {}),
    });
  }
  return out;
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length ? JSON.parse(body.toString("utf8")) : {};
  } catch (e) {
    throw new HttpError(400, `body is not JSON: ${(e as Error).message}`);
  }
}

export function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
