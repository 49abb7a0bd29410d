// A small HTTP client for the tests: over the unix socket or TCP, JSON in and out, and a reader of a
// server-sent event stream.
import { type IncomingMessage, request } from "node:http";

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read by the tests' assertions.
  body: any;
  headers: IncomingMessage["headers"];
}

export type Target = { socketPath: string } | { host: string; port: number; token?: string };

export function call(target: Target, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if ("token" in target && target.token !== undefined) headers.authorization = `Bearer ${target.token}`;
    const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    if (data !== undefined) headers["content-type"] = "application/json";
    const req = request({ ...target, method, path, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON.
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    req.on("error", reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** Opens an SSE stream; `events` fills as data lines arrive; `close()` ends it. */
export function stream(
  target: Target,
  path: string,
): Promise<{ events: string[]; close: () => void; status: number }> {
  return new Promise((resolve, reject) => {
    const events: string[] = [];
    const req = request({ ...target, method: "GET", path, agent: false }, (res) => {
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        buf += c;
        let i = buf.indexOf("\n\n");
        while (i >= 0) {
          const ev = buf.slice(0, i);
          buf = buf.slice(i + 2);
          for (const line of ev.split("\n")) if (line.startsWith("data: ")) events.push(line.slice(6));
          i = buf.indexOf("\n\n");
        }
      });
      res.on("error", () => {});
      resolve({ events, close: () => req.destroy(), status: res.statusCode ?? 0 });
    });
    req.on("error", (e) => {
      if (!req.destroyed) reject(e);
    });
    req.end();
  });
}
