// A test HTTP(S) datastore: serves a directory over node http on 127.0.0.1, the way an EVE http
// datastore serves image archives, with the hooks downloader tests need (corrupt a file, stall after
// N bytes, throttle, ignore Range, count bytes served, require basic or bearer-token auth).
// Test-only: never imported by an agent.
import { execFileSync } from "node:child_process";
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize, sep } from "node:path";

export interface DatastoreServerOptions {
  /** The directory served at `/`. */
  dir: string;
  /** Require credentials: "basic" answers 401 with `WWW-Authenticate: Basic`, "bearer" with a
   * `Bearer realm=<url>/token` challenge whose token endpoint takes the same basic credentials. */
  auth?: { username: string; password: string; scheme?: "basic" | "bearer" };
  /** Serve HTTPS with this certificate (see selfSignedCert). */
  tls?: { cert: string; key: string };
}

export interface ServedRequest {
  method: string;
  path: string;
  range?: string | undefined;
  status: number;
}

/** A running test datastore. Hooks may be changed at any time; they apply to the next response. */
export class TestDatastore {
  /** Body bytes written to clients so far (all responses). */
  bytesServed = 0;
  readonly requests: ServedRequest[] = [];
  /** Answer every GET with the whole file (200), as a server without Range support does. */
  ignoreRange = false;
  /** After this many body bytes of a response, stop sending and hold the connection open. */
  stallAfterBytes: number | undefined;
  /** Limit each response to about this many bytes per second (undefined: as fast as possible). A
   * change applies to the responses under way too, from their next chunk. */
  rateBytesPerSec: number | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly token = `tok-${Math.random().toString(36).slice(2)}`;

  private constructor(
    private readonly server: Server,
    readonly opts: DatastoreServerOptions,
    readonly port: number,
  ) {
    server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  static async start(opts: DatastoreServerOptions): Promise<TestDatastore> {
    let self: TestDatastore | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      self?.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(e));
      });
    };
    const server = opts.tls
      ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
      : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    self = new TestDatastore(server, opts, (server.address() as AddressInfo).port);
    return self;
  }

  /** "127.0.0.1:<port>" — DatastoreConfig.fqdn for this server. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** "http(s)://127.0.0.1:<port>" */
  get url(): string {
    return `${this.opts.tls ? "https" : "http"}://${this.host}`;
  }

  /** Flips one byte in the middle of a served file (same size, different sha256). */
  corrupt(relPath: string): void {
    const p = this.resolve(relPath);
    const size = statSync(p).size;
    const fd = openSync(p, "r+");
    try {
      const b = Buffer.alloc(1);
      const at = Math.floor(size / 2);
      readSync(fd, b, 0, 1, at);
      b[0] = (b[0] ?? 0) ^ 0xff;
      writeSync(fd, b, 0, 1, at);
    } finally {
      closeSync(fd);
    }
  }

  /** Requests for one path (e.g. to see whether a download resumed with Range). */
  requestsFor(relPath: string): ServedRequest[] {
    const want = `/${relPath.replace(/^\/+/, "")}`;
    return this.requests.filter((r) => r.path === want);
  }

  /** Drops every open connection (stalled responses included). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private resolve(relPath: string): string {
    const clean = normalize(decodeURIComponent(relPath)).replace(/^(\.\.(\/|\\|$))+/, "");
    const p = join(this.opts.dir, clean);
    if (p !== this.opts.dir && !p.startsWith(this.opts.dir + sep))
      throw new Error("path escapes the datastore");
    return p;
  }

  private authorized(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const a = this.opts.auth;
    if (!a) return true;
    const basicOk =
      req.headers.authorization === `Basic ${Buffer.from(`${a.username}:${a.password}`).toString("base64")}`;
    if (a.scheme === "bearer") {
      if (path === "/token") {
        if (!basicOk) {
          res.writeHead(401, { "WWW-Authenticate": 'Basic realm="token"' }).end();
          return false;
        }
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token: this.token }));
        return false;
      }
      if (req.headers.authorization === `Bearer ${this.token}`) return true;
      res
        .writeHead(401, {
          "WWW-Authenticate": `Bearer realm="${this.url}/token",service="test-datastore",scope="read"`,
        })
        .end();
      return false;
    }
    if (basicOk) return true;
    res.writeHead(401, { "WWW-Authenticate": 'Basic realm="test-datastore"' }).end();
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const rec: ServedRequest = { method: req.method ?? "GET", path, range: req.headers.range, status: 0 };
    this.requests.push(rec);
    res.on("finish", () => (rec.status = res.statusCode));
    if (!this.authorized(req, res, path)) return;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    let file: string;
    let size: number;
    let etag: string;
    try {
      file = this.resolve(path);
      const st = statSync(file);
      if (!st.isFile()) throw new Error("not a file");
      size = st.size;
      etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
    } catch {
      res.writeHead(404).end("not found\n");
      return;
    }
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    const ifRange = req.headers["if-range"];
    if (range && !this.ignoreRange && (ifRange === undefined || ifRange === etag)) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(end, Number(range[2]));
      if (start >= size) {
        res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
        return;
      }
      status = 206;
    }
    const headers: Record<string, string | number> = {
      "Content-Type": "application/octet-stream",
      "Content-Length": end - start + 1,
      ETag: etag,
      "Accept-Ranges": this.ignoreRange ? "none" : "bytes",
    };
    if (status === 206) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
    res.writeHead(status, headers);
    if (req.method === "HEAD" || size === 0) {
      res.end();
      return;
    }
    await this.stream(file, start, end, res);
  }

  private async stream(file: string, start: number, end: number, res: ServerResponse): Promise<void> {
    const stallAt = this.stallAfterBytes;
    let rate = this.rateBytesPerSec;
    let sent = 0;
    // The pace is counted from here, or from the last change of rateBytesPerSec.
    let t0 = Date.now();
    let sentAtT0 = 0;
    const input = createReadStream(file, {
      start,
      end,
      highWaterMark: rate || stallAt !== undefined ? 64 * 1024 : 1 << 20,
    });
    res.on("close", () => input.destroy());
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let buf = chunk;
      if (stallAt !== undefined && sent + buf.length >= stallAt) {
        buf = buf.subarray(0, Math.max(0, stallAt - sent));
        if (buf.length) this.write(res, buf);
        input.destroy();
        return; // hold the connection open without sending more: a stalled server
      }
      if (!this.write(res, buf)) await drained(res);
      sent += buf.length;
      if (res.destroyed) return;
      if (this.rateBytesPerSec !== rate) {
        rate = this.rateBytesPerSec;
        t0 = Date.now();
        sentAtT0 = sent;
      }
      if (rate) {
        const due = t0 + ((sent - sentAtT0) / rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
    res.end();
  }

  private write(res: ServerResponse, buf: Buffer): boolean {
    this.bytesServed += buf.length;
    return res.write(buf);
  }
}

/** Resolves when `res` can take more data, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** A self-signed certificate for 127.0.0.1 and `dnsNames` (openssl), for HTTPS datastore tests. */
export function selfSignedCert(dnsNames: string[] = []): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "op-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        `subjectAltName=${["IP:127.0.0.1", ...dnsNames.map((n) => `DNS:${n}`)].join(",")}`,
      ],
      { stdio: "ignore" },
    );
    return {
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
      key: readFileSync(join(dir, "key.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
