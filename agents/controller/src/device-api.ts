// The device side of EVE API v2 (docs/eve-api.md), as a function from a request to a
// response so it can be driven by the HTTPS server, by tests and by the bench alike. Every signed
// request is checked (sender hash -> device, then signature) before its payload is decoded.
import { createHash, type KeyObject, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import {
  deviceCertHash,
  type EnvelopeError,
  eve,
  parseEnvelope,
  sealEnvelope,
  verifyPayload,
} from "@outpost/evecloud";
import type { Logger } from "pino";
import { checkNewlogs } from "./newlogs.js";
import type { ControllerPki } from "./pki.js";
import type { ControllerStore, DeviceRecord, ReportRecord } from "./store/index.js";

export interface ApiRequest {
  method: string;
  /** The path below /api/v2/edgedevice/. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ApiResponse {
  status: number;
  body?: Uint8Array;
  /** Plain-text reason for non-2xx answers (logged and sent as text/plain). */
  reason?: string;
  /** Sent as Retry-After (seconds) with a 429. */
  retryAfterS?: number;
}

const proto = (body: Uint8Array, status = 200): ApiResponse => ({ status, body });
const fail = (status: number, reason: string): ApiResponse => ({ status, reason });

const KiB = 1024;
const MiB = 1024 * KiB;

/** Largest request body per call, checked before the body is read (413 above). A device's message
 * is signed as a whole, so it cannot be checked before it is all read: these limits bound what an
 * unauthenticated sender can make the controller hold. Each is far above what a device sends:
 * register/uuid/config carry a certificate or a hash; an attestation quote with its event log stays
 * well below 1 MiB; info and metrics of a device with hundreds of apps and interfaces are some
 * hundred KiB; log bundles are cut by the device into uploads of well under a MiB. */
export const DEVICE_BODY_LIMITS = {
  small: 64 * KiB,
  attest: 1 * MiB,
  info: 4 * MiB,
  metrics: 4 * MiB,
  logs: 4 * MiB,
  newlogs: 4 * MiB,
} as const;

/** newlogs bodies are gzip: the decompressed text is capped too, so a small bomb cannot expand. */
export const NEWLOGS_MAX_DECOMPRESSED = 64 * MiB;

type Route =
  | { kind: "certs" | "ping" | "register" | "uuid" }
  | { kind: "attest" | "config" | "info" | "metrics" | "logs" | "newlogs"; device: string; app?: string };

/** Which call a request is, from its method and path alone (no body): undefined = no such call. */
export function routeOf(method: string, path: string): Route | undefined {
  const parts = path.split("?")[0]?.split("/").filter(Boolean) ?? [];
  const [first, uuid, op, ...rest] = parts;
  if (parts.length === 1) {
    if (first === "certs" && (method === "GET" || method === "POST")) return { kind: "certs" };
    if (first === "ping" && method === "GET") return { kind: "ping" };
    if (first === "register" && method === "POST") return { kind: "register" };
    if (first === "uuid" && method === "POST") return { kind: "uuid" };
  }
  if (first === "id" && uuid && op && method === "POST") {
    if (rest.length === 0)
      switch (op) {
        case "attest":
        case "config":
        case "info":
        case "metrics":
        case "logs":
        case "newlogs":
          return { kind: op, device: uuid };
      }
    if (op === "apps" && rest[0] === "instanceid" && rest[1] && rest[2] === "newlogs" && rest.length === 3)
      return { kind: "newlogs", device: uuid, app: rest[1] };
  }
  return undefined;
}

export function bodyLimit(route: Route): number {
  switch (route.kind) {
    case "attest":
    case "info":
    case "metrics":
    case "logs":
    case "newlogs":
      return DEVICE_BODY_LIMITS[route.kind];
    default:
      return DEVICE_BODY_LIMITS.small;
  }
}

/** newlogs uploads remembered per device to acknowledge a re-sent batch without storing it twice
 * (in memory: a controller restart forgets them). */
const RECENT_BATCHES = 256;

/** Per-device token bucket for newlogs uploads (`--newlogs-rate`): EVE controllers answer a device
 * that uploads too fast with 429 and Retry-After. A request is refused before its body is read when
 * the bucket is empty; a token is taken only once the upload has authenticated, so nobody but the
 * device can spend its budget. */
export class UploadRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  constructor(
    readonly perSecond: number,
    burst?: number,
  ) {
    this.burst = burst ?? Math.max(1, Math.ceil(perSecond));
  }

  private bucket(device: string, now: number) {
    const b = this.buckets.get(device) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(device, b);
    return b;
  }

  /** Seconds until the device may upload again (0: now). */
  wait(device: string, now = Date.now()): number {
    const b = this.bucket(device, now);
    return b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) / this.perSecond);
  }

  take(device: string, now = Date.now()): void {
    this.bucket(device, now).tokens -= 1;
  }
}

const JSON_OPTS = { longs: Number, enums: String, bytes: String, defaults: false, oneofs: true } as const;

export class DeviceApi {
  /** Device public keys by certificate hash: parsing a certificate per request would dominate. */
  private readonly keys = new Map<string, KeyObject>();
  /** Per device, digests of the last RECENT_BATCHES newlogs uploads stored (stream + sha256 of the
   * gzip), oldest first: a batch sent again is acknowledged and not stored twice. */
  private readonly recentBatches = new Map<string, string[]>();
  /** When each device last sent an authenticated request (kept in memory: polls must not write). */
  private readonly seen = new Map<string, number>();
  private readonly certsAnswer: Uint8Array;
  /** Devices admit() has found in the store (see known()). */
  private readonly admitted = new Set<string>();

  constructor(
    private readonly store: ControllerStore,
    private readonly pki: ControllerPki,
    private readonly log: Logger,
    private readonly rate?: UploadRate,
  ) {
    const certs = eve.certs.ZControllerCert.encode({
      certs: [
        {
          hashAlgo: eve.common.HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES,
          certHash: pki.signing.hash.subarray(0, 16),
          type: eve.certs.ZCertType.CERT_TYPE_CONTROLLER_SIGNING,
          cert: Buffer.from(pki.signing.pem),
        },
      ],
    }).finish();
    this.certsAnswer = this.sign(certs);
  }

  /** Whether the device exists, for admit. A device once found is remembered (a bounded set): this
   * only decides whether a body is read at all; every request still authenticates against the store,
   * so a device removed meanwhile (maybe through another controller process) is refused all the same. */
  private async known(uuid: string): Promise<boolean> {
    if (this.admitted.has(uuid)) return true;
    if (!(await this.store.getDevice(uuid))) return false;
    if (this.admitted.size >= 200_000) this.admitted.clear();
    this.admitted.add(uuid);
    return true;
  }

  /** A device removed through this process: refused before its body again (another process that
   * admitted it before refuses it once the body is read, when it does not authenticate). */
  forget(uuid: string): void {
    this.admitted.delete(uuid);
    this.seen.delete(uuid);
  }

  /** When the device last sent an authenticated request, to this process or (with a shared store) to
   * any process. */
  async lastSeen(uuid: string): Promise<string | undefined> {
    const here = this.seen.get(uuid);
    const stored = this.store.shared ? await this.store.lastSeen(uuid) : undefined;
    const t = Math.max(here ?? 0, stored ?? 0);
    return t ? new Date(t).toISOString() : undefined;
  }

  /** With a shared store: writes the last-seen times that changed, every `everyMs`, until `signal`
   * (and once more then). Polls themselves never write. */
  async shareLastSeen(everyMs: number, signal: AbortSignal): Promise<void> {
    if (!this.store.shared) return;
    let saved = new Map<string, number>();
    const flush = async () => {
      const changed = [...this.seen].filter(([u, t]) => saved.get(u) !== t);
      if (!changed.length) return;
      try {
        await this.store.saveLastSeen(changed);
        saved = new Map(this.seen);
      } catch (err) {
        this.log.warn({ err, devices: changed.length }, "cannot save when devices were last seen; retrying");
      }
    };
    while (!signal.aborted) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, everyMs);
        signal.addEventListener(
          "abort",
          () => {
            clearTimeout(t);
            resolve();
          },
          { once: true },
        );
      });
      await flush();
    }
  }

  /** Controller -> device: signed with the signing key, senderCertHash = sha256(signing cert PEM). */
  sign(payload: Uint8Array): Uint8Array {
    return sealEnvelope(payload, { key: this.pki.signing.key, senderCertHash: this.pki.signing.hash });
  }

  /** Before the body is read: is this a call at all, and for a device this controller knows? The
   * answer is the body limit of the call, or the refusal. */
  async admit(method: string, path: string): Promise<{ limit: number } | ApiResponse> {
    const route = routeOf(method, path);
    if (!route) return fail(404, `no such endpoint: ${method} ${path}`);
    if ("device" in route && !(await this.known(route.device)))
      return fail(401, `unknown device ${route.device}`);
    if (route.kind === "newlogs" && this.rate) {
      const wait = this.rate.wait(route.device);
      if (wait > 0)
        return {
          status: 429,
          reason: `newlogs: more than ${this.rate.perSecond} uploads per second; retry in ${wait} s`,
          retryAfterS: wait,
        };
    }
    return { limit: bodyLimit(route) };
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    const route = routeOf(req.method, req.path);
    if (!route) return fail(404, `no such endpoint: ${req.method} ${req.path}`);
    switch (route.kind) {
      case "certs":
        return proto(this.certsAnswer);
      case "ping":
        return { status: 200 };
      case "register":
        return this.register(req);
      case "uuid":
        return this.uuid(req);
    }
    const auth = await this.authenticate(req.body);
    if ("status" in auth) return auth;
    const { device, payload } = auth;
    if (device.uuid !== route.device)
      return fail(403, `signed by device ${device.uuid}, not ${route.device}`);
    switch (route.kind) {
      case "attest":
        return this.attest(device, payload);
      case "config":
        return this.config(device, payload);
      case "info":
        return this.info(device, payload);
      case "metrics":
        return this.metrics(device, payload);
      case "logs":
        return this.logs(device, payload);
      case "newlogs":
        return this.newlogs(device, payload, route.app);
    }
  }

  /** Finds the device by senderCertHash and checks the signature with its certificate's key. */
  private async authenticate(
    body: Buffer,
  ): Promise<{ device: DeviceRecord; payload: Uint8Array } | ApiResponse> {
    let env: ReturnType<typeof parseEnvelope>;
    try {
      env = parseEnvelope(body);
    } catch (e) {
      return fail(400, (e as Error).message);
    }
    const hash = Buffer.from(env.senderCertHash).toString("hex");
    const device = await this.store.deviceByCertHash(hash);
    if (!device) return fail(401, `unknown sender certificate hash ${hash.slice(0, 16)}...`);
    let key = this.keys.get(hash);
    if (!key) {
      key = new X509Certificate(device.certPem).publicKey;
      this.keys.set(hash, key);
    }
    if (!verifyPayload(env.payload, env.signature, key)) return fail(401, "signature does not verify");
    this.seen.set(device.uuid, Date.now());
    return { device, payload: env.payload };
  }

  private async register(req: ApiRequest): Promise<ApiResponse> {
    let env: ReturnType<typeof parseEnvelope>;
    try {
      env = parseEnvelope(req.body);
    } catch (e) {
      return fail(400, (e as EnvelopeError).message);
    }
    if (!env.senderCert) return fail(400, "register: no onboarding certificate in senderCert");
    let onboardCert: X509Certificate;
    try {
      onboardCert = new X509Certificate(env.senderCert);
    } catch {
      return fail(400, "register: senderCert is not a certificate");
    }
    const onboardingId = deviceCertHash(onboardCert).toString("hex");
    const onboarding = await this.store.getOnboarding(onboardingId);
    if (!onboarding) return fail(403, "register: unknown onboarding certificate");
    if (!verifyPayload(env.payload, env.signature, onboardCert.publicKey))
      return fail(401, "register: signature does not verify with the onboarding certificate");
    let msg: eve.register.ZRegisterMsg;
    let deviceCert: X509Certificate;
    let devicePem: string;
    try {
      msg = eve.register.ZRegisterMsg.decode(env.payload);
      devicePem = Buffer.from(Buffer.from(msg.pemCert).toString(), "base64").toString();
      deviceCert = new X509Certificate(devicePem);
    } catch (e) {
      return fail(400, `register: bad ZRegisterMsg: ${(e as Error).message}`);
    }
    const serial = msg.serial || headerOf(req, "x-serial-number");
    if (!onboarding.serials.includes("*") && !onboarding.serials.includes(serial))
      return fail(403, `register: serial "${serial}" is not allowed for this onboarding certificate`);
    const certHash = deviceCertHash(deviceCert).toString("hex");
    const device: DeviceRecord = {
      uuid: randomUUID(),
      serial,
      softSerial: msg.softSerial || headerOf(req, "x-soft-serial"),
      certPem: devicePem,
      certHash,
      onboardingId,
      registeredAt: new Date().toISOString(),
      // The onboarding certificate's team owns the device.
      ...(onboarding.team ? { team: onboarding.team } : {}),
    };
    // Checked and added as one (two controller processes may get the same registration at once).
    const added = await this.store.addDevice(device);
    if (added === "cert-taken") return fail(409, "register: device already registered");
    if (added === "serial-taken")
      return fail(409, `register: serial "${serial}" already registered by another device certificate`);
    this.log.info({ device: device.uuid, serial, softSerial: device.softSerial }, "device registered");
    return { status: 201 };
  }

  private async uuid(req: ApiRequest): Promise<ApiResponse> {
    const auth = await this.authenticate(req.body);
    if ("status" in auth) return auth;
    return proto(this.sign(eve.uuid.UuidResponse.encode({ uuid: auth.device.uuid }).finish()));
  }

  private async attest(device: DeviceRecord, payload: Uint8Array): Promise<ApiResponse> {
    let req: eve.attest.ZAttestReq;
    try {
      req = eve.attest.ZAttestReq.decode(payload);
    } catch (e) {
      return fail(400, `attest: bad ZAttestReq: ${(e as Error).message}`);
    }
    const A = eve.attest;
    let resp: eve.attest.ZAttestResponse.$Properties;
    switch (req.reqType) {
      case A.ZAttestReqType.ATTEST_REQ_NONCE:
        resp = { respType: A.ZAttestRespType.ATTEST_RESP_NONCE, nonce: { nonce: randomBytes(32) } };
        break;
      case A.ZAttestReqType.ATTEST_REQ_QUOTE: {
        // No TPM here: a quote without PCR values is accepted and earns a fresh integrity token.
        const token = randomBytes(32);
        await this.store.putDevice({ ...device, integrityToken: token.toString("hex") });
        resp = {
          respType: A.ZAttestRespType.ATTEST_RESP_QUOTE_RESP,
          quoteResp: {
            response: A.ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS,
            integrity_token: token,
          },
        };
        break;
      }
      case A.ZAttestReqType.ATTEST_REQ_CERT:
        resp = { respType: A.ZAttestRespType.ATTEST_RESP_CERT };
        break;
      case A.ZAttestReqType.Z_ATTEST_REQ_TYPE_STORE_KEYS:
        resp = {
          respType: A.ZAttestRespType.Z_ATTEST_RESP_TYPE_STORE_KEYS,
          storage_keys_resp: {
            response: A.AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS,
          },
        };
        break;
      default:
        return fail(400, `attest: unsupported request type ${req.reqType}`);
    }
    return proto(this.sign(A.ZAttestResponse.encode(resp).finish()), 201);
  }

  private async config(device: DeviceRecord, payload: Uint8Array): Promise<ApiResponse> {
    let req: eve.config.ConfigRequest;
    try {
      req = eve.config.ConfigRequest.decode(payload);
    } catch (e) {
      return fail(400, `config: bad ConfigRequest: ${(e as Error).message}`);
    }
    if (device.integrityToken && Buffer.from(req.integrity_token).toString("hex") !== device.integrityToken)
      return fail(403, "config: integrity token mismatch (attest again)");
    const cfg = await this.store.getConfig(device.uuid);
    if (!cfg) return fail(404, "config: no config set for this device yet");
    if (req.configHash === cfg.configHash) return { status: 304 };
    return proto(cfg.signed);
  }

  private async info(device: DeviceRecord, payload: Uint8Array): Promise<ApiResponse> {
    let msg: eve.info.ZInfoMsg;
    try {
      msg = eve.info.ZInfoMsg.decode(payload);
    } catch (e) {
      return fail(400, `info: bad ZInfoMsg: ${(e as Error).message}`);
    }
    const json = eve.info.ZInfoMsg.toObject(msg, JSON_OPTS);
    const key = infoKey(msg);
    const record: ReportRecord = { at: new Date().toISOString(), key, value: json };
    await this.store.putInfo(device.uuid, record);
    return { status: 201 };
  }

  private async metrics(device: DeviceRecord, payload: Uint8Array): Promise<ApiResponse> {
    let msg: eve.metrics.ZMetricMsg;
    try {
      msg = eve.metrics.ZMetricMsg.decode(payload);
    } catch (e) {
      return fail(400, `metrics: bad ZMetricMsg: ${(e as Error).message}`);
    }
    const record: ReportRecord = {
      at: new Date().toISOString(),
      key: "metrics",
      value: eve.metrics.ZMetricMsg.toObject(msg, JSON_OPTS),
    };
    await this.store.putMetrics(device.uuid, record);
    return { status: 201 };
  }

  private async logs(device: DeviceRecord, payload: Uint8Array): Promise<ApiResponse> {
    let msg: eve.logs.LogBundle;
    try {
      msg = eve.logs.LogBundle.decode(payload);
    } catch (e) {
      return fail(400, `logs: bad LogBundle: ${(e as Error).message}`);
    }
    const at = new Date().toISOString();
    const records = msg.log.map((l) => ({
      at,
      key: l.source || "device",
      value: eve.logs.LogEntry.toObject(l as eve.logs.LogEntry, JSON_OPTS),
    }));
    await this.store.appendLogs(device.uuid, records);
    return { status: 201 };
  }

  /** newlogs: checked as an EVE controller does (newlogs.ts); the device in the metadata, when
   * given, must be the one that signed the upload. */
  private async newlogs(
    device: DeviceRecord,
    payload: Uint8Array,
    app: string | undefined,
  ): Promise<ApiResponse> {
    this.rate?.take(device.uuid);
    const r = checkNewlogs(payload, NEWLOGS_MAX_DECOMPRESSED);
    if (!r.ok) return fail(r.status, r.reason);
    if (r.meta.devID && r.meta.devID !== device.uuid)
      return fail(400, `newlogs: bundle metadata is for device ${r.meta.devID}, not ${device.uuid}`);
    const at = new Date().toISOString();
    const key = app ? `app/${app}` : "device";
    // loguploader deletes a batch after the 2xx: killed in between, it sends the same file again
    // when it restarts. The same bytes for the same stream are that batch: 201 again, stored once.
    const digest = `${key} ${createHash("sha256").update(payload).digest("hex")}`;
    const recent = this.recentBatches.get(device.uuid) ?? [];
    if (recent.includes(digest)) {
      this.log.info({ device: device.uuid, key }, "newlogs: batch already stored, acknowledged again");
      return { status: 201 };
    }
    const records: ReportRecord[] = r.entries.map((value) => ({ at, key, value }));
    await this.store.appendLogs(device.uuid, records);
    recent.push(digest);
    if (recent.length > RECENT_BATCHES) recent.shift();
    this.recentBatches.set(device.uuid, recent);
    return { status: 201 };
  }
}

function headerOf(req: ApiRequest, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** Latest-wins key of an info message: one per object. */
export function infoKey(msg: eve.info.ZInfoMsg): string {
  switch (msg.InfoContent) {
    case "dinfo":
      return "device";
    case "ainfo":
      return `app/${msg.ainfo?.AppID ?? ""}`;
    case "vinfo":
      return `volume/${msg.vinfo?.uuid ?? ""}`;
    case "cinfo":
      return `contentTree/${msg.cinfo?.uuid ?? ""}`;
    case "niinfo":
      return `networkInstance/${msg.niinfo?.networkID ?? ""}`;
    case "locinfo":
      return "location";
    default:
      return `type/${msg.ztype}`;
  }
}
