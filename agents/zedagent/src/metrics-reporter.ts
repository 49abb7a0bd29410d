import { type DeviceSession, eve } from "@outpost/evecloud";
import type { PubSub, Subscription } from "@outpost/pubsub";
import {
  type AppInstanceStatus,
  type DeviceNetworkStatus,
  type DomainMetric,
  DomainMetricCodec,
  type NetworkInstanceStatus,
} from "@outpost/types";
import { LoopTimer } from "./loop-timer.js";
import { collectMetrics } from "./metrics.js";
import { networkInstanceMetrics } from "./network-info.js";
import { watchNewlogMetric } from "./newlog-metrics.js";
import { networkMetrics } from "./port-info.js";
import type { UnitContext } from "./unit-context.js";

export interface MetricsReporterOptions extends UnitContext {
  pubsub: PubSub;
  root: string;
  periodMs: () => number;
  appStatus: (uuid: string) => AppInstanceStatus | undefined;
  lastConfigAt: () => number | undefined;
  /** zedrouter's instances (ZMetricMsg.nm); none without zedrouter. */
  networkInstances?: () => NetworkInstanceStatus[];
  /** nim's ports: their counters replace the all-interfaces list when nim runs. */
  network?: () => DeviceNetworkStatus | undefined;
}

export class MetricsReporter {
  private uuid = "";
  private session: DeviceSession | undefined;
  private failing = false;
  private domainMetrics: Subscription<DomainMetric> | undefined;
  private newlogMetric: ReturnType<typeof watchNewlogMetric> = () => undefined;
  private readonly timer: LoopTimer;

  constructor(private readonly o: MetricsReporterOptions) {
    this.timer = new LoopTimer(o.loop, () => this.send());
  }

  start(uuid: string, session: DeviceSession): void {
    this.uuid = uuid;
    this.session = session;
    this.domainMetrics = this.o.pubsub.subscribe({
      agent: "domainmgr",
      topic: "DomainMetric",
      codec: DomainMetricCodec,
    });
    this.newlogMetric = watchNewlogMetric(this.o.pubsub);
    this.timer.arm(this.o.periodMs);
  }

  retime(): void {
    this.timer.retime();
  }

  stop(): void {
    this.timer.cancel();
  }

  private send(): void {
    const session = this.session;
    if (!session) return;
    // The inputs are read here, on the loop; the work only reads the system and talks HTTP.
    const apps = this.domainMetrics?.entries() ?? [];
    const statuses = new Map(apps.map(([uuid]) => [uuid, this.o.appStatus(uuid)]));
    const lastConfigAt = this.o.lastConfigAt();
    const newlog = this.newlogMetric();
    const instances = this.o.networkInstances?.() ?? [];
    const ports = this.o.network?.();
    const { uuid } = this;
    const { root } = this.o;
    this.o.work(
      async (signal) => {
        const msg = await collectMetrics(uuid, root, apps, (u) => statuses.get(u), lastConfigAt);
        if (msg.dm) msg.dm.newlog = newlog;
        // Each instance with its bridge's counters, from the all-interfaces list (before nim's ports
        // replace it).
        if (instances.length)
          msg.nm = networkInstanceMetrics(instances, (name) =>
            msg.dm?.network?.find((n) => n.iName === name),
          );
        const nm = networkMetrics(ports);
        if (msg.dm && nm.length) msg.dm.network = nm;
        const res = await session.post(
          `id/${uuid}/metrics`,
          eve.metrics.ZMetricMsg.encode(msg).finish(),
          false,
          signal,
        );
        if (res.status !== 201 && res.status !== 200) throw new Error(`metrics: HTTP ${res.status}`);
      },
      (r) => {
        if (r.ok) this.failing = false;
        else {
          if (!this.failing)
            this.o.log.info(
              { err: (r.error as Error).message },
              "metrics not delivered (best effort; next period)",
            );
          this.failing = true;
        }
        this.timer.arm(this.o.periodMs);
      },
    );
  }
}
