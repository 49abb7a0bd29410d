// The broker link: one MQTT client, reconnected by us with Backoff (the library's own fixed-period
// reconnect is off), QoS 1, a retained last will that marks the node disconnected. Everything it
// reports is posted onto the main loop by the caller's callbacks.
import { readFileSync } from "node:fs";
import { readCredentials } from "@outpost/mqttedge";
import { type Backoff, sleep } from "@outpost/primitives";
import { connect, type IClientOptions, type MqttClient } from "mqtt";

export interface BrokerOptions {
  url: string;
  clientId: string;
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** "username\npassword" (or "username:password"), must be 0600. */
  credentialsFile?: string | undefined;
  keepaliveS: number;
  connectTimeoutMs: number;
  backoff: Backoff;
  will: { topic: string; payload: string };
  subscriptions: string[];
}

export interface BrokerEvents {
  /** `refused`: the broker answered and said no (CONNACK code): credentials, client id, ... */
  state(state: "connecting" | "connected" | "refused", detail: { error?: string; retryInMs?: number }): void;
  message(topic: string, payload: Buffer): void;
}

/** The TLS and login options, read from their files (errors name the file, never a secret). */
export function clientOptions(o: BrokerOptions): IClientOptions {
  const opts: IClientOptions = {
    clientId: o.clientId,
    clean: false, // a QoS 1 command sent while we were away is delivered on reconnect
    keepalive: o.keepaliveS,
    connectTimeout: o.connectTimeoutMs,
    reconnectPeriod: 0,
    protocolVersion: 4,
    will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: 1, retain: true },
  };
  if (o.url.startsWith("mqtts:")) {
    opts.rejectUnauthorized = true;
    if (o.caFile) opts.ca = readFileSync(o.caFile);
    if (o.certFile) opts.cert = readFileSync(o.certFile);
    if (o.keyFile) opts.key = readFileSync(o.keyFile);
  } else if (o.certFile || o.caFile)
    throw new Error(`TLS files given but the broker URL ${o.url} is not mqtts://`);
  if (o.credentialsFile) Object.assign(opts, readCredentials(o.credentialsFile));
  return opts;
}

export class Broker {
  private client: MqttClient | undefined;
  private reconnects = 0;

  constructor(
    private readonly o: BrokerOptions,
    private readonly on: BrokerEvents,
  ) {}

  get connected(): boolean {
    return this.client?.connected === true;
  }
  get reconnectCount(): number {
    return this.reconnects;
  }

  /** Connects, and reconnects with back-off until `signal` aborts. Resolves after the final close. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.on.state("connecting", {});
      const outcome = await this.session(signal);
      if (signal.aborted) break;
      const delay = this.o.backoff.next();
      this.reconnects++;
      this.on.state(outcome.refused ? "refused" : "connecting", { error: outcome.error, retryInMs: delay });
      await sleep(delay, signal);
    }
  }

  /** One connection, from connect to close. */
  private session(signal: AbortSignal): Promise<{ refused: boolean; error: string }> {
    return new Promise((resolve) => {
      let opts: IClientOptions;
      try {
        opts = clientOptions(this.o);
      } catch (e) {
        resolve({ refused: true, error: (e as Error).message });
        return;
      }
      const client = connect(this.o.url, opts);
      this.client = client;
      let lastError = "connection closed";
      let refused = false;
      const onAbort = () => client.end(false);
      signal.addEventListener("abort", onAbort, { once: true });
      client.on("connect", () => {
        this.o.backoff.reset();
        client.subscribe(this.o.subscriptions, { qos: 1 }, (err) => {
          if (err) lastError = `subscribe: ${err.message}`;
        });
        this.on.state("connected", {});
      });
      client.on("message", (topic, payload) => this.on.message(topic, payload));
      client.on("error", (err: Error & { code?: number }) => {
        // A CONNACK refusal: the broker is there and said no.
        if (typeof err.code === "number" && err.code > 0) refused = true;
        lastError = err.message;
      });
      client.on("close", () => {
        signal.removeEventListener("abort", onAbort);
        client.removeAllListeners();
        client.on("error", () => {});
        client.end(true);
        resolve({ refused, error: lastError });
      });
    });
  }

  /** QoS 1 publish; false when not connected (the next heartbeat carries the news). */
  publish(topic: string, payload: string, retain: boolean): Promise<boolean> {
    const c = this.client;
    if (!c?.connected) return Promise.resolve(false);
    return new Promise((resolve) => c.publish(topic, payload, { qos: 1, retain }, (err) => resolve(!err)));
  }

  /** A clean stop: the final status first (the will is not sent on a clean disconnect). */
  async close(final?: { topic: string; payload: string }): Promise<void> {
    const c = this.client;
    if (!c) return;
    if (final && c.connected) await this.publish(final.topic, final.payload, true);
    await new Promise<void>((resolve) => c.end(false, {}, () => resolve()));
  }
}
