import type { Codec } from "@outpost/types";

/** A table is named by who publishes it, an optional scope, and the type of its values. */
export interface TopicId {
  agent: string;
  scope?: string | undefined;
  topic: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkName(kind: string, name: string): void {
  if (!NAME.test(name))
    throw new Error(`invalid ${kind} name "${name}" (letters, digits, _ . -; at most 64)`);
}

/** The table's name inside its publisher: "scope/topic", or "/topic" without a scope. */
export function tableName(scope: string | undefined, topic: string): string {
  return `${scope ?? ""}/${topic}`;
}

export function describeTopic(t: TopicId): string {
  return t.scope ? `${t.agent}/${t.scope}/${t.topic}` : `${t.agent}/${t.topic}`;
}

export interface Handlers<T> {
  create?(key: string, value: T): void | Promise<void>;
  modify?(key: string, value: T, old: T): void | Promise<void>;
  delete?(key: string, old: T): void | Promise<void>;
  /** The subscriber holds the publisher's complete table (fires once per (re)connection). */
  synchronized?(): void | Promise<void>;
  /** The publisher bumped its restarted counter: its table is complete after its (re)start. */
  restarted?(count: number): void | Promise<void>;
}

export interface PublishOptions<T> {
  topic: string;
  scope?: string;
  codec: Codec<T>;
  /** Stored in LMDB under persist/: survives a restart of the publisher and of the node. */
  persistent?: boolean;
}

export interface SubscribeOptions<T> extends TopicId {
  codec: Codec<T>;
  handlers?: Handlers<T>;
  /** Read the publisher's persistent store at activation, before the publisher is even up. */
  persistent?: boolean;
  /** A restart is not a deletion (default true): keys a restarted publisher has not sent again keep
   * their value, and their delete handlers wait, until it signals restarted (its table is complete).
   * Only a tool that shows the live table as it is (ipcmonitor) turns this off. */
  holdAcrossRestart?: boolean;
}

export interface Publication<T> {
  readonly id: TopicId;
  /** Sets a key. Resolves once the value is visible to subscribers (and durable, when persistent).
   * The publisher's own get() sees it at once. An unchanged value is a no-op. */
  set(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  get(key: string): T | undefined;
  keys(): string[];
  entries(): [string, T][];
  readonly size: number;
  /** Bumps the restarted counter: "my table is complete after (re)start". Every non-persistent table
   * must say it once its table is rebuilt: until then, subscribers hold the keys this publisher's
   * earlier run had and it has not set again (a restart is not a deletion). */
  signalRestarted(): void;
  readonly restartedCount: number;
}

export interface Subscription<T> {
  readonly id: TopicId;
  /** Values as delivered to handlers so far. */
  get(key: string): T | undefined;
  keys(): string[];
  entries(): [string, T][];
  readonly size: number;
  readonly synchronized: boolean;
  readonly restartedCount: number;
  /** Resolves at the next synchronized (or at once if already); rejects on timeout. */
  waitSynchronized(timeoutMs?: number): Promise<void>;
  /** What the publisher says it publishes (from its last heartbeat), for clear errors. */
  readonly publisherTables: readonly string[] | undefined;
  /** When the publisher last answered (ms since the epoch; 0 = never): is it there at all? */
  readonly lastHeardAt: number;
  close(): void;
}

/** The loop a process's handlers run on. The bus only posts tasks onto it; the loop must run them one
 * at a time, in order, each after the previous one (and the promise it returned) settled. Agents pass
 * their `MainLoop` (`@outpost/primitives`), which is that; pubsub does not depend on it, being below. */
export interface HandlerLoop {
  post(task: () => void | Promise<void>): void;
}
