// The node's identity files under config/ (docs/architecture.md section 2), with EVE's file names.
import { randomUUID, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileDurable } from "@outpost/primitives";
import { createCertificate } from "./der.js";
import { generateEcKey, loadPrivateKey, privateKeyPem, publicOf } from "./pki.js";

export const CONFIG_FILES = {
  server: "server",
  rootCert: "root-certificate.pem",
  onboardCert: "onboard.cert.pem",
  onboardKey: "onboard.key.pem",
  deviceCert: "device.cert.pem",
  deviceKey: "device.key.pem",
  /** The hardware serial (a file, so tests and VMs can choose it); empty when absent. */
  serial: "serial",
  softSerial: "soft_serial",
} as const;

export interface DeviceIdentity {
  key: ReturnType<typeof loadPrivateKey>;
  cert: X509Certificate;
  certPem: string;
}

function readTrim(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Loads the device key and certificate, creating them on first boot: an EC P-256 key (0600) and a
 * self-signed certificate. An existing identity is never replaced (the controller knows it). */
export function ensureDeviceIdentity(configDir: string): DeviceIdentity & { created: boolean } {
  const keyPath = join(configDir, CONFIG_FILES.deviceKey);
  const certPath = join(configDir, CONFIG_FILES.deviceCert);
  let created = false;
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    const key = generateEcKey();
    const certPem = createCertificate({
      subject: { commonName: `outpost-device-${softSerial(configDir)}`, organization: "Outpost" },
      publicKey: publicOf(key),
      selfKey: key,
      validDays: 365 * 20,
      keyUsage: ["digitalSignature", "keyAgreement"],
      extKeyUsage: ["clientAuth"],
    });
    writeFileDurable(keyPath, privateKeyPem(key), 0o600);
    writeFileDurable(certPath, certPem, 0o644);
    created = true;
  }
  return { ...loadIdentity(keyPath, certPath), created };
}

export function loadIdentity(keyPath: string, certPath: string): DeviceIdentity {
  const certPem = readFileSync(certPath, "utf8");
  return { key: loadPrivateKey(readFileSync(keyPath)), cert: new X509Certificate(certPem), certPem };
}

/** The soft serial (EVE config/soft_serial), created once. */
export function softSerial(configDir: string): string {
  const path = join(configDir, CONFIG_FILES.softSerial);
  const existing = readTrim(path);
  if (existing) return existing;
  const s = randomUUID();
  writeFileDurable(path, `${s}\n`, 0o644);
  return s;
}

/** config/serial, or the soft serial when there is none: never a value two nodes on one machine
 * share (the controller refuses a serial already registered under the same onboarding cert). */
export function hardwareSerial(configDir: string): string {
  return readTrim(join(configDir, CONFIG_FILES.serial)) || softSerial(configDir);
}

export interface NodeBootstrap {
  server: string;
  rootCa: string;
  onboarding?: DeviceIdentity;
}

/** Reads config/server, config/root-certificate.pem and the onboarding cert+key (if present). */
export function readBootstrap(configDir: string): NodeBootstrap {
  const server = readTrim(join(configDir, CONFIG_FILES.server));
  if (!server) throw new Error(`${join(configDir, CONFIG_FILES.server)} is missing or empty`);
  const rootCa = readFileSync(join(configDir, CONFIG_FILES.rootCert), "utf8");
  const out: NodeBootstrap = { server, rootCa };
  const ok = join(configDir, CONFIG_FILES.onboardKey);
  const oc = join(configDir, CONFIG_FILES.onboardCert);
  if (existsSync(ok) && existsSync(oc)) out.onboarding = loadIdentity(ok, oc);
  return out;
}
