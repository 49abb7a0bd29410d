import { type AgentContext, appConfigPublishers, runAgent } from "@outpost/agentbase";
import { Zedmanager } from "./zedmanager.js";

export { type Action, type AppRecord, type Deps, update } from "./update.js";
export { parseUserDataEnv } from "./user-data.js";
export { Zedmanager } from "./zedmanager.js";

export function run(argv: string[]): Promise<number> {
  return runAgent(
    { name: "zedmanager", description: "Drives each app instance: its volume refs, then its domain", main },
    argv,
  );
}

async function main(ctx: AgentContext<Record<string, never>>): Promise<void> {
  const configAgents = appConfigPublishers(ctx.layout);
  if (configAgents.length > 1) ctx.log.info({ configAgents }, "app configs from several managers");
  const z = await Zedmanager.start({ pubsub: ctx.pubsub, loop: ctx.loop, log: ctx.log, configAgents });
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  z.stop();
}
