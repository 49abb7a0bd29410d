// PLACEHOLDER SIGNATURES ONLY - being implemented now (pubsub author). Do not edit.
import type { MainLoop } from "@outpost/primitives";
import type { Publication, PublishOptions, SubscribeOptions, Subscription } from "./contract.js";
import type { Transport } from "./transport.js";

/** The subset of a pino logger the bus uses. */
export interface BusLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface BusOptions {
  /** This process's publisher name: its tables are (agent, scope, topic). */
  agent: string;
  transport: Transport;
  /** <root>/persist/pubsub: one LMDB store per publishing agent beneath it. */
  persistDir: string;
  /** Handlers run on this loop, one at a time. */
  loop: MainLoop;
  log?: BusLogger;
}

export class PubSub {
  constructor(readonly options: BusOptions) {}
  publish<T>(_o: PublishOptions<T>): Promise<Publication<T>> {
    throw new Error("todo");
  }
  subscribe<T>(_o: SubscribeOptions<T>): Subscription<T> {
    throw new Error("todo");
  }
  close(): Promise<void> {
    throw new Error("todo");
  }
}
