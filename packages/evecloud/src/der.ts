// A minimal DER writer and X.509 v3 certificate builder. node:crypto parses and verifies certificates
// (X509Certificate) but cannot create them; what Outpost needs (EC P-256 CA, server, signing, device
// and onboarding certificates) is a few hundred bytes of DER, so we write it here rather than bring in
// an ASN.1 library (@peculiar/x509 pulls in tsyringe, reflect-metadata and six asn1 packages).
import { createHash, type KeyObject, randomBytes, sign, type X509Certificate } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

export const seq = (...c: Buffer[]) => tlv(0x30, ...c);
export const set = (...c: Buffer[]) => tlv(0x31, ...c);
export const ctx = (n: number, ...c: Buffer[]) => tlv(0xa0 | n, ...c);
export const octets = (b: Buffer) => tlv(0x04, b);
export const bitString = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
export const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));

/** A non-negative INTEGER from big-endian bytes (a leading 0 keeps it positive). */
export function uint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const enc: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) enc.unshift(0x80 | (v & 0x7f));
    out.push(...enc);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

const OID = {
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  serialNumber: "2.5.4.5",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  serialNumber?: string;
}

function name(dn: DistinguishedName): Buffer {
  const rdn = (o: string, v: Buffer) => set(seq(oid(o), v));
  const parts: Buffer[] = [];
  if (dn.organization) parts.push(rdn(OID.organization, utf8(dn.organization)));
  if (dn.serialNumber) parts.push(rdn(OID.serialNumber, tlv(0x13, Buffer.from(dn.serialNumber))));
  parts.push(rdn(OID.commonName, utf8(dn.commonName)));
  return seq(...parts);
}

/** keyUsage bits (RFC 5280 4.2.1.3), by name. */
const KEY_USAGE = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsage = keyof typeof KEY_USAGE;

function keyUsage(usages: KeyUsage[]): Buffer {
  let bits = 0;
  for (const u of usages) bits |= 0x80 >> KEY_USAGE[u];
  // DER: trailing zero bits are not counted.
  let unused = 0;
  while (unused < 7 && !(bits & (1 << unused))) unused++;
  return tlv(0x03, Buffer.from([unused, bits]));
}

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function keyId(spki: Buffer): Buffer {
  return createHash("sha1").update(spki).digest();
}

export interface CertificateRequest {
  subject: DistinguishedName;
  /** The subject's public key. */
  publicKey: KeyObject;
  /** Self-signed when absent. */
  issuer?: { cert: X509Certificate; key: KeyObject };
  /** The key that signs a self-signed certificate (the subject's private key). */
  selfKey?: KeyObject;
  validDays: number;
  isCA?: boolean;
  keyUsage: KeyUsage[];
  extKeyUsage?: ("serverAuth" | "clientAuth")[];
  /** DNS names and IP addresses (v4 or v6) for subjectAltName. */
  altNames?: string[];
  notBefore?: Date;
}

/** Builds and signs a certificate; returns its PEM. */
export function createCertificate(r: CertificateRequest): string {
  const signer = r.issuer?.key ?? r.selfKey;
  if (!signer) throw new Error("createCertificate: a self-signed certificate needs selfKey");
  const sigAlg =
    signer.asymmetricKeyType === "ec"
      ? seq(oid(OID.ecdsaWithSHA256))
      : seq(oid(OID.sha256WithRSA), tlv(0x05));
  const spki = r.publicKey.export({ type: "spki", format: "der" });
  const spkiKey = spkiBits(spki);
  const issuerName = r.issuer ? r.issuer.cert.raw : undefined;
  const notBefore = r.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + r.validDays * 86_400_000);
  const exts: Buffer[] = [
    ext(OID.basicConstraints, true, r.isCA ? seq(bool(true)) : seq()),
    ext(OID.keyUsage, true, keyUsage(r.keyUsage)),
    ext(OID.subjectKeyId, false, octets(keyId(spkiKey))),
  ];
  if (r.issuer) {
    const issuerSpki = r.issuer.cert.publicKey.export({ type: "spki", format: "der" });
    exts.push(ext(OID.authorityKeyId, false, seq(tlv(0x80, keyId(spkiBits(issuerSpki))))));
  }
  if (r.extKeyUsage?.length)
    exts.push(ext(OID.extKeyUsage, false, seq(...r.extKeyUsage.map((u) => oid(OID[u])))));
  if (r.altNames?.length) {
    const gn = r.altNames.map((n) =>
      isIPv4(n)
        ? tlv(0x87, Buffer.from(n.split(".").map(Number)))
        : isIPv6(n)
          ? tlv(0x87, ipv6Bytes(n))
          : tlv(0x82, Buffer.from(n, "ascii")),
    );
    exts.push(ext(OID.subjectAltName, false, seq(...gn)));
  }
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = seq(
    ctx(0, uint(Buffer.from([2]))),
    uint(serial),
    sigAlg,
    issuerName ? issuerSubject(issuerName) : name(r.subject),
    seq(time(notBefore), time(notAfter)),
    name(r.subject),
    spki,
    ctx(3, seq(...exts)),
  );
  const signature = sign("sha256", tbs, signer);
  const der = seq(tbs, sigAlg, bitString(signature));
  return toPem(der, "CERTIFICATE");
}

/** The subjectPublicKey bits inside an SPKI (what the key identifier hashes, RFC 5280 4.2.1.2). */
function spkiBits(spki: Buffer): Buffer {
  const [, inner] = readTlv(spki, 0);
  let off = inner;
  const [algEnd] = skipTlv(spki, off);
  off = algEnd;
  const [, bitsStart, bitsEnd] = readTlv2(spki, off);
  return spki.subarray(bitsStart + 1, bitsEnd);
}

/** The issuer's subject Name, copied byte for byte from its certificate (chain matching is by bytes). */
function issuerSubject(certDer: Buffer): Buffer {
  // Certificate -> tbsCertificate -> [0] version, serial, sigAlg, issuer, validity, subject
  const [, certInner] = readTlv(certDer, 0);
  const [, tbsInner] = readTlv(certDer, certInner);
  let off = tbsInner;
  if (certDer[off] === 0xa0) off = skipTlv(certDer, off)[0];
  for (let i = 0; i < 4; i++) off = skipTlv(certDer, off)[0]; // serial, sigAlg, issuer, validity
  const [end] = skipTlv(certDer, off);
  return certDer.subarray(off, end);
}

function readHeader(b: Buffer, off: number): { start: number; end: number } {
  let l = b[off + 1] ?? 0;
  let start = off + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + (b[start + i] ?? 0);
    start += n;
  }
  return { start, end: start + l };
}
function readTlv(b: Buffer, off: number): [number, number] {
  const h = readHeader(b, off);
  return [h.end, h.start];
}
function readTlv2(b: Buffer, off: number): [number, number, number] {
  const h = readHeader(b, off);
  return [off, h.start, h.end];
}
function skipTlv(b: Buffer, off: number): [number] {
  return [readHeader(b, off).end];
}

function ipv6Bytes(addr: string): Buffer {
  const [head = "", tail = ""] = addr.split("::");
  const h = head ? head.split(":") : [];
  const t = addr.includes("::") && tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return out;
}

export function toPem(der: Buffer, label: string): string {
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, "")}\n-----END ${label}-----\n`;
}
