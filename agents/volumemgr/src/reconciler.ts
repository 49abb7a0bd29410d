import { type Executors, type Logger, runStep } from "@outpost/agentbase";
import type { Action } from "./actions.js";
import type { BlobAttempts } from "./blob.js";
import type { ManifestRead } from "./content-tree.js";
import type { DockerFacts } from "./docker-facts.js";
import { type Desired, emptyDesired } from "./executors.js";
import type { Jobs } from "./jobs.js";
import { reconcile } from "./reconcile.js";
import type { Inputs, Outputs } from "./tables.js";

export interface ReconcilerDeps {
  root: string;
  arch: string;
  log: Logger;
  inputs: Inputs;
  outputs: Outputs;
  facts: DockerFacts;
  jobs: Jobs;
  executors: Executors<Action, [Desired]>;
  manifests: Map<string, ManifestRead>;
}

/** One reconcile pass: gathers the world from the tables, the Docker facts and the jobs, runs the
 * pure planner, hands its actions to the executors and publishes its statuses. Runs on the main loop,
 * one pass at a time. Owns what only the passes carry from one to the next (the blobs' attempts). */
export class Reconciler {
  private attempts = new Map<string, BlobAttempts>();
  /** Passes run so far, logged at debug level: tests wait for passes after an event to know the
   * planner saw it, before asserting that it did nothing (no GC, no retry). */
  private passes = 0;

  constructor(private readonly d: ReconcilerDeps) {}

  async pass(): Promise<void> {
    const { d } = this;
    if (!d.facts.known) return; // what is loaded is unknown: nothing can be decided yet
    const now = Date.now();
    this.forgetStale(now);
    const inputs = d.inputs.snapshot();
    d.log.debug({ pass: ++this.passes, gcAllowed: inputs.gcAllowed }, "pass");
    const plan = reconcile({
      ...inputs,
      root: d.root,
      arch: d.arch,
      now,
      manifests: d.manifests,
      images: d.facts.images,
      dockerVolumes: d.facts.volumes,
      ops: d.jobs.snapshot(),
      attempts: this.attempts,
      prev: d.outputs.snapshot(),
      engineError: d.facts.scanned ? undefined : d.facts.engineError,
    });
    this.attempts = plan.attempts;
    const desired = emptyDesired();
    for (const a of plan.actions) runStep(d.executors, a, desired);

    await d.outputs.publish(plan, desired, inputs.gcAllowed);
    // Blobs are asked for only once the downloader's and verifier's statuses are known, and an image's
    // config and layers once its manifests are read again: only then do our tables hold everything
    // the owners' complete tables ask for.
    if (inputs.gcAllowed && d.facts.scanned && d.inputs.blobStatusesKnown && plan.settled)
      d.outputs.signalRestartedOnce();
  }

  /** Failed jobs nobody retried (their object is no longer wanted) and manifests of images no longer
   * in progress. */
  private forgetStale(now: number): void {
    this.d.jobs.forgetStale(now);
    for (const sha of this.d.manifests.keys())
      if (!this.d.outputs.blobs.get(sha)) this.d.manifests.delete(sha);
  }
}
