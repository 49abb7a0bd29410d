import type { DownloaderConfig, ResolveConfig, VerifyImageConfig } from "@outpost/types";

// What the planners ask for. The planners are pure; the agent's executor table (agentbase's
// `Executors<Action>`, so a missing handler does not compile) publishes or runs them off the main loop.

export type LoadSource =
  | { format: "archive"; sha256: string; path: string }
  | {
      format: "oci";
      config: { sha256: string; path: string; size: number };
      layers: { sha256: string; path: string; size: number }[];
    };

export type Action =
  /** Keep this DownloaderConfig published (anything not asked for in a pass is withdrawn). */
  | { kind: "publishDownloaderConfig"; config: DownloaderConfig }
  | { kind: "publishVerifyImageConfig"; config: VerifyImageConfig }
  | { kind: "publishResolveConfig"; config: ResolveConfig }
  /** Read and parse a verified manifest or index. */
  | { kind: "readManifest"; sha256: string; path: string }
  /** docker load, tagging the image `ref` (the node's reference on it). */
  | { kind: "loadImage"; contentTreeId: string; tag: string; ref: string; source: LoadSource }
  | { kind: "createVolume"; name: string; labels: Record<string, string> }
  /** GC: a Docker volume nothing references. */
  | { kind: "removeVolume"; name: string }
  /** GC: drop the node's tag; the engine deletes the image when no other tag or container holds it. */
  | { kind: "removeImage"; tag: string; ref: string };

export type ActionKind = Action["kind"];

/** A Docker or file job: running, or failed at `at` and due again at `retryAt` (the agent's backoff
 * for that kind of job decides when). Absent: not started or succeeded (its result is in the world). */
export type OpState = { running: true } | { running: false; error: string; at: number; retryAt: number };

export const opKey = {
  load: (tag: string) => `load:${tag}`,
  create: (name: string) => `create:${name}`,
  removeVolume: (name: string) => `rmvol:${name}`,
  removeImage: (tag: string) => `rmimg:${tag}`,
  manifest: (sha: string) => `manifest:${sha}`,
};

/** May a job with this state be started now? */
export function canStart(op: OpState | undefined, now: number): boolean {
  return op === undefined || (!op.running && now >= op.retryAt);
}

/** The retry condition of a failed job, for its error. */
export function retryIn(op: { at: number; retryAt: number }): string {
  return `retrying in ${Math.max(1, Math.round((op.retryAt - op.at) / 1000))} s`;
}
