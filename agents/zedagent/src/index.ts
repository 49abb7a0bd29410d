import { type AgentContext, runAgent } from "@outpost/agentbase";
import type { Subscription } from "@outpost/pubsub";
import {
  AppInstanceConfigCodec,
  BASEOS_TOPICS,
  BaseOsConfigCodec,
  type BaseOsStatus,
  BaseOsStatusCodec,
  CONFIG_ITEM_OVERRIDE_TOPIC,
  ConfigItemOverrideCodec,
  ConfigItemValueMapCodec,
  ContentTreeConfigCodec,
  DatastoreConfigCodec,
  DeviceOpsCmdCodec,
  DevicePortConfigCodec,
  DPC_TOPICS,
  InfoQueueEntryCodec,
  InfoReportedCodec,
  LED_BLINK_TOPIC,
  LedBlinkCounterCodec,
  LedCount,
  NetworkInstanceConfigCodec,
  NODEAGENT_STATUS_KEY,
  NODEAGENT_TOPICS,
  type NodeAgentStatus,
  NodeAgentStatusCodec,
  ONBOARDING_PUBLISHER,
  ONBOARDING_STATUS_KEY,
  ONBOARDING_STATUS_TOPIC,
  OnboardingStatusCodec,
  proxyFor,
  VolumeConfigCodec,
  ZEDROUTER_TOPICS,
  ZedAgentStatusCodec,
} from "@outpost/types";
import { itemNumber } from "./config-items.js";
import { ConfigTables } from "./config-tables.js";
import { ControllerLink } from "./controller-link.js";
import { DeviceInfo } from "./device-info.js";
import { InfoReporter } from "./info-reporter.js";
import { MetricsReporter } from "./metrics-reporter.js";
import { NetworkView } from "./network.js";
import { ReportQueue } from "./report-queue.js";
import { StatusBoard } from "./status-board.js";

export { CHECKPOINT_FILES } from "./checkpoint.js";
export { CONFIG_ITEM_SPECS, itemNumber, resolveConfigItems } from "./config-items.js";
export type { ConnAction, ConnEvent, Connection, NextPoll } from "./connection.js";
export { initialConnection, step } from "./connection.js";
export { appInfo, contentTreeInfo, deviceInfo, SW_TO_Z, volumeInfo } from "./info.js";
export { ConfigParseError, diffTable, mapDatastore, parseEdgeDevConfig } from "./parse.js";
export { ReportQueue } from "./report-queue.js";
export { nextPollDelayMs } from "./schedule.js";

export function run(argv: string[]): Promise<number> {
  return runAgent(
    {
      name: "zedagent",
      description: "Talks to the controller: config polling, checkpoint, config tables, info and metrics",
      main,
    },
    argv,
  );
}

/** Composition root: the tables, the units, and the wiring between them. Everything after this runs
 * as main-loop tasks (handlers, timers, work results). */
async function main(ctx: AgentContext<Record<string, never>>): Promise<void> {
  const { pubsub: p, layout, log, loop } = ctx;
  const unit = { loop, work: ctx.work, log };
  // The config tables are persistent: a restarted zedagent serves the table it left, so zedmanager and
  // volumemgr never see an empty table (and tear running apps down) before the config is re-read.
  const pubs = {
    datastores: await p.publish({ topic: "DatastoreConfig", codec: DatastoreConfigCodec, persistent: true }),
    contentTrees: await p.publish({
      topic: "ContentTreeConfig",
      codec: ContentTreeConfigCodec,
      persistent: true,
    }),
    volumes: await p.publish({ topic: "VolumeConfig", codec: VolumeConfigCodec, persistent: true }),
    apps: await p.publish({ topic: "AppInstanceConfig", codec: AppInstanceConfigCodec, persistent: true }),
    configItems: await p.publish({
      topic: "ConfigItemValueMap",
      codec: ConfigItemValueMapCodec,
      persistent: true,
    }),
    deviceOps: await p.publish({ topic: "DeviceOpsCmd", codec: DeviceOpsCmdCodec, persistent: true }),
    baseos: await p.publish({ topic: BASEOS_TOPICS.config, codec: BaseOsConfigCodec, persistent: true }),
    networkInstances: await p.publish({
      topic: ZEDROUTER_TOPICS.config,
      codec: NetworkInstanceConfigCodec,
      persistent: true,
    }),
    // nim's controller DPC: kept across a restart so nim never reads a restart as "no ports".
    ports: await p.publish({
      topic: DPC_TOPICS.devicePortConfig,
      codec: DevicePortConfigCodec,
      persistent: true,
    }),
  };
  const statusPub = await p.publish({ topic: "ZedAgentStatus", codec: ZedAgentStatusCodec });
  const ledPub = await p.publish({ topic: LED_BLINK_TOPIC, codec: LedBlinkCounterCodec });
  const infoQueue = await p.publish({
    topic: "InfoQueueEntry",
    codec: InfoQueueEntryCodec,
    persistent: true,
  });
  const reported = await p.publish({ topic: "InfoReported", codec: InfoReportedCodec, persistent: true });

  const queue = new ReportQueue(infoQueue, undefined, () => info.kick());
  const board = new StatusBoard(statusPub, ledPub, () => queue.size);
  const items = () => config.items;
  const config: ConfigTables = new ConfigTables({
    pubs,
    board,
    ...unit,
    checkpointDir: layout.checkpoint,
    onItems: () => {
      link.retime();
      metrics.retime();
      device.retime();
      device.check();
    },
    onReboot: () => device.check(),
  });
  const info = new InfoReporter({ ...unit, pubsub: p, queue, reported });
  const metrics = new MetricsReporter({
    ...unit,
    pubsub: p,
    root: layout.root,
    periodMs: () => itemNumber(items(), "timer.metric.interval") * 1000,
    appStatus: (uuid) => info.appStatus(uuid),
    networkInstances: () => info.networkInstances(),
    lastConfigAt: () => config.lastAppliedAt,
    network: () => network.status,
  });
  const device: DeviceInfo = new DeviceInfo({
    ...unit,
    board,
    queue,
    root: layout.root,
    persistDir: layout.agentPersist("zedagent"),
    rebootCounter: () => config.rebootCounter,
    shutdownCounter: () => config.shutdownCounter,
    node: () => nodeStatus.get(NODEAGENT_STATUS_KEY),
    slots: () => [...slotStatus.entries()].map(([, v]) => v).sort((a, b) => a.slot.localeCompare(b.slot)),
    periodMs: () => itemNumber(items(), "timer.deviceinfo.interval") * 1000,
    configItems: items,
    network: () => ({ status: network.status, list: network.list }),
  });
  // nim's ports: connections reset when the addresses change; device info when anything changes.
  const network = new NetworkView(p, {
    onConnectionChange: () => {
      log.info("management addresses changed: reconnecting to the controller");
      link.networkChanged();
      info.retryNow();
    },
    onChange: () => device.check(),
  });
  let fatal: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fatal = reject;
  });
  const link: ControllerLink = new ControllerLink({
    ...unit,
    board,
    config,
    configDir: layout.config,
    checkpointDir: layout.checkpoint,
    intervalSeconds: () => itemNumber(items(), "timer.config.interval"),
    sendTimeoutMs: () => itemNumber(items(), "timer.send.timeout") * 1000,
    onSession: (uuid, session) => {
      info.start(uuid, session);
      device.start(uuid);
      metrics.start(uuid, session);
    },
    onFatal: (e) => fatal(e),
    proxy: (host) => proxyFor(network.status, host),
    onReachable: () => info.retryNow(),
  });

  await loop.run(async () => {
    await board.set({});
    await board.led(LedCount.connecting, "waiting for onboarding");
    board.signalRestarted();
  });
  // Local overrides of allow-listed config items (localapi), merged over the controller's.
  const onLocalItems = (_k: string, v: { items: Record<string, string> }) => config.setLocalItems(v.items);
  p.subscribe({
    agent: "localapi",
    topic: CONFIG_ITEM_OVERRIDE_TOPIC,
    codec: ConfigItemOverrideCodec,
    handlers: { create: onLocalItems, modify: onLocalItems, delete: () => config.setLocalItems({}) },
  });
  // baseosmgr's slots (ZInfoDevSW) go into ZInfoDevice as they change.
  const slotStatus: Subscription<BaseOsStatus> = p.subscribe({
    agent: "baseosmgr",
    topic: BASEOS_TOPICS.status,
    codec: BaseOsStatusCodec,
    handlers: { create: () => device.check(), modify: () => device.check(), delete: () => device.check() },
  });
  // nodeagent's life cycle (state, boot reason, maintenance mode) goes into ZInfoDevice as it changes.
  const nodeStatus: Subscription<NodeAgentStatus> = p.subscribe({
    agent: "nodeagent",
    topic: NODEAGENT_TOPICS.status,
    codec: NodeAgentStatusCodec,
    handlers: { create: () => device.check(), modify: () => device.check(), delete: () => device.check() },
  });
  // The client's OnboardingStatus is persistent: it answers from the client's store before the client
  // runs, and keeps following the store after the client (a short-lived tool) exits.
  const onboarding = p.subscribe({
    agent: ONBOARDING_PUBLISHER,
    topic: ONBOARDING_STATUS_TOPIC,
    codec: OnboardingStatusCodec,
    persistent: true,
    handlers: {
      create: () => onboarded(),
      modify: () => onboarded(),
    },
  });
  const onboarded = async (): Promise<void> => {
    const uuid = onboarding.get(ONBOARDING_STATUS_KEY)?.deviceUuid;
    if (uuid) await link.dispatch({ kind: "onboarded", uuid });
  };
  loop.post(onboarded);

  const stopped = new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  try {
    await Promise.race([stopped, failed]);
  } finally {
    await loop.run(() => {
      link.stop();
      info.stop();
      metrics.stop();
      device.stop();
    });
  }
}
