import { type Logger, MergedSubscription } from "@outpost/agentbase";
import type { Publication, PubSub, Subscription } from "@outpost/pubsub";
import {
  BASEOS_TOPICS,
  type BlobStatus,
  BlobStatusCodec,
  type Codec,
  type ContentTreeConfig,
  ContentTreeConfigCodec,
  type ContentTreeRef,
  ContentTreeRefCodec,
  type ContentTreeStatus,
  ContentTreeStatusCodec,
  type DatastoreConfig,
  DatastoreConfigCodec,
  type DownloaderConfig,
  DownloaderConfigCodec,
  type DownloaderStatus,
  DownloaderStatusCodec,
  type ResolveConfig,
  ResolveConfigCodec,
  type ResolveStatus,
  ResolveStatusCodec,
  type VerifyImageConfig,
  VerifyImageConfigCodec,
  type VerifyImageStatus,
  VerifyImageStatusCodec,
  type VolumeConfig,
  VolumeConfigCodec,
  type VolumeRefConfig,
  VolumeRefConfigCodec,
  type VolumeRefStatus,
  VolumeRefStatusCodec,
  type VolumeStatus,
  VolumeStatusCodec,
} from "@outpost/types";
import type { Desired } from "./executors.js";
import type { Plan, World } from "./reconcile.js";

// volumemgr's tables on the bus: what it reads (Inputs) and what it publishes (Outputs), and the
// rules for when what it reads is complete enough to delete anything.

const asMap = <T>(s: { entries(): [string, T][] }) => new Map(s.entries());
/** The owner's table is whole after its (re)start: what is not in it is really not wanted. */
const complete = (s: { synchronized: boolean; restartedCount: number }) =>
  s.synchronized && s.restartedCount > 0;

export class Inputs {
  readonly datastores: MergedSubscription<DatastoreConfig>;
  readonly contentTrees: MergedSubscription<ContentTreeConfig>;
  readonly volumes: MergedSubscription<VolumeConfig>;
  readonly volumeRefs: Subscription<VolumeRefConfig>;
  readonly treeRefs: Subscription<ContentTreeRef>;
  /** mqttagent's ContentTreeRef (the images of every edge app, kept until it is removed), on an
   * MQTT-managed node. */
  readonly keptTrees: Subscription<ContentTreeRef> | undefined;
  readonly downloader: Subscription<DownloaderStatus>;
  readonly resolve: Subscription<ResolveStatus>;
  readonly verifier: Subscription<VerifyImageStatus>;

  /** `changed` runs on the main loop on every change of any input table (and its sync signals). */
  /** `configAgents`: who publishes the config tables (zedagent, and mqttagent on an MQTT-managed
   * node); each owns its keys, and deletions wait until every one of them is complete. */
  constructor(pubsub: PubSub, changed: () => void, configAgents: readonly string[] = ["zedagent"]) {
    const handlers = {
      create: changed,
      modify: changed,
      delete: changed,
      synchronized: changed,
      restarted: changed,
    };
    const sub = <T>(agent: string, topic: string, codec: Codec<T>, persistent = false): Subscription<T> =>
      pubsub.subscribe({ agent, topic, codec, handlers, persistent });
    const merged = <T>(topic: string, codec: Codec<T>) =>
      new MergedSubscription(pubsub, { agents: configAgents, topic, codec, handlers });
    this.datastores = merged("DatastoreConfig", DatastoreConfigCodec);
    this.contentTrees = merged("ContentTreeConfig", ContentTreeConfigCodec);
    this.volumes = merged("VolumeConfig", VolumeConfigCodec);
    this.volumeRefs = sub("zedmanager", "VolumeRefConfig", VolumeRefConfigCodec);
    this.treeRefs = sub("baseosmgr", BASEOS_TOPICS.contentTreeRef, ContentTreeRefCodec);
    this.keptTrees = configAgents.includes("mqttagent")
      ? sub("mqttagent", BASEOS_TOPICS.contentTreeRef, ContentTreeRefCodec, true)
      : undefined;
    this.downloader = sub("downloader", "DownloaderStatus", DownloaderStatusCodec);
    this.resolve = sub("downloader", "ResolveStatus", ResolveStatusCodec);
    // persistent: what is verified is known at once after a restart, before the verifier answers
    this.verifier = sub("verifier", "VerifyImageStatus", VerifyImageStatusCodec, true);
  }

  /** Deletions are allowed: zedagent's and zedmanager's tables are complete after their restart. */
  get gcAllowed(): boolean {
    return (
      complete(this.datastores) &&
      complete(this.contentTrees) &&
      complete(this.volumes) &&
      complete(this.volumeRefs) &&
      (this.keptTrees === undefined || complete(this.keptTrees))
    );
  }

  /** A VolumeRefConfig without its VolumeConfig is an error, not a wait: zedagent's table is whole
   * (it signals restarted once it applied its first config, so a freshly deployed app's volumes are
   * in it) and zedmanager's is synchronized. Before that, a ref that arrived ahead of its config
   * would flash "no VolumeConfig for it" right after a deploy. */
  get volumeConfigsKnown(): boolean {
    return complete(this.volumes) && this.volumeRefs.synchronized;
  }

  /** The downloader's and the verifier's status tables are known. */
  get blobStatusesKnown(): boolean {
    return this.downloader.synchronized && this.verifier.synchronized;
  }

  /** The part of the planner's world read from the bus. */
  snapshot(): Pick<
    World,
    | "datastores"
    | "contentTrees"
    | "volumes"
    | "volumeRefs"
    | "treeRefs"
    | "downloader"
    | "resolve"
    | "verifier"
    | "synced"
    | "gcAllowed"
  > {
    return {
      datastores: asMap(this.datastores),
      contentTrees: asMap(this.contentTrees),
      volumes: asMap(this.volumes),
      volumeRefs: asMap(this.volumeRefs),
      treeRefs: new Set([...this.treeRefs.keys(), ...(this.keptTrees?.keys() ?? [])]),
      downloader: asMap(this.downloader),
      resolve: asMap(this.resolve),
      verifier: asMap(this.verifier),
      synced: {
        datastores: this.datastores.synchronized,
        contentTrees: this.contentTrees.synchronized,
        volumes: this.volumeConfigsKnown,
        blobStatuses: this.blobStatusesKnown,
      },
      gcAllowed: this.gcAllowed,
    };
  }
}

export class Outputs {
  private restartedSignalled = false;

  private constructor(
    readonly contentTrees: Publication<ContentTreeStatus>,
    readonly volumes: Publication<VolumeStatus>,
    readonly volumeRefs: Publication<VolumeRefStatus>,
    readonly blobs: Publication<BlobStatus>,
    readonly downloader: Publication<DownloaderConfig>,
    readonly resolve: Publication<ResolveConfig>,
    readonly verify: Publication<VerifyImageConfig>,
    private readonly log: Logger,
  ) {}

  static async open(pubsub: PubSub, log: Logger): Promise<Outputs> {
    const pub = <T>(topic: string, codec: Codec<T>): Promise<Publication<T>> =>
      pubsub.publish({ topic, codec });
    return new Outputs(
      await pub("ContentTreeStatus", ContentTreeStatusCodec),
      await pub("VolumeStatus", VolumeStatusCodec),
      await pub("VolumeRefStatus", VolumeRefStatusCodec),
      await pub("BlobStatus", BlobStatusCodec),
      await pub("DownloaderConfig", DownloaderConfigCodec),
      await pub("ResolveConfig", ResolveConfigCodec),
      await pub("VerifyImageConfig", VerifyImageConfigCodec),
      log,
    );
  }

  /** What is published now, as the planner's `prev`. */
  snapshot(): World["prev"] {
    return {
      contentTrees: asMap(this.contentTrees),
      volumes: asMap(this.volumes),
      volumeRefs: asMap(this.volumeRefs),
      blobs: asMap(this.blobs),
      verifyConfigs: asMap(this.verify),
    };
  }

  /** Publishes a pass's statuses and the configs it asked for. Withdrawing a config makes the
   * downloader/verifier delete files: only once our view is complete (`gcAllowed`). */
  async publish(plan: Plan, desired: Desired, gcAllowed: boolean): Promise<void> {
    this.logTransitions(plan);
    await sync(this.contentTrees, plan.contentTrees, true);
    await sync(this.volumes, plan.volumes, true);
    await sync(this.volumeRefs, plan.volumeRefs, true);
    await sync(this.blobs, plan.blobs, true);
    await sync(this.downloader, desired.downloader, gcAllowed);
    await sync(this.resolve, desired.resolve, gcAllowed);
    await sync(this.verify, desired.verify, gcAllowed);
  }

  /** Once after each start: our tables now hold everything the owners' complete tables ask for. */
  signalRestartedOnce(): void {
    if (this.restartedSignalled) return;
    this.restartedSignalled = true;
    for (const p of [
      this.contentTrees,
      this.volumes,
      this.volumeRefs,
      this.blobs,
      this.downloader,
      this.resolve,
      this.verify,
    ])
      p.signalRestarted();
    this.log.info("inputs complete after (re)start: garbage collection enabled, restarted signalled");
  }

  private logTransitions(plan: Plan): void {
    for (const [id, s] of plan.contentTrees) {
      const old = this.contentTrees.get(id);
      if (old?.state !== s.state || old?.error?.description !== s.error?.description)
        this.log.info({ contentTree: id, state: s.state, error: s.error?.description }, "content tree");
    }
    for (const [key, s] of plan.volumeRefs) {
      const old = this.volumeRefs.get(key);
      if (old?.state !== s.state || old?.localGeneration !== s.localGeneration)
        this.log.info(
          { volume: key, state: s.state, localGeneration: s.localGeneration, error: s.error?.description },
          "volume",
        );
    }
  }
}

async function sync<T>(
  pub: Publication<T>,
  want: ReadonlyMap<string, T>,
  allowDelete: boolean,
): Promise<void> {
  for (const [k, v] of want) await pub.set(k, v);
  if (allowDelete) for (const k of pub.keys()) if (!want.has(k)) await pub.delete(k);
}
