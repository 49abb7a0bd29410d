// When to poll next: EVE spreads a fleet's polls by drawing each wait uniformly between 30 % and 100 %
// of timer.config.interval, so devices that booted together do not poll together.

export const JITTER_MIN_FRACTION = 0.3;

/** ms until the next config poll; `random` in [0, 1). */
export function nextPollDelayMs(intervalSeconds: number, random: () => number = Math.random): number {
  const base = intervalSeconds * 1000;
  return Math.round(base * (JITTER_MIN_FRACTION + (1 - JITTER_MIN_FRACTION) * random()));
}
