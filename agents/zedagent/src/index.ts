import { type AgentContext, runAgent } from "@outpost/agentbase";
import { Zedagent } from "./zedagent.js";

export { CONFIG_ITEM_SPECS, itemNumber, resolveConfigItems } from "./config-items.js";
export { appInfo, contentTreeInfo, deviceInfo, SW_TO_Z, volumeInfo } from "./info.js";
export { ConfigParseError, diffTable, mapDatastore, parseEdgeDevConfig } from "./parse.js";
export { ReportQueue } from "./report-queue.js";
export { nextPollDelayMs } from "./schedule.js";
export { CHECKPOINT_FILES, Zedagent } from "./zedagent.js";

export function run(argv: string[]): Promise<number> {
  return runAgent(
    {
      name: "zedagent",
      description: "Talks to the controller: config polling, checkpoint, config tables, info and metrics",
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<Record<string, never>>): Promise<void> {
  const z = await Zedagent.start({
    pubsub: ctx.pubsub,
    log: ctx.log,
    layout: ctx.layout,
    signal: ctx.signal,
  });
  await z.run();
}
