import { generateKeyPairSync, X509Certificate } from "node:crypto";
import {
  ChainError,
  createCertificate,
  deviceCertHash,
  EnvelopeError,
  generateEcKey,
  openEnvelope,
  parseEnvelope,
  publicOf,
  sealEnvelope,
  signingCertHash,
  verifyChain,
  verifyPayload,
} from "@outpost/evecloud";
import { describe, expect, it } from "vitest";

function ca(name: string) {
  const key = generateEcKey();
  const pem = createCertificate({
    subject: { commonName: name },
    publicKey: publicOf(key),
    selfKey: key,
    validDays: 10,
    isCA: true,
    keyUsage: ["keyCertSign", "cRLSign", "digitalSignature"],
  });
  return { key, pem, cert: new X509Certificate(pem) };
}

function leaf(issuer: ReturnType<typeof ca>, altNames?: string[]) {
  const key = generateEcKey();
  const pem = createCertificate({
    subject: { commonName: "leaf" },
    publicKey: publicOf(key),
    issuer: { cert: issuer.cert, key: issuer.key },
    validDays: 10,
    keyUsage: ["digitalSignature"],
    extKeyUsage: ["serverAuth"],
    ...(altNames ? { altNames } : {}),
  });
  return { key, pem, cert: new X509Certificate(pem) };
}

describe("certificates", () => {
  it("builds a CA and a leaf node:crypto accepts, with SANs, and checks the chain", () => {
    const root = ca("root");
    expect(root.cert.ca).toBe(true);
    const l = leaf(root, ["localhost", "127.0.0.1", "::1"]);
    expect(l.cert.subjectAltName).toContain("DNS:localhost");
    expect(l.cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(l.cert.checkHost("localhost")).toBe("localhost");
    expect(l.cert.checkIP("::1")).toBe("::1");
    expect(l.cert.ca).toBe(false);
    verifyChain(l.cert, root.cert);
    expect(() => verifyChain(l.cert, ca("other").cert)).toThrow(ChainError);
    expect(() => verifyChain(l.cert, root.cert, [], new Date(Date.now() + 30 * 86_400_000))).toThrow(
      /not valid now/,
    );
  });

  it("RSA issuers sign too", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = createCertificate({
      subject: { commonName: "rsa" },
      publicKey: publicOf(privateKey),
      selfKey: privateKey,
      validDays: 1,
      isCA: true,
      keyUsage: ["keyCertSign"],
    });
    const c = new X509Certificate(pem);
    expect(c.verify(c.publicKey)).toBe(true);
  });
});

describe("AuthContainer", () => {
  const signer = leaf(ca("root"));
  const payload = Buffer.from("the payload");

  it("ECDSA: raw r||s of 64 bytes, verified with the sender hash first", () => {
    const hash = signingCertHash(signer.pem);
    const bytes = sealEnvelope(payload, { key: signer.key, senderCertHash: hash });
    const e = parseEnvelope(bytes);
    expect(e.signature.length).toBe(64);
    expect(e.algo).toBe(2);
    expect(Buffer.from(openEnvelope(bytes, hash, signer.cert.publicKey)).toString()).toBe("the payload");
    // wrong hash
    const other = sealEnvelope(payload, { key: signer.key, senderCertHash: deviceCertHash(signer.cert) });
    expect(() => openEnvelope(other, hash, signer.cert.publicKey)).toThrow(EnvelopeError);
    // wrong key
    const stranger = generateEcKey();
    const forged = sealEnvelope(payload, { key: stranger, senderCertHash: hash });
    try {
      openEnvelope(forged, hash, signer.cert.publicKey);
      expect.unreachable();
    } catch (err) {
      expect((err as EnvelopeError).reason).toBe("bad-signature");
    }
    // truncated
    expect(() => openEnvelope(bytes.subarray(0, bytes.length - 5), hash, signer.cert.publicKey)).toThrow(
      EnvelopeError,
    );
  });

  it("RSA: PKCS#1 v1.5", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const bytes = sealEnvelope(payload, { key: privateKey, senderCertHash: Buffer.alloc(32) });
    const e = parseEnvelope(bytes);
    expect(e.signature.length).toBe(256);
    expect(verifyPayload(e.payload, e.signature, publicKey)).toBe(true);
  });

  it("senderCert travels as base64 of the PEM", () => {
    const bytes = sealEnvelope(payload, {
      key: signer.key,
      senderCertHash: deviceCertHash(signer.cert),
      senderCert: Buffer.from(Buffer.from(signer.pem).toString("base64")),
    });
    expect(parseEnvelope(bytes).senderCert).toBe(signer.pem);
  });
});
