import { monitorEventLoopDelay } from "node:perf_hooks";
import { type AgentContext, runAgent } from "@outpost/agentbase";
import { VerifyImageConfigCodec, VerifyImageStatusCodec } from "@outpost/types";
import { Verifications } from "./verifications.js";

export { sha256File } from "./hash-file.js";
export { configKey, decideVerify } from "./plan.js";

export function run(argv: string[]): Promise<number> {
  return runAgent(
    {
      name: "verifier",
      description:
        "Checks downloaded blobs' sha256 and keeps the verified store (persist/verifier/verified/)",
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<Record<string, never>>): Promise<void> {
  const { log, pubsub, signal, layout } = ctx;
  // Event-loop lag is measured while hashing and logged with each verification ("verified" lines).
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const pub = await pubsub.publish({
    topic: "VerifyImageStatus",
    codec: VerifyImageStatusCodec,
    persistent: true,
  });
  const verifications = new Verifications(ctx, pub, layout.agentPersist("verifier"), lag, layout.persist);
  verifications.recheckStore();
  pubsub.subscribe({
    agent: "volumemgr",
    topic: "VerifyImageConfig",
    codec: VerifyImageConfigCodec,
    handlers: {
      create: (k, v) => verifications.setConfig(k, v),
      modify: (k, v) => verifications.setConfig(k, v),
      delete: (k) => verifications.setConfig(k, undefined),
      synchronized: () => {
        if (pub.restartedCount === 0) pub.signalRestarted();
      },
      // Statuses and files nobody asks for go only once volumemgr's table is complete after its restart.
      restarted: () => verifications.collectGarbage(),
    },
  });
  log.info({ store: verifications.store }, "verifier ready");
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  verifications.close();
  lag.disable();
}
