// Test images and engine cleanup for tests that use the real Docker engine. There is no Docker Hub
// here: images are built from Debian's busybox-static (a root with bin/busybox and its applet
// symlinks, `docker import`), saved as archives for the HTTP datastore or pushed to a local registry.
// Test-only: never imported by an agent.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { waitFor } from "./wait.js";

export const BUSYBOX = "/bin/busybox";
const NODE_LABEL = "org.outpost.node";
const OWNER_LABEL = "org.outpost.owner";

export interface TestImageOptions {
  /** The image's CMD, e.g. ["sh", "-c", "echo hi; sleep 3600"] (busybox applets are on PATH). */
  cmd: string[];
  /** ENV entries baked into the image. */
  env?: Record<string, string>;
  /** Extra files: path inside the image -> content (mode 0755 when `executable`). */
  files?: Record<string, string | Buffer | { content: string | Buffer; mode: number }>;
  /** Image labels; `node` adds Outpost's owner and node labels so removeByNodeLabel removes it. */
  labels?: Record<string, string>;
  node?: string;
  /** Pads the image with this many bytes of random data (/pad), for size-sensitive tests. */
  padBytes?: number;
}

function docker(args: string[], input?: Buffer): string {
  return execFileSync("docker", args, {
    encoding: "utf8",
    input,
    stdio: ["pipe", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  }).trim();
}

/** Builds `tag` from busybox-static and returns its image id ("sha256:..."). */
export function buildTestImage(tag: string, o: TestImageOptions): string {
  const dir = mkdtempSync(join(tmpdir(), "op-img-"));
  try {
    const root = join(dir, "root");
    for (const d of ["bin", "etc", "tmp", "proc", "sys", "dev", "data"])
      mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, "tmp"), 0o1777);
    copyFileSync(BUSYBOX, join(root, "bin", "busybox"));
    chmodSync(join(root, "bin", "busybox"), 0o755);
    const applets = execFileSync(BUSYBOX, ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean);
    for (const a of applets) if (a !== "busybox") symlinkSync("busybox", join(root, "bin", a));
    writeFileSync(join(root, "etc", "passwd"), "root:x:0:0:root:/:/bin/sh\n");
    writeFileSync(join(root, "etc", "group"), "root:x:0:\n");
    for (const [path, spec] of Object.entries(o.files ?? {})) {
      const target = join(root, path);
      mkdirSync(dirname(target), { recursive: true });
      const { content, mode } =
        typeof spec === "string" || Buffer.isBuffer(spec) ? { content: spec, mode: 0o644 } : spec;
      writeFileSync(target, content);
      chmodSync(target, mode);
    }
    if (o.padBytes) {
      const fd = openSync(join(root, "pad"), "w");
      try {
        for (let left = o.padBytes; left > 0; left -= 1 << 20)
          writeSync(fd, randomBytes(Math.min(1 << 20, left)));
      } finally {
        closeSync(fd);
      }
    }
    const changes: string[] = [`CMD ${JSON.stringify(o.cmd)}`, "ENV PATH=/bin"];
    for (const [k, v] of Object.entries(o.env ?? {})) changes.push(`ENV ${k}=${JSON.stringify(v)}`);
    const labels = {
      ...(o.labels ?? {}),
      ...(o.node ? { [OWNER_LABEL]: "outpost", [NODE_LABEL]: o.node } : {}),
    };
    for (const [k, v] of Object.entries(labels)) changes.push(`LABEL ${k}=${JSON.stringify(v)}`);
    const tar = execFileSync("tar", ["-C", root, "-c", "."], { maxBuffer: 1 << 30 });
    docker(["import", ...changes.flatMap((c) => ["-c", c]), "-", tag], tar);
    return docker(["image", "inspect", "-f", "{{.Id}}", tag]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function randomBytes(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let off = 0; off < n; off += 65536)
    globalThis.crypto.getRandomValues(b.subarray(off, Math.min(n, off + 65536)));
  return b;
}

/** `docker save` of `tag` into `file` (the archive an HTTP datastore serves). */
export function saveImage(tag: string, file: string): void {
  docker(["save", "-o", file, tag]);
}

/** Removes every container, volume and image carrying this node's label. Never throws: it runs in
 * test teardown, pass or fail. Returns what it removed, for logging. */
export function removeByNodeLabel(node: string): {
  containers: string[];
  volumes: string[];
  images: string[];
} {
  const filter = `label=${NODE_LABEL}=${node}`;
  const list = (args: string[]) => {
    try {
      return docker(args).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  const containers = list(["ps", "-aq", "--filter", filter]);
  if (containers.length) spawnSync("docker", ["rm", "-f", "-v", ...containers], { stdio: "ignore" });
  const volumes = list(["volume", "ls", "-q", "--filter", filter]);
  if (volumes.length) spawnSync("docker", ["volume", "rm", "-f", ...volumes], { stdio: "ignore" });
  const images = [...new Set(list(["images", "-q", "--no-trunc", "--filter", filter]))];
  if (images.length) spawnSync("docker", ["rmi", "-f", ...images], { stdio: "ignore" });
  return { containers, volumes, images };
}

/** Removes images by tag or id, ignoring ones already gone. */
export function removeImages(...refs: string[]): void {
  if (refs.length) spawnSync("docker", ["rmi", "-f", ...refs], { stdio: "ignore" });
}

function engineAnswers(): boolean {
  return (
    spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "ignore", timeout: 10_000 })
      .status === 0
  );
}

/** Makes sure a Docker engine answers, starting dockerd (detached, log in /tmp/dockerd.log) when
 * none does; waits at most `timeoutMs` for it. */
export async function ensureDocker(timeoutMs = 60_000): Promise<void> {
  if (engineAnswers()) return;
  const log = openSync("/tmp/dockerd.log", "a");
  const child = spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  await waitFor(
    engineAnswers,
    timeoutMs,
    "a Docker engine after starting dockerd (see /tmp/dockerd.log)",
    500,
  );
}

/** The CMD of a test app that idles until it is stopped and exits at once on SIGTERM, as a well-behaved
 * app does. As PID 1 a shell without a trap ignores SIGTERM, so each stop (a halt, a recreate, a
 * removal) would wait out the grace period (domainmgr's --stop-timeout-s, 10 s) before SIGKILL.
 * `first` is a shell command run before it idles. */
export function idleApp(first = ""): string[] {
  return ["sh", "-c", `trap 'exit 0' TERM; ${first ? `${first}; ` : ""}sleep 3600 & wait`];
}
