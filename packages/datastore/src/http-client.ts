import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import { proxyAuthorization, proxyEndpoint, TunnelAgent } from "@outpost/primitives/proxy-tunnel";
import type { DatastoreConfig } from "@outpost/types";
import { basicAuthorization, parseChallenge, tokenFromBody, tokenUrl } from "./auth.js";

/** An HTTP answer the caller did not expect, with what a user needs to fix it. */
export class DatastoreHttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    detail = "",
  ) {
    super(`${url}: HTTP ${status}${detail ? ` (${detail})` : ""}`);
    this.name = "DatastoreHttpError";
  }
}

export interface RequestOptions {
  method?: "GET" | "HEAD";
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Give up when no response headers arrive within this time. */
  timeoutMs?: number;
}

const MAX_REDIRECTS = 5;

export interface DatastoreClientOptions {
  /** The HTTP proxy (http://[user:pass@]host:port) to reach `host` through, asked per request;
   * undefined: connect directly. The downloader answers with nim's proxyFor (exceptions honoured). */
  proxyFor?: (host: string) => string | undefined;
}

/** The connections of one route (direct, or through one proxy): keep-alive agents for http and https. */
interface Route {
  http: HttpAgent;
  https: HttpsAgent;
}

/** The request to send for `url` through `proxy` (plain http: the absolute-URI form to the proxy). */
export function proxiedHttpRequest(
  url: URL,
  proxy: string,
  headers: Record<string, string>,
): { host: string; port: number; path: string; headers: Record<string, string> } {
  const p = new URL(proxy);
  const auth = proxyAuthorization(p);
  return {
    ...proxyEndpoint(p),
    path: url.href,
    headers: { ...headers, Host: url.host, ...(auth ? { "Proxy-Authorization": auth } : {}) },
  };
}

/** Talks to one datastore: TLS verification always on, with the datastore's extra CA certificates
 * trusted beside the system ones; anonymous, basic and bearer-token auth negotiated from 401
 * challenges and remembered; redirects followed (credentials only sent to the datastore's own host). */
export class DatastoreClient {
  /** Routes by proxy URL ("" direct), made on first use. */
  private routes = new Map<string, Route>();
  private readonly ca: string[] | undefined;
  /** The Authorization header that worked last (per token scope), sent up front next time. */
  private readonly authCache = new Map<string, string>();
  private readonly origin: string;

  constructor(
    readonly ds: DatastoreConfig,
    base: URL,
    private readonly o: DatastoreClientOptions = {},
  ) {
    this.origin = base.origin;
    this.ca = ds.caCertsPem.length ? [...rootCertificates, ...ds.caCertsPem] : undefined;
  }

  private route(proxy: string): Route {
    let r = this.routes.get(proxy);
    if (!r) {
      const tls = { keepAlive: true, ...(this.ca ? { ca: this.ca } : {}) };
      r = {
        http: new HttpAgent({ keepAlive: true }),
        https: proxy ? new TunnelAgent(new URL(proxy), tls) : new HttpsAgent(tls),
      };
      this.routes.set(proxy, r);
    }
    return r;
  }

  /** The device's network changed (nim: other addresses or proxy): requests from now on connect
   * anew (through the proxy asked per request); idle kept-alive connections are closed, and those
   * carrying a request (a download in progress) finish it and are closed after. */
  networkChanged(): void {
    const old = this.routes;
    this.routes = new Map();
    for (const r of old.values()) for (const a of [r.http, r.https]) retire(a);
  }

  private get hasCredentials(): boolean {
    return this.ds.username !== "" || this.ds.password !== "";
  }

  /** Sends the request, answering auth challenges and following redirects. Resolves with the final
   * response (any status other than 401); the caller reads or destroys its body. */
  async request(url: URL, o: RequestOptions = {}, authScope = "default"): Promise<IncomingMessage> {
    let current = url;
    let triedAuth = false;
    for (let hop = 0; hop <= MAX_REDIRECTS; ) {
      const own = current.origin === this.origin;
      const headers: Record<string, string> = { "User-Agent": "outpost-downloader", ...(o.headers ?? {}) };
      const cached = this.authCache.get(authScope);
      if (own && cached) headers.Authorization = cached;
      else if (own && this.hasCredentials && this.ds.type !== "registry")
        headers.Authorization = basicAuthorization(this.ds.username, this.ds.password);
      const res = await this.send(current, o.method ?? "GET", headers, o);
      if (res.statusCode === 401 && own && !triedAuth) {
        res.resume();
        triedAuth = true;
        const auth = await this.authorize(res.headers["www-authenticate"], current, o);
        if (auth === undefined)
          throw new DatastoreHttpError(
            401,
            current.href,
            this.hasCredentials
              ? "credentials refused"
              : "authentication required, no credentials configured",
          );
        this.authCache.set(authScope, auth);
        continue;
      }
      if (res.statusCode === 401) {
        res.resume();
        this.authCache.delete(authScope);
        throw new DatastoreHttpError(
          401,
          current.href,
          this.hasCredentials ? "credentials refused" : "authentication required, no credentials configured",
        );
      }
      const loc = res.headers.location;
      if (res.statusCode && [301, 302, 303, 307, 308].includes(res.statusCode) && loc) {
        res.resume();
        current = new URL(loc, current);
        hop++;
        continue;
      }
      return res;
    }
    throw new Error(`${url.href}: more than ${MAX_REDIRECTS} redirects`);
  }

  /** The Authorization header answering a 401 challenge, or undefined when we have nothing to offer. */
  private async authorize(
    header: string | string[] | undefined,
    url: URL,
    o: RequestOptions,
  ): Promise<string | undefined> {
    const challenge = parseChallenge(Array.isArray(header) ? (header[0] ?? "") : (header ?? "Basic"));
    if (!challenge || challenge.scheme === "basic") {
      return this.hasCredentials ? basicAuthorization(this.ds.username, this.ds.password) : undefined;
    }
    if (challenge.scheme !== "bearer")
      throw new Error(`${url.href}: unsupported auth scheme ${challenge.scheme}`);
    const tu = tokenUrl(challenge);
    const headers: Record<string, string> = { "User-Agent": "outpost-downloader" };
    if (this.hasCredentials) headers.Authorization = basicAuthorization(this.ds.username, this.ds.password);
    const res = await this.send(tu, "GET", headers, o);
    const body = await readBody(res, 1 << 20);
    if (res.statusCode !== 200)
      throw new DatastoreHttpError(res.statusCode ?? 0, tu.href, "token endpoint refused");
    return `Bearer ${tokenFromBody(body.toString("utf8"))}`;
  }

  private send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    o: RequestOptions,
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const https = url.protocol === "https:";
      const proxy = this.o.proxyFor?.(url.hostname.replace(/^\[|\]$/g, "")) ?? "";
      const route = this.route(proxy);
      const req = https
        ? httpsRequest(url, { method, headers, agent: route.https, signal: o.signal }, resolve)
        : proxy
          ? httpRequest(
              { ...proxiedHttpRequest(url, proxy, headers), method, agent: route.http, signal: o.signal },
              resolve,
            )
          : httpRequest(url, { method, headers, agent: route.http, signal: o.signal }, resolve);
      req.on("error", reject);
      if (o.timeoutMs) {
        req.setTimeout(o.timeoutMs, () =>
          req.destroy(new Error(`${url.href}: no answer within ${o.timeoutMs} ms`)),
        );
      }
      req.end();
    });
  }

  close(): void {
    for (const r of this.routes.values()) for (const a of [r.http, r.https]) a.destroy();
    this.routes.clear();
  }
}

/** Closes an agent's idle connections now and each busy one when its request is done. */
function retire(agent: HttpAgent): void {
  for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
  // The agent files a socket whose request is done among its free ones; close it right after.
  agent.on("free", (socket: { destroy(): void }) => socket.destroy());
}

/** Reads a small body, refusing more than `limit` bytes. */
export async function readBody(res: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) {
      res.destroy();
      throw new Error(`response larger than ${limit} bytes`);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
