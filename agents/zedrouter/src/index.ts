import { type AgentContext, appConfigPublishers, intFlag, runAgent } from "@outpost/agentbase";
import { DockerClient } from "@outpost/docker";
import { Backoff } from "@outpost/primitives";
import { Option } from "commander";
import { Zedrouter } from "./zedrouter.js";

export {
  createRequest,
  freeBridgeNum,
  networkName,
  networkSpec,
  parseCidr,
  rangeToCidr,
} from "./network-spec.js";
export type { Action, Memory, UpdateInput, UpdateResult } from "./update.js";
export { freshMemory, update } from "./update.js";
export { observe } from "./zedrouter.js";

interface ZedrouterFlags {
  dockerHost?: string;
  configAgents: string[] | undefined;
  pollMs: number;
  retryMinMs: number;
  retryMaxMs: number;
}

export function run(argv: string[]): Promise<number> {
  return runAgent<ZedrouterFlags>(
    {
      name: "zedrouter",
      description:
        "Maps each NetworkInstanceConfig onto a Docker network (local: NAT bridge; switch: macvlan on a port) and reports NetworkInstanceStatus",
      options: (cmd) =>
        cmd
          .option(
            "--docker-host <url>",
            "Docker engine (default: DOCKER_HOST, then unix:///var/run/docker.sock)",
          )
          .addOption(
            new Option(
              "--config-agent <names>",
              "agents publishing NetworkInstanceConfig, comma-separated (default: zedagent, and mqttagent when config/mqtt/broker exists)",
            ),
          )
          .addOption(
            new Option(
              "--poll-ms <ms>",
              "re-read of the engine's networks and attachments (ip assignments)",
            ).default("5000"),
          )
          .addOption(
            new Option("--retry-min-ms <ms>", "first back-off after the engine refused a step").default(
              "2000",
            ),
          )
          .addOption(new Option("--retry-max-ms <ms>", "back-off cap").default("60000")),
      parse: (raw) => ({
        dockerHost: typeof raw.dockerHost === "string" ? raw.dockerHost : undefined,
        configAgents:
          typeof raw.configAgent === "string" ? raw.configAgent.split(",").filter(Boolean) : undefined,
        pollMs: intFlag(raw.pollMs, "--poll-ms", 100),
        retryMinMs: intFlag(raw.retryMinMs, "--retry-min-ms", 0),
        retryMaxMs: intFlag(raw.retryMaxMs, "--retry-max-ms", 0),
      }),
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<ZedrouterFlags>): Promise<void> {
  const o = ctx.options;
  const docker = new DockerClient(o.dockerHost ? { host: o.dockerHost } : {});
  const z = await Zedrouter.start(ctx, docker, {
    node: ctx.layout.root,
    configAgents: o.configAgents ?? appConfigPublishers(ctx.layout),
    pollMs: o.pollMs,
    backoff: new Backoff({ minMs: o.retryMinMs, maxMs: Math.max(o.retryMinMs, o.retryMaxMs) }),
  });
  ctx.log.info({ node: ctx.layout.root, docker: docker.endpoint }, "zedrouter running");
  await z.run();
}
