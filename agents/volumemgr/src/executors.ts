import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Executors, Logger } from "@outpost/agentbase";
import { type DockerClient, dockerErrorMessage } from "@outpost/docker";
import type { DownloaderConfig, ResolveConfig, VerifyImageConfig } from "@outpost/types";
import { type Action, opKey } from "./actions.js";
import type { ManifestRead } from "./content-tree.js";
import type { DockerFacts } from "./docker-facts.js";
import { ociLoadStream, retagArchiveStream } from "./docker-load.js";
import { type Jobs, retryPolicies } from "./jobs.js";
import { parseManifest } from "./oci.js";

// The executor table: one executor per action kind of the planner. The publish actions only collect
// what this pass wants published (the pass then syncs the tables with it); the others start a job
// off the main loop whose result comes back into the world (Docker facts, manifests) or, failed, into
// the jobs' retry state.

/** The configs a pass asks the downloader and the verifier for; anything not asked for is withdrawn. */
export interface Desired {
  downloader: Map<string, DownloaderConfig>;
  resolve: Map<string, ResolveConfig>;
  verify: Map<string, VerifyImageConfig>;
}

export function emptyDesired(): Desired {
  return { downloader: new Map(), resolve: new Map(), verify: new Map() };
}

export interface ExecutorDeps {
  docker: DockerClient;
  jobs: Jobs;
  facts: DockerFacts;
  /** Parsed manifests by sha256 (loop-owned). */
  manifests: Map<string, ManifestRead>;
  /** The node's OCI platform architecture ("amd64"). */
  arch: string;
  log: Logger;
}

/** Still in use by a container: the engine refused to remove it. Retried later. */
const inUse = "still in use by a container";

export function volumemgrExecutors(d: ExecutorDeps): Executors<Action, [Desired]> {
  const { docker, jobs, facts, log } = d;
  const failed = (error: unknown) => dockerErrorMessage(error);
  return {
    publishDownloaderConfig: (a, want) => void want.downloader.set(a.config.sha256, a.config),
    publishVerifyImageConfig: (a, want) => void want.verify.set(a.config.sha256, a.config),
    publishResolveConfig: (a, want) => void want.resolve.set(a.config.contentTreeId, a.config),

    readManifest: (a) =>
      jobs.start(
        opKey.manifest(a.sha256),
        retryPolicies.readManifest,
        () => readFile(a.path),
        (r) => {
          if (!r.ok) return failed(r.error);
          try {
            d.manifests.set(a.sha256, { parsed: parseManifest(r.value, d.arch) });
          } catch (e) {
            d.manifests.set(a.sha256, { error: (e as Error).message });
          }
          return undefined;
        },
      ),

    loadImage: (a) => {
      log.info(
        { contentTree: a.contentTreeId, ref: a.ref, format: a.source.format },
        "loading image into Docker",
      );
      const started = Date.now();
      jobs.start(
        opKey.load(a.tag),
        retryPolicies.loadImage,
        async () => {
          const tar =
            a.source.format === "archive"
              ? retagArchiveStream(createReadStream(a.source.path), a.ref)
              : ociLoadStream({ repoTag: a.ref, config: a.source.config, layers: a.source.layers });
          await docker.loadImage(tar);
          // Read back through the tag: the tag is what holds the image and what a restart finds.
          const id = await docker.imageId(a.ref);
          if (!id) throw new Error(`the engine loaded the archive but has no ${a.ref}`);
          return id;
        },
        (r) => {
          if (!r.ok) {
            log.warn({ contentTree: a.contentTreeId, err: failed(r.error) }, "docker load failed");
            return failed(r.error);
          }
          facts.imageTagged(a.tag, r.value);
          log.info(
            { contentTree: a.contentTreeId, imageId: r.value, ms: Date.now() - started },
            "image loaded",
          );
          return undefined;
        },
      );
    },

    createVolume: (a) =>
      jobs.start(
        opKey.create(a.name),
        retryPolicies.createVolume,
        () => docker.createVolume(a.name, a.labels),
        (r) => {
          if (!r.ok) return failed(r.error);
          facts.volumeCreated(a.name);
          log.info({ volume: a.name }, "created Docker volume");
          return undefined;
        },
      ),

    removeVolume: (a) =>
      jobs.start(
        opKey.removeVolume(a.name),
        retryPolicies.removeVolume,
        () => docker.removeVolume(a.name),
        (r) => {
          if (!r.ok) return failed(r.error);
          if (!r.value) return inUse;
          facts.volumeRemoved(a.name);
          log.info({ volume: a.name }, "removed unreferenced Docker volume");
          return undefined;
        },
      ),

    removeImage: (a) =>
      jobs.start(
        opKey.removeImage(a.tag),
        retryPolicies.removeImage,
        () => docker.removeTag(a.ref),
        (r) => {
          if (!r.ok) return failed(r.error);
          if (!r.value) return inUse;
          facts.imageUntagged(a.tag);
          log.info(
            { ref: a.ref },
            "removed unreferenced image (its tag; the engine deletes it when nothing else holds it)",
          );
          return undefined;
        },
      ),
  };
}
