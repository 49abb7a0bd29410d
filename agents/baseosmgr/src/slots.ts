// The two slots under the node root, and installing a release tarball into one of them.
//   <root>/slots/A, <root>/slots/B   an unpacked release (outpost, bin/, node_modules/, init/, README);
//                                    a slot without bin/watchdog is the installed release outpost-boot
//                                    came from (a node's first slot, before any update)
//   <root>/slots/.unpack-<slot>      a release being unpacked: renamed to <slot> once it is complete
//                                    and checked, so a power cut never leaves half a slot
//   <root>/slots/selector            how outpost-boot reads the boot environment (`file`, `grub:<path>`)
//   <root>/slots/bootenv             the file backend's environment block
//   <root>/slots/state.json          baseosmgr's record of each slot (version, state, error)
// Everything here is blocking I/O: it runs in `ctx.work`, off the main loop.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvBlock, Slot } from "./bootselector.js";

export const slotsDir = (root: string) => join(root, "slots");
export const slotDir = (root: string, slot: Slot) => join(slotsDir(root), slot);
const stagingDir = (root: string, slot: Slot) => join(slotsDir(root), `.unpack-${slot}`);

/** The slot outpost-boot booted (run/boot-slot); A on a node booted before it had slots. */
export function bootedSlot(root: string, read: (path: string) => string): Slot {
  try {
    const s = read(join(root, "run", "boot-slot")).trim();
    return s === "B" ? "B" : "A";
  } catch {
    return "A";
  }
}

/** Tells outpost-boot which environment block to read (written once, atomically). */
export function writeSelectorLine(root: string, block: EnvBlock): void {
  mkdirSync(slotsDir(root), { recursive: true });
  const path = join(slotsDir(root), "selector");
  writeFileSync(`${path}.tmp`, `${block.selectorLine}\n`, { flush: true });
  renameSync(`${path}.tmp`, path);
}

export class ReleaseError extends Error {}

export interface InstallLimits {
  /** Largest unpacked release accepted, in bytes (the sum of its files' sizes as the archive lists them). */
  maxUnpackedBytes: number;
  /** TEST ONLY (the hidden flag --test-slow-unpack-records): GNU tar sleeps 1 s every N records of 512
   * bytes while unpacking, so a power-cut test can hit the middle of an unpack for sure. */
  slowUnpackRecords?: number | undefined;
}

/**
 * Checks the archive before anything is written: a gzip'd tar that lists completely, one top folder
 * `outpost-<x>/` with the multi-call bundle and bin/watchdog, no absolute or `..` path, within the size
 * limit. Returns the top folder and the unpacked size.
 */
export function inspectRelease(tarball: string, limits: InstallLimits): { top: string; bytes: number } {
  const listed = spawnSync("tar", ["-tvzf", tarball], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (listed.error) throw new ReleaseError(`cannot run tar: ${listed.error.message}`);
  if (listed.status !== 0)
    throw new ReleaseError(
      `corrupt release archive: ${listed.stderr.trim().split("\n").pop() ?? "tar failed"}`,
    );
  let bytes = 0;
  const tops = new Set<string>();
  const names = new Set<string>();
  for (const line of listed.stdout.split("\n")) {
    if (!line.trim()) continue;
    // "-rw-r--r-- 0/0   1234 1970-01-01 00:00 outpost-0.1.0/bin/x -> ../outpost"
    const m = /^(\S+)\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.+?)(?: -> .*)?$/.exec(line);
    if (!m) throw new ReleaseError(`unexpected archive listing line: ${line}`);
    const [, mode = "", size = "0", name = ""] = m;
    if (name.startsWith("/") || name.split("/").includes(".."))
      throw new ReleaseError(`release archive has an unsafe path: ${name}`);
    if (mode.startsWith("-")) bytes += Number(size);
    tops.add(name.split("/")[0] ?? "");
    names.add(name.replace(/\/$/, ""));
  }
  if (bytes > limits.maxUnpackedBytes)
    throw new ReleaseError(
      `release unpacks to ${bytes} bytes, over the limit of ${limits.maxUnpackedBytes} bytes`,
    );
  const [top] = [...tops];
  if (tops.size !== 1 || !top?.startsWith("outpost-"))
    throw new ReleaseError(
      `release archive must hold one top folder outpost-<version>/, found: ${[...tops].join(", ")}`,
    );
  for (const needed of ["outpost", "bin/watchdog", "bin/outpost"])
    if (!names.has(`${top}/${needed}`)) throw new ReleaseError(`release archive has no ${top}/${needed}`);
  return { top, bytes };
}

/** `<dir>/bin/outpost --version`: what the release says it is ("outpost 0.2.0" -> "0.2.0"). */
export function releaseVersion(dir: string, timeoutMs = 20_000): string {
  const r = spawnSync(process.execPath, [join(dir, "bin", "outpost"), "--version"], {
    encoding: "utf8",
    timeout: timeoutMs,
    cwd: dir,
  });
  if (r.error) throw new ReleaseError(`release does not run: ${r.error.message}`);
  if (r.status !== 0)
    throw new ReleaseError(
      `release does not run: bin/outpost --version exited ${r.status}: ${r.stderr.trim()}`,
    );
  return r.stdout.trim().replace(/^outpost\s+/, "");
}

/**
 * Installs a release into `slot` (never the booted one: the caller's rule). Inspected first, unpacked
 * into slots/.unpack-<slot>, run (`bin/outpost --version` must print `version`), and only then the old
 * slot content is removed and the new one renamed into place. A stop at any point leaves the booted
 * slot untouched; a leftover staging folder is removed by the next install.
 */
export function installRelease(
  root: string,
  slot: Slot,
  tarball: string,
  version: string,
  limits: InstallLimits,
): { bytes: number } {
  if (!existsSync(tarball)) throw new ReleaseError(`release blob ${tarball} is missing`);
  if (statSync(tarball).size === 0) throw new ReleaseError("release archive is empty");
  const { top, bytes } = inspectRelease(tarball, limits);
  const staging = stagingDir(root, slot);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync(
      "tar",
      [
        "-xzf",
        tarball,
        "-C",
        staging,
        "--strip-components=1",
        "--no-same-owner",
        ...(limits.slowUnpackRecords
          ? [`--checkpoint=${limits.slowUnpackRecords}`, "--checkpoint-action=sleep=1"]
          : []),
        `${top}/`,
      ],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new ReleaseError(`cannot unpack the release: ${stderr || String(error)}`);
  }
  try {
    const got = releaseVersion(staging);
    if (got !== version) throw new ReleaseError(`release says it is version "${got}", expected "${version}"`);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const dest = slotDir(root, slot);
  rmSync(dest, { recursive: true, force: true });
  renameSync(staging, dest);
  return { bytes };
}
