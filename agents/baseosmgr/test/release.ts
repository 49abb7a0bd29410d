// Test releases made from the built dist/: the same tree `make dist` packs, with the version the
// bundle prints replaced, optionally with an agent that exits at start; packed as a tarball.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DIST_BIN, distBin } from "@outpost/testkit";

const DIST = join(DIST_BIN, "..");
// The version the bundle was built with: the repository's package.json (build/bundle.mjs).
export const CURRENT_VERSION: string = JSON.parse(
  readFileSync(join(DIST, "..", "package.json"), "utf8"),
).version;

export interface ReleaseOptions {
  /** An agent whose bin/ entry is replaced by a script that exits 1 at once. */
  brokenAgent?: string;
  /** An agent that starts (pid and touch files written), then is killed 3 s later, every time. */
  crashingAgent?: string;
  /** With crashingAgent: killed right after the boot that started it (outpost-boot's run/boot-done
   * names this boot's run/boot-id; at most 30 s) instead of 3 s after its start, so the crash lands at
   * the start of the new slot's test window however long the boot took (a loaded machine). */
  crashAfterBoot?: boolean;
  /** With crashingAgent: crash only the first time on a node (a transient fault; the marker is
   * `persist/<agent>.crashed-once` under the node root the agent is started with). */
  crashOnce?: boolean;
  /** Packed with gzip -1 (a third of the time of tar's default level, which the bench keeps; the
   * archive a little larger): what the tests check is the format, not the ratio. */
  fastGzip?: boolean;
}

/** Unpacked release tree `<dir>/outpost-<version>/`. */
export function releaseTree(dir: string, version: string, opts: ReleaseOptions = {}): string {
  distBin("outpost"); // builds dist/ when missing
  const top = join(dir, `outpost-${version}`);
  rmSync(top, { recursive: true, force: true });
  mkdirSync(top, { recursive: true });
  for (const item of ["outpost", "package.json", "bin", "node_modules"])
    cpSync(join(DIST, item), join(top, item), { recursive: true, verbatimSymlinks: true });
  // The boot script and the unit, as build/package.mjs packs them (nodeagent's node-restart backend
  // boots the node again with the slot's own init/outpost-boot).
  mkdirSync(join(top, "init"));
  for (const f of ["outpost-boot", "outpost.service"])
    cpSync(join(DIST, "..", "build/init", f), join(top, "init", f));
  // The bundle carries its version as a string literal in one of lib/*.mjs (build/bundle.mjs defines
  // OUTPOST_VERSION): the release's lib/ is dist/lib/ with that literal replaced.
  mkdirSync(join(top, "lib"));
  let carried = false;
  // lib/ of the last build only, as build/package.mjs packs it: the files its meta.json names.
  const meta = JSON.parse(readFileSync(join(DIST, "meta.json"), "utf8")) as {
    outputs: Record<string, unknown>;
  };
  const built = Object.keys(meta.outputs)
    .filter((k) => k.includes("/lib/"))
    .map((k) => k.slice(k.lastIndexOf("/") + 1));
  for (const name of built) {
    const text = readFileSync(join(DIST, "lib", name), "utf8");
    carried ||= name.endsWith(".mjs") && text.includes(`"${CURRENT_VERSION}"`);
    const out = name.endsWith(".mjs") ? text.replaceAll(`"${CURRENT_VERSION}"`, `"${version}"`) : text;
    writeFileSync(join(top, "lib", name), out);
  }
  if (!carried) throw new Error(`dist/lib does not carry version ${CURRENT_VERSION}`);
  if (opts.brokenAgent) {
    rmSync(join(top, "bin", opts.brokenAgent));
    writeFileSync(
      join(top, "bin", opts.brokenAgent),
      `#!/bin/sh\necho "${opts.brokenAgent}: broken on purpose" >&2\nexit 1\n`,
      {
        mode: 0o755,
      },
    );
  }
  if (opts.crashingAgent) {
    const a = opts.crashingAgent;
    rmSync(join(top, "bin", a));
    // Once crashed, the script puts the release's own entry (a symlink to the bundle) back in its place
    // and runs it: the process then has the command line the watchdog registered.
    const root = `root=/; prev=; for x in "$@"; do [ "$prev" = --root ] && root=$x; prev=$x; done\n`;
    const once = opts.crashOnce
      ? `m="$root/persist/${a}.crashed-once"\n` +
        `if [ -e "$m" ]; then ln -sf ../outpost "$0" && exec "$0" "$@"; fi\n: > "$m"\n`
      : "";
    const wait = opts.crashAfterBoot
      ? `n=0; while [ $n -lt 300 ]; do\n` +
        `  [ -s "$root/run/boot-done" ] && [ "$(cat "$root/run/boot-done")" = "$(cat "$root/run/boot-id" 2>/dev/null)" ] && break\n` +
        `  sleep 0.1; n=$((n+1))\ndone\nsleep 0.2\n`
      : "sleep 3\n";
    writeFileSync(
      join(top, "bin", a),
      `#!/bin/sh\n${root}${once}"$(dirname "$0")/../outpost" ${a} "$@" &\np=$!\n${wait}kill -9 $p\necho "${a}: crashed on purpose" >&2\nexit 1\n`,
      { mode: 0o755 },
    );
  }
  return top;
}

/** A release tarball `<dir>/outpost-<version>.tar.gz` in the layout of build/package.mjs. */
export function releaseTarball(dir: string, version: string, opts: ReleaseOptions = {}): string {
  const stage = join(dir, `stage-${version}`);
  releaseTree(stage, version, opts);
  const out = join(
    dir,
    `outpost-${version}${opts.brokenAgent || opts.crashingAgent ? "-broken" : ""}.tar.gz`,
  );
  execFileSync("tar", [
    ...(opts.fastGzip ? ["-I", "gzip -1", "-cf"] : ["-czf"]),
    out,
    "-C",
    stage,
    `outpost-${version}`,
  ]);
  rmSync(stage, { recursive: true, force: true });
  return out;
}
