// The controller's PKI, created on first start under <data>/pki/ (keys 0600): an EC P-256 root CA,
// the TLS server certificate (loopback names plus the listen host), and the signing certificate the
// answers to devices are signed with. Devices trust only the root (config/root-certificate.pem).
import { type KeyObject, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createCertificate,
  generateEcKey,
  loadPrivateKey,
  privateKeyPem,
  publicOf,
  signingCertHash,
} from "@outpost/evecloud";
import { writeFileDurable } from "@outpost/primitives";

export interface KeyAndCert {
  key: KeyObject;
  pem: string;
  cert: X509Certificate;
}

export interface ControllerPki {
  root: KeyAndCert;
  server: KeyAndCert;
  signing: KeyAndCert & { hash: Buffer };
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const YEARS = (n: number) => n * 365;

function load(dir: string, name: string): KeyAndCert | undefined {
  const certPath = join(dir, `${name}.cert.pem`);
  const keyPath = join(dir, `${name}.key.pem`);
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  const pem = readFileSync(certPath, "utf8");
  return { pem, cert: new X509Certificate(pem), key: loadPrivateKey(readFileSync(keyPath)) };
}

function save(dir: string, name: string, key: KeyObject, pem: string): KeyAndCert {
  writeFileDurable(join(dir, `${name}.key.pem`), privateKeyPem(key), 0o600);
  writeFileDurable(join(dir, `${name}.cert.pem`), pem, 0o644);
  return { key, pem, cert: new X509Certificate(pem) };
}

export function issue(
  root: KeyAndCert,
  commonName: string,
  usage: { server?: string[]; client?: boolean },
  key = generateEcKey(),
): { key: KeyObject; pem: string } {
  const pem = createCertificate({
    subject: { commonName, organization: "Outpost controller" },
    publicKey: publicOf(key),
    issuer: { cert: root.cert, key: root.key },
    validDays: YEARS(10),
    keyUsage: ["digitalSignature", "keyAgreement"],
    ...(usage.server ? { extKeyUsage: ["serverAuth"], altNames: usage.server } : {}),
    ...(usage.client ? { extKeyUsage: ["clientAuth"] } : {}),
  });
  return { key, pem };
}

/** Loads the PKI, creating what is missing. The server certificate is reissued when `host` is not
 * among its names (the controller was told to listen somewhere new), or one of `extraNames` (a load
 * balancer's name or address, --tls-names) is not. */
export function ensurePki(
  dataDir: string,
  host: string,
  extraNames: string[] = [],
): ControllerPki & { created: string[] } {
  const dir = join(dataDir, "pki");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  let root = load(dir, "root");
  if (!root) {
    const key = generateEcKey();
    const pem = createCertificate({
      subject: { commonName: "Outpost controller root CA", organization: "Outpost controller" },
      publicKey: publicOf(key),
      selfKey: key,
      validDays: YEARS(20),
      isCA: true,
      keyUsage: ["keyCertSign", "cRLSign", "digitalSignature"],
    });
    root = save(dir, "root", key, pem);
    created.push("root");
  }
  const names = [...new Set([...LOOPBACK_NAMES, host, ...extraNames])];
  let server = load(dir, "server");
  if (
    !server ||
    !names.every((n) =>
      n.includes(":") || /^\d/.test(n) ? server?.cert.checkIP(n) : server?.cert.checkHost(n),
    )
  ) {
    const s = issue(root, "Outpost controller", { server: names });
    server = save(dir, "server", s.key, s.pem);
    created.push("server");
  }
  let signing = load(dir, "signing");
  if (!signing) {
    const s = issue(root, "Outpost controller signing", {});
    signing = save(dir, "signing", s.key, s.pem);
    created.push("signing");
  }
  return { root, server, signing: { ...signing, hash: signingCertHash(signing.pem) }, created };
}
