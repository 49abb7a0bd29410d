// The reliable info queue: one entry per object (latest wins), kept in a table zedagent persists, so
// a report not yet accepted by the controller survives a restart of zedagent or of the node. The
// sender takes entries oldest first and deletes one only if it still holds what was sent (a newer
// value queued meanwhile is sent next).
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
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: QueueStore,
    private readonly now: () => Date = () => new Date(),
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
    this.wake?.();
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
   * and whether it stopped on a failure. */
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
      if (this.store.get(key)?.payload === entry.payload) await this.store.delete(key);
    }
    return { sent };
  }

  /** Resolves on the next put (or abort). */
  waitForWork(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || this.size > 0) return resolve();
      const done = () => {
        this.wake = undefined;
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
