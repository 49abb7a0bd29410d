// zedrouter's driver: owns the records (on the main loop), lists the engine's networks and this
// node's containers (every --poll-ms, and after each of its own actions), feeds update() per network
// instance, and carries out what it decides through ctx.work.
import type { AgentContext, Executors, Logger } from "@outpost/agentbase";
import { MergedSubscription, runStep, WakeTimer } from "@outpost/agentbase";
import { type ContainerInfo, type DockerClient, dockerErrorMessage, type NetworkInfo } from "@outpost/docker";
import { type Backoff, sleep } from "@outpost/primitives";
import type { Publication, PubSub, Subscription } from "@outpost/pubsub";
import {
  DEVICE_NETWORK_KEY,
  type DeviceNetworkStatus,
  DeviceNetworkStatusCodec,
  NETWORK_INSTANCE_LABEL,
  type NetworkInstanceConfig,
  NetworkInstanceConfigCodec,
  type NetworkInstanceStatus,
  NetworkInstanceStatusCodec,
  NIM_TOPICS,
  OutpostLabels,
  ZEDROUTER_TOPICS,
} from "@outpost/types";
import {
  type Attached,
  BRIDGE_NAME_OPTION,
  BRIDGE_NUM_LABEL,
  createRequest,
  type ObservedNetwork,
  SPEC_LABEL,
} from "./network-spec.js";
import { type Action, freshMemory, type Memory, update } from "./update.js";

export interface ZedrouterOptions {
  /** The node's root: the node label on everything zedrouter owns. */
  node: string;
  /** The agents publishing NetworkInstanceConfig (each owns its instances). */
  configAgents: readonly string[];
  pollMs: number;
  backoff: Backoff;
}

interface Record_ {
  uuid: string;
  mem: Memory;
  busy: boolean;
  hadConfig: boolean;
  /** The planner's next look at it (wakeAt). */
  wake: WakeTimer;
}

/** One listing of the engine. */
interface Listing {
  /** This node's instance networks, by instance uuid (several when something duplicated one). */
  mine: Map<string, ObservedNetwork[]>;
  /** Bridge numbers in use by any network of the engine (bn<N>). */
  bridgeNums: number[];
}

type Ctx = Pick<AgentContext<unknown>, "loop" | "work" | "signal"> & { log: Logger; pubsub: PubSub };

export class Zedrouter {
  private readonly records = new Map<string, Record_>();
  private listing: Listing | undefined;
  private engineError: string | undefined;
  private listingRunning = false;
  private listAgain = false;
  private configsComplete = false;
  private configs!: MergedSubscription<NetworkInstanceConfig>;
  private nim!: Subscription<DeviceNetworkStatus>;
  private readonly log: Logger;

  private constructor(
    private readonly ctx: Ctx,
    private readonly docker: DockerClient,
    private readonly o: ZedrouterOptions,
    private readonly statusPub: Publication<NetworkInstanceStatus>,
  ) {
    this.log = ctx.log;
  }

  static async start(ctx: Ctx, docker: DockerClient, o: ZedrouterOptions): Promise<Zedrouter> {
    const statusPub = await ctx.pubsub.publish({
      topic: ZEDROUTER_TOPICS.status,
      codec: NetworkInstanceStatusCodec,
    });
    const z = new Zedrouter(ctx, docker, o, statusPub);
    z.subscribe();
    return z;
  }

  async run(): Promise<void> {
    const { signal } = this.ctx;
    while (!signal.aborted) {
      this.ctx.loop.post(() => this.list());
      await sleep(this.o.pollMs, signal);
    }
    for (const r of this.records.values()) r.wake.cancel();
  }

  private subscribe(): void {
    const step = (uuid: string) => this.step(this.record(uuid));
    this.configs = new MergedSubscription(this.ctx.pubsub, {
      agents: this.o.configAgents,
      topic: ZEDROUTER_TOPICS.config,
      codec: NetworkInstanceConfigCodec,
      // zedagent's config tables are persistent: read at activation, before zedagent runs.
      persistent: true,
      handlers: {
        create: step,
        modify: step,
        delete: step,
        synchronized: () => this.maybeSignalRestarted(),
        restarted: () => {
          if (this.configsComplete) return;
          this.configsComplete = true;
          this.log.info({}, "NetworkInstanceConfig complete: networks without a config will be removed");
          this.stepAll();
        },
      },
    });
    // nim's ports: the uplink address port maps are published on, a switch instance's subnet. Without
    // nim nothing is published here: local instances still come up (NAT through whatever route the
    // device has), port maps are published on every address of the device.
    const onPorts = () => this.stepAll();
    this.nim = this.ctx.pubsub.subscribe({
      agent: "nim",
      topic: NIM_TOPICS.deviceNetworkStatus,
      codec: DeviceNetworkStatusCodec,
      handlers: { create: onPorts, modify: onPorts, delete: onPorts },
    });
  }

  private record(uuid: string): Record_ {
    let r = this.records.get(uuid);
    if (!r) {
      const rec: Record_ = {
        uuid,
        mem: freshMemory(),
        busy: false,
        hadConfig: false,
        wake: new WakeTimer(
          (task) => this.ctx.loop.post(task),
          () => this.step(rec),
        ),
      };
      r = rec;
      this.records.set(uuid, r);
    }
    return r;
  }

  /** Re-reads the engine: networks (all, for the bridge numbers; ours by label) and this node's
   * containers (who is attached where). Coalesced: one listing at a time, one more if asked meanwhile. */
  private list(): void {
    if (this.listingRunning) {
      this.listAgain = true;
      return;
    }
    this.listingRunning = true;
    const node = this.o.node;
    this.ctx.work(
      async () => {
        const [networks, containers] = await Promise.all([
          this.docker.listNetworks(),
          this.docker.listNodeContainers(node),
        ]);
        return observe(node, networks, containers);
      },
      (r) => {
        this.listingRunning = false;
        if (r.ok) {
          if (this.engineError) this.log.info({}, "Docker engine answers again");
          this.engineError = undefined;
          const first = !this.listing;
          this.listing = r.value;
          for (const uuid of r.value.mine.keys()) this.record(uuid);
          if (first)
            this.log.info({ networks: r.value.mine.size }, "engine listed: adopting this node's networks");
          this.stepAll();
          if (first) this.maybeSignalRestarted();
        } else {
          const msg = dockerErrorMessage(r.error);
          if (this.engineError !== msg) this.log.warn({ err: msg }, "cannot list the engine's networks");
          this.engineError = msg;
          this.listing = undefined;
          this.stepAll();
        }
        if (this.listAgain) {
          this.listAgain = false;
          this.list();
        }
      },
    );
  }

  private maybeSignalRestarted(): void {
    if (this.statusPub.restartedCount > 0 || !this.listing || !this.configs.synchronized) return;
    this.statusPub.signalRestarted();
  }

  private stepAll(): void {
    for (const uuid of new Set([...this.records.keys(), ...this.configs.keys()]))
      this.step(this.record(uuid));
  }

  private step(rec: Record_): void {
    if (this.records.get(rec.uuid) !== rec) return;
    const config = this.configs.get(rec.uuid);
    if (config) rec.hadConfig = true;
    // The one with apps attached (else the first listed) is the instance's; any other is a duplicate.
    const found = [...(this.listing?.mine.get(rec.uuid) ?? [])].sort(
      (a, b) => b.users.length - a.users.length,
    );
    const network = this.listing ? (found[0] ?? null) : undefined;
    const result = update({
      uuid: rec.uuid,
      node: this.o.node,
      config,
      network,
      duplicates: found.slice(1),
      dns: this.nim.get(DEVICE_NETWORK_KEY),
      bridgeNums: this.listing?.bridgeNums ?? [],
      mem: rec.mem,
      prev: this.statusPub.get(rec.uuid),
      now: Date.now(),
      busy: rec.busy,
      configsComplete: this.configsComplete || rec.hadConfig,
      engineError: this.engineError,
      retryDelay: (n) => this.o.backoff.delay(n),
    });
    rec.mem = result.mem;
    this.publish(rec.uuid, result.status);
    if (!config && network === null && !rec.busy) {
      rec.wake.cancel();
      this.records.delete(rec.uuid);
    }
    for (const a of result.actions) runStep(this.executors, a, rec);
  }

  private publish(uuid: string, status: NetworkInstanceStatus | undefined): void {
    const prev = this.statusPub.get(uuid);
    if (!status) {
      if (prev) {
        this.log.info({ ni: uuid }, "network instance removed");
        void this.statusPub.delete(uuid);
      }
      return;
    }
    if (prev?.state !== status.state || prev?.error?.description !== status.error?.description)
      this.log.info(
        { ni: uuid, name: status.displayName, state: status.state, error: status.error?.description },
        "network instance state",
      );
    void this.statusPub.set(uuid, status).catch((err) => this.log.error({ err }, "cannot publish status"));
  }

  private readonly executors: Executors<Action, [rec: Record_]> = {
    create: (a, rec) =>
      this.runDocker(
        rec,
        () => this.docker.createNetwork(createRequest(this.o.node, rec.uuid, a.spec, a.bridgeNum)),
        `cannot create network ${a.spec.name}`,
        () =>
          this.log.info(
            {
              ni: rec.uuid,
              network: a.spec.name,
              bridge: a.spec.driver === "bridge" ? `bn${a.bridgeNum}` : a.spec.parent,
              subnet: a.spec.subnet,
            },
            "created network",
          ),
      ),
    remove: (a, rec) =>
      this.runDocker(
        rec,
        () => this.docker.removeNetwork(a.id),
        `cannot remove network ${a.name}`,
        () => this.log.info({ ni: rec.uuid, network: a.name }, "removed network"),
      ),
    wakeAt: (a, rec) => rec.wake.arm(a.at),
  };

  private runDocker(rec: Record_, fn: () => Promise<unknown>, what: string, done: () => void): void {
    rec.busy = true;
    this.ctx.work(fn, (r) => {
      rec.busy = false;
      if (r.ok) {
        delete rec.mem.failure;
        done();
      } else {
        const description = `${what}: ${dockerErrorMessage(r.error)}`;
        this.log.warn({ ni: rec.uuid, error: description }, "network step failed");
        rec.mem.failure = { description, at: Date.now() };
        delete rec.mem.retryAt;
      }
      // The engine is the truth: look again before the next decision.
      this.list();
    });
  }
}

/** Pure: the engine's listings -> this node's instance networks and the bridge numbers in use. */
export function observe(node: string, networks: NetworkInfo[], containers: ContainerInfo[]): Listing {
  const bridgeNums: number[] = [];
  const mine = new Map<string, ObservedNetwork[]>();
  for (const n of networks) {
    const bridge = n.Options?.[BRIDGE_NAME_OPTION] ?? "";
    const m = /^bn(\d+)$/.exec(bridge);
    if (m) bridgeNums.push(Number(m[1]));
    const labels = n.Labels ?? {};
    const uuid = labels[NETWORK_INSTANCE_LABEL];
    if (!uuid || labels[OutpostLabels.node] !== node) continue;
    const ipam = n.IPAM?.Config?.[0];
    const users: Attached[] = [];
    for (const c of containers) {
      const app = c.Labels?.[OutpostLabels.app];
      if (!app) continue;
      for (const ep of Object.values(c.NetworkSettings?.Networks ?? {}))
        if (ep.NetworkID === n.Id)
          users.push({
            app,
            container: c.Id,
            name: (c.Names?.[0] ?? "").replace(/^\//, ""),
            mac: ep.MacAddress ?? "",
            ip: ep.IPAddress ?? "",
          });
    }
    const observed: ObservedNetwork = {
      id: n.Id,
      name: n.Name,
      spec: labels[SPEC_LABEL],
      bridgeNum: Number(labels[BRIDGE_NUM_LABEL] ?? 0) || 0,
      bridgeName: n.Driver === "macvlan" ? (n.Options?.parent ?? "") : bridge,
      subnet: ipam?.Subnet ?? "",
      gateway: ipam?.Gateway ?? "",
      users,
    };
    mine.set(uuid, [...(mine.get(uuid) ?? []), observed]);
  }
  return { mine, bridgeNums };
}
