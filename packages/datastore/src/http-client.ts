import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
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

/** Talks to one datastore: TLS verification always on, with the datastore's extra CA certificates
 * trusted beside the system ones; anonymous, basic and bearer-token auth negotiated from 401
 * challenges and remembered; redirects followed (credentials only sent to the datastore's own host). */
export class DatastoreClient {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent: HttpsAgent;
  /** The Authorization header that worked last (per token scope), sent up front next time. */
  private readonly authCache = new Map<string, string>();
  private readonly origin: string;

  constructor(
    readonly ds: DatastoreConfig,
    base: URL,
  ) {
    this.origin = base.origin;
    const ca = ds.caCertsPem.length ? [...rootCertificates, ...ds.caCertsPem] : undefined;
    this.httpsAgent = new HttpsAgent({ keepAlive: true, ...(ca ? { ca } : {}) });
    this.agent = base.protocol === "https:" ? this.httpsAgent : this.httpAgent;
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
      const agent = url.origin === this.origin ? this.agent : https ? this.httpsAgent : this.httpAgent;
      const req = (https ? httpsRequest : httpRequest)(
        url,
        { method, headers, agent, signal: o.signal },
        resolve,
      );
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
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
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
