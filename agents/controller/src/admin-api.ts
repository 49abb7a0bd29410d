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
import { createHash, randomUUID, timingSafeEqual, X509Certificate } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hostname } from "node:os";
import { deviceCertHash, eve, privateKeyPem } from "@outpost/evecloud";
import { DecodeError } from "@outpost/types";
import type { Logger } from "pino";
import { buildEdgeDevConfig, decodeConfigDoc } from "./config-doc.js";
import type { DeviceApi } from "./device-api.js";
import type { Feed, ReportKind } from "./feed.js";
import { InventoryApi, InventoryError } from "./inventory/index.js";
import { LogQueryError, matchLog, parseLogQuery } from "./log-query.js";
import { type ControllerPki, issue } from "./pki.js";
import { handleRollouts, RolloutDriver, StoreLease } from "./rollout/index.js";
import type { ConfigRecord, ControllerStore, DeviceRecord, OnboardingRecord } from "./store/index.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
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
  token: string;
  /** host:port devices should use (what config/server gets). */
  serverAddress: () => string;
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
  private readonly tokenHash: Buffer;
  /** inventory/ and reports/ routes (src/inventory/). */
  readonly inventory: InventoryApi;
  /** rollouts/ routes and their driver (src/rollout/); index.ts starts and stops it. */
  readonly rollouts: RolloutDriver;
  constructor(private readonly c: AdminContext) {
    this.tokenHash = createHash("sha256").update(c.token).digest();
    this.inventory = new InventoryApi({
      store: c.store,
      lastSeen: (u) => c.deviceApi.lastSeen(u),
      log: c.log,
    });
    this.rollouts = new RolloutDriver({
      store: c.store,
      inventory: this.inventory,
      setConfig: (d, doc) => this.setConfig(d, doc),
      log: c.log,
      // Several processes on one shared store: each rollout is driven by the one holding its lease.
      ...(c.store.shared
        ? { lease: new StoreLease(c.store, `${hostname()}/${process.pid}/${randomUUID()}`) }
        : {}),
    });
  }

  authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization ?? "";
    const m = /^Bearer (.+)$/.exec(h);
    if (!m?.[1]) return false;
    return timingSafeEqual(createHash("sha256").update(m[1]).digest(), this.tokenHash);
  }

  /** Handles one admin request; `body` is already read. */
  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    try {
      if (!this.authorized(req)) throw new HttpError(401, "missing or wrong admin token");
      const url = new URL(req.url ?? "/", "https://x");
      const parts = url.pathname.split("/").filter(Boolean).slice(2).map(decodeURIComponent);
      const json = () => parseJson(body);
      const [what, id, sub, ...rest] = parts;
      const m = req.method ?? "GET";
      // --- inventory, reports and rollouts: src/inventory/, src/rollout/ (README.md there) ---
      if (what === "inventory" || what === "reports")
        return await this.inventory.handle(m, parts, url, json, res);
      if (what === "rollouts") return await handleRollouts(this.rollouts, m, parts, json, res);
      // --- end inventory, reports and rollouts ---
      if (rest.length) throw new HttpError(404, "no such admin endpoint");
      if (what === "onboarding" && !sub) {
        if (!id && m === "GET") return send(res, 200, await this.c.store.listOnboarding());
        if (!id && m === "POST") {
          const b = json() as { cert?: unknown; serials?: unknown };
          if (typeof b.cert !== "string") throw new HttpError(400, "cert: expected the PEM text");
          const r = onboardingRecord(b.cert, stringList(b.serials, "serials"));
          await this.c.store.putOnboarding(r);
          this.c.log.info({ onboarding: r.id, serials: r.serials }, "onboarding certificate added");
          return send(res, 201, r);
        }
        if (id && m === "DELETE") {
          const match = (await this.c.store.listOnboarding()).filter((o) => o.id.startsWith(id));
          if (match.length !== 1 || !match[0])
            throw new HttpError(
              404,
              match.length ? `"${id}" is ambiguous` : `no onboarding certificate ${id}`,
            );
          await this.c.store.removeOnboarding(match[0].id);
          return send(res, 200, { removed: match[0].id });
        }
      }
      if (what === "node-config" && !id && m === "POST") {
        const b = json() as { serials?: unknown };
        const serials = stringList(b.serials, "serials");
        const onboard = issue(this.c.pki.root, "Outpost onboarding", { client: true });
        const r = onboardingRecord(onboard.pem, serials);
        await this.c.store.putOnboarding(r);
        this.c.log.info({ onboarding: r.id, serials }, "onboarding certificate created for a node");
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
            await Promise.all((await this.c.store.listDevices()).map((d) => this.summary(d))),
          );
        if (!id) throw new HttpError(404, "no such admin endpoint");
        const device = await this.resolve(id);
        if (!sub && m === "GET")
          return send(res, 200, {
            ...(await this.summary(device)),
            config: await this.configSummary(device),
          });
        if (!sub && m === "DELETE") {
          await this.c.store.removeDevice(device.uuid);
          this.c.deviceApi.forget(device.uuid);
          this.c.log.info({ device: device.uuid }, "device removed");
          return send(res, 200, { removed: device.uuid });
        }
        if (sub === "config" && m === "GET") {
          const cfg = await this.c.store.getConfig(device.uuid);
          if (!cfg) throw new HttpError(404, `no config set for ${device.uuid}`);
          return send(res, 200, { ...summaryOfConfig(cfg), doc: cfg.doc });
        }
        if (sub === "config" && m === "PUT") return send(res, 200, await this.setConfig(device, json()));
        if ((sub === "reboot" || sub === "shutdown") && m === "POST")
          return send(res, 200, await this.bump(device, sub));
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
      if (e instanceof HttpError || e instanceof InventoryError)
        return send(res, e.status, { error: e.message });
      if (e instanceof DecodeError || e instanceof LogQueryError) return send(res, 400, { error: e.message });
      this.c.log.error({ err: e }, "admin request failed");
      return send(res, 500, { error: (e as Error).message });
    }
  }

  private async resolve(id: string): Promise<DeviceRecord> {
    const direct = await this.c.store.getDevice(id);
    if (direct) return direct;
    const bySerial = (await this.c.store.listDevices()).filter(
      (d) => d.serial === id || d.uuid.startsWith(id),
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
  private async bump(device: DeviceRecord, op: "reboot" | "shutdown") {
    const cfg = await this.c.store.getConfig(device.uuid);
    if (!cfg) throw new HttpError(409, `no config set for ${device.uuid}: set one first (ctl config set)`);
    const doc = decodeConfigDoc(cfg.doc);
    const counter = doc[op] + 1;
    const r = await this.setConfig(device, { ...doc, [op]: counter });
    this.c.log.info({ device: device.uuid, op, counter }, `${op} requested`);
    return { op, counter, ...r };
  }

  private async configSummary(device: DeviceRecord) {
    const cfg = await this.c.store.getConfig(device.uuid);
    return cfg ? summaryOfConfig(cfg) : undefined;
  }

  async setConfig(device: DeviceRecord, input: unknown) {
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
