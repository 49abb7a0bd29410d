// Per-source token buckets, so one chatty source cannot flood the batches and the disk budget. Pure:
// time is passed in. A source's time is the line's own timestamp for sources that are read back after
// a pause (agent files, the engine's container logs), so a backlog written slowly while newlogd was
// down is not taken for a burst; receipt time for syslog and the kernel.

/** Sources tracked at once before idle ones are forgotten (syslog tags are whatever clients send). */
const MAX_BUCKETS = 4096;

interface Bucket {
  tokens: number;
  at: number;
  /** Dropped since the last line that went through: reported with the next one. */
  dropped: number;
  droppedSince: number;
}

export interface Admit {
  ok: boolean;
  /** When ok after drops: how many were dropped since when (to report once). */
  reportDropped?: { count: number; sinceMs: number };
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private perSec: number,
    private burst: number,
  ) {}

  configure(perSec: number, burst: number): void {
    this.perSec = perSec;
    this.burst = burst;
  }

  admit(source: string, nowMs: number): Admit {
    let b = this.buckets.get(source);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetIdle(nowMs);
      b = { tokens: this.burst, at: nowMs, dropped: 0, droppedSince: 0 };
      this.buckets.set(source, b);
    }
    if (nowMs > b.at) {
      b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.perSec);
      b.at = nowMs;
    }
    if (b.tokens < 1) {
      if (b.dropped === 0) b.droppedSince = nowMs;
      b.dropped++;
      return { ok: false };
    }
    b.tokens -= 1;
    if (b.dropped === 0) return { ok: true };
    const reportDropped = { count: b.dropped, sinceMs: b.droppedSince };
    b.dropped = 0;
    return { ok: true, reportDropped };
  }

  /** Drops buckets that are full again and owe no report: a new bucket for them is the same. */
  private forgetIdle(nowMs: number): void {
    for (const [source, b] of this.buckets) {
      const tokens = Math.min(this.burst, b.tokens + (Math.max(0, nowMs - b.at) / 1000) * this.perSec);
      if (b.dropped === 0 && tokens >= this.burst) this.buckets.delete(source);
    }
  }

  /** Sources with drops not yet reported (a source that went quiet while limited). */
  *pending(): Generator<[string, { count: number; sinceMs: number }]> {
    for (const [source, b] of this.buckets)
      if (b.dropped > 0) yield [source, { count: b.dropped, sinceMs: b.droppedSince }];
  }

  clearPending(source: string): void {
    const b = this.buckets.get(source);
    if (b) b.dropped = 0;
  }
}
