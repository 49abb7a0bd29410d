// The device API's status codes, driven in-process (real LMDB store, real signatures, no sockets).
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  createCertificate,
  deviceCertHash,
  eve,
  generateEcKey,
  openEnvelope,
  publicOf,
  sealEnvelope,
} from "@outpost/evecloud";
import { entryAt, gzipWithComment, newlogBatch } from "@outpost/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardingRecord } from "../src/admin-api.js";
import { DEVICE_BODY_LIMITS, DeviceApi, NEWLOGS_MAX_DECOMPRESSED, UploadRate } from "../src/device-api.js";
import { type ControllerPki, ensurePki, issue } from "../src/pki.js";
import { LmdbStore } from "../src/store/index.js";

function selfSigned(cn: string) {
  const key = generateEcKey();
  const certPem = createCertificate({
    subject: { commonName: cn },
    publicKey: publicOf(key),
    selfKey: key,
    validDays: 1,
    keyUsage: ["digitalSignature"],
  });
  return { key, certPem, cert: new X509Certificate(certPem) };
}

describe("DeviceApi", () => {
  const dir = mkdtempSync(join(tmpdir(), "op-devapi-"));
  let store: LmdbStore;
  let api: DeviceApi;
  let pki: ControllerPki;
  const onboard = { key: generateEcKey(), certPem: "" };
  const device = selfSigned("dev");

  beforeAll(async () => {
    pki = ensurePki(dir, "127.0.0.1");
    store = await LmdbStore.open(join(dir, "db"));
    api = new DeviceApi(store, pki, pino({ level: "silent" }));
    onboard.certPem = issue(pki.root, "onboard", { client: true }, onboard.key).pem;
    await store.putOnboarding(onboardingRecord(onboard.certPem, ["SN-1"]));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: Uint8Array, headers = {}) =>
    api.handle({ method: "POST", path, headers, body: Buffer.from(body) });
  const register = (
    msg: eve.register.ZRegisterMsg.$Properties,
    key = onboard.key,
    certPem = onboard.certPem,
  ) =>
    post(
      "register",
      sealEnvelope(eve.register.ZRegisterMsg.encode(msg).finish(), {
        key,
        senderCertHash: deviceCertHash(new X509Certificate(certPem)),
        senderCert: Buffer.from(Buffer.from(certPem).toString("base64")),
      }),
    );
  const pemCert = (pem: string) => Buffer.from(Buffer.from(pem).toString("base64"));
  const signed = (payload: Uint8Array, key = device.key, cert = device.cert) =>
    sealEnvelope(payload, { key, senderCertHash: deviceCertHash(cert) });
  const open = (body: Uint8Array | undefined) =>
    openEnvelope(body ?? new Uint8Array(), pki.signing.hash, pki.signing.cert.publicKey);

  it("certs and ping need no signature", async () => {
    const certs = await api.handle({ method: "GET", path: "certs", headers: {}, body: Buffer.alloc(0) });
    expect(certs.status).toBe(200);
    const list = eve.certs.ZControllerCert.decode(open(certs.body));
    expect(list.certs[0]?.type).toBe(eve.certs.ZCertType.CERT_TYPE_CONTROLLER_SIGNING);
    expect(Buffer.from(list.certs[0]?.certHash ?? []).equals(pki.signing.hash.subarray(0, 16))).toBe(true);
    expect(
      (await api.handle({ method: "GET", path: "ping", headers: {}, body: Buffer.alloc(0) })).status,
    ).toBe(200);
    expect(
      (await api.handle({ method: "GET", path: "nope", headers: {}, body: Buffer.alloc(0) })).status,
    ).toBe(404);
  });

  it("register: 400 malformed, 403 unknown cert / serial, 401 bad signature, 201, then 409", async () => {
    expect((await post("register", Buffer.from("junk"))).status).toBe(400);
    const stranger = selfSigned("stranger");
    const msg = { pemCert: pemCert(device.certPem), serial: "SN-1", softSerial: "s" };
    expect((await register(msg, stranger.key, stranger.certPem)).status).toBe(403);
    expect((await register({ ...msg, serial: "SN-2" })).status).toBe(403);
    expect((await register(msg, generateEcKey())).status).toBe(401);
    expect((await register({ ...msg, pemCert: Buffer.from("not base64 pem") })).status).toBe(400);
    expect((await register(msg)).status).toBe(201);
    expect((await register(msg)).status).toBe(409);
    // The same serial with another device certificate: 409 too.
    expect((await register({ ...msg, pemCert: pemCert(selfSigned("other").certPem) })).status).toBe(409);
  });

  it("uuid, attest, config: the whole ladder of codes", async () => {
    expect(
      (await post("uuid", signed(new Uint8Array(), selfSigned("x").key, selfSigned("x").cert))).status,
    ).toBe(401);
    expect((await post("uuid", signed(new Uint8Array(), generateEcKey()))).status).toBe(401);
    const u = await post("uuid", signed(new Uint8Array()));
    expect(u.status).toBe(200);
    const uuid = eve.uuid.UuidResponse.decode(open(u.body)).uuid;
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);

    const cfgReq = (configHash: string, token?: Uint8Array) =>
      signed(
        eve.config.ConfigRequest.encode({
          configHash,
          ...(token ? { integrity_token: token } : {}),
        }).finish(),
      );
    expect((await post(`id/${uuid}/config`, cfgReq(""))).status).toBe(404);
    expect((await post("id/00000000-0000-4000-8000-000000000000/config", cfgReq(""))).status).toBe(403);

    const nonce = await post(
      `id/${uuid}/attest`,
      signed(eve.attest.ZAttestReq.encode({ reqType: 2 }).finish()),
    );
    expect(nonce.status).toBe(201);
    expect(eve.attest.ZAttestResponse.decode(open(nonce.body)).nonce?.nonce?.length).toBe(32);
    const quote = await post(
      `id/${uuid}/attest`,
      signed(eve.attest.ZAttestReq.encode({ reqType: 3, quote: {} }).finish()),
    );
    const token =
      eve.attest.ZAttestResponse.decode(open(quote.body)).quoteResp?.integrity_token ?? new Uint8Array();
    expect(token.length).toBe(32);

    const config = { id: { uuid, version: "1" } };
    await store.putConfig(uuid, {
      version: 1,
      doc: {},
      configHash: "h1",
      signed: api.sign(eve.config.ConfigResponse.encode({ config, configHash: "h1" }).finish()),
      objectVersions: {},
      setAt: "",
    });
    expect((await post(`id/${uuid}/config`, cfgReq("", Buffer.from("bad")))).status).toBe(403);
    const ok = await post(`id/${uuid}/config`, cfgReq("", token));
    expect(ok.status).toBe(200);
    expect(eve.config.ConfigResponse.decode(open(ok.body)).configHash).toBe("h1");
    expect((await post(`id/${uuid}/config`, cfgReq("h1", token))).status).toBe(304);
    expect((await post(`id/${uuid}/config`, signed(Buffer.from([0x0a, 0x09, 0x41])))).status).toBe(400);

    const info = eve.info.ZInfoMsg.encode({
      ztype: 1,
      devId: uuid,
      dinfo: { ncpu: 2, HostName: "h" },
    }).finish();
    expect((await post(`id/${uuid}/info`, signed(info))).status).toBe(201);
    expect(await store.listInfo(uuid)).toEqual([expect.objectContaining({ key: "device" })]);
  });

  it("admits a call by method and path before its body: the call's limit, 404, 401 unknown device", async () => {
    const uuid = (await store.listDevices())[0]?.uuid ?? "";
    expect(uuid).not.toBe("");
    expect(await api.admit("POST", "register")).toEqual({ limit: DEVICE_BODY_LIMITS.small });
    expect(await api.admit("POST", "uuid")).toEqual({ limit: DEVICE_BODY_LIMITS.small });
    expect(await api.admit("POST", `id/${uuid}/config`)).toEqual({ limit: DEVICE_BODY_LIMITS.small });
    expect(await api.admit("POST", `id/${uuid}/attest`)).toEqual({ limit: DEVICE_BODY_LIMITS.attest });
    expect(await api.admit("POST", `id/${uuid}/info`)).toEqual({ limit: DEVICE_BODY_LIMITS.info });
    expect(await api.admit("POST", `id/${uuid}/metrics`)).toEqual({ limit: DEVICE_BODY_LIMITS.metrics });
    expect(await api.admit("POST", `id/${uuid}/logs`)).toEqual({ limit: DEVICE_BODY_LIMITS.logs });
    expect(await api.admit("POST", `id/${uuid}/apps/instanceid/a1/newlogs`)).toEqual({
      limit: DEVICE_BODY_LIMITS.newlogs,
    });
    expect(await api.admit("POST", "id/00000000-0000-4000-8000-000000000000/info")).toMatchObject({
      status: 401,
    });
    expect(await api.admit("PUT", "register")).toMatchObject({ status: 404 });
    expect(await api.admit("POST", `id/${uuid}/nope`)).toMatchObject({ status: 404 });
  });

  it("newlogs: a gzip stream that expands past the cap is 413, a normal one is stored", async () => {
    const uuid = (await store.listDevices())[0]?.uuid ?? "";
    const meta = JSON.stringify({ devID: uuid, image: "IMGA", eveVersion: "0.1.0" });
    const bomb = gzipWithComment(Buffer.alloc(NEWLOGS_MAX_DECOMPRESSED + 1, 0x20), meta);
    expect(bomb.length).toBeLessThan(DEVICE_BODY_LIMITS.newlogs);
    const r = await post(`id/${uuid}/newlogs`, signed(bomb));
    expect(r).toMatchObject({ status: 413, reason: expect.stringMatching(/once decompressed/) });
    const line = (ms: number, source: string) =>
      entryAt(ms, { severity: "info", source, content: `hello from ${source}` });
    const m = { devID: uuid, image: "IMGA", eveVersion: "0.1.0" };
    expect(
      (await post(`id/${uuid}/newlogs`, signed(newlogBatch(m, [line(1_700_000_000_123, "s1")])))).status,
    ).toBe(201);
    const appBatch = newlogBatch(m, [line(1_700_000_000_124, "app")]);
    expect((await post(`id/${uuid}/apps/instanceid/a1/newlogs`, signed(appBatch))).status).toBe(201);
    expect(await store.listLogs(uuid, 2)).toEqual([
      expect.objectContaining({
        key: "device",
        value: expect.objectContaining({ source: "s1", timestamp: "2023-11-14T22:13:20.123000000Z" }),
      }),
      expect.objectContaining({ key: "app/a1", value: expect.objectContaining({ source: "app" }) }),
    ]);
  });

  it("newlogs: the same batch sent again (an uploader killed between the 2xx and its delete) is 201 and stored once", async () => {
    const uuid = (await store.listDevices())[0]?.uuid ?? "";
    const m = { devID: uuid, image: "IMGA", eveVersion: "0.1.0" };
    const batch = newlogBatch(m, [
      entryAt(1_700_000_100_000, { severity: "info", source: "resent", content: "only once" }),
    ]);
    const count = async () =>
      (await store.listLogs(uuid, 10_000)).filter((r) => (r.value as { source?: string }).source === "resent")
        .length;
    expect((await post(`id/${uuid}/newlogs`, signed(batch))).status).toBe(201);
    expect((await post(`id/${uuid}/newlogs`, signed(batch))).status).toBe(201);
    expect(await count()).toBe(1);
    // The same bytes for another stream (an app) are another batch.
    expect((await post(`id/${uuid}/apps/instanceid/a2/newlogs`, signed(batch))).status).toBe(201);
    expect(await count()).toBe(2);
  });

  it("newlogs: refuses what is not gzip, has no metadata comment, has a bad line or another device's metadata", async () => {
    const uuid = (await store.listDevices())[0]?.uuid ?? "";
    const meta = { devID: uuid, image: "IMGA", eveVersion: "0.1.0" };
    const good = JSON.stringify(entryAt(1_700_000_000_000, { severity: "info", source: "s", content: "c" }));
    const gz = (body: string, comment: string) => gzipWithComment(Buffer.from(body), comment);
    const cases: [Uint8Array, RegExp][] = [
      [Buffer.from("plain text\n"), /not a gzip stream/],
      [gzipSync(`${good}\n`), /no metadata/],
      [gz(`${good}\n`, "not json"), /comment is not JSON/],
      [gz(`${good}\n{"source":"s"\n`, JSON.stringify(meta)), /line 2 is not a LogEntry: not JSON/],
      [gz('{"content":"x"}\n', JSON.stringify(meta)), /line 1 .*no "timestamp"/],
      [gz(`${good.slice(0, -1)},"level":3}\n`, JSON.stringify(meta)), /unknown field "level"/],
      [
        gz(`${good}\n`, JSON.stringify({ ...meta, devID: "someone-else" })),
        /metadata is for device someone-else/,
      ],
    ];
    const before = (await store.listLogs(uuid, 100)).length;
    for (const [payload, reason] of cases)
      expect(await post(`id/${uuid}/newlogs`, signed(payload))).toMatchObject({
        status: 400,
        reason: expect.stringMatching(reason),
      });
    expect((await store.listLogs(uuid, 100)).length).toBe(before);
  });

  it("newlogs: past --newlogs-rate the call is refused with 429 and Retry-After before its body is read", async () => {
    const uuid = (await store.listDevices())[0]?.uuid ?? "";
    const limited = new DeviceApi(store, pki, pino({ level: "silent" }), new UploadRate(0.5));
    const call = (body: Uint8Array) =>
      limited.handle({ method: "POST", path: `id/${uuid}/newlogs`, headers: {}, body: Buffer.from(body) });
    expect(await limited.admit("POST", `id/${uuid}/newlogs`)).toEqual({ limit: DEVICE_BODY_LIMITS.newlogs });
    // A body that does not authenticate spends nothing: the bucket is still full.
    expect((await call(Buffer.from("x"))).status).toBe(400);
    expect(await limited.admit("POST", `id/${uuid}/newlogs`)).toEqual({ limit: DEVICE_BODY_LIMITS.newlogs });
    const empty = newlogBatch({ devID: uuid, image: "I", eveVersion: "v" }, []);
    expect((await call(signed(empty))).status).toBe(201);
    expect(await limited.admit("POST", `id/${uuid}/newlogs`)).toMatchObject({ status: 429, retryAfterS: 2 });
    expect(await limited.admit("POST", `id/${uuid}/info`)).toEqual({ limit: DEVICE_BODY_LIMITS.info });
  });
});
