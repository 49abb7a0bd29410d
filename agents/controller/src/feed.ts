// Live reports for `ctl ... --follow`: every stored info/metrics/log record is also offered to the
// listeners of its device. Listeners are the admin API's open event streams.
import type { ReportRecord } from "./store.js";

export type ReportKind = "info" | "metrics" | "logs";
export interface FeedEvent {
  device: string;
  kind: ReportKind;
  record: ReportRecord;
}
type Listener = (e: FeedEvent) => void;

export class Feed {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(device: string, l: Listener): () => void {
    const set = this.listeners.get(device) ?? new Set<Listener>();
    this.listeners.set(device, set);
    set.add(l);
    return () => {
      set.delete(l);
      if (!set.size) this.listeners.delete(device);
    };
  }

  emit(e: FeedEvent): void {
    for (const l of this.listeners.get(e.device) ?? []) l(e);
  }
}
