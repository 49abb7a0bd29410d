// The controller link: holds the connection planner's state (connection.ts), feeds it events on the
// main loop, and carries out its actions through one executor per kind (agentbase's runSteps). Every
// HTTP call runs in the worker pool; its outcome comes back as an event, classified here at the edge.
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { type Executors, runSteps } from "@outpost/agentbase";
import {
  ApiError,
  CONFIG_FILES,
  type DecodedConfigResponse,
  DeviceSession,
  HttpClient,
  loadIdentity,
  parseServer,
  readBootstrap,
  TransportError,
} from "@outpost/evecloud";
import { Backoff } from "@outpost/primitives";
import { readCheckpoint } from "./checkpoint.js";
import type { ConfigTables } from "./config-tables.js";
import {
  type ConfigSource,
  type ConnAction,
  type ConnEvent,
  type Connection,
  initialConnection,
  type NextPoll,
  step,
} from "./connection.js";
import { LoopTimer } from "./loop-timer.js";
import { nextPollDelayMs } from "./schedule.js";
import type { StatusBoard } from "./status-board.js";
import type { UnitContext } from "./unit-context.js";

export interface ControllerLinkOptions extends UnitContext {
  board: StatusBoard;
  config: ConfigTables;
  /** config/ (server, root certificate, device key and certificate) */
  configDir: string;
  /** persist/checkpoint/ */
  checkpointDir: string;
  /** timer.config.interval in seconds, re-read while a poll waits. */
  intervalSeconds: () => number;
  /** timer.send.timeout, read when the session opens. */
  sendTimeoutMs: () => number;
  /** The session is open: the reporting units start with it. */
  onSession: (uuid: string, session: DeviceSession) => void;
  /** Something the agent cannot go on without (the bootstrap files are unreadable). */
  onFatal: (err: unknown) => void;
  /** The HTTP proxy for the controller's host (nim's DeviceNetworkStatus), if any. */
  proxy?: (host: string) => string | undefined;
  /** The controller answers again after being unreachable. */
  onReachable?: () => void;
}

/** What a failed attestation or poll means for the planner. */
export function classify(e: unknown): ConnEvent {
  if (e instanceof TransportError) return { kind: "unreachable", failure: e.failure, message: e.message };
  if (e instanceof ApiError && e.reason)
    return { kind: "refused-answer", code: e.reason, message: e.message };
  if (e instanceof ApiError) return { kind: "http-error", status: e.status, message: e.message };
  return { kind: "failed", message: e instanceof Error ? e.message : String(e) };
}

export class ControllerLink {
  private state: Connection = initialConnection;
  private uuid = "";
  private session: DeviceSession | undefined;
  private rootPem = "";
  private token: Uint8Array | undefined;
  /** A 403 right after a fresh attestation: retry later, more slowly each time. */
  private readonly retry = new Backoff({ minMs: 1000, maxMs: 60_000 });
  private readonly timer: LoopTimer;
  private readonly executors: Executors<ConnAction, [], Promise<void> | void>;

  constructor(private readonly o: ControllerLinkOptions) {
    this.timer = new LoopTimer(o.loop, () => this.dispatch({ kind: "poll-due" }));
    const { board, log } = o;
    this.executors = {
      "start-session": (a) => this.openSession(a.uuid),
      attest: () => this.attest(),
      poll: () => this.poll(),
      "drop-token": () => {
        this.token = undefined;
      },
      apply: (a) => this.apply(a.response, a.raw, a.source),
      "load-checkpoint": () => this.loadCheckpoint(),
      status: (a) => board.set(a.patch),
      reject: (a) => {
        log.error(
          { code: a.code, configHash: o.config.hash },
          `config rejected (${a.code}): ${a.reason}; the previous config stays in force`,
        );
        return board.set({
          lastRejectedAt: a.at,
          lastRejectedReason: a.reason,
          lastRejectedCode: a.code,
          rejectedCount: board.current.rejectedCount + 1,
        });
      },
      led: (a) => board.led(a.count, a.why),
      log: (a) => log[a.level](a.fields, a.msg),
      reachable: () => o.onReachable?.(),
    };
  }

  /** The planner's state, for a look (tests, debugging). */
  get connection(): Connection {
    return this.state;
  }

  /** Runs one event through the planner and its actions. Only ever called on the main loop. */
  async dispatch(e: ConnEvent): Promise<void> {
    const r = step(this.state, e, new Date());
    this.state = r.state;
    await runSteps(this.executors, r.actions);
    if (r.next) this.schedule(r.next);
  }

  /** The config items changed: a pending poll re-reads its period. */
  retime(): void {
    this.timer.retime();
  }

  stop(): void {
    this.timer.cancel();
    this.session?.http.close();
  }

  /** nim changed the management addresses or proxy: drop the connections made before, and use the
   * proxy now in force. */
  networkChanged(): void {
    const http = this.session?.http;
    if (!http) return;
    http.setProxy(this.o.proxy?.(http.host));
    http.resetConnections();
  }

  private post(e: ConnEvent): void {
    this.o.loop.post(() => this.dispatch(e));
  }

  private schedule(next: NextPoll): void {
    if (next === "backoff") {
      const wait = this.retry.next();
      this.timer.arm(() => wait);
      return;
    }
    this.retry.reset();
    if (next === "now") this.timer.arm(() => 0);
    else {
      // The draw is kept, the interval re-read: a config that shortens the period takes effect at once.
      const r = Math.random();
      this.timer.arm(() => nextPollDelayMs(this.o.intervalSeconds(), () => r));
    }
  }

  private openSession(uuid: string): void {
    try {
      const boot = readBootstrap(this.o.configDir);
      const http = new HttpClient({
        server: boot.server,
        rootCa: boot.rootCa,
        timeoutMs: this.o.sendTimeoutMs(),
        proxy: this.o.proxy?.(parseServer(boot.server).host),
      });
      const dir = this.o.configDir;
      const identity = loadIdentity(join(dir, CONFIG_FILES.deviceKey), join(dir, CONFIG_FILES.deviceCert));
      this.session = new DeviceSession(http, new X509Certificate(boot.rootCa), identity);
      this.rootPem = boot.rootCa;
      this.uuid = uuid;
    } catch (e) {
      this.o.onFatal(e);
      return;
    }
    this.o.onSession(uuid, this.session);
  }

  private attest(): void {
    const session = this.session;
    if (!session) return;
    const uuid = this.uuid;
    this.o.work(
      () => session.attest(uuid),
      (r) => {
        if (r.ok) this.token = r.value;
        return this.dispatch(r.ok ? { kind: "attested" } : classify(r.error));
      },
    );
  }

  private poll(): void {
    const session = this.session;
    if (!session) return;
    const { uuid, token } = this;
    const hash = this.o.config.hash;
    this.o.work(
      (signal) => session.config(uuid, hash, token, signal),
      (r) => {
        if (!r.ok) return this.dispatch(classify(r.error));
        const { status, response, raw } = r.value;
        if (status === 200 && response && raw) return this.dispatch({ kind: "config", response, raw });
        return this.dispatch({ kind: "answer", status });
      },
    );
  }

  private async apply(response: DecodedConfigResponse, raw: Uint8Array, source: ConfigSource): Promise<void> {
    let e: ConnEvent;
    try {
      e = await this.o.config.apply(response, raw, source, {
        uuid: this.uuid,
        rootPem: this.rootPem,
        signingPem: this.session?.signingCert?.pem,
      });
    } catch (err) {
      e = { kind: "failed", message: `applying the config: ${(err as Error).message}` };
    }
    this.post(e);
  }

  /** Re-verifies the kept answer with the certificate kept beside it (it must chain to the root). */
  private loadCheckpoint(): void {
    const session = this.session;
    if (!session) return;
    const dir = this.o.checkpointDir;
    this.o.work(
      async () => {
        const kept = readCheckpoint(dir);
        if (!kept) return undefined;
        session.useSigningCert(kept.signingPem);
        return { raw: kept.raw, response: await session.openConfigResponse(kept.raw) };
      },
      (r) => {
        if (!r.ok) {
          const err = r.error;
          return this.dispatch({
            kind: "checkpoint-unusable",
            code: err instanceof ApiError && err.reason ? err.reason : "checkpoint",
            message: (err as Error).message,
          });
        }
        if (!r.value) return this.dispatch({ kind: "checkpoint-none" });
        return this.dispatch({ kind: "checkpoint", ...r.value });
      },
    );
  }
}
