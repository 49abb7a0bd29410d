import {
  type ContentTreeStatus,
  type ErrorInfo,
  makeError,
  type SwState,
  stableError,
  swStateRank,
  type VolumeConfig,
  type VolumeRefConfig,
  type VolumeRefStatus,
  type VolumeStatus,
} from "@outpost/types";
import { type Action, canStart, type OpState, retryIn } from "./actions.js";
import { dockerVolumeName, volumeLabels } from "./naming.js";

// One volume, as an app (through zedmanager's VolumeRefConfig) needs it:
//   blank:    CREATING_VOLUME (docker volume create) -> CREATED_VOLUME (dockerVolume)
//   download: the content tree's state (DOWNLOADING ... LOADING) -> CREATED_VOLUME (imageId)
// A bumped localGeneration (purge) names a new, empty Docker volume; the old one is garbage once
// its container let go of it. An image has nothing to empty: the new localGeneration is reported at once.

export interface VolumeDeps {
  root: string;
  config: VolumeConfig | undefined;
  /** zedagent's VolumeConfig table is complete: a missing config is an error, not a wait. */
  configsSynced: boolean;
  /** The content tree's status this pass (download volumes). */
  tree: ContentTreeStatus | undefined;
  /** zedagent's ContentTreeConfig table is complete. */
  treesSynced: boolean;
  dockerVolumes: ReadonlySet<string>;
  createOp: (name: string) => OpState | undefined;
  now: number;
}

export interface VolumeUpdate {
  volume?: VolumeStatus;
  ref: VolumeRefStatus;
  actions: Action[];
}

export function updateVolume(
  ref: VolumeRefConfig,
  prev: { volume?: VolumeStatus | undefined; ref?: VolumeRefStatus | undefined },
  d: VolumeDeps,
): VolumeUpdate {
  const key = `${ref.volumeId}#${ref.generation}`;
  const c = d.config;
  const refStatus = (state: SwState, extra: Partial<VolumeRefStatus>, error?: ErrorInfo): VolumeRefStatus => {
    const e = stableError(prev.ref?.error, error);
    return {
      volumeId: ref.volumeId,
      generation: ref.generation,
      localGeneration: ref.localGeneration,
      state,
      progress: 0,
      readOnly: c?.readOnly ?? false,
      ...extra,
      ...(e ? { error: e } : {}),
    };
  };
  if (!c) {
    const error = d.configsSynced
      ? makeError(`volume ${key}: no VolumeConfig for it`, {
          severity: "warning",
          retryCondition: "waiting for zedagent to publish it",
          source: { type: "Volume", id: key },
          now: new Date(d.now),
        })
      : undefined;
    return { ref: refStatus("INITIAL", {}, error), actions: [] };
  }

  const name = c.displayName || key;
  const volume = (state: SwState, extra: Partial<VolumeStatus>, error?: ErrorInfo): VolumeStatus => {
    const e = stableError(prev.volume?.error, error);
    return {
      id: c.id,
      generation: c.generation,
      localGeneration: ref.localGeneration,
      displayName: name,
      origin: c.origin,
      state,
      progress: 0,
      contentTreeId: c.contentTreeId,
      sizeBytes: 0,
      ...extra,
      ...(e ? { error: e } : {}),
    };
  };

  if (c.origin === "blank") {
    const dockerVolume = dockerVolumeName(d.root, c.id, c.generation, ref.localGeneration);
    if (d.dockerVolumes.has(dockerVolume)) {
      const extra = { dockerVolume, progress: 100 };
      return {
        volume: volume("CREATED_VOLUME", extra),
        ref: refStatus("CREATED_VOLUME", { ...extra, kind: "volume" }),
        actions: [],
      };
    }
    const op = d.createOp(dockerVolume);
    const actions: Action[] = canStart(op, d.now)
      ? [{ kind: "createVolume", name: dockerVolume, labels: volumeLabels(d.root, key, ref.localGeneration) }]
      : [];
    const error =
      op && !op.running
        ? makeError(`volume ${name}: cannot create Docker volume ${dockerVolume}: ${op.error}`, {
            retryCondition: retryIn(op),
            source: { type: "Volume", id: key, name },
            now: new Date(d.now),
          })
        : undefined;
    return {
      volume: volume("CREATING_VOLUME", {}, error),
      ref: refStatus("CREATING_VOLUME", { kind: "volume" }, error),
      actions,
    };
  }

  // origin "download": the volume is its content tree's image.
  const t = d.tree;
  if (!t) {
    const error = d.treesSynced
      ? makeError(`volume ${name}: content tree ${c.contentTreeId || "(none)"} is unknown`, {
          retryCondition: "publish ContentTreeConfig for it",
          source: { type: "ContentTree", id: c.contentTreeId },
          now: new Date(d.now),
        })
      : undefined;
    return {
      volume: volume("INITIAL", {}, error),
      ref: refStatus("INITIAL", { kind: "image" }, error),
      actions: [],
    };
  }
  if (t.state === "LOADED" && t.imageId) {
    const extra = { imageId: t.imageId, progress: 100 };
    return {
      volume: volume("CREATED_VOLUME", { ...extra, sizeBytes: t.totalSize }),
      ref: refStatus("CREATED_VOLUME", { ...extra, kind: "image" }),
      actions: [],
    };
  }
  // Not there yet: the tree's progress and error (which names the tree) are the volume's.
  const state = swStateRank(t.state) < swStateRank("CREATED_VOLUME") ? t.state : "LOADING";
  return {
    volume: volume(state, { progress: t.progress, sizeBytes: t.totalSize }, t.error),
    ref: refStatus(state, { progress: t.progress, kind: "image" }, t.error),
    actions: [],
  };
}
