// The device-side verifier against a controller that misbehaves, over real TLS: a stand-in HTTPS
// server (certificates made here) answers `certs` and `config` with tampered envelopes.
import { type KeyObject, X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import {
  ApiError,
  createCertificate,
  DeviceSession,
  deviceCertHash,
  eve,
  generateEcKey,
  HttpClient,
  privateKeyPem,
  publicOf,
  sealEnvelope,
  signingCertHash,
} from "@outpost/evecloud";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

function ca(name: string) {
  const key = generateEcKey();
  const pem = createCertificate({
    subject: { commonName: name },
    publicKey: publicOf(key),
    selfKey: key,
    validDays: 2,
    isCA: true,
    keyUsage: ["keyCertSign", "digitalSignature"],
  });
  return { key, pem, cert: new X509Certificate(pem) };
}
function issue(root: ReturnType<typeof ca>, cn: string, altNames?: string[]) {
  const key = generateEcKey();
  const pem = createCertificate({
    subject: { commonName: cn },
    publicKey: publicOf(key),
    issuer: root,
    validDays: 2,
    keyUsage: ["digitalSignature"],
    ...(altNames ? { altNames, extKeyUsage: ["serverAuth" as const] } : {}),
  });
  return { key, pem, cert: new X509Certificate(pem) };
}

const root = ca("root");
const otherRoot = ca("other root");
const tls = issue(root, "server", ["127.0.0.1"]);
const signing = issue(root, "signing");
const rogueSigning = issue(otherRoot, "signing");

type Mode = "good" | "bad-signature" | "wrong-hash" | "rogue-chain" | "truncated-payload" | "truncated-body";
let mode: Mode = "good";
let certsRequests = 0;

const configPayload = eve.config.ConfigResponse.encode({
  config: { id: { uuid: "dev", version: "1" }, apps: [{ displayname: "web", activate: true }] },
  configHash: "a".repeat(64),
}).finish();

function seal(payload: Uint8Array, key: KeyObject, hash: Uint8Array) {
  return Buffer.from(sealEnvelope(payload, { key, senderCertHash: hash }));
}

function certsAnswer(s: { key: KeyObject; pem: string }) {
  const list = eve.certs.ZControllerCert.encode({
    certs: [
      { hashAlgo: 1, certHash: signingCertHash(s.pem).subarray(0, 16), type: 1, cert: Buffer.from(s.pem) },
    ],
  }).finish();
  return seal(list, s.key, signingCertHash(s.pem));
}

function configAnswer(): Buffer {
  const hash = signingCertHash(signing.pem);
  switch (mode) {
    case "bad-signature":
      return seal(configPayload, generateEcKey(), hash);
    case "wrong-hash":
      return seal(configPayload, signing.key, deviceCertHash(signing.cert));
    case "truncated-payload":
      return seal(configPayload.subarray(0, configPayload.length - 3), signing.key, hash);
    case "truncated-body": {
      const b = seal(configPayload, signing.key, hash);
      return b.subarray(0, b.length - 10);
    }
    default:
      return seal(configPayload, signing.key, hash);
  }
}

describe("device-side verification of controller answers", () => {
  let server: Server;
  let session: DeviceSession;
  let http: HttpClient;

  beforeAll(async () => {
    server = createServer(
      { key: privateKeyPem(tls.key), cert: tls.pem, minVersion: "TLSv1.2" },
      (req, res) => {
        req.resume();
        req.on("end", () => {
          const url = req.url ?? "";
          let body: Buffer;
          if (url.endsWith("/certs")) {
            certsRequests++;
            body = certsAnswer(mode === "rogue-chain" ? rogueSigning : signing);
          } else body = configAnswer();
          res.writeHead(200, { "Content-Type": "application/x-proto-binary" });
          res.end(body);
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    http = new HttpClient({ server: `127.0.0.1:${port}`, rootCa: root.pem, timeoutMs: 5000 });
    const devKey = generateEcKey();
    const devPem = createCertificate({
      subject: { commonName: "dev" },
      publicKey: publicOf(devKey),
      selfKey: devKey,
      validDays: 1,
      keyUsage: ["digitalSignature"],
    });
    session = new DeviceSession(http, root.cert, {
      key: devKey,
      certPem: devPem,
      cert: new X509Certificate(devPem),
    });
  });
  afterAll(() => {
    http.close();
    server.close();
    server.closeAllConnections();
  });
  beforeEach(() => {
    mode = "good";
    certsRequests = 0;
  });

  const reason = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      return (e as ApiError).reason;
    }
    throw new Error("expected a rejection");
  };

  it("accepts a good answer", async () => {
    const r = await session.config("dev", "");
    expect(r.status).toBe(200);
    expect(r.response?.config?.apps[0]?.displayname).toBe("web");
    expect(r.raw?.length).toBeGreaterThan(100);
  });

  it("rejects a bad signature", async () => {
    mode = "bad-signature";
    expect(await reason(session.config("dev", ""))).toBe("bad-signature");
  });

  it("rejects a wrong sender hash, after refetching certs once", async () => {
    await session.fetchCerts();
    certsRequests = 0;
    mode = "wrong-hash";
    expect(await reason(session.config("dev", ""))).toBe("unknown-sender");
    expect(certsRequests).toBe(1);
  });

  it("rejects a signing certificate that does not chain to the root", async () => {
    mode = "rogue-chain";
    expect(await reason(session.fetchCerts())).toBe("chain");
  });

  it("rejects a truncated protobuf (payload and envelope)", async () => {
    await session.fetchCerts();
    mode = "truncated-payload";
    expect(await reason(session.config("dev", ""))).toBe("malformed");
    mode = "truncated-body";
    expect(await reason(session.config("dev", ""))).toBe("malformed");
  });

  it("re-verifies a kept answer with a kept signing certificate, offline", async () => {
    const kept = (await session.config("dev", "")).raw ?? Buffer.alloc(0);
    const offline = new DeviceSession(
      new HttpClient({ server: "127.0.0.1:1", rootCa: root.pem }),
      root.cert,
      { key: generateEcKey(), certPem: signing.pem, cert: signing.cert },
    );
    expect(() => offline.useSigningCert(rogueSigning.pem)).toThrow(/does not chain/);
    offline.useSigningCert(signing.pem);
    const payload = await offline.open(kept, "checkpoint");
    expect(eve.config.ConfigResponse.decode(payload).configHash).toBe("a".repeat(64));
    expect((await offline.openConfigResponse(kept)).config?.apps[0]?.displayname).toBe("web");
    await expect(offline.openConfigResponse(kept.subarray(0, kept.length - 4))).rejects.toThrow(ApiError);
    offline.http.close();
  });

  it("refuses a server certificate from another root (TLS)", async () => {
    const stranger = new HttpClient({
      server: `${http.host}:${http.port}`,
      rootCa: otherRoot.pem,
      timeoutMs: 5000,
    });
    try {
      await expect(stranger.send("GET", "ping")).rejects.toMatchObject({ failure: "tls" });
    } finally {
      stranger.close();
    }
  });
});
