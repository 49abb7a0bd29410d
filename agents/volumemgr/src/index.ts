import { runAgent } from "@outpost/agentbase";
import { Option } from "commander";
import { type VolumemgrOptions, volumemgrMain } from "./volumemgr.js";

export { contentTreeTag, dockerVolumeName, imageRef, imageRepo, nodeId } from "./naming.js";
export { reconcile } from "./reconcile.js";

export function run(argv: string[]): Promise<number> {
  return runAgent<VolumemgrOptions>(
    {
      name: "volumemgr",
      description:
        "Turns content trees into images in the Docker engine and volumes into Docker volumes; reference-counts and garbage-collects them",
      options: (cmd) =>
        cmd
          .addOption(
            new Option(
              "--docker-host <url>",
              "Docker engine (default: DOCKER_HOST, then /var/run/docker.sock)",
            ),
          )
          .addOption(new Option("--tick-ms <ms>", "retry/GC timer period").default("2000").hideHelp())
          .addOption(
            new Option("--rescan-ms <ms>", "how often the engine's images and volumes are re-read")
              .default("30000")
              .hideHelp(),
          ),
      parse: (raw) => ({
        dockerHost: typeof raw.dockerHost === "string" ? raw.dockerHost : undefined,
        tickMs: positive(raw.tickMs, "--tick-ms"),
        rescanMs: positive(raw.rescanMs, "--rescan-ms"),
      }),
      main: volumemgrMain,
    },
    argv,
  );
}

function positive(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`${flag}: expected a positive integer, got "${String(v)}"`);
  return n;
}
