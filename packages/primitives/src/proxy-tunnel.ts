// Reaching a server through an HTTP proxy, as EVE does for controller and datastore traffic:
// https through a CONNECT tunnel (TLS end to end, verified exactly as without the proxy), plain http
// as an absolute-URI request to the proxy. Shared by evecloud's controller client and the datastore
// client (downloader).
import { request as httpRequest } from "node:http";
import { Agent, type AgentOptions } from "node:https";
import type { Duplex } from "node:stream";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";

/** "Basic ..." for the user:password of a proxy URL, or undefined when it has none. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(creds).toString("base64")}`;
}

/** Host and port to connect to for a proxy URL (http://host[:port], default port 80). */
export function proxyEndpoint(proxy: URL): { host: string; port: number } {
  return { host: proxy.hostname.replace(/^\[|\]$/g, ""), port: Number(proxy.port || 80) };
}

/** An https Agent whose connections are CONNECT tunnels through an HTTP proxy. A failure at the
 * proxy has a message starting with "proxy <host:port>" (code EPROXY when it refused the tunnel). */
export class TunnelAgent extends Agent {
  constructor(
    readonly proxy: URL,
    opts: AgentOptions,
  ) {
    super(opts);
  }

  override createConnection(
    options: ConnectionOptions & { host?: string; port?: number },
    cb: (err: Error | null, socket?: Duplex) => void,
  ): undefined {
    const target = `${options.host?.includes(":") ? `[${options.host}]` : options.host}:${options.port}`;
    const headers: Record<string, string> = { Host: target };
    const auth = proxyAuthorization(this.proxy);
    if (auth) headers["Proxy-Authorization"] = auth;
    const req = httpRequest({
      ...proxyEndpoint(this.proxy),
      method: "CONNECT",
      path: target,
      headers,
      agent: false,
    });
    req.once("connect", (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const err: NodeJS.ErrnoException = new Error(
          `proxy ${this.proxy.host} refused the tunnel to ${target}: HTTP ${res.statusCode}`,
        );
        err.code = "EPROXY";
        cb(err);
        return;
      }
      cb(null, tlsConnect({ ...options, socket }));
    });
    req.once("error", (e: NodeJS.ErrnoException) => {
      e.message = `proxy ${this.proxy.host}: ${e.message}`;
      cb(e);
    });
    req.end();
    return undefined;
  }
}
