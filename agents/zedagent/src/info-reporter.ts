import type { DeviceSession } from "@outpost/evecloud";
import { Backoff } from "@outpost/primitives";
import type { Publication, PubSub, Subscription } from "@outpost/pubsub";
import {
  type AppInstanceStatus,
  AppInstanceStatusCodec,
  type ContentTreeStatus,
  ContentTreeStatusCodec,
  type InfoReported,
  type NetworkInstanceStatus,
  NetworkInstanceStatusCodec,
  type VolumeStatus,
  VolumeStatusCodec,
  ZEDROUTER_TOPICS,
} from "@outpost/types";
import { appInfo, contentTreeInfo, encodeInfo, volumeInfo } from "./info.js";
import { LoopTimer } from "./loop-timer.js";
import { appNetworks, networkInstanceInfo } from "./network-info.js";
import type { ReportQueue } from "./report-queue.js";
import type { UnitContext } from "./unit-context.js";

export interface InfoReporterOptions extends UnitContext {
  pubsub: PubSub;
  queue: ReportQueue;
  reported: Publication<InfoReported>;
}

export class InfoReporter {
  private uuid = "";
  private session: DeviceSession | undefined;
  private sending = false;
  private readonly backoff = new Backoff({ minMs: 1000, maxMs: 60_000 });
  private readonly retry: LoopTimer;
  private swept = false;
  private apps!: Subscription<AppInstanceStatus>;
  private contentTrees!: Subscription<ContentTreeStatus>;
  private volumes!: Subscription<VolumeStatus>;
  private networks!: Subscription<NetworkInstanceStatus>;
  private networksSwept = false;

  constructor(private readonly o: InfoReporterOptions) {
    this.retry = new LoopTimer(o.loop, () => this.kick());
  }

  /** zedrouter's instances (metrics report them); empty before `start`. */
  networkInstances(): NetworkInstanceStatus[] {
    return this.networks?.entries().map(([, v]) => v) ?? [];
  }

  /** The app statuses (metrics name each app from them); undefined before `start`. */
  appStatus(uuid: string): AppInstanceStatus | undefined {
    return this.apps?.get(uuid);
  }

  start(uuid: string, session: DeviceSession): void {
    this.uuid = uuid;
    this.session = session;
    this.subscribe();
    this.kick();
  }

  stop(): void {
    this.retry.cancel();
  }

  /** The controller is reachable again (or the route to it changed): what waits out a retry goes now,
   * and the back-off starts over. Reports must not sit behind a long back-off built up while the
   * link was down (nim testing a bad port configuration, say) once it is back. */
  retryNow(): void {
    if (!this.retry.armed) return;
    this.retry.cancel();
    this.backoff.reset();
    this.kick();
  }

  /** Sends the oldest pending entry unless a send runs or a retry waits. */
  kick(): void {
    const session = this.session;
    if (!session || this.sending || this.retry.armed) return;
    const first = this.o.queue.pending()[0];
    if (!first) return;
    const [key, entry] = first;
    this.sending = true;
    const path = `id/${this.uuid}/info`;
    this.o.work(
      async (signal) => {
        const res = await session.post(path, Buffer.from(entry.payload, "base64"), false, signal);
        if (res.status !== 201 && res.status !== 200) throw new Error(`info: HTTP ${res.status}`);
      },
      async (r) => {
        this.sending = false;
        if (r.ok) {
          await this.o.queue.delivered(key, entry);
          if (this.backoff.attempts > 0) this.o.log.info({ key }, "info reports delivered again");
          this.backoff.reset();
          this.kick();
          return;
        }
        const wait = this.backoff.next();
        if (this.backoff.attempts === 1)
          this.o.log.warn(
            { pending: this.o.queue.size, retryInMs: wait },
            `info reports not accepted: ${(r.error as Error).message ?? r.error}; retrying`,
          );
        this.retry.arm(() => wait);
      },
    );
  }

  /** Queues one object's report and remembers (persistently) what the controller was last told
   * exists. */
  private async report(key: string, payload: Uint8Array, state: string): Promise<void> {
    await this.o.queue.put(key, payload, { state });
    if (state === "gone") await this.o.reported.delete(key);
    else await this.o.reported.set(key, { state });
  }

  private subscribe(): void {
    const { pubsub } = this.o;
    const h = (fn: (key: string) => Promise<void>) => (key: string) =>
      fn(key).catch((e) => this.o.log.warn({ err: e }, "queueing an info report failed"));
    const app = h((uuid) => this.reportApp(uuid));
    const ct = h((id) => this.reportContentTree(id));
    const vol = h((key) => this.reportVolume(key.split("#")[0] ?? key));
    const sweep = () => this.sweep();
    this.apps = pubsub.subscribe({
      agent: "zedmanager",
      topic: "AppInstanceStatus",
      codec: AppInstanceStatusCodec,
      handlers: { create: app, modify: app, delete: app, synchronized: sweep },
    });
    this.contentTrees = pubsub.subscribe({
      agent: "volumemgr",
      topic: "ContentTreeStatus",
      codec: ContentTreeStatusCodec,
      handlers: { create: ct, modify: ct, delete: ct, synchronized: sweep },
    });
    this.volumes = pubsub.subscribe({
      agent: "volumemgr",
      topic: "VolumeStatus",
      codec: VolumeStatusCodec,
      handlers: { create: vol, modify: vol, delete: vol, synchronized: sweep },
    });
    this.subscribeNetworks();
  }

  /** zedrouter's instances: each one's ZInfoNetworkInstance, and the apps whose addresses changed
   * with it (ZInfoApp.network). Swept on its own: a node without zedrouter never synchronizes it. */
  private subscribeNetworks(): void {
    const before = new Map<string, NetworkInstanceStatus>();
    const changed = (uuid: string) => {
      const old = before.get(uuid);
      const cur = this.networks.get(uuid);
      if (cur) before.set(uuid, cur);
      else before.delete(uuid);
      const apps = new Set([...(old?.ipAssignments ?? []), ...(cur?.ipAssignments ?? [])].map((a) => a.app));
      const run = async () => {
        await this.reportNetworkInstance(uuid);
        for (const app of apps) if (this.apps.get(app)) await this.reportApp(app);
      };
      run().catch((e) => this.o.log.warn({ err: e }, "queueing an info report failed"));
    };
    this.networks = this.o.pubsub.subscribe({
      agent: "zedrouter",
      topic: ZEDROUTER_TOPICS.status,
      codec: NetworkInstanceStatusCodec,
      handlers: {
        create: changed,
        modify: changed,
        delete: changed,
        synchronized: () => {
          if (this.networksSwept) return;
          this.networksSwept = true;
          for (const key of this.o.reported.keys()) {
            const [kind, id = ""] = key.split("/");
            if (kind === "networkInstance" && !this.networks.get(id))
              this.reportNetworkInstance(id).catch((e) =>
                this.o.log.warn({ err: e, key }, "queueing an info report failed"),
              );
          }
        },
      },
    });
  }

  private reportNetworkInstance(uuid: string): Promise<void> {
    const s = this.networks.get(uuid);
    return this.report(
      `networkInstance/${uuid}`,
      encodeInfo(networkInstanceInfo(this.uuid, uuid, s)),
      s?.state ?? "gone",
    );
  }

  private reportApp(uuid: string): Promise<void> {
    const s = this.apps.get(uuid);
    const network = s ? appNetworks(uuid, this.networkInstances()) : [];
    return this.report(
      `app/${uuid}`,
      encodeInfo(appInfo(this.uuid, uuid, s, new Date(), network)),
      s?.state ?? "gone",
    );
  }

  private reportContentTree(id: string): Promise<void> {
    const s = this.contentTrees.get(id);
    return this.report(
      `contentTree/${id}`,
      encodeInfo(contentTreeInfo(this.uuid, id, s)),
      s?.state ?? "gone",
    );
  }

  /** Keyed id#generation; the controller knows one volume per id: report the newest generation, and
   * "gone" once no generation is left. */
  private reportVolume(id: string): Promise<void> {
    const gens = this.volumes.entries().filter(([, v]) => v.id === id);
    const s = gens.sort(([, a], [, b]) => b.generation - a.generation)[0]?.[1];
    return this.report(`volume/${id}`, encodeInfo(volumeInfo(this.uuid, id, s)), s?.state ?? "gone");
  }

  /** Once all three tables are complete: whatever was reported before but exists no more is gone. */
  private async sweep(): Promise<void> {
    if (
      this.swept ||
      !this.apps?.synchronized ||
      !this.contentTrees?.synchronized ||
      !this.volumes?.synchronized
    )
      return;
    this.swept = true;
    for (const key of this.o.reported.keys()) {
      const [kind, id = ""] = key.split("/");
      try {
        if (kind === "app" && !this.apps.get(id)) await this.reportApp(id);
        else if (kind === "contentTree" && !this.contentTrees.get(id)) await this.reportContentTree(id);
        else if (kind === "volume" && !this.volumes.entries().some(([, v]) => v.id === id))
          await this.reportVolume(id);
      } catch (e) {
        this.o.log.warn({ err: e, key }, "queueing an info report failed");
      }
    }
  }
}
