// The controller's HTTP datastore: files under <data>/datastore/ served at /datastore/<path>, with
// HEAD and single-range requests (downloads resume after a restart of the node's downloader).
import { createReadStream, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, normalize, sep } from "node:path";

export const DATASTORE_PREFIX = "/datastore/";

/** Answers one request; true when file content was sent (for the caller's accounting). */
export function serveDatastore(dir: string, req: IncomingMessage, res: ServerResponse): boolean {
  const end = (status: number, text: string): false => {
    res.writeHead(status, { "Content-Type": "text/plain" });
    res.end(`${text}\n`);
    return false;
  };
  if (req.method !== "GET" && req.method !== "HEAD") return end(405, "GET or HEAD only");
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice(DATASTORE_PREFIX.length));
  } catch {
    return end(400, "bad path");
  }
  const path = normalize(join(dir, rel));
  if (!path.startsWith(dir + sep)) return end(403, "outside the datastore");
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return end(404, "not found");
    size = st.size;
  } catch {
    return end(404, "not found");
  }
  const headers: Record<string, string | number> = {
    "Accept-Ranges": "bytes",
    "Content-Type": "application/octet-stream",
  };
  let start = 0;
  let last = size - 1;
  let status = 200;
  const range = req.headers.range;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (!m || (!m[1] && !m[2])) return end(416, "only a single bytes=a-b range is supported");
    if (m[1]) {
      start = Number(m[1]);
      if (m[2]) last = Math.min(Number(m[2]), size - 1);
    } else {
      start = Math.max(0, size - Number(m[2]));
    }
    if (start >= size || start > last) {
      res.writeHead(416, { "Content-Range": `bytes */${size}` });
      res.end();
      return false;
    }
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${last}/${size}`;
  }
  headers["Content-Length"] = size === 0 ? 0 : last - start + 1;
  res.writeHead(status, headers);
  if (req.method === "HEAD" || size === 0) {
    res.end();
    return false;
  }
  createReadStream(path, { start, end: last }).pipe(res);
  return true;
}
