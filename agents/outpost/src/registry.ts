// The list of every program the multi-call binary can become. Each entry loads its package only when
// chosen, so a process pays (in memory and start time) for the one agent it runs, not for all of them.

/**
 * What every agent or tool package exports: run the program with the arguments after its name, and
 * resolve to its exit code (nothing means 0) once it has finished or been stopped.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets `async function run(): Promise<void>` satisfy it.
export type RunFn = (argv: string[]) => Promise<number | void>;

export interface ProgramModule {
  run: RunFn;
}

export interface RegistryEntry {
  /** The name users type and the symlink in dist/bin/. */
  name: string;
  /** An agent is a long-running process of its own; a tool runs inline and exits. */
  kind: "agent" | "tool";
  /** One line for `outpost --help`. */
  summary: string;
  /** Test-only programs are listed apart so nobody deploys them by mistake. */
  testOnly?: boolean;
  /** Must stay a bare dynamic import: the bundler keeps it lazy only in that form. */
  load: () => Promise<ProgramModule>;
}

/** Every shipped program. Test-only programs are in test-programs.ts, which the shipped bundle never
 * imports. */
export const registry: readonly RegistryEntry[] = [
  {
    name: "ledmanager",
    kind: "agent",
    summary: "plays the device's blink count (LedBlinkCounter) on a sysfs LED or into a file under run/",
    load: () => import("@outpost/ledmanager"),
  },
  {
    name: "baseosmgr",
    kind: "agent",
    summary: "updates Outpost itself: A/B slots, boot selector, test window, commit or fall back",
    load: () => import("@outpost/baseosmgr"),
  },
  {
    name: "watchdog",
    kind: "agent",
    summary: "restarts agents whose touch file goes stale or whose process died, and records why",
    load: () => import("@outpost/watchdog"),
  },
  {
    name: "nodeagent",
    kind: "agent",
    summary:
      "owns the device's life cycle: reboot/shutdown on command (apps halted first), boot reason, maintenance mode",
    load: () => import("@outpost/nodeagent"),
  },
  {
    name: "nim",
    kind: "agent",
    summary:
      "manages the device's ports: DevicePortConfig (controller, override, last resort), test before trust, fallback",
    load: () => import("@outpost/nim"),
  },
  {
    name: "zedagent",
    kind: "agent",
    summary:
      "talks to the controller: polls config (checkpointed), publishes the config tables, reports info and metrics",
    load: () => import("@outpost/zedagent"),
  },
  {
    name: "zedmanager",
    kind: "agent",
    summary:
      "drives each app instance: its volume refs (volumemgr), then its domain (domainmgr); AppInstanceStatus",
    load: () => import("@outpost/zedmanager"),
  },
  {
    name: "domainmgr",
    kind: "agent",
    summary:
      "runs each DomainConfig as a container (Docker), reports DomainStatus and DomainMetric, adopts its containers after a restart",
    load: () => import("@outpost/domainmgr"),
  },
  {
    name: "zedrouter",
    kind: "agent",
    summary:
      "network instances: each NetworkInstanceConfig as a Docker network (local NAT bridge bn<N>, switch macvlan), NetworkInstanceStatus",
    load: () => import("@outpost/zedrouter"),
  },
  {
    name: "mqttagent",
    kind: "agent",
    summary:
      "edge apps (module pipelines) deployed/stopped/removed over MQTT (<nodeId>/orchestration), heartbeat on nodestatus/<nodeId>",
    load: () => import("@outpost/mqttagent"),
  },
  {
    name: "mqtt-manager",
    kind: "tool",
    summary: "drives MQTT-managed nodes: deploy/stop/resume/undeploy/remove edge apps, node status, org key",
    load: () => import("@outpost/mqtt-manager"),
  },
  {
    name: "volumemgr",
    kind: "agent",
    summary:
      "turns content trees into Docker images and volumes into Docker volumes; reference-counts and garbage-collects them",
    load: () => import("@outpost/volumemgr"),
  },
  {
    name: "newlogd",
    kind: "agent",
    summary:
      "collects agent, syslog (/dev/log), kernel and app container logs into gzip batches under persist/newlog/",
    load: () => import("@outpost/newlogd"),
  },
  {
    name: "loguploader",
    kind: "agent",
    summary:
      "sends newlogd's gzip log batches (device and per app) to the controller in order, with backoff and pacing",
    load: () => import("@outpost/loguploader"),
  },
  {
    name: "diag",
    kind: "agent",
    summary:
      "prints a human summary of the node (onboarding, ports, config, apps, downloads, base OS, restarts, disk); --once",
    load: () => import("@outpost/diag"),
  },
  {
    name: "localapi",
    kind: "agent",
    summary:
      "local HTTP/JSON API (unix socket, optional loopback TCP with a token): status, services, metrics, logs, reboot",
    load: () => import("@outpost/localapi"),
  },
  {
    name: "local",
    kind: "tool",
    summary:
      "one local API command (status, services, start/stop/restart, metrics, logs, config, reboot); --json",
    load: () => import("@outpost/local"),
  },
  {
    name: "shell",
    kind: "tool",
    summary:
      "interactive shell over the local API, with history and completion of commands and service names",
    load: () => import("@outpost/shell"),
  },
  {
    name: "ipcmonitor",
    kind: "tool",
    summary: "prints a pubsub table (-a agent -t Topic) as JSON, and every change with --follow",
    load: () => import("@outpost/ipcmonitor"),
  },
  {
    name: "downloader",
    kind: "agent",
    summary:
      "fetches blobs (DownloaderConfig) from http(s) and OCI registry datastores, resuming partial downloads",
    load: () => import("@outpost/downloader"),
  },
  {
    name: "verifier",
    kind: "agent",
    summary: "checks downloaded blobs' sha256 (VerifyImageConfig) and keeps the verified store",
    load: () => import("@outpost/verifier"),
  },
  {
    name: "controller",
    kind: "agent",
    summary: "reference EVE API v2 controller: device API over TLS, admin API, HTTP datastore (LMDB store)",
    load: () => import("@outpost/controller"),
  },
  {
    name: "ctl",
    kind: "tool",
    summary:
      "controller CLI: onboarding certs, node config files, devices, configs, info/metrics/logs (--follow)",
    load: () => import("@outpost/ctl"),
  },
  {
    name: "client",
    kind: "tool",
    summary: "onboards the node (client selfRegister getUuid) and publishes OnboardingStatus",
    load: () => import("@outpost/client"),
  },
];

/** Names that dispatch to the multi-call binary itself rather than to a program. */
export const SELF_NAMES: readonly string[] = ["outpost"];

export function findProgram(
  name: string,
  programs: readonly RegistryEntry[] = registry,
): RegistryEntry | undefined {
  return programs.find((entry) => entry.name === name);
}
