// The AuthContainer envelope of the EVE API, both directions (docs/eve-api.md):
// signature = sign(sha256(payload)); ECDSA P-256 as raw r||s (32+32 bytes), RSA as PKCS#1 v1.5;
// algo = SHA256_32BYTES. Verification checks the sender hash first, then the signature, and only
// then hands out the payload bytes.
import { type KeyObject, sign, verify } from "node:crypto";
import { eveAuth as eve } from "./proto-auth.js";

const HashAlgorithm = eve.common.HashAlgorithm;

export interface SignOptions {
  /** The signer's private key (EC P-256 or RSA). */
  key: KeyObject;
  /** deviceCertHash(...) or signingCertHash(...), per direction. */
  senderCertHash: Uint8Array;
  /** register only: base64 of the onboarding certificate PEM. */
  senderCert?: Uint8Array;
}

export function signPayload(payload: Uint8Array, key: KeyObject): Buffer {
  return key.asymmetricKeyType === "ec"
    ? sign("sha256", payload, { key, dsaEncoding: "ieee-p1363" })
    : sign("sha256", payload, key);
}

export function verifyPayload(payload: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  try {
    return key.asymmetricKeyType === "ec"
      ? verify("sha256", payload, { key, dsaEncoding: "ieee-p1363" }, signature)
      : verify("sha256", payload, key, signature);
  } catch {
    return false;
  }
}

/** Wraps an encoded message: returns the encoded AuthContainer. */
export function sealEnvelope(payload: Uint8Array, o: SignOptions): Uint8Array {
  return eve.auth.AuthContainer.encode({
    protectedPayload: { payload },
    algo: HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES,
    senderCertHash: o.senderCertHash,
    signatureHash: signPayload(payload, o.key),
    ...(o.senderCert ? { senderCert: o.senderCert } : {}),
  }).finish();
}

export type EnvelopeFailure = "malformed" | "unknown-sender" | "bad-signature";

export class EnvelopeError extends Error {
  override name = "EnvelopeError";
  constructor(
    readonly reason: EnvelopeFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenedEnvelope {
  payload: Uint8Array;
  senderCertHash: Uint8Array;
  /** Decoded from base64 when present (register). */
  senderCert?: string;
  signature: Uint8Array;
  algo: number;
}

/** Decodes an AuthContainer without checking it (the controller must look up the sender first). */
export function parseEnvelope(bytes: Uint8Array): OpenedEnvelope {
  let c: eve.auth.AuthContainer;
  try {
    c = eve.auth.AuthContainer.decode(bytes);
  } catch (e) {
    throw new EnvelopeError("malformed", `not an AuthContainer: ${(e as Error).message}`);
  }
  const payload = c.protectedPayload?.payload;
  if (!payload) throw new EnvelopeError("malformed", "AuthContainer without protectedPayload");
  if (!c.signatureHash?.length) throw new EnvelopeError("malformed", "AuthContainer without signature");
  const out: OpenedEnvelope = {
    payload,
    senderCertHash: c.senderCertHash ?? new Uint8Array(),
    signature: c.signatureHash,
    algo: c.algo ?? 0,
  };
  if (c.senderCert?.length)
    out.senderCert = Buffer.from(Buffer.from(c.senderCert).toString(), "base64").toString();
  return out;
}

/** How many leading bytes of the sender hash count, per the envelope's algo. */
function hashLength(algo: number): number {
  return algo === HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES ? 16 : 32;
}

export function hashMatches(got: Uint8Array, full: Uint8Array, algo: number): boolean {
  const n = hashLength(algo);
  return got.length === n && Buffer.from(got).equals(Buffer.from(full.subarray(0, n)));
}

/** Verifies an envelope against the one sender we expect (the device checking the controller):
 * sender hash, then signature. Returns the payload; throws EnvelopeError. */
export function openEnvelope(bytes: Uint8Array, expectedHash: Uint8Array, key: KeyObject): Uint8Array {
  const e = parseEnvelope(bytes);
  if (!hashMatches(e.senderCertHash, expectedHash, e.algo))
    throw new EnvelopeError(
      "unknown-sender",
      `sender certificate hash ${Buffer.from(e.senderCertHash).toString("hex")} is not the signing certificate's`,
    );
  if (!verifyPayload(e.payload, e.signature, key))
    throw new EnvelopeError("bad-signature", "signature does not verify with the signing certificate");
  return e.payload;
}
