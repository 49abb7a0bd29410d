// Broker credentials, shared by mqttagent and mqtt-manager.
import { readFileSync, statSync } from "node:fs";

/** Credentials from a 0600 file: "user\npassword" or "user:password". A looser file is refused. */
export function readCredentials(file: string): { username: string; password: string } {
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077)
    throw new Error(`${file} is mode ${mode.toString(8)}: credentials must be 0600 (chmod 600 ${file})`);
  const text = readFileSync(file, "utf8").replace(/\r?\n$/, "");
  const nl = text.indexOf("\n");
  const sep = nl >= 0 ? nl : text.indexOf(":");
  if (sep <= 0) throw new Error(`${file}: expected "username" and "password" on two lines`);
  return { username: text.slice(0, sep), password: text.slice(sep + 1).replace(/\r?\n$/, "") };
}
