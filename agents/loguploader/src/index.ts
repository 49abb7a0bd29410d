import { setFlagsFromString } from "node:v8";
import { type AgentContext, runAgent } from "@outpost/agentbase";
import { LOGUPLOADER_STATUS_TOPIC, LoguploaderStatusCodec } from "@outpost/types";
import { Loguploader, type UploaderOptions } from "./uploader.js";

export * from "./batches.js";
export * from "./plan.js";
export { statusOf } from "./status.js";

export const DEFAULT_UPLOADER_OPTIONS: UploaderOptions = {
  scanIntervalMs: 2000,
  gapMs: 100,
  retryMinMs: 2000,
  // EVE's backoffMaxUploadIntv: 300 s.
  retryMaxMs: 300_000,
  max4xx: 10,
  sendTimeoutMs: 60_000,
};

function positive(raw: unknown, flag: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`${flag}: expected a positive integer, got "${String(raw)}"`);
  return n;
}

/** V8 doubles its young generation (up to 16 MiB per semi-space, 32 MiB committed) while a drain
 * allocates fast, and keeps it once idle: that alone pushed the PSS after a 60 000-line drain past 30 MB.
 * The growth factor is read each time the young generation would grow, so setting it to 1 at startup
 * keeps it at its initial 1 MiB semi-spaces (more, cheap, scavenges instead). --max-semi-space-size, by
 * contrast, is read only when the heap is made and does nothing from here (measured). */
const KEEP_YOUNG_GENERATION_SMALL = "--semi-space-growth-factor=1";

export function run(argv: string[]): Promise<number> {
  setFlagsFromString(KEEP_YOUNG_GENERATION_SMALL);
  const d = DEFAULT_UPLOADER_OPTIONS;
  return runAgent<UploaderOptions>(
    {
      name: "loguploader",
      description: "Sends newlogd's gzip log batches to the controller in order, deleting each once accepted",
      options: (cmd) =>
        cmd
          .option(
            "--scan-interval-ms <ms>",
            "how often the batch directories are checked when idle",
            String(d.scanIntervalMs),
          )
          .option("--gap-ms <ms>", "least pause between two uploads while draining", String(d.gapMs))
          .option(
            "--retry-min-ms <ms>",
            "first retry delay after a failure (doubles, jittered)",
            String(d.retryMinMs),
          )
          .option("--retry-max-ms <ms>", "longest retry delay", String(d.retryMaxMs))
          .option("--max-4xx <n>", "4xx answers in a row before a batch is given up", String(d.max4xx))
          .option("--send-timeout-ms <ms>", "deadline of one upload", String(d.sendTimeoutMs)),
      parse: (raw) => ({
        scanIntervalMs: positive(raw.scanIntervalMs, "--scan-interval-ms"),
        gapMs: positive(raw.gapMs, "--gap-ms"),
        retryMinMs: positive(raw.retryMinMs, "--retry-min-ms"),
        retryMaxMs: positive(raw.retryMaxMs, "--retry-max-ms"),
        max4xx: positive(raw.max4xx, "--max-4xx"),
        sendTimeoutMs: positive(raw.sendTimeoutMs, "--send-timeout-ms"),
      }),
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<UploaderOptions>): Promise<void> {
  const pub = await ctx.pubsub.publish({ topic: LOGUPLOADER_STATUS_TOPIC, codec: LoguploaderStatusCodec });
  await new Loguploader(ctx, pub).run();
}
