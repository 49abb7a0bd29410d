// Reading newlogd's batches and status in process tests.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { distBin } from "@outpost/testkit";
import type { NewlogdStatus } from "@outpost/types";
import { readGzip } from "../src/gzip.js";

export interface Line {
  severity?: string;
  source?: string;
  iid?: string;
  content?: string;
  msgid?: number;
  tags?: Record<string, string>;
  timestamp: { seconds?: number; nanos?: number };
  file: string;
}

/** Every closed batch of a directory (`devUpload` or `appUpload`), in name order, with their lines. */
export function batches(root: string, dir: "devUpload" | "appUpload") {
  const path = join(root, "persist/newlog", dir);
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    let buf: Buffer;
    try {
      buf = readFileSync(join(path, name));
    } catch {
      return [];
    }
    const { comment, body } = readGzip(buf);
    const text = body.toString();
    const lines = text
      .split("\n")
      .filter(Boolean)
      .map((l) => ({ ...(JSON.parse(l) as Omit<Line, "file">), file: name }));
    return [{ name, comment, lines, endsWithNewline: text.endsWith("\n"), size: buf.length }];
  });
}

export function lines(root: string, dir: "devUpload" | "appUpload"): Line[] {
  return batches(root, dir).flatMap((b) => b.lines);
}

export const tsMs = (l: Line) => (l.timestamp.seconds ?? 0) * 1000 + (l.timestamp.nanos ?? 0) / 1e6;

const execFileAsync = promisify(execFile);

/** NewlogdStatus through ipcmonitor (asynchronously: the test process may host a publisher). */
export async function status(root: string): Promise<NewlogdStatus | undefined> {
  try {
    const { stdout } = await execFileAsync(distBin("ipcmonitor"), [
      "--root",
      root,
      "-a",
      "newlogd",
      "-t",
      "NewlogdStatus",
      "--json",
    ]);
    const t = JSON.parse(stdout) as { entries: Record<string, NewlogdStatus> };
    return t.entries.global;
  } catch {
    return undefined;
  }
}
