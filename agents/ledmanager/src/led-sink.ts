import { appendFileSync, existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Infer, t } from "@outpost/types";

/** Where the pattern goes: a real LED, or a record of what it would have shown. */
export interface LedSink {
  set(on: boolean, count: number): void;
  readonly describe: string;
}

/** /sys/class/leds/<name>/brightness. The trigger is set to "none" first, otherwise the kernel
 * (heartbeat, mmc activity, ...) keeps overriding what we write. */
export function sysfsLed(sysfsRoot: string, name: string): LedSink {
  const dir = join(sysfsRoot, "class", "leds", name);
  if (!existsSync(join(dir, "brightness")))
    throw new Error(`no LED "${name}": ${dir}/brightness does not exist`);
  const trigger = join(dir, "trigger");
  if (existsSync(trigger)) writeFileSync(trigger, "none");
  const brightness = join(dir, "brightness");
  return {
    describe: brightness,
    set(on) {
      writeFileSync(brightness, on ? "1" : "0");
    },
  };
}

export const LedTransitionCodec = t.object(
  { at: t.integer, on: t.boolean, count: t.integer },
  "LedTransition",
);
export type LedTransition = Infer<typeof LedTransitionCodec>;

/** run/ledmanager/transitions: one JSON line per on/off change. Bounded: when it passes maxBytes it
 * becomes transitions.1 (replacing the older one), so it never fills run/ (a tmpfs on devices). */
export function recordingLed(path: string, maxBytes = 64 * 1024): LedSink {
  let size = existsSync(path) ? statSync(path).size : 0;
  return {
    describe: path,
    set(on, count) {
      if (size >= maxBytes) {
        renameSync(path, `${path}.1`);
        size = 0;
      }
      const line = `${JSON.stringify({ at: Date.now(), on, count })}\n`;
      appendFileSync(path, line);
      size += Buffer.byteLength(line);
    },
  };
}
