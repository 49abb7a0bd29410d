import { basename, dirname, join } from "node:path";
import { type AgentContext, intFlag, runAgent } from "@outpost/agentbase";
import { Option } from "commander";
import { Baseosmgr } from "./baseosmgr.js";
import { BootSelector, FileEnvBlock, GrubEnvBlock } from "./bootselector.js";
import { releaseVersion, slotsDir } from "./slots.js";

export * from "./baseosmgr.js";
export * from "./bootselector.js";
export * from "./plan.js";
export * from "./slots.js";

interface BaseosmgrFlags {
  selector: "file" | "grub";
  grubenv?: string;
  maxReleaseBytes: number;
  testWindowMs?: number;
  stableMs: number;
  slowUnpackRecords?: number;
}

export function run(argv: string[]): Promise<number> {
  return runAgent<BaseosmgrFlags>(
    {
      name: "baseosmgr",
      description:
        "Updates Outpost itself: installs the release EdgeDevConfig.baseos names into the inactive slot, boots it once, commits it after its test window or falls back",
      options: (cmd) =>
        cmd
          .addOption(
            new Option("--selector <kind>", "boot-selector backend")
              .choices(["file", "grub"])
              .default("file"),
          )
          .option(
            "--grubenv <path>",
            "GRUB environment block for --selector grub (default <root>/slots/grubenv)",
          )
          .addOption(
            new Option("--max-release-bytes <n>", "largest unpacked release accepted").default(
              String(64 << 20),
            ),
          )
          .option(
            "--test-window-ms <ms>",
            `test window; overrides the config item timer.test.baseimage.update`,
          )
          .option(
            "--stable-ms <ms>",
            "how long a new slot must stay healthy in its test window before it is committed (at most half the window)",
            "30000",
          )
          .addOption(
            new Option(
              "--test-slow-unpack-records <n>",
              "TEST ONLY: tar sleeps 1 s every n records of 512 bytes while unpacking a release (power-cut test)",
            ).hideHelp(),
          ),
      parse: (raw) => ({
        selector: raw.selector === "grub" ? "grub" : "file",
        ...(typeof raw.grubenv === "string" ? { grubenv: raw.grubenv } : {}),
        maxReleaseBytes: intFlag(raw.maxReleaseBytes, "--max-release-bytes", 1),
        stableMs: intFlag(raw.stableMs, "--stable-ms", 0),
        ...(raw.testWindowMs !== undefined
          ? { testWindowMs: intFlag(raw.testWindowMs, "--test-window-ms", 1) }
          : {}),
        ...(raw.testSlowUnpackRecords !== undefined
          ? { slowUnpackRecords: intFlag(raw.testSlowUnpackRecords, "--test-slow-unpack-records", 1) }
          : {}),
      }),
      main,
    },
    argv,
  );
}

/** Composition root: the selector backend, the running version, the agent. */
async function main(ctx: AgentContext<BaseosmgrFlags>): Promise<void> {
  const o = ctx.options;
  const root = ctx.layout.root;
  const block =
    o.selector === "grub"
      ? new GrubEnvBlock(o.grubenv ?? join(slotsDir(root), "grubenv"))
      : new FileEnvBlock(join(slotsDir(root), "bootenv"));
  // This process runs from <release>/bin/baseosmgr (or <release>/outpost baseosmgr).
  const script = process.argv[1] ?? "";
  const release = basename(dirname(script)) === "bin" ? dirname(dirname(script)) : dirname(script);
  const runningVersion = await new Promise<string>((resolve, reject) =>
    ctx.work(
      async () => releaseVersion(release),
      (r) => (r.ok ? resolve(r.value) : reject(r.error)),
    ),
  );
  const b = await Baseosmgr.start(ctx, {
    selector: new BootSelector(block),
    runningVersion,
    maxReleaseBytes: o.maxReleaseBytes,
    testWindowMs: o.testWindowMs,
    stableMs: o.stableMs,
    slowUnpackRecords: o.slowUnpackRecords,
  });
  await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
  b.stop();
}
