// An app's user data, as the controller sends it: base64 of KEY=VALUE lines that become the
// container's environment. Malformed input is an error the operator sees, never a guess.

export type EnvResult = { ok: true; env: Record<string, string> } | { ok: false; error: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseUserDataEnv(userData: string): EnvResult {
  const b64 = userData.replace(/\s+/g, "");
  if (b64 === "") return { ok: true, env: {} };
  if (!BASE64.test(b64) || b64.length % 4 !== 0) return { ok: false, error: "userData is not valid base64" };
  const text = Buffer.from(b64, "base64").toString("utf8");
  if (text.includes("\uFFFD")) return { ok: false, error: "userData does not decode to UTF-8 text" };
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0)
      return { ok: false, error: `userData line ${i + 1} has no "=": ${JSON.stringify(clip(line))}` };
    const name = line.slice(0, eq);
    if (!NAME.test(name))
      return {
        ok: false,
        error: `userData line ${i + 1}: ${JSON.stringify(clip(name))} is not a valid environment variable name`,
      };
    env[name] = line.slice(eq + 1);
  }
  return { ok: true, env };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
