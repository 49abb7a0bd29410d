#!/usr/bin/env node
// Packs dist/ (made by build/bundle.mjs) into dist/outpost-<version>-linux-<arch>.tar.gz with a single
// top folder outpost-<version>/, and fails when the unpacked tree exceeds its 20 MB budget.
// `make dist` runs the bundler first, then this.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { currentLibFiles, DIST, mb, ROOT, treeSize, version } from "./bundle.mjs";

export const SIZE_BUDGET = 20 * 1024 * 1024;

export function tarballName(v = version(), arch = process.arch) {
  return `outpost-${v}-linux-${arch}.tar.gz`;
}

export function tarballPath() {
  return join(DIST, tarballName());
}

function libc() {
  // glibc reports its version in the process report; musl does not.
  return process.report?.getReport().header.glibcVersionRuntime ? "glibc" : "musl";
}

function readmeText(v) {
  const template = readFileSync(join(ROOT, "build/dist-README.txt"), "utf8");
  return template
    .replaceAll("@VERSION@", v)
    .replaceAll("@ARCH@", process.arch)
    .replaceAll("@LIBC@", libc())
    .replaceAll("@NODE@", process.version);
}

export function packageDist() {
  if (process.platform !== "linux") throw new Error(`packaging is for linux only, not ${process.platform}`);
  for (const needed of ["outpost", "lib", "bin", "node_modules", "package.json"]) {
    if (!existsSync(join(DIST, needed)))
      throw new Error(`dist/${needed} is missing: run node build/bundle.mjs first`);
  }
  const v = version();
  const stage = mkdtempSync(join(tmpdir(), "outpost-package-"));
  try {
    const top = join(stage, `outpost-${v}`);
    mkdirSync(top);
    for (const item of ["outpost", "package.json", "bin", "node_modules"]) {
      cpSync(join(DIST, item), join(top, item), { recursive: true, verbatimSymlinks: true });
    }
    // lib/ of the last build only: chunks of earlier builds stay in dist/lib/ a while for processes
    // started from them (build/bundle.mjs, STALE_LIB_MS), never in a release.
    mkdirSync(join(top, "lib"));
    for (const name of currentLibFiles(DIST)) cpSync(join(DIST, "lib", name), join(top, "lib", name));
    // The boot script and the systemd unit, so a device install needs nothing from the repository.
    mkdirSync(join(top, "init"));
    for (const f of ["outpost-boot", "outpost.service"])
      cpSync(join(ROOT, "build/init", f), join(top, "init", f));
    writeFileSync(join(top, "README"), readmeText(v));
    const size = treeSize(top);
    const out = tarballPath();
    rmSync(out, { force: true });
    // Reproducible: sorted names, fixed owner and mtime, so the same inputs give the same bytes.
    const epoch = process.env.SOURCE_DATE_EPOCH ?? "0";
    execFileSync("tar", [
      "--sort=name",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      `--mtime=@${epoch}`,
      "-C",
      stage,
      "-cf",
      `${out}.tmp`,
      `outpost-${v}`,
    ]);
    execFileSync("gzip", ["-n", "-9", "-f", `${out}.tmp`]);
    execFileSync("mv", [`${out}.tmp.gz`, out]);
    console.log(`${out.slice(ROOT.length + 1)}  ${mb(statSync(out).size)} compressed`);
    console.log(`installed size (unpacked tree): ${mb(size)} (${size} bytes; budget ${mb(SIZE_BUDGET)})`);
    if (size > SIZE_BUDGET)
      throw new Error(`unpacked tree is ${mb(size)}, over the ${mb(SIZE_BUDGET)} budget`);
    return { path: out, size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    packageDist();
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
