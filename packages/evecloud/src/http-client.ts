// The HTTPS client a device uses to reach its controller: the controller's root CA is the only trust
// anchor, TLS >= 1.2, verification always on, keep-alive, a deadline per request. Failures are
// classified so the caller can log one clear line per cause.
import { randomUUID } from "node:crypto";
import { Agent, type AgentOptions, request } from "node:https";
import { TunnelAgent } from "@outpost/primitives/proxy-tunnel";

export interface HttpClientOptions {
  /** "host", "host:port" or "[v6]:port", as in config/server (default port 443). */
  server: string;
  /** PEM of the root certificate (config/root-certificate.pem). */
  rootCa: string;
  /** Sent until the device knows its UUID. */
  serial?: string;
  softSerial?: string;
  /** Whole-request deadline (connect, TLS, response body); default 30 s. */
  timeoutMs?: number;
  maxSockets?: number;
  /** http://[user:pass@]host:port: reach the server through this HTTP proxy (CONNECT tunnel); TLS
   * to the server is end to end, verified as without a proxy. */
  proxy?: string;
}

export interface HttpResponse {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export type TransportFailure = "refused" | "tls" | "timeout" | "dns" | "network";

export class TransportError extends Error {
  override name = "TransportError";
  constructor(
    readonly failure: TransportFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/;

export function classify(err: NodeJS.ErrnoException, server: string): TransportError {
  const code = err.code ?? "";
  // A failure at the proxy (TunnelAgent) says so in its message.
  if (err.message.startsWith("proxy "))
    return new TransportError(code === "ECONNREFUSED" ? "refused" : "network", err.message, code);
  if (code === "ECONNREFUSED") return new TransportError("refused", `connection refused by ${server}`, code);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new TransportError("dns", `cannot resolve ${server}: ${code}`, code);
  if (TLS_CODES.test(code) || /SSL|TLS|certificate/i.test(err.message))
    return new TransportError(
      "tls",
      `TLS failure talking to ${server}: ${err.message} (${code || "no code"})`,
      code,
    );
  if (code === "ETIMEDOUT") return new TransportError("timeout", `timed out connecting to ${server}`, code);
  return new TransportError("network", `network error talking to ${server}: ${err.message}`, code);
}

export function parseServer(server: string): { host: string; port: number } {
  const s = server.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1] ?? "", port: Number(v6[2] ?? 443) };
  const i = s.lastIndexOf(":");
  if (i > 0 && s.indexOf(":") === i) return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
  return { host: s, port: 443 };
}

export const API_PREFIX = "/api/v2/edgedevice/";
export const PROTO_TYPE = "application/x-proto-binary";

export class HttpClient {
  readonly host: string;
  readonly port: number;
  private agent: Agent;
  private readonly timeoutMs: number;
  private proxyUrl: string | undefined;

  constructor(private readonly o: HttpClientOptions) {
    ({ host: this.host, port: this.port } = parseServer(o.server));
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.proxyUrl = o.proxy || undefined;
    this.agent = this.newAgent();
  }

  private newAgent(): Agent {
    const opts: AgentOptions = {
      keepAlive: true,
      maxSockets: this.o.maxSockets ?? 4,
      ca: this.o.rootCa,
      minVersion: "TLSv1.2",
      rejectUnauthorized: true,
    };
    return this.proxyUrl ? new TunnelAgent(new URL(this.proxyUrl), opts) : new Agent(opts);
  }

  /** The proxy in use ("" none). */
  get proxy(): string {
    return this.proxyUrl ?? "";
  }

  /** Use another proxy (or none) from the next request on; open connections are closed. */
  setProxy(url: string | undefined): void {
    if ((url || undefined) === this.proxyUrl) return;
    this.proxyUrl = url || undefined;
    this.resetConnections();
  }

  /** The device's addresses changed (nim applied another port configuration): connections made from
   * an address the device no longer has would hang until their deadline, so they are closed (a
   * request in flight fails at once, as a network error) and the next request connects anew. */
  resetConnections(): void {
    const old = this.agent;
    this.agent = this.newAgent();
    old.destroy();
  }

  /** One request under /api/v2/edgedevice/. `withSerial` adds X-Serial-Number and X-Soft-Serial. */
  send(
    method: "GET" | "POST",
    path: string,
    body?: Uint8Array,
    opts: { withSerial?: boolean; signal?: AbortSignal } = {},
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { "X-Request-Id": randomUUID() };
    if (body) {
      headers["Content-Type"] = PROTO_TYPE;
      headers["Content-Length"] = String(body.length);
    }
    if (opts.withSerial) {
      headers["X-Serial-Number"] = this.o.serial ?? "";
      headers["X-Soft-Serial"] = this.o.softSerial ?? "";
    }
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path: API_PREFIX + path,
          headers,
          agent: this.agent,
          servername:
            this.host.includes(":") || /^\d+\.\d+\.\d+\.\d+$/.test(this.host) ? undefined : this.host,
          signal: opts.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers });
          });
          res.on("error", (e) => fail(e as NodeJS.ErrnoException));
        },
      );
      const fail = (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(e instanceof TransportError ? e : classify(e, this.o.server));
      };
      const timer = setTimeout(() => {
        req.destroy(
          new TransportError("timeout", `no answer from ${this.o.server} within ${this.timeoutMs} ms`),
        );
      }, this.timeoutMs);
      req.on("error", fail);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
