// Composition of the controller's HTTPS server: device API under /api/v2/edgedevice/, admin API under
// /admin/v1/, the datastore under /datastore/. One TLS listener (plus an optional plain-HTTP one for
// the datastore only, for downloaders configured without the controller's CA).
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { API_PREFIX, privateKeyPem } from "@outpost/evecloud";
import type { Logger } from "pino";
import { type AdminApi, send } from "./admin-api.js";
import { DATASTORE_PREFIX, serveDatastore } from "./datastore.js";
import type { DeviceApi } from "./device-api.js";
import type { ControllerPki } from "./pki.js";

/** Admin API bodies are JSON documents (a config document is the largest): DOC_LIMITS keep a
 * well-formed one far below this. */
export const ADMIN_BODY_LIMIT = 4 * 1024 * 1024;

/** Bytes of request bodies held at once over all requests: a route's limit bounds one request, this
 * bounds many (a thousand connections each sending a device's 4 MiB info). Past it: 503. */
export const BODY_BUDGET = 256 * 1024 * 1024;

export class BodyBudget {
  private used = 0;
  constructor(readonly capacity = BODY_BUDGET) {}
  get inUse(): number {
    return this.used;
  }
  take(n: number): boolean {
    if (this.used + n > this.capacity) return false;
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used -= n;
  }
}

export interface Routes {
  deviceApi: DeviceApi;
  admin: AdminApi;
  datastoreDir: string;
  log: Logger;
  /** Shared by every request of the server; one of BODY_BUDGET bytes when absent. */
  budget?: BodyBudget;
}

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

export class BodyBudgetSpent extends Error {
  constructor() {
    super("too many request bodies are being read at once; retry later");
  }
}

/** Reads a body of at most `limit` bytes: a Content-Length above it is refused before a byte is read,
 * a longer streamed body as soon as it passes the limit, so at most `limit` bytes are ever held.
 * Every byte held is taken from `budget`; the caller gives `body.length` back once done with it
 * (a refused read gives back what it took itself). */
export function readBody(req: IncomingMessage, limit: number, budget: BodyBudget): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const stop = (e: Error) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      chunks.length = 0;
      budget.give(size);
      reject(e);
    };
    const onData = (c: Buffer) => {
      if (size + c.length > limit) return stop(new BodyTooLarge(limit));
      if (!budget.take(c.length)) return stop(new BodyBudgetSpent());
      size += c.length;
      chunks.push(c);
    };
    req.on("data", onData);
    req.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
    });
    req.on("error", stop);
    req.on("close", () => stop(new Error("the client closed the connection before the body was complete")));
  });
}

/** After refusing a request whose body is still coming, the rest is read and dropped for a while
 * before the connection is cut: closing a socket with unread data sends a TCP reset, which can
 * destroy the answer at the client before it reads it (the "lingering close" of web servers). */
const LINGER_MS = 2000;
const LINGER_BYTES = 8 * 1024 * 1024;

/** Answers a request whose body is not (or not all) read, then drains and drops what the client
 * still sends, within LINGER_MS and LINGER_BYTES; past either the connection is closed. */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  text: boolean,
): void {
  const pending = !req.complete;
  // Node closes at once after answering a client that asked for "Connection: close", unread data or
  // not; the connection is closed here instead, once the rest is drained or the linger is over.
  if (pending) res.shouldKeepAlive = true;
  if (text) {
    res.writeHead(status, { "Content-Type": "text/plain" });
    res.end(`${String(body)}\n`);
  } else send(res, status, body);
  if (!pending) return;
  let drained = 0;
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  req.on("data", (c: Buffer) => {
    drained += c.length;
    if (drained > LINGER_BYTES) {
      clearTimeout(timer);
      req.socket.destroy();
    }
  });
  req.on("end", () => {
    clearTimeout(timer);
    req.socket.end();
  });
  req.on("close", () => clearTimeout(timer));
}

/** Reads a body for a route, or answers the refusal (413 over the limit, 503 budget spent) itself
 * and returns undefined. */
async function bodyOr(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  budget: BodyBudget,
  refusal: (status: number, message: string) => void,
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limit, budget);
  } catch (e) {
    if (e instanceof BodyTooLarge) refusal(413, e.message);
    else if (e instanceof BodyBudgetSpent) {
      res.setHeader("Retry-After", "5");
      refusal(503, e.message);
    } else throw e;
    return undefined;
  }
}

export function handler(r: Routes) {
  const budget = r.budget ?? new BodyBudget();
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    let held = 0;
    try {
      if (url.startsWith(DATASTORE_PREFIX)) {
        serveDatastore(r.datastoreDir, req, res);
        return;
      }
      // Authenticate and route before reading a byte of the body, then read with the route's limit.
      if (url.startsWith(API_PREFIX)) {
        const method = req.method ?? "GET";
        const path = url.slice(API_PREFIX.length);
        const admitted = await r.deviceApi.admit(method, path);
        if ("status" in admitted) {
          r.log.warn(
            {
              status: admitted.status,
              path: url,
              requestId: req.headers["x-request-id"],
              reason: admitted.reason,
            },
            "device request refused",
          );
          if (admitted.retryAfterS) res.setHeader("Retry-After", String(admitted.retryAfterS));
          return refuse(req, res, admitted.status, admitted.reason, true);
        }
        const body = await bodyOr(req, res, admitted.limit, budget, (status, message) => {
          r.log.warn({ status, path: url, limit: admitted.limit, reason: message }, "device request refused");
          refuse(req, res, status, status === 413 ? `${message} (the limit of this call)` : message, true);
        });
        if (!body) return;
        held = body.length;
        const out = await r.deviceApi.handle({ method, path, headers: req.headers, body });
        if (out.reason) {
          r.log.warn(
            { status: out.status, path: url, requestId: req.headers["x-request-id"], reason: out.reason },
            "device request refused",
          );
          res.writeHead(out.status, { "Content-Type": "text/plain" });
          res.end(`${out.reason}\n`);
          return;
        }
        if (out.body) {
          res.writeHead(out.status, {
            "Content-Type": "application/x-proto-binary",
            "Content-Length": out.body.length,
          });
          res.end(out.body);
        } else {
          res.writeHead(out.status, { "Content-Length": 0 });
          res.end();
        }
        return;
      }
      if (url.startsWith("/admin/v1/")) {
        // Every admin call but login carries a token; the caller is known before the body is read.
        const login = url.split("?")[0] === "/admin/v1/login";
        const who = login ? undefined : await r.admin.authenticate(req);
        if (who && "refused" in who) {
          r.log.warn(
            { path: url.split("?")[0], remote: req.socket.remoteAddress, reason: who.refused },
            "admin request refused",
          );
          return refuse(req, res, 401, { error: who.refused }, false);
        }
        const body = await bodyOr(req, res, ADMIN_BODY_LIMIT, budget, (status, message) =>
          refuse(
            req,
            res,
            status,
            { error: status === 413 ? `${message} (the admin API's limit)` : message },
            false,
          ),
        );
        if (!body) return;
        held = body.length;
        return await r.admin.handle(req, res, body, who);
      }
      refuse(req, res, 404, { error: "not found" }, false);
    } catch (e) {
      r.log.error({ err: e, path: url }, "request failed");
      if (!res.headersSent) send(res, 500, { error: (e as Error).message });
      else res.destroy();
    } finally {
      budget.give(held);
    }
  };
}

export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export function createApiServer(pki: ControllerPki, r: Routes): Server {
  const server = createHttpsServer(
    { key: privateKeyPem(pki.server.key), cert: pki.server.pem, minVersion: "TLSv1.2" },
    handler(r),
  );
  // Devices poll with keep-alive; idle connections of many devices must not pile up forever.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  return server;
}

export function createDatastoreServer(r: Routes): Server {
  return createHttpServer((req, res) => {
    if ((req.url ?? "").startsWith(DATASTORE_PREFIX)) serveDatastore(r.datastoreDir, req, res);
    else send(res, 404, { error: "only /datastore/ here" });
  });
}

/** "host:port" with brackets for IPv6, as config/server wants it. */
export function hostPort(a: AddressInfo | { address: string; port: number }): string {
  return a.address.includes(":") ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
