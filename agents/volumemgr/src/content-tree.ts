import {
  type BlobStatus,
  type ContentTreeConfig,
  type ContentTreeStatus,
  type DatastoreConfig,
  type ErrorInfo,
  makeError,
  minSwState,
  type ResolveStatus,
  type SwState,
  stableError,
} from "@outpost/types";
import { type Action, canStart, type LoadSource, type OpState, retryIn } from "./actions.js";
import type { BlobWant } from "./blob.js";
import { type ParsedManifest, parseImageUrl } from "./oci.js";

// One content tree, from config to an image loaded in the Docker engine:
//   INITIAL (datastore / tag resolution) -> DOWNLOADING/VERIFYING (its blobs) -> VERIFIED (all blobs)
//   -> LOADING (docker load) -> LOADED (imageId)
// Planned in two steps around the blobs: contentTreeBlobs says which blobs it needs (it learns more as
// manifests are parsed), updateContentTree turns the blobs' statuses into the tree's status and asks
// for the next manifest read or the load.

export type ManifestRead = { parsed: ParsedManifest } | { error: string };

export interface TreeBlobsDeps {
  datastore: DatastoreConfig | undefined;
  /** zedagent's DatastoreConfig table is complete: a missing datastore is an error, not a wait. */
  datastoresSynced: boolean;
  resolve: ResolveStatus | undefined;
  manifests: ReadonlyMap<string, ManifestRead>;
  /** The node's tagged image for this tree is in the engine. */
  imageId: string | undefined;
}

export interface TreeBlobs {
  /** Root digest (archive or top manifest), once known. */
  root?: string;
  /** Blobs needed now, root first. Empty once the image is loaded: blobs are then released. */
  wants: BlobWant[];
  /** True when every blob the image needs is known (the leaf manifest is parsed). */
  complete: boolean;
  /** The blobs making the image, for the load (archive, or config + layers). */
  load?:
    | { format: "archive"; sha256: string }
    | { format: "oci"; config: string; layers: { sha256: string; size: number }[] };
  actions: Action[];
  /** Why it cannot go on: shown on its status. */
  problem?: { state: SwState; description: string; retryCondition?: string };
}

export function treeName(c: ContentTreeConfig): string {
  return c.displayName || c.id;
}

export function contentTreeBlobs(c: ContentTreeConfig, d: TreeBlobsDeps): TreeBlobs {
  if (d.imageId)
    return { wants: [], complete: true, actions: [], ...(c.sha256 ? { root: c.sha256.toLowerCase() } : {}) };
  if (!d.datastore) {
    if (!d.datastoresSynced) return { wants: [], complete: false, actions: [] };
    return {
      wants: [],
      complete: false,
      actions: [],
      problem: {
        state: "INITIAL",
        description: `datastore ${c.datastoreId} is unknown`,
        retryCondition: "publish DatastoreConfig for it",
      },
    };
  }
  const want = (
    sha256: string,
    kind: BlobWant["kind"],
    relativeUrl: string,
    size: number,
    mediaType?: string,
  ): BlobWant => ({
    sha256,
    kind,
    datastoreId: c.datastoreId,
    relativeUrl,
    size,
    maxSizeBytes: c.maxSizeBytes,
    mediaType,
    contentTrees: [c.id],
    epoch: `${c.id}@${c.generation}`,
  });

  if (d.datastore.type !== "registry") {
    const sha = c.sha256.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha))
      return {
        wants: [],
        complete: false,
        actions: [],
        problem: {
          state: "INITIAL",
          description: `an http datastore needs the archive's sha256 (64 hex digits), got "${c.sha256}"`,
          retryCondition: "fix the config",
        },
      };
    // RAW: the verified file is the content (a base OS release); nothing is loaded into the engine.
    return {
      root: sha,
      wants: [want(sha, "archive", c.relativeUrl, 0)],
      complete: true,
      ...(c.format === "RAW" ? {} : { load: { format: "archive", sha256: sha } as const }),
      actions: [],
    };
  }

  let url: ReturnType<typeof parseImageUrl>;
  try {
    url = parseImageUrl(c.relativeUrl);
  } catch (e) {
    return {
      wants: [],
      complete: false,
      actions: [],
      problem: {
        state: "INITIAL",
        description: `bad image reference "${c.relativeUrl}": ${(e as Error).message}`,
        retryCondition: "fix the config",
      },
    };
  }
  const actions: Action[] = [];
  let root = c.sha256.toLowerCase() || url.digest;
  let rootSize = 0;
  let rootMediaType: string | undefined;
  if (!root) {
    actions.push({
      kind: "publishResolveConfig",
      config: {
        contentTreeId: c.id,
        datastoreId: c.datastoreId,
        relativeUrl: c.relativeUrl,
        generation: c.generation,
      },
    });
    const r = d.resolve && d.resolve.generation === c.generation ? d.resolve : undefined;
    if (r?.error)
      return {
        wants: [],
        complete: false,
        actions,
        problem: {
          state: "INITIAL",
          description: `resolving ${c.relativeUrl}: ${r.error.description}`,
          retryCondition: r.error.retryCondition ?? "retrying",
        },
      };
    if (!r?.sha256) return { wants: [], complete: false, actions };
    root = r.sha256.toLowerCase();
    rootSize = r.size;
    rootMediaType = r.mediaType;
  }

  const top = d.manifests.get(root);
  const wants: BlobWant[] = [
    want(
      root,
      top && "parsed" in top && top.parsed.kind === "index" ? "index" : "manifest",
      url.repo,
      rootSize,
      rootMediaType,
    ),
  ];
  let leaf: ManifestRead | undefined = top;
  if (top && "parsed" in top && top.parsed.kind === "index") {
    const child = top.parsed.child;
    wants.push(want(child.sha256, "manifest", url.repo, child.size, child.mediaType));
    leaf = d.manifests.get(child.sha256);
  }
  if (!leaf || !("parsed" in leaf) || leaf.parsed.kind !== "manifest")
    return { root, wants, complete: false, actions };

  const { config, layers } = leaf.parsed;
  const total = config.size + layers.reduce((s, l) => s + l.size, 0);
  if (c.maxSizeBytes > 0 && total > c.maxSizeBytes)
    return {
      root,
      wants,
      complete: false,
      actions,
      problem: {
        state: "DOWNLOADING",
        description: `image is ${total} bytes, more than maxSizeBytes ${c.maxSizeBytes}`,
        retryCondition: "raise maxSizeBytes or use a smaller image, and bump the config",
      },
    };
  wants.push(want(config.sha256, "config", url.repo, config.size, config.mediaType));
  const seen = new Set(wants.map((w) => w.sha256));
  for (const l of layers) {
    if (seen.has(l.sha256)) continue;
    seen.add(l.sha256);
    wants.push(want(l.sha256, "layer", url.repo, l.size, l.mediaType));
  }
  return {
    root,
    wants,
    complete: true,
    load: {
      format: "oci",
      config: config.sha256,
      layers: layers.map((l) => ({ sha256: l.sha256, size: l.size })),
    },
    actions,
  };
}

export interface TreeDeps {
  plan: TreeBlobs;
  /** This pass's blob statuses. */
  blobs: ReadonlyMap<string, BlobStatus>;
  manifests: ReadonlyMap<string, ManifestRead>;
  manifestOps: (sha: string) => OpState | undefined;
  imageId: string | undefined;
  load: OpState | undefined;
  tag: string;
  ref: string;
  now: number;
}

export interface TreeUpdate {
  status: ContentTreeStatus;
  actions: Action[];
}

export function updateContentTree(
  c: ContentTreeConfig,
  prev: ContentTreeStatus | undefined,
  d: TreeDeps,
): TreeUpdate {
  const name = treeName(c);
  const source = { type: "ContentTree", id: c.id, name };
  const now = new Date(d.now);
  const blobs = d.plan.wants
    .map((w) => d.blobs.get(w.sha256))
    .filter((b): b is BlobStatus => b !== undefined);
  const totalSize = blobs.reduce((s, b) => s + b.size, 0);
  const currentSize = blobs.reduce((s, b) => s + Math.min(b.currentSize, b.size || b.currentSize), 0);
  const status: ContentTreeStatus = {
    id: c.id,
    displayName: name,
    state: "INITIAL",
    progress: totalSize > 0 ? Math.floor((100 * currentSize) / totalSize) : 0,
    totalSize,
    currentSize,
    blobs: d.plan.wants.length ? d.plan.wants.map((w) => w.sha256) : (prev?.blobs ?? []),
    sha256: d.plan.root ?? prev?.sha256 ?? "",
  };
  const finish = (state: SwState, error: ErrorInfo | undefined, actions: Action[] = []): TreeUpdate => {
    const s: ContentTreeStatus = { ...status, state };
    const e = stableError(prev?.error, error);
    if (e) s.error = e;
    return { status: s, actions: [...d.plan.actions, ...actions] };
  };
  const err = (description: string, retryCondition?: string) =>
    makeError(`content tree ${name}: ${description}`, {
      source,
      now,
      ...(retryCondition ? { retryCondition } : {}),
    });

  if (d.imageId) {
    status.imageId = d.imageId;
    status.progress = 100;
    status.totalSize = prev?.totalSize ?? totalSize;
    status.currentSize = status.totalSize;
    return finish("LOADED", undefined);
  }
  if (d.plan.problem)
    return finish(d.plan.problem.state, err(d.plan.problem.description, d.plan.problem.retryCondition));

  const failed = blobs.find((b) => b.error);
  const blobState = minSwState(blobs.map((b) => b.state));
  if (failed?.error) {
    // A blob two trees share (one sha256) is fetched once, from the source of the first tree that
    // wants it: the error of the others must not read as if their own URL had failed.
    const fetchedFor = failed.contentTrees[0];
    const own = d.plan.wants.find((w) => w.sha256 === failed.sha256);
    const description =
      fetchedFor !== undefined && fetchedFor !== c.id && own
        ? `${failed.error.description} (blob ${failed.sha256} is shared with content tree ${fetchedFor} ` +
          `and was fetched from that tree's source; this tree's own ${own.relativeUrl} on datastore ` +
          `${own.datastoreId} was not tried)`
        : failed.error.description;
    return finish(blobs.length ? blobState : "INITIAL", err(description, failed.error.retryCondition));
  }

  // Verified manifests not parsed yet: read them (or report why they cannot be).
  const actions: Action[] = [];
  for (const b of blobs) {
    if ((b.kind !== "manifest" && b.kind !== "index") || b.state !== "VERIFIED" || !b.path) continue;
    const m = d.manifests.get(b.sha256);
    if (m && "error" in m)
      return finish(
        "VERIFIED",
        err(`manifest ${b.sha256}: ${m.error}`, "fix the datastore and bump the config"),
      );
    if (!m && canStart(d.manifestOps(b.sha256), d.now))
      actions.push({ kind: "readManifest", sha256: b.sha256, path: b.path });
  }
  if (
    c.format === "RAW" &&
    d.plan.complete &&
    blobs.length === 1 &&
    blobState === "VERIFIED" &&
    blobs[0]?.path
  ) {
    status.progress = 100;
    status.path = blobs[0].path;
    return finish("VERIFIED", undefined, actions);
  }
  if (!d.plan.complete || blobs.length < d.plan.wants.length || blobState !== "VERIFIED" || !d.plan.load) {
    const state =
      blobs.length === 0 ? "INITIAL" : d.plan.complete ? blobState : minSwState([blobState, "DOWNLOADING"]);
    return finish(state, undefined, actions);
  }

  const path = (sha: string) => d.blobs.get(sha)?.path ?? "";
  const size = (sha: string) => d.blobs.get(sha)?.size ?? 0;
  const load = d.plan.load;
  const source_: LoadSource =
    load.format === "archive"
      ? { format: "archive", sha256: load.sha256, path: path(load.sha256) }
      : {
          format: "oci",
          config: { sha256: load.config, path: path(load.config), size: size(load.config) },
          layers: load.layers.map((l) => ({
            sha256: l.sha256,
            path: path(l.sha256),
            size: size(l.sha256) || l.size,
          })),
        };
  if (d.load && !d.load.running) {
    const e = err(`docker load failed: ${d.load.error}`, retryIn(d.load));
    if (canStart(d.load, d.now))
      actions.push({ kind: "loadImage", contentTreeId: c.id, tag: d.tag, ref: d.ref, source: source_ });
    return finish("LOADING", e, actions);
  }
  if (!d.load)
    actions.push({ kind: "loadImage", contentTreeId: c.id, tag: d.tag, ref: d.ref, source: source_ });
  return finish("LOADING", undefined, actions);
}
