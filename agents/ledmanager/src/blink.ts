import type { LedBlinkCounter } from "@outpost/types";

export interface BlinkTiming {
  onMs: number;
  offMs: number;
  /** The long pause after the N blinks, on top of the last offMs. */
  pauseMs: number;
}

// EVE's rhythm: short enough to count by eye, a pause long enough to tell where a cycle starts.
export const DEFAULT_TIMING: BlinkTiming = { onMs: 200, offMs: 200, pauseMs: 1200 };

export interface BlinkStep {
  on: boolean;
  ms: number;
}

/** One cycle of the pattern for `count`: N x (on, off), then the long pause. Count 0 (nothing set
 * yet) is the LED off for one pause. Consecutive off phases are merged, so every step is a real
 * on/off transition. */
export function blinkPattern(count: number, timing: BlinkTiming = DEFAULT_TIMING): BlinkStep[] {
  if (count <= 0) return [{ on: false, ms: timing.pauseMs }];
  const steps: BlinkStep[] = [];
  for (let i = 0; i < count; i++) {
    steps.push({ on: true, ms: timing.onMs });
    steps.push({ on: false, ms: i === count - 1 ? timing.offMs + timing.pauseMs : timing.offMs });
  }
  return steps;
}

export interface ChosenCount {
  blinkCount: number;
  source: string;
  /** The publishing agent whose setting won, absent when nothing is set. */
  agent?: string;
  setAt: number;
}

export const NOTHING_SET: ChosenCount = { blinkCount: 0, source: "nothing set", setAt: 0 };

/** The count to play: the most recently set one across all publishers (1, no usable IP, hides 2-4). Ties (same ms) go to the
 * higher count, so an error count is not hidden by a simultaneous "all fine". */
export function chooseBlinkCount(settings: Iterable<[agent: string, value: LedBlinkCounter]>): ChosenCount {
  let best: ChosenCount = NOTHING_SET;
  let found = false;
  const all = [...settings];
  // While someone says "no usable IP" (1, nim), the connection stages that need an IP (2 connecting,
  // 3 not onboarded, 4 onboarded) cannot be true: they are not played over it. Errors (10+) still are.
  const noIp = all.some(([, v]) => v.blinkCount === 1);
  for (const [agent, v] of all) {
    if (noIp && v.blinkCount >= 2 && v.blinkCount <= 4) continue;
    if (!found || v.setAt > best.setAt || (v.setAt === best.setAt && v.blinkCount > best.blinkCount)) {
      best = { blinkCount: v.blinkCount, source: v.source, agent, setAt: v.setAt };
      found = true;
    }
  }
  return best;
}

/** Blinks per cycle read back from recorded transitions: groups of "on" separated by an off phase
 * longer than `gapMs`. Used by tests and diag to show what the LED is really doing. */
export function blinksPerCycle(transitions: { at: number; on: boolean }[], gapMs: number): number[] {
  const cycles: number[] = [];
  let current = 0;
  let lastOff: number | undefined;
  for (const t of transitions) {
    if (t.on) {
      if (lastOff !== undefined && t.at - lastOff > gapMs && current > 0) {
        cycles.push(current);
        current = 0;
      }
      current++;
    } else lastOff = t.at;
  }
  if (current > 0) cycles.push(current);
  return cycles;
}
