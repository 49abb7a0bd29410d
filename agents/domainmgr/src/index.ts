import { type AgentContext, intFlag, runAgent } from "@outpost/agentbase";
import { DockerClient } from "@outpost/docker";
import { Backoff } from "@outpost/primitives";
import { Option } from "commander";
import { Domainmgr } from "./domainmgr.js";

export { containerName, createOptions, extraNetworks, observe, specHash } from "./container-spec.js";
export type { Action, Memory, RestartPolicy, UpdateInput, UpdateResult } from "./update.js";
export { freshMemory, update } from "./update.js";

interface DomainmgrFlags {
  dockerHost?: string;
  configAgent: string;
  metricsIntervalMs: number;
  restartMinMs: number;
  restartMaxMs: number;
  stableMs: number;
  debounceMs: number;
  resyncIntervalMs: number;
  stopTimeoutS: number;
}

export function run(argv: string[]): Promise<number> {
  return runAgent<DomainmgrFlags>(
    {
      name: "domainmgr",
      description:
        "Runs each DomainConfig as a container in the Docker engine and reports DomainStatus and DomainMetric",
      options: (cmd) =>
        cmd
          .option(
            "--docker-host <url>",
            "Docker engine (default: DOCKER_HOST, then unix:///var/run/docker.sock)",
          )
          .addOption(
            new Option("--config-agent <name>", "agent publishing DomainConfig").default("zedmanager"),
          )
          .addOption(new Option("--metrics-interval-ms <ms>", "DomainMetric period").default("10000"))
          .addOption(
            new Option(
              "--restart-min-ms <ms>",
              "first back-off before restarting a failed app (jittered down by up to half)",
            ).default("1000"),
          )
          .addOption(new Option("--restart-max-ms <ms>", "back-off cap").default("60000"))
          .addOption(new Option("--stable-ms <ms>", "a run this long resets the back-off").default("60000"))
          .addOption(
            new Option("--debounce-ms <ms>", "coalescing of a container's Docker events").default("100"),
          )
          .addOption(
            new Option("--resync-interval-ms <ms>", "full re-read of the engine's containers").default(
              "60000",
            ),
          )
          .addOption(
            new Option("--stop-timeout-s <s>", "SIGTERM grace before SIGKILL on stop").default("10"),
          ),
      parse: (raw) => ({
        dockerHost: typeof raw.dockerHost === "string" ? raw.dockerHost : undefined,
        configAgent: String(raw.configAgent),
        metricsIntervalMs: intFlag(raw.metricsIntervalMs, "--metrics-interval-ms", 100),
        restartMinMs: intFlag(raw.restartMinMs, "--restart-min-ms", 0),
        restartMaxMs: intFlag(raw.restartMaxMs, "--restart-max-ms", 0),
        stableMs: intFlag(raw.stableMs, "--stable-ms", 0),
        debounceMs: intFlag(raw.debounceMs, "--debounce-ms", 0),
        resyncIntervalMs: intFlag(raw.resyncIntervalMs, "--resync-interval-ms", 100),
        stopTimeoutS: intFlag(raw.stopTimeoutS, "--stop-timeout-s", 0),
      }),
      main,
    },
    argv,
  );
}

/** Composition root: the Docker client, the driver, its loops. */
async function main(ctx: AgentContext<DomainmgrFlags>): Promise<void> {
  const o = ctx.options;
  const docker = new DockerClient(o.dockerHost ? { host: o.dockerHost } : {});
  const d = await Domainmgr.start(ctx, docker, {
    node: ctx.layout.root,
    configAgent: o.configAgent,
    policy: {
      backoff: new Backoff({ minMs: o.restartMinMs, maxMs: Math.max(o.restartMinMs, o.restartMaxMs) }),
      stableMs: o.stableMs,
    },
    metricsIntervalMs: o.metricsIntervalMs,
    debounceMs: o.debounceMs,
    resyncIntervalMs: o.resyncIntervalMs,
    stopTimeoutS: o.stopTimeoutS,
    stateDir: ctx.layout.agentPersist(ctx.name),
  });
  ctx.log.info({ node: ctx.layout.root, docker: docker.endpoint }, "domainmgr running");
  await d.run();
}
