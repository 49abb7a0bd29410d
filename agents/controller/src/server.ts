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

const MAX_BODY = 64 * 1024 * 1024;

export interface Routes {
  deviceApi: DeviceApi;
  admin: AdminApi;
  datastoreDir: string;
  log: Logger;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function handler(r: Routes) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    try {
      if (url.startsWith(DATASTORE_PREFIX)) {
        serveDatastore(r.datastoreDir, req, res);
        return;
      }
      const body = await readBody(req);
      if (url.startsWith(API_PREFIX)) {
        const out = await r.deviceApi.handle({
          method: req.method ?? "GET",
          path: url.slice(API_PREFIX.length),
          headers: req.headers,
          body,
        });
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
      if (url.startsWith("/admin/v1/")) return await r.admin.handle(req, res, body);
      send(res, 404, { error: "not found" });
    } catch (e) {
      r.log.error({ err: e, path: url }, "request failed");
      if (!res.headersSent) send(res, 500, { error: (e as Error).message });
      else res.destroy();
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
