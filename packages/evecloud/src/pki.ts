// Keys, certificates and hashes the EVE API names: EC P-256 keys, the sender-cert hashes of both
// directions, and checking that a certificate chains to a root.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  type X509Certificate,
} from "node:crypto";

export function generateEcKey(): KeyObject {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
}

export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

export function loadPrivateKey(pem: string | Buffer): KeyObject {
  return createPrivateKey(pem);
}

export function publicOf(key: KeyObject): KeyObject {
  return createPublicKey(key);
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash("sha256").update(data).digest();
}

/** Device -> controller: sha256 of the device (or onboarding) certificate's DER, all 32 bytes. */
export function deviceCertHash(cert: X509Certificate): Buffer {
  return sha256(cert.raw);
}

/** Controller -> device: sha256 of the signing certificate's PEM text (EVE hashes the PEM bytes). */
export function signingCertHash(pem: string | Uint8Array): Buffer {
  return sha256(typeof pem === "string" ? Buffer.from(pem) : pem);
}

/** Splits a PEM bundle into its certificates. */
export function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}

export class ChainError extends Error {
  override name = "ChainError";
}

/** Checks that `leaf` chains to `root` through `intermediates` (issuer names match, every signature
 * verifies, every certificate is within its validity period, every issuer is a CA). Throws ChainError. */
export function verifyChain(
  leaf: X509Certificate,
  root: X509Certificate,
  intermediates: X509Certificate[] = [],
  now = new Date(),
): void {
  const within = (c: X509Certificate) => {
    if (now < new Date(c.validFrom) || now > new Date(c.validTo))
      throw new ChainError(`certificate "${c.subject}" is not valid now (${c.validFrom} .. ${c.validTo})`);
  };
  let cur = leaf;
  within(cur);
  for (let depth = 0; depth < 8; depth++) {
    if (cur.checkIssued(root) && cur.verify(root.publicKey)) {
      within(root);
      return;
    }
    const next = intermediates.find((i) => i.ca && cur.checkIssued(i) && cur.verify(i.publicKey));
    if (!next)
      throw new ChainError(
        `certificate "${cur.subject.replace(/\n/g, ", ")}" does not chain to the root certificate`,
      );
    within(next);
    cur = next;
  }
  throw new ChainError("certificate chain too long");
}
