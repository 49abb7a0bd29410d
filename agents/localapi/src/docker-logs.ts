// An app container's output from the Docker engine (GET /containers/{id}/logs) over its unix socket,
// without loading dockerode into localapi: the multiplexed stream's frames (8-byte header: stream,
// 0, 0, 0, size big-endian) are split into lines. With follow, lines arrive until the client goes.
import { request } from "node:http";

export function dockerSocket(host: string | undefined): string {
  const h = host ?? process.env.DOCKER_HOST;
  if (!h) return "/var/run/docker.sock";
  if (h.startsWith("unix://")) return h.slice("unix://".length);
  if (h.startsWith("/")) return h;
  throw new Error(`--docker-host: only a unix socket is supported for app logs, got "${h}"`);
}

/** Splits Docker's multiplexed log stream into lines (a TTY container's raw stream too). */
export class FrameSplitter {
  private buf = Buffer.alloc(0);
  private partial = "";
  constructor(
    private readonly tty: boolean,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.tty) {
      this.text(chunk.toString("utf8"));
      return;
    }
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 8) {
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      this.text(this.buf.subarray(8, 8 + size).toString("utf8"));
      this.buf = this.buf.subarray(8 + size);
    }
  }

  private text(t: string): void {
    const lines = (this.partial + t).split("\n");
    this.partial = lines.pop() ?? "";
    for (const l of lines) this.onLine(l.replace(/\r$/, ""));
  }

  end(): void {
    if (this.partial) this.onLine(this.partial);
    this.partial = "";
  }
}

function get(socketPath: string, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The container's last `lines` lines; with `follow`, then every new one through `onLine` until
 * `signal` aborts. Rejects when the engine does not answer or knows no such container. */
export async function containerLogs(
  socketPath: string,
  id: string,
  lines: number,
  follow: boolean,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const inspect = await get(socketPath, `/containers/${encodeURIComponent(id)}/json`);
  if (inspect.status !== 200)
    throw new Error(`Docker: container ${id.slice(0, 12)}: ${inspect.status} ${inspect.body}`);
  const tty = JSON.parse(inspect.body.toString("utf8")).Config?.Tty === true;
  const path = `/containers/${encodeURIComponent(id)}/logs?stdout=1&stderr=1&tail=${lines}${follow ? "&follow=1" : ""}`;
  await new Promise<void>((resolve, reject) => {
    const split = new FrameSplitter(tty, onLine);
    const req = request({ socketPath, path, method: "GET" }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`Docker: logs of ${id.slice(0, 12)}: ${res.statusCode}`));
      }
      res.on("data", (c: Buffer) => split.push(c));
      res.on("end", () => {
        split.end();
        resolve();
      });
      res.on("error", () => resolve());
    });
    signal?.addEventListener("abort", () => req.destroy(), { once: true });
    req.on("error", (e) => (signal?.aborted ? resolve() : reject(e)));
    req.end();
  });
}
