import {
  type AgentContext,
  appConfigPublishers,
  DeviceNetwork,
  MergedSubscription,
  parseBytes,
  runAgent,
} from "@outpost/agentbase";
import { DatastoreClient, datastoreBase } from "@outpost/datastore";
import {
  type DatastoreConfig,
  DatastoreConfigCodec,
  DownloaderConfigCodec,
  DownloaderStatusCodec,
  ResolveConfigCodec,
  ResolveStatusCodec,
  usableMgmtPorts,
  VerifyImageStatusCodec,
} from "@outpost/types";
import { CommanderError } from "commander";
import { type DatastoreAccess, Downloads, type DownloadTuning } from "./downloads.js";
import { DownloadFiles } from "./files.js";
import { Resolves } from "./resolves.js";

export { sourceUrl } from "./downloads.js";
export { decide, initialStatus, percent } from "./plan.js";

interface DownloaderOptions extends DownloadTuning {
  resolveTimeoutMs: number;
}

function num(raw: Record<string, unknown>, name: string, flag: string, min: number): number {
  const n = Number(raw[name]);
  if (!Number.isFinite(n) || n < min)
    throw new CommanderError(
      1,
      "outpost.badOption",
      `${flag}: expected a number >= ${min}, got "${raw[name]}"`,
    );
  return n;
}

export function run(argv: string[]): Promise<number> {
  return runAgent<DownloaderOptions>(
    {
      name: "downloader",
      description:
        "Fetches blobs (DownloaderConfig) from http(s) and OCI registry datastores into persist/downloader/",
      options: (cmd) =>
        cmd
          .option("--max-concurrent <n>", "downloads running at once; others wait", "2")
          .option(
            "--stall-timeout <s>",
            "give up an attempt that received no byte for this long (then retry)",
            "60",
          )
          .option("--retry-min <s>", "first retry delay after a failed attempt", "1")
          .option("--retry-max <s>", "longest retry delay", "300")
          .option("--progress-interval <ms>", "at most one progress update per blob per period", "500")
          .option(
            "--reserve-bytes <size>",
            "free space downloads leave on persist/ (the smaller of this and --reserve-percent)",
            parseBytes("--reserve-bytes"),
            64 << 20,
          )
          .option(
            "--reserve-percent <p>",
            "free space downloads leave, in percent of the file system (the smaller of the two)",
            "5",
          )
          .option(
            "--space-poll-max <s>",
            "longest wait between free-space checks of a paused download",
            "30",
          ),
      parse: (raw) => ({
        maxConcurrent: Math.floor(num(raw, "maxConcurrent", "--max-concurrent", 1)),
        stallMs: num(raw, "stallTimeout", "--stall-timeout", 0.1) * 1000,
        retryMinMs: num(raw, "retryMin", "--retry-min", 0.01) * 1000,
        retryMaxMs: num(raw, "retryMax", "--retry-max", 0.01) * 1000,
        progressMs: num(raw, "progressInterval", "--progress-interval", 0),
        reserveBytes: raw.reserveBytes as number,
        reservePercent: num(raw, "reservePercent", "--reserve-percent", 0),
        spacePollMaxMs: num(raw, "spacePollMax", "--space-poll-max", 1) * 1000,
        resolveTimeoutMs: 30_000,
      }),
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<DownloaderOptions>): Promise<void> {
  const { log, pubsub, options, signal, layout } = ctx;
  // Downloads run concurrently beside resolves: the pool must hold the cap plus room for those.
  if (options.workers < options.maxConcurrent + 1)
    log.warn(
      { workers: options.workers, maxConcurrent: options.maxConcurrent },
      "--workers below --max-concurrent + 1: resolves may wait behind downloads",
    );
  const files = new DownloadFiles(layout.agentPersist("downloader"));

  const statusPub = await pubsub.publish({ topic: "DownloaderStatus", codec: DownloaderStatusCodec });
  const resolvePub = await pubsub.publish({ topic: "ResolveStatus", codec: ResolveStatusCodec });

  // nim's ports: datastores are reached through the proxy of the management port (EVE's exceptions
  // go direct), asked per request. When the addresses or the proxy change, new requests take the new
  // route; a download in progress goes on (if its connection dies, it resumes with Range).
  const network = new DeviceNetwork(pubsub, {
    onRouteChange: (s) => {
      for (const { client } of clients.values()) client.networkChanged();
      const p = s ? usableMgmtPorts(s)[0]?.proxy : undefined;
      log.info({ proxy: p?.url ?? "", exceptions: p?.exceptions ?? "" }, "device network changed");
    },
  });
  const proxy = (host: string) => network.proxyFor(host);

  const datastores = new Map<string, DatastoreConfig>();
  const clients = new Map<string, { json: string; client: DatastoreClient }>();
  const access: DatastoreAccess = {
    get: (id) => datastores.get(id),
    client: (ds) => {
      const json = JSON.stringify(ds);
      const have = clients.get(ds.id);
      if (have?.json === json) return have.client;
      have?.client.close();
      const client = new DatastoreClient(ds, datastoreBase(ds), { proxyFor: proxy });
      clients.set(ds.id, { json, client });
      return client;
    },
  };

  // A blob the verifier already has (VERIFIED) is not fetched; one it took from us (VERIFYING) is not
  // taken for gone. Persistent: after a restart of ours the verifier's word is known before it answers.
  // Handlers run as loop tasks, never inside subscribe(): `downloads` exists by the first one.
  const verifierChanged = (sha: string): void => downloads.update(sha);
  const verifierStatus = pubsub.subscribe({
    agent: "verifier",
    topic: "VerifyImageStatus",
    codec: VerifyImageStatusCodec,
    persistent: true,
    handlers: { create: verifierChanged, modify: verifierChanged, delete: verifierChanged },
  });
  const downloads: Downloads = new Downloads(ctx, statusPub, files, access, options, (sha) =>
    verifierStatus.get(sha),
  );
  const resolves = new Resolves(ctx, resolvePub, access, {
    minMs: options.retryMinMs,
    maxMs: options.retryMaxMs,
    timeoutMs: options.resolveTimeoutMs,
  });

  const onDatastore = (id: string, ds: DatastoreConfig | undefined) => {
    if (ds) datastores.set(id, ds);
    else datastores.delete(id);
    log.info({ datastoreId: id, type: ds?.type, fqdn: ds?.fqdn }, ds ? "datastore" : "datastore removed");
    downloads.datastoreChanged(id);
    resolves.datastoreChanged(id);
  };
  // zedagent's datastores, and mqttagent's on an MQTT-managed node (each publisher owns its keys).
  const datastoreTable: MergedSubscription<DatastoreConfig> = new MergedSubscription(pubsub, {
    agents: appConfigPublishers(ctx.layout),
    topic: "DatastoreConfig",
    codec: DatastoreConfigCodec,
    handlers: {
      create: (k) => onDatastore(k, datastoreTable.get(k)),
      modify: (k) => onDatastore(k, datastoreTable.get(k)),
      delete: (k) => onDatastore(k, datastoreTable.get(k)),
    },
  });
  pubsub.subscribe({
    agent: "volumemgr",
    topic: "DownloaderConfig",
    codec: DownloaderConfigCodec,
    handlers: {
      create: (k, v) => downloads.setConfig(k, v),
      modify: (k, v) => downloads.setConfig(k, v),
      delete: (k) => downloads.setConfig(k, undefined),
      // Our table is complete once theirs has been applied (first synchronized after start).
      synchronized: () => {
        if (statusPub.restartedCount === 0) statusPub.signalRestarted();
      },
      // Files nobody asks for go only once volumemgr says its table is complete after its restart.
      restarted: () => downloads.collectGarbage(),
    },
  });
  pubsub.subscribe({
    agent: "volumemgr",
    topic: "ResolveConfig",
    codec: ResolveConfigCodec,
    handlers: {
      create: (k, v) => resolves.setConfig(k, v),
      modify: (k, v) => resolves.setConfig(k, v),
      delete: (k) => resolves.setConfig(k, undefined),
      synchronized: () => {
        if (resolvePub.restartedCount === 0) resolvePub.signalRestarted();
      },
    },
  });
  log.info(
    {
      maxConcurrent: options.maxConcurrent,
      stallMs: options.stallMs,
      dir: files.dir,
      reserveBytes: options.reserveBytes,
      reservePercent: options.reservePercent,
    },
    "downloader ready",
  );

  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  downloads.close();
  resolves.close();
  for (const { client } of clients.values()) client.close();
}
