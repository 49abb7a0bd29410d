// The device clock nim corrects, behind one interface: the system clock on a device (`date -s`, i.e.
// clock_settime), or, for tests and the demo, a stand-in whose "device time" is the host's time plus
// an offset kept in a file, so that correcting it never changes the clock of the machine the tests
// run on.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileDurable } from "@outpost/primitives";

export interface Clock {
  /** What the device believes the time is (ms since the epoch). */
  now(): number;
  /** Moves the device clock by `deltaMs` (the SNTP offset). Throws when it cannot. */
  step(deltaMs: number): void;
  readonly describe: string;
}

export function systemClock(): Clock {
  return {
    describe: "system clock (date -s)",
    now: () => Date.now(),
    step(deltaMs) {
      const target = (Date.now() + deltaMs) / 1000;
      const r = spawnSync("date", ["-u", "-s", `@${target.toFixed(3)}`], { encoding: "utf8", timeout: 5000 });
      if (r.status !== 0) throw new Error(`date -s: ${(r.stderr || r.error?.message || "failed").trim()}`);
    },
  };
}

/** The stand-in: device time = host time + the offset (ms) in `file` (absent: 0). */
export function fileClock(file: string): Clock {
  const offset = (): number => {
    try {
      const n = Number(readFileSync(file, "utf8").trim());
      return Number.isFinite(n) ? n : 0;
    } catch {
      return 0;
    }
  };
  return {
    describe: `stand-in clock (host time + offset in ${file})`,
    now: () => Date.now() + offset(),
    step(deltaMs) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileDurable(file, `${Math.round(offset() + deltaMs)}\n`, 0o644);
    },
  };
}
