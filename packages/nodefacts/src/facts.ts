// What a person next to the device wants to know, gathered from the tables the agents publish: one
// collector shared by diag (the console summary) and localapi (GET /v1/status), so both say the same.
// Only subscriptions and small file reads; no agent is asked anything.
import { readFileSync, statfsSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import type { PubSub, Subscription } from "@outpost/pubsub";
import {
  type AppInstanceStatus,
  AppInstanceStatusCodec,
  BASEOS_TOPICS,
  type BaseOsStatus,
  BaseOsStatusCodec,
  type Codec,
  type ConfigItemValueMap,
  ConfigItemValueMapCodec,
  DEVICE_NETWORK_KEY,
  type DeviceNetworkStatus,
  DeviceNetworkStatusCodec,
  type DownloaderStatus,
  DownloaderStatusCodec,
  decodeJson,
  NIM_TOPICS,
  NODEAGENT_STATUS_KEY,
  NODEAGENT_TOPICS,
  type NodeAgentStatus,
  NodeAgentStatusCodec,
  ONBOARDING_PUBLISHER,
  ONBOARDING_STATUS_KEY,
  ONBOARDING_STATUS_TOPIC,
  type OnboardingStatus,
  OnboardingStatusCodec,
  WATCHDOG_STATUS_TOPIC,
  type WatchdogEvent,
  WatchdogEventCodec,
  type WatchdogStatus,
  WatchdogStatusCodec,
  ZEDAGENT_STATUS_KEY,
  ZEDAGENT_TOPICS,
  type ZedAgentStatus,
  ZedAgentStatusCodec,
} from "@outpost/types";

/** An interface as the host's kernel reports it (used when nim publishes no DeviceNetworkStatus). */
export interface HostInterface {
  ifname: string;
  addrs: string[];
}

export interface DiskSpace {
  path: string;
  totalBytes: number;
  freeBytes: number;
}

/** Everything diag prints and GET /v1/status returns, at one moment. */
export interface NodeFacts {
  /** ms since the epoch when taken. */
  at: number;
  onboarding?: OnboardingStatus;
  zedagent?: ZedAgentStatus;
  /** nim's view of the ports; absent while no nim publishes it. */
  network?: DeviceNetworkStatus;
  /** The host's interfaces, when there is no `network`. */
  hostInterfaces: HostInterface[];
  /** A proxy from the environment (HTTPS_PROXY / https_proxy), when nim says nothing. */
  envProxy?: string;
  configItems?: ConfigItemValueMap;
  nodeagent?: NodeAgentStatus;
  apps: AppInstanceStatus[];
  /** Downloads not finished yet (DownloaderStatus before DOWNLOADED, or with an error). */
  downloads: DownloaderStatus[];
  baseos: BaseOsStatus[];
  watchdog: WatchdogStatus[];
  /** Watchdog events (persist/watchdog/events.jsonl) within the recent window, newest last. */
  recentRestarts: WatchdogEvent[];
  disk?: DiskSpace;
}

/** The tables read, by publisher and topic. */
export const FACT_TABLES = {
  onboarding: { agent: ONBOARDING_PUBLISHER, topic: ONBOARDING_STATUS_TOPIC },
  zedagent: { agent: "zedagent", topic: ZEDAGENT_TOPICS.status },
  configItems: { agent: "zedagent", topic: ZEDAGENT_TOPICS.configItems },
  network: { agent: "nim", topic: NIM_TOPICS.deviceNetworkStatus },
  nodeagent: { agent: "nodeagent", topic: NODEAGENT_TOPICS.status },
  apps: { agent: "zedmanager", topic: "AppInstanceStatus" },
  downloads: { agent: "downloader", topic: "DownloaderStatus" },
  baseos: { agent: "baseosmgr", topic: BASEOS_TOPICS.status },
  watchdog: { agent: "watchdog", topic: WATCHDOG_STATUS_TOPIC },
} as const;

/** Live subscriptions to every table the facts come from; `onChange` runs on the bus's loop after
 * any of them changed. */
export class FactsWatcher {
  private readonly subs: Subscription<unknown>[] = [];
  readonly onboarding: Subscription<OnboardingStatus>;
  readonly zedagent: Subscription<ZedAgentStatus>;
  readonly configItems: Subscription<ConfigItemValueMap>;
  readonly network: Subscription<DeviceNetworkStatus>;
  readonly nodeagent: Subscription<NodeAgentStatus>;
  readonly apps: Subscription<AppInstanceStatus>;
  readonly downloads: Subscription<DownloaderStatus>;
  readonly baseos: Subscription<BaseOsStatus>;
  readonly watchdog: Subscription<WatchdogStatus>;

  constructor(bus: PubSub, onChange: () => void) {
    const sub = <T>(id: { agent: string; topic: string }, codec: Codec<T>, persistent = false) => {
      const s = bus.subscribe({
        ...id,
        codec,
        persistent,
        handlers: { create: onChange, modify: onChange, delete: onChange, synchronized: onChange },
      });
      this.subs.push(s as Subscription<unknown>);
      return s;
    };
    // client exits after onboarding: its table is read from its store (persistent subscription).
    this.onboarding = sub(FACT_TABLES.onboarding, OnboardingStatusCodec, true);
    this.zedagent = sub(FACT_TABLES.zedagent, ZedAgentStatusCodec);
    this.configItems = sub(FACT_TABLES.configItems, ConfigItemValueMapCodec);
    this.network = sub(FACT_TABLES.network, DeviceNetworkStatusCodec);
    this.nodeagent = sub(FACT_TABLES.nodeagent, NodeAgentStatusCodec);
    this.apps = sub(FACT_TABLES.apps, AppInstanceStatusCodec);
    this.downloads = sub(FACT_TABLES.downloads, DownloaderStatusCodec);
    this.baseos = sub(FACT_TABLES.baseos, BaseOsStatusCodec);
    this.watchdog = sub(FACT_TABLES.watchdog, WatchdogStatusCodec);
  }

  /** Waits up to `ms` for each table (a publisher that is not running just times out). */
  async settle(ms: number): Promise<void> {
    await Promise.all(this.subs.map((s) => s.waitSynchronized(ms).catch(() => undefined)));
  }

  /** The tables as they are now (files not included: see readLocalFacts). */
  tables(): Omit<NodeFacts, "at" | "hostInterfaces" | "recentRestarts" | "disk" | "envProxy"> {
    const values = <T>(s: Subscription<T>) =>
      s
        .entries()
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, v]) => v);
    const out: ReturnType<FactsWatcher["tables"]> = {
      apps: values(this.apps).sort((a, b) => a.displayName.localeCompare(b.displayName)),
      // In progress: not DOWNLOADED yet, or failed.
      downloads: values(this.downloads).filter((d) => d.error !== undefined || d.state !== "DOWNLOADED"),
      baseos: values(this.baseos),
      watchdog: values(this.watchdog),
    };
    const one = <T>(s: Subscription<T>, key: string) => s.get(key);
    const onboarding = one(this.onboarding, ONBOARDING_STATUS_KEY);
    if (onboarding) out.onboarding = onboarding;
    const zedagent = one(this.zedagent, ZEDAGENT_STATUS_KEY);
    if (zedagent) out.zedagent = zedagent;
    const configItems = one(this.configItems, "global");
    if (configItems) out.configItems = configItems;
    const network = one(this.network, DEVICE_NETWORK_KEY);
    if (network) out.network = network;
    const nodeagent = one(this.nodeagent, NODEAGENT_STATUS_KEY);
    if (nodeagent) out.nodeagent = nodeagent;
    return out;
  }
}

/** The facts that come from files and the kernel, not from the bus: recent watchdog events, disk
 * space of persist/, the host's interfaces. Synchronous and small: call it off the main loop in an
 * agent (ctx.work) when the files may be large. */
export function readLocalFacts(
  persistDir: string,
  now: number,
  recentMs: number,
): Pick<NodeFacts, "recentRestarts" | "disk" | "hostInterfaces" | "envProxy"> {
  const out: ReturnType<typeof readLocalFacts> = {
    recentRestarts: recentWatchdogEvents(join(persistDir, "watchdog", "events.jsonl"), now, recentMs),
    hostInterfaces: hostInterfaces(),
  };
  const disk = diskSpace(persistDir);
  if (disk) out.disk = disk;
  const proxy = process.env.HTTPS_PROXY ?? process.env.https_proxy;
  if (proxy) out.envProxy = proxy;
  return out;
}

/** Events of the last `recentMs`, newest last; the file's bad lines are skipped. Reads only the tail
 * (the file is capped at 1 MiB by the watchdog). */
export function recentWatchdogEvents(path: string, now: number, recentMs: number): WatchdogEvent[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const out: WatchdogEvent[] = [];
  for (const line of text.split("\n").slice(-200)) {
    if (!line.trim()) continue;
    try {
      const e = decodeJson(WatchdogEventCodec, line);
      if (now - Date.parse(e.time) <= recentMs) out.push(e);
    } catch {
      // A torn last line after a power cut: skipped.
    }
  }
  return out;
}

export function diskSpace(path: string): DiskSpace | undefined {
  try {
    const s = statfsSync(path);
    return { path, totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  } catch {
    return undefined;
  }
}

export function hostInterfaces(): HostInterface[] {
  const out: HostInterface[] = [];
  for (const [ifname, addrs] of Object.entries(networkInterfaces())) {
    // Containers' veth ends are not ports anyone plugs a cable into.
    if (ifname.startsWith("veth")) continue;
    const usable = (addrs ?? []).filter((a) => !a.internal);
    if (usable.length) out.push({ ifname, addrs: usable.map((a) => a.cidr ?? a.address) });
  }
  return out.sort((a, b) => a.ifname.localeCompare(b.ifname));
}
