import { join } from "node:path";
import type { AgentContext } from "@outpost/agentbase";
import { DockerClient, dockerErrorMessage, outpostLabels } from "@outpost/docker";
import { type MainLoop, sleep } from "@outpost/primitives";
import type { ManifestRead } from "./content-tree.js";
import { DockerFacts } from "./docker-facts.js";
import { volumemgrExecutors } from "./executors.js";
import { Jobs } from "./jobs.js";
import { imageRepo, ociArch } from "./naming.js";
import { Reconciler } from "./reconciler.js";
import { Inputs, Outputs } from "./tables.js";

export interface VolumemgrOptions {
  dockerHost: string | undefined;
  tickMs: number;
  rescanMs: number;
}

/** The composition root: builds the units, wires subscriptions, publications and the timer to one
 * reconcile pass on the main loop; Docker and file work runs in the worker pool and comes back as
 * world changes, each of which schedules a pass again. */
export async function volumemgrMain(ctx: AgentContext<VolumemgrOptions>): Promise<void> {
  const { log, loop, pubsub, signal, layout, options } = ctx;
  const root = layout.root;
  const repo = imageRepo(root);
  const arch = ociArch();
  const docker = new DockerClient(options.dockerHost ? { host: options.dockerHost } : {});
  const downloadedDir = join(layout.agentPersist("downloader"), "downloaded");

  const passes = new Passes(loop, signal);
  const facts = new DockerFacts(
    ctx.work,
    async () => {
      await docker.ping(5000); // not answering: the tick tries again
      const [tags, vols] = await Promise.all([
        docker.listRepoTags(repo),
        docker.listVolumes(outpostLabels({ node: root })),
      ]);
      return { tags, volumes: new Set(vols.map((v) => v.Name)) };
    },
    dockerErrorMessage,
    passes.schedule,
    log,
  );
  const jobs = new Jobs(ctx.work, () => {
    facts.touched();
    passes.schedule();
  });
  const manifests = new Map<string, ManifestRead>();
  const outputs = await Outputs.open(pubsub, log);
  const inputs = new Inputs(pubsub, passes.schedule);
  const executors = volumemgrExecutors({ docker, jobs, facts, manifests, arch, log });

  const reconciler = new Reconciler({
    root,
    arch,
    log,
    inputs,
    outputs,
    facts,
    jobs,
    executors,
    manifests,
    downloadedPath: (sha) => join(downloadedDir, sha),
  });
  passes.run = () => reconciler.pass();

  facts.scan();
  // The timer: rescans of the engine, and retries (failed loads, volumes and removals still in use)
  // that are due by time, not by events.
  let lastScan = Date.now();
  while (!signal.aborted) {
    await sleep(options.tickMs, signal).catch(() => undefined);
    if (signal.aborted) break;
    if (!facts.scanned || Date.now() - lastScan >= options.rescanMs) {
      lastScan = Date.now();
      loop.post(() => facts.scan());
    }
    passes.schedule();
  }
  jobs.abortAll();
}

/** Coalesces every reason to plan again into one pass on the main loop. */
export class Passes {
  private scheduled = false;
  /** The pass; set once the units are built (nothing schedules before the loop runs it). */
  run: () => Promise<void> = async () => undefined;

  constructor(
    private readonly loop: MainLoop,
    private readonly signal: AbortSignal,
  ) {}

  readonly schedule = (): void => {
    if (this.scheduled) return;
    this.scheduled = true;
    this.loop.post(() => {
      this.scheduled = false;
      if (this.signal.aborted) return;
      return this.run();
    });
  };
}
