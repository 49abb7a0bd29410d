// The generated code puts EVE's field numbers on the wire: encode, then read the raw bytes with a
// bare protobufjs Reader and check the tags.
import { eve } from "@outpost/evecloud";
import protobuf from "protobufjs/minimal.js";
import { describe, expect, it } from "vitest";

/** field number -> wire type, in order of appearance. */
function tags(bytes: Uint8Array): [number, number][] {
  const r = protobuf.Reader.create(bytes);
  const out: [number, number][] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    out.push([tag >>> 3, tag & 7]);
    r.skipType(tag & 7);
  }
  return out;
}

function field(bytes: Uint8Array, number: number): Uint8Array {
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === number && (tag & 7) === 2) return r.bytes();
    r.skipType(tag & 7);
  }
  throw new Error(`field ${number} not found`);
}

describe("EVE protobuf wire form", () => {
  it("AuthContainer: protectedPayload=1, algo=2, senderCertHash=3, signatureHash=4, senderCert=5", () => {
    const b = eve.auth.AuthContainer.encode({
      protectedPayload: { payload: Buffer.from("x") },
      algo: eve.common.HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES,
      senderCertHash: Buffer.alloc(32, 1),
      signatureHash: Buffer.alloc(64, 2),
      senderCert: Buffer.from("pem"),
    }).finish();
    expect(tags(b)).toEqual([
      [1, 2],
      [2, 0],
      [3, 2],
      [4, 2],
      [5, 2],
    ]);
    expect(tags(field(b, 1))).toEqual([[1, 2]]);
    const back = eve.auth.AuthContainer.decode(b);
    expect(back.algo).toBe(2);
    expect(Buffer.from(back.protectedPayload?.payload ?? []).toString()).toBe("x");
  });

  it("DatastoreConfig.id is field 100; ConfigRequest integrity_token is field 2", () => {
    const ds = eve.config.DatastoreConfig.encode({
      id: "d",
      dType: eve.config.DsType.DsHttp,
      fqdn: "h",
    }).finish();
    expect(tags(ds).map(([n]) => n)).toEqual([1, 2, 100]);
    const req = eve.config.ConfigRequest.encode({
      configHash: "h",
      integrity_token: Buffer.from([1]),
    }).finish();
    expect(tags(req)).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it("EdgeDevConfig: apps=4, datastores=6, reboot=9, configItems=11, contentInfo=20, volumes=21", () => {
    const cfg = {
      id: { uuid: "u", version: "3" },
      apps: [{ uuidandversion: { uuid: "a", version: "1" }, displayname: "web", activate: true }],
      datastores: [{ id: "d" }],
      reboot: { counter: 2 },
      configItems: [{ key: "timer.config.interval", value: "5" }],
      contentInfo: [{ uuid: "c", sha256: "ab", maxSizeBytes: 2 ** 40 }],
      volumes: [{ uuid: "v", generationCount: 7 }],
    };
    const b = eve.config.EdgeDevConfig.encode(cfg).finish();
    expect(tags(b).map(([n]) => n)).toEqual([1, 4, 6, 9, 11, 20, 21]);
    const back = eve.config.EdgeDevConfig.decode(b);
    expect(back.contentInfo[0]?.maxSizeBytes).toBe(2 ** 40); // 64-bit fields are plain numbers
    expect(back.volumes[0]?.generationCount).toBe(7);
    expect(back.apps[0]?.displayname).toBe("web");
    const resp = eve.config.ConfigResponse.encode({ config: cfg, configHash: "h" }).finish();
    expect(tags(resp).map(([n]) => n)).toEqual([1, 2]);
  });

  it("ZInfoMsg: ztype=1, devId=2, ainfo=5 (oneof), atTimeStamp=6; ZInfoApp state=15", () => {
    const b = eve.info.ZInfoMsg.encode({
      ztype: eve.info.ZInfoTypes.ZiApp,
      devId: "dev",
      ainfo: { AppID: "a", state: eve.info.ZSwState.RUNNING },
      atTimeStamp: { seconds: 1, nanos: 2 },
    }).finish();
    expect(tags(b).map(([n]) => n)).toEqual([1, 2, 5, 6]);
    expect(tags(field(b, 5)).map(([n]) => n)).toEqual([1, 15]);
    const back = eve.info.ZInfoMsg.decode(b);
    expect(back.InfoContent).toBe("ainfo");
    expect(back.ainfo?.state).toBe(7);
  });

  it("register, uuid, attest, certs, metrics and logs keep their numbers", () => {
    const reg = eve.register.ZRegisterMsg.encode({
      pemCert: Buffer.from("p"),
      serial: "s",
      softSerial: "x",
    }).finish();
    expect(tags(reg).map(([n]) => n)).toEqual([2, 3, 4]);
    expect(tags(eve.uuid.UuidResponse.encode({ uuid: "u" }).finish())).toEqual([[1, 2]]);
    const q = eve.attest.ZAttestResponse.encode({
      respType: 3,
      quoteResp: { response: 1, integrity_token: Buffer.from("t") },
    }).finish();
    expect(tags(q).map(([n]) => n)).toEqual([1, 3]);
    expect(tags(field(q, 3)).map(([n]) => n)).toEqual([1, 2]);
    const certs = eve.certs.ZControllerCert.encode({
      certs: [{ hashAlgo: 1, certHash: Buffer.alloc(16), type: 1, cert: Buffer.from("c") }],
    }).finish();
    expect(tags(field(certs, 1)).map(([n]) => n)).toEqual([1, 2, 3, 4]);
    const m = eve.metrics.ZMetricMsg.encode({
      devID: "d",
      dm: { memory: { usedMem: 1 } },
      am: [{ AppID: "a" }],
    }).finish();
    expect(tags(m).map(([n]) => n)).toEqual([1, 4, 5]);
    const logs = eve.logs.LogBundle.encode({
      devID: "d",
      log: [{ severity: "info", content: "c", msgid: 3 }],
    }).finish();
    expect(tags(logs).map(([n]) => n)).toEqual([1, 3]);
  });
});
