// Secret parameters: encrypted by the manager with the organisation key (AES-256-GCM), decrypted on
// the node only, into a 0600 file per module that domainmgr reads when it creates the container. The
// clear values never reach a log line, the heartbeat, or a pubsub table (which carry the file's path).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** The org key as sent on `<nodeId>/orgkey`: base64 of 32 bytes. */
export function parseOrgKey(payload: Buffer | string): Buffer {
  const key = Buffer.from(payload.toString().trim(), "base64");
  if (key.length !== 32)
    throw new Error(`the organisation key must be 32 bytes of base64 (got ${key.length})`);
  return key;
}

/** base64 of iv (12) | tag (16) | ciphertext: what a manifest's secretEnv values hold. */
export function encryptSecret(key: Buffer, clear: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([c.update(clear, "utf8"), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString("base64");
}

export function decryptSecret(key: Buffer, sealed: string): string {
  const raw = Buffer.from(sealed, "base64");
  if (raw.length < 28) throw new Error("too short to be a sealed value");
  const d = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
}

/** Decrypts every secret of one module into the env file's text; the error names the variable, never
 * the value. */
export function secretEnvText(
  key: Buffer | undefined,
  sealed: Record<string, string>,
): { ok: true; text: string } | { ok: false; error: string } {
  if (Object.keys(sealed).length === 0) return { ok: true, text: "" };
  if (!key) return { ok: false, error: "secret parameters but no organisation key received yet" };
  const lines: string[] = [];
  for (const [name, value] of Object.entries(sealed)) {
    try {
      const clear = decryptSecret(key, value);
      if (/[\r\n]/.test(clear)) return { ok: false, error: `secret ${name}: contains a line break` };
      lines.push(`${name}=${clear}`);
    } catch {
      return { ok: false, error: `secret ${name}: cannot be decrypted with the organisation key` };
    }
  }
  return { ok: true, text: `${lines.join("\n")}\n` };
}

/** A short fingerprint of the key (never the key), for logs and the heartbeat. */
export function keyFingerprint(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}
