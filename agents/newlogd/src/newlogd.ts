// newlogd's composition root: the collector, its sources, the bus and the timers that post into the
// main loop.
import { join } from "node:path";
import { type AgentContext, releaseIdleMemory } from "@outpost/agentbase";
import { DockerClient } from "@outpost/docker";
import {
  CONFIG_ITEMS_KEY,
  ConfigItemValueMapCodec,
  makeError,
  NEWLOGD_STATUS_KEY,
  NEWLOGD_STATUS_TOPIC,
  NewlogdStatusCodec,
  ONBOARDING_PUBLISHER,
  ONBOARDING_STATUS_KEY,
  ONBOARDING_STATUS_TOPIC,
  OnboardingStatusCodec,
  ZEDAGENT_TOPICS,
} from "@outpost/types";
import { AgentLogs } from "./agent-logs.js";
import { Collector, newlogPaths } from "./collector.js";
import { ContainerLogs } from "./container-logs.js";
import { KernelLog } from "./kernel-log.js";
import { DEV_STREAM } from "./plan.js";
import { type Settings, settingsFrom } from "./settings.js";
import { Syslogd } from "./syslogd.js";

declare const OUTPOST_VERSION: string | undefined;
const VERSION = typeof OUTPOST_VERSION === "string" ? OUTPOST_VERSION : "dev";

export interface NewlogdOptions {
  syslogSocket: string | undefined;
  syslogStreamSocket: string | undefined;
  syslogUdp: number | undefined;
  syslogTcp: number | undefined;
  /** net.unix.max_dgram_qlen wanted for /dev/log (0: leave it). */
  syslogDgramQlen: number;
  kmsg: string;
  appLogs: boolean;
  image: string;
  batchMaxBytes: number;
  batchMaxMs: number;
  budgetBytes: number;
  rate: number;
  rateBurst: number;
  remoteLevel: string;
  pollMs: number;
  dockerPollMs: number;
  statusMs: number;
}

/** A source limited and then quiet has its drop count written after this long. */
const QUIET_DROPS_MS = 5000;
const TICK_MS = 1000;
const BUDGET_MS = 10_000;
/** The heap grown by starting up is given back this long after start. */
const SETTLE_MS = 2000;

export async function main(ctx: AgentContext<NewlogdOptions>): Promise<void> {
  const { log, loop, pubsub, signal, options: o, layout } = ctx;
  const defaults: Settings = {
    batchMaxBytes: o.batchMaxBytes,
    batchMaxMs: o.batchMaxMs,
    budgetBytes: o.budgetBytes,
    rateLinesPerSec: o.rate,
    rateBurst: o.rateBurst,
    defaultLevel: o.remoteLevel,
    agentLevels: {},
    syslogLevel: o.remoteLevel,
    kernelLevel: o.remoteLevel,
  };
  const collector = new Collector(ctx, newlogPaths(layout.persist), defaults);
  let devID = "";
  collector.comment = () => JSON.stringify({ devID, image: o.image, eveVersion: VERSION });

  const statusPub = await pubsub.publish({ topic: NEWLOGD_STATUS_TOPIC, codec: NewlogdStatusCodec });
  const publishStatus = () =>
    void statusPub
      .set(NEWLOGD_STATUS_KEY, collector.status())
      .catch((err: unknown) => log.error({ err }, "cannot publish NewlogdStatus"));
  statusPub.signalRestarted();

  const apply = (next: Settings, why: string) => {
    collector.configure(next);
    const { agentLevels, ...rest } = next;
    log.info({ ...rest, agentLevels, why }, "settings applied");
  };
  pubsub.subscribe({
    agent: "zedagent",
    topic: ZEDAGENT_TOPICS.configItems,
    codec: ConfigItemValueMapCodec,
    persistent: true,
    handlers: {
      create: (k, v) => {
        if (k === CONFIG_ITEMS_KEY) apply(settingsFrom(defaults, v), "config items");
      },
      modify: (k, v) => {
        if (k === CONFIG_ITEMS_KEY) apply(settingsFrom(defaults, v), "config items changed");
      },
      delete: (k) => {
        if (k === CONFIG_ITEMS_KEY) apply(defaults, "config items gone: flags");
      },
    },
  });
  pubsub.subscribe({
    agent: ONBOARDING_PUBLISHER,
    topic: ONBOARDING_STATUS_TOPIC,
    codec: OnboardingStatusCodec,
    persistent: true,
    handlers: {
      create: (k, v) => {
        if (k === ONBOARDING_STATUS_KEY) devID = v.deviceUuid;
      },
      modify: (k, v) => {
        if (k === ONBOARDING_STATUS_KEY) devID = v.deviceUuid;
      },
    },
  });

  const syslogd = new Syslogd(collector, (task) => loop.post(task));
  const socketPath =
    o.syslogSocket === "none" ? undefined : (o.syslogSocket ?? join(layout.root, "dev", "log"));
  try {
    syslogd.onDgramError = (err) => {
      log.error({ err }, "syslog datagram socket failed: closed");
      collector.error = makeError(`syslog datagram socket failed: ${err.message}`, {
        retryCondition: "restart newlogd",
      });
    };
    const listening = await syslogd.start({
      socketPath,
      streamPath: o.syslogStreamSocket,
      udpPort: o.syslogUdp,
      tcpPort: o.syslogTcp,
      minDgramQlen: o.syslogDgramQlen,
    });
    log.info({ listening, maxDgramQlen: syslogd.dgramQlen }, "syslog listening");
  } catch (err) {
    // The other sources go on; the status says why syslog is missing.
    log.error({ err }, "cannot listen for syslog");
    collector.error ??= makeError(`cannot listen for syslog: ${(err as Error).message}`, {
      retryCondition: "restart newlogd once the socket path can be made",
    });
  }

  let kernel: KernelLog | undefined;
  if (o.kmsg !== "none") {
    try {
      kernel = new KernelLog(collector, o.kmsg);
    } catch (err) {
      log.warn({ err: (err as Error).message, path: o.kmsg }, "kernel log not readable: going on without it");
    }
  }

  const agents = new AgentLogs(ctx, layout.log, collector);
  const apps = o.appLogs ? new ContainerLogs(ctx, new DockerClient(), layout.root, collector) : undefined;

  const settle = setTimeout(
    () =>
      loop.post(() => {
        releaseIdleMemory();
      }),
    SETTLE_MS,
  );
  const timers = [
    setInterval(() => loop.post(() => agents.poll()), o.pollMs),
    setInterval(() => loop.post(() => kernel?.drain()), o.pollMs),
    setInterval(() => loop.post(() => apps?.poll()), o.dockerPollMs),
    setInterval(
      () =>
        loop.post(() => {
          collector.tick();
          collector.reportQuietDrops(QUIET_DROPS_MS, (source) =>
            source.startsWith("app.") ? source : DEV_STREAM,
          );
          collector.sync();
        }),
      TICK_MS,
    ),
    setInterval(() => loop.post(() => collector.budget()), BUDGET_MS),
    setInterval(() => loop.post(publishStatus), o.statusMs),
  ];
  loop.post(() => {
    agents.poll();
    kernel?.drain();
    apps?.poll();
    collector.tick();
    collector.budget();
    publishStatus();
  });
  log.info({ root: layout.root, kmsg: kernel ? o.kmsg : "none", appLogs: o.appLogs }, "newlogd collecting");

  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  for (const t of timers) clearInterval(t);
  clearTimeout(settle);
  syslogd.close();
  apps?.close();
  await loop.run(() => {
    collector.close();
    kernel?.close();
  });
}
