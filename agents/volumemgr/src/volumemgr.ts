import { type AgentContext, appConfigPublishers, type Logger, type RunWork } from "@outpost/agentbase";
import { DockerClient, dockerErrorMessage, outpostLabels } from "@outpost/docker";
import { type MainLoop, sleep } from "@outpost/primitives";
import type { PubSub } from "@outpost/pubsub";
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

/** The agent: the Docker client and the timer around the wired units. */
export async function volumemgrMain(ctx: AgentContext<VolumemgrOptions>): Promise<void> {
  const { options, signal, loop } = ctx;
  const docker = new DockerClient(options.dockerHost ? { host: options.dockerHost } : {});
  const vm = await wireVolumemgr({
    loop,
    work: ctx.work,
    pubsub: ctx.pubsub,
    log: ctx.log,
    signal,
    root: ctx.layout.root,
    docker,
  });
  vm.facts.scan();
  // The timer: rescans of the engine, and retries (failed loads, volumes and removals still in use)
  // that are due by time, not by events.
  let lastScan = Date.now();
  while (!signal.aborted) {
    await sleep(options.tickMs, signal).catch(() => undefined);
    if (signal.aborted) break;
    if (!vm.facts.scanned || Date.now() - lastScan >= options.rescanMs) {
      lastScan = Date.now();
      loop.post(() => vm.facts.scan());
    }
    vm.passes.schedule();
  }
  vm.jobs.abortAll();
}

export interface VolumemgrDeps {
  loop: MainLoop;
  work: RunWork;
  pubsub: PubSub;
  log: Logger;
  signal: AbortSignal;
  /** The node's root: its images' repository and its volumes' label. */
  root: string;
  docker: DockerClient;
}

/** The composition root: builds the units and wires subscriptions, publications and job results to
 * one reconcile pass on the main loop. Docker and file work runs through `work` and comes back as
 * world changes, each of which schedules a pass again. */
export async function wireVolumemgr(d: VolumemgrDeps) {
  const { docker, root, log } = d;
  const repo = imageRepo(root);
  const arch = ociArch();
  const passes = new Passes(d.loop, d.signal);
  const facts = new DockerFacts(
    d.work,
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
  const jobs = new Jobs(d.work, () => {
    facts.touched();
    passes.schedule();
  });
  const manifests = new Map<string, ManifestRead>();
  const outputs = await Outputs.open(d.pubsub, log);
  const inputs = new Inputs(d.pubsub, passes.schedule, appConfigPublishers({ root }));
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
  });
  passes.run = () => reconciler.pass();
  return { passes, facts, jobs, inputs, outputs };
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
