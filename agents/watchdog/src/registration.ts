import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeJson, type Infer, t } from "@outpost/types";

/** run/watchdog/agents/<agent>: written by outpost-boot once the agent's touch file exists.
 * {"argv": [executable, args...], "touchLimitMs": 30000 (optional)}. argv[0] is an absolute path
 * (normally <bin>/<program>, a symlink to the bundle); the restart runs exactly this argv. */
export const RegistrationCodec = t.object(
  {
    argv: t.array(t.string),
    touchLimitMs: t.optional(t.range(t.integer, 1, 86_400_000)),
  },
  "WatchdogRegistration",
);
export type Registration = Infer<typeof RegistrationCodec>;

const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Every registration in `dir`; a bad file is reported, not fatal: the others are still watched. */
export function readRegistrations(dir: string): { ok: Map<string, Registration>; bad: Map<string, string> } {
  const ok = new Map<string, Registration>();
  const bad = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { ok, bad };
  }
  for (const name of names) {
    // Boot writes <agent>.tmp and renames it: never read a half-written registration.
    if (!AGENT_NAME.test(name) || name.endsWith(".tmp")) continue;
    try {
      const reg = decodeJson(RegistrationCodec, readFileSync(join(dir, name)));
      if (reg.argv.length === 0) throw new Error("argv is empty");
      ok.set(name, reg);
    } catch (e) {
      bad.set(name, (e as Error).message);
    }
  }
  return { ok, bad };
}
