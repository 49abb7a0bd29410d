// Live reports for `ctl ... --follow`: every report the store keeps, from whichever controller process
// received it (the store's watchReports: in-process for LMDB, LISTEN/NOTIFY for PostgreSQL), is offered
// to the listeners of its device. Listeners are the admin API's open event streams. The store is
// watched only while at least one stream is open.
import type { ControllerStore, ReportEvent, ReportKind } from "./store/index.js";

export type { ReportKind };
export type FeedEvent = ReportEvent;
type Listener = (e: FeedEvent) => void;

export class Feed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private watching: Promise<() => Promise<void>> | undefined;

  constructor(private readonly store: ControllerStore) {}

  /** Resolves once reports stored from now on reach `l` (the store is being watched). */
  async on(device: string, l: Listener): Promise<() => void> {
    const set = this.listeners.get(device) ?? new Set<Listener>();
    this.listeners.set(device, set);
    set.add(l);
    this.watching ??= this.store.watchReports((e) => this.emit(e));
    try {
      await this.watching;
    } catch (e) {
      this.off(device, l);
      throw e;
    }
    return () => this.off(device, l);
  }

  private off(device: string, l: Listener): void {
    const set = this.listeners.get(device);
    if (!set) return;
    set.delete(l);
    if (!set.size) this.listeners.delete(device);
    if (this.listeners.size || !this.watching) return;
    const w = this.watching;
    this.watching = undefined;
    void w.then((stop) => stop()).catch(() => {});
  }

  private emit(e: FeedEvent): void {
    for (const l of this.listeners.get(e.device) ?? []) l(e);
  }
}
