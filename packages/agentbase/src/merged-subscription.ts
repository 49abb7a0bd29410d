// One table read from several publishers: the same topic as published by each of them (zedagent's
// and mqttagent's AppInstanceConfig), seen as one table whose keys each publisher owns. Complete
// (synchronized, restarted) only when every publisher's part is, so a consumer that deletes what is
// missing never reads one manager's absence as the removal of its apps.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Handlers, PubSub, Subscription } from "@outpost/pubsub";
import type { Codec } from "@outpost/types";
import type { Layout } from "./layout.js";

export interface MergedOptions<T> {
  /** In priority order: a key two publishers both set is taken from the first (and `conflicts` says so). */
  agents: readonly string[];
  topic: string;
  codec: Codec<T>;
  handlers?: Handlers<T>;
  persistent?: boolean;
}

export class MergedSubscription<T> {
  readonly parts: readonly { agent: string; sub: Subscription<T> }[];

  constructor(pubsub: PubSub, o: MergedOptions<T>) {
    const h = o.handlers ?? {};
    const whole = () => this.synchronized;
    this.parts = o.agents.map((agent) => ({
      agent,
      sub: pubsub.subscribe({
        agent,
        topic: o.topic,
        codec: o.codec,
        ...(o.persistent !== undefined ? { persistent: o.persistent } : {}),
        handlers: {
          create: (k, v) => h.create?.(k, v),
          modify: (k, v, old) => h.modify?.(k, v, old),
          delete: (k, old) => h.delete?.(k, old),
          synchronized: () => (whole() ? h.synchronized?.() : undefined),
          restarted: () => {
            const count = this.restartedCount;
            return count > 0 ? h.restarted?.(count) : undefined;
          },
        },
      }),
    }));
  }

  /** The publisher that owns `key` (the first one that has it). */
  owner(key: string): string | undefined {
    return this.parts.find((p) => p.sub.get(key) !== undefined)?.agent;
  }
  get(key: string): T | undefined {
    for (const p of this.parts) {
      const v = p.sub.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  keys(): string[] {
    return [...new Set(this.parts.flatMap((p) => p.sub.keys()))];
  }
  entries(): [string, T][] {
    return this.keys().map((k) => [k, this.get(k) as T]);
  }
  get size(): number {
    return this.keys().length;
  }
  /** Keys more than one publisher sets (the first publisher's value is used). */
  conflicts(): string[] {
    return this.keys().filter((k) => this.parts.filter((p) => p.sub.get(k) !== undefined).length > 1);
  }
  get synchronized(): boolean {
    return this.parts.every((p) => p.sub.synchronized);
  }
  /** The least of the parts' counters: > 0 once every publisher said its table is complete. */
  get restartedCount(): number {
    return Math.min(...this.parts.map((p) => p.sub.restartedCount));
  }
  close(): void {
    for (const p of this.parts) p.sub.close();
  }
}

/** The file whose presence makes a node MQTT-managed: the broker URL mqttagent connects to. */
export const MQTT_BROKER_FILE = ["config", "mqtt", "broker"] as const;

/** Who publishes app configs on this node: zedagent (the controller), and mqttagent when a broker
 * is configured (`config/mqtt/broker`). zedmanager, volumemgr and zedrouter read their config tables
 * from each, so both managers' apps run side by side. */
export function appConfigPublishers(layout: Pick<Layout, "root">): string[] {
  return existsSync(join(layout.root, ...MQTT_BROKER_FILE)) ? ["zedagent", "mqttagent"] : ["zedagent"];
}
