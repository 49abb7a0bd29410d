// The reliable info queue: one entry per object (latest wins), kept in a table zedagent persists, so
// a report not yet accepted by the controller survives a restart of zedagent or of the node. The
// sender takes entries oldest first and deletes one only if it still holds what was sent (a newer
// value queued meanwhile is sent next). zedagent sends one entry per worker job (info-reporter.ts:
// `pending` then `delivered` on the main loop); `drain` is the same rule in one pass.
import type { InfoQueueEntry } from "@outpost/types";

/** What the queue needs from its store (a persistent Publication fits). */
export interface QueueStore {
  get(key: string): InfoQueueEntry | undefined;
  set(key: string, v: InfoQueueEntry): Promise<void>;
  delete(key: string): Promise<void>;
  entries(): [string, InfoQueueEntry][];
}

/** Sends one encoded ZInfoMsg; resolves when the controller accepted it, throws otherwise. */
export type SendFn = (payload: Uint8Array) => Promise<void>;

export class ReportQueue {
  constructor(
    private readonly store: QueueStore,
    private readonly now: () => Date = () => new Date(),
    /** Called after each put (the sender starts if it is idle). */
    private readonly onPut: () => void = () => {},
  ) {}

  get size(): number {
    return this.store.entries().length;
  }

  async put(key: string, payload: Uint8Array, summary: unknown = {}): Promise<void> {
    await this.store.set(key, {
      payload: Buffer.from(payload).toString("base64"),
      queuedAt: this.now().toISOString(),
      attempts: 0,
      summary,
    });
    this.onPut();
  }

  /** Oldest first; the device's own entry first of all (it says who is reporting). */
  pending(): [string, InfoQueueEntry][] {
    return this.store
      .entries()
      .sort(([ka, a], [kb, b]) =>
        ka === "device" ? -1 : kb === "device" ? 1 : a.queuedAt.localeCompare(b.queuedAt),
      );
  }

  /** Sends every pending entry once, in order; stops at the first failure. Returns how many were sent
   * and whether it stopped on a failure. Only for a caller that owns the store for the whole pass. */
  async drain(send: SendFn, signal?: AbortSignal): Promise<{ sent: number; failed?: unknown }> {
    let sent = 0;
    for (const [key, entry] of this.pending()) {
      if (signal?.aborted) break;
      try {
        await send(Buffer.from(entry.payload, "base64"));
      } catch (e) {
        return { sent, failed: e };
      }
      sent++;
      await this.delivered(key, entry);
    }
    return { sent };
  }

  /** `entry` was accepted: its key goes, unless a newer value was queued meanwhile (sent next). */
  async delivered(key: string, entry: InfoQueueEntry): Promise<void> {
    if (this.store.get(key)?.payload === entry.payload) await this.store.delete(key);
  }
}
