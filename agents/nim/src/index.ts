// nim: the device's management ports. Collects DevicePortConfigs (controller via zedagent, the
// override file, the last resort), applies one to the ports through iproute2 and udhcpc, tests it
// against the controller before trusting it, falls back to the last one that worked, and publishes
// DeviceNetworkStatus for every agent that uses the network. See README.md.
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type AgentContext, type Executors, intFlag, KeyedJobs, runAgent, runStep } from "@outpost/agentbase";
import { Backoff, sleep, writeFileDurable } from "@outpost/primitives";
import {
  DEVICE_NETWORK_KEY,
  type DeviceNetworkStatus,
  DeviceNetworkStatusCodec,
  type DevicePortConfig,
  DevicePortConfigCodec,
  DevicePortConfigListCodec,
  DPC_KEY_LASTRESORT,
  DPC_KEY_OVERRIDE,
  DPC_KEY_ZEDAGENT,
  DPC_LIST_KEY,
  DPC_TOPICS,
  LED_BLINK_KEY,
  LED_BLINK_TOPIC,
  LedBlinkCounterCodec,
  LedCount,
  NIM_TOPICS,
  ONBOARDING_PUBLISHER,
  ONBOARDING_STATUS_KEY,
  ONBOARDING_STATUS_TOPIC,
  OnboardingStatusCodec,
  proxyFor,
  usableMgmtPorts,
} from "@outpost/types";
import { Option } from "commander";
import { type Clock, fileClock, systemClock } from "./clock.js";
import { DhcpClients, type Lease } from "./dhcp.js";
import {
  applyStatic,
  defaultRoutes,
  ethernetPorts,
  flushPort,
  IpError,
  links,
  portMatcher,
  prepareDhcp,
  resolvConf,
} from "./netops.js";
import { probeController } from "./probe.js";
import { querySntp } from "./sntp.js";
import { lastResort, OverrideError, parseOverride } from "./sources.js";
import { type Observed, observedPorts, portStatuses, sameStatus } from "./status.js";
import { initialState, type NimAction, type NimEvent, type NimState, type Policy, update } from "./update.js";

export { lastResort, parseOverride } from "./sources.js";
export { initialState, type NimAction, type NimEvent, type NimState, sortList, update } from "./update.js";

export interface NimOptions {
  /** Interface-name globs nim may configure; empty: nim configures nothing (observes only). */
  ports: string[];
  testTimeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  verifyMs: number;
  observeMs: number;
  dhcpDiscoverS: number;
  dhcpRetryS: number;
  clock: "system" | "file";
  clockFile: string;
  ntpIntervalMs: number;
  ntpStepMs: number;
}

export function run(argv: string[]): Promise<number> {
  return runAgent<NimOptions>(
    {
      name: "nim",
      description:
        "Manages the device's ports: DevicePortConfig, test before trust, fallback, DeviceNetworkStatus",
      options: (cmd) =>
        cmd
          .option(
            "--ports <globs>",
            'interfaces nim may configure, comma-separated, "*" wildcards (eth*,enp*); none: nim only observes',
            "",
          )
          .option("--test-timeout-ms <ms>", "time a new DPC has to reach the controller", "30000")
          .option("--retry-min-ms <ms>", "first retry of a DPC that failed its test", "10000")
          .option(
            "--retry-max-ms <ms>",
            "longest wait before retrying a failed DPC (EVE testbetterinterval)",
            "600000",
          )
          .option("--verify-ms <ms>", "re-test of the DPC in use (EVE timer.port.testinterval)", "300000")
          .addOption(
            new Option(
              "--clock <backend>",
              "the clock SNTP corrects: system (date -s), or file (a stand-in: host time + the offset in --clock-file); default system at root /, file elsewhere",
            ).choices(["system", "file"]),
          )
          .option(
            "--clock-file <path>",
            "the file stand-in's offset in ms (default run/nim/clock-offset-ms)",
            "",
          )
          .option("--ntp-interval-ms <ms>", "time sync period", "600000")
          .option("--ntp-step-ms <ms>", "offsets larger than this are corrected (stepped)", "500")
          .addOption(
            new Option("--observe-ms <ms>", "how often the links are read").default("1000").hideHelp(),
          )
          .addOption(new Option("--dhcp-discover-s <s>", "udhcpc -T").default("3").hideHelp())
          .addOption(new Option("--dhcp-retry-s <s>", "udhcpc -A").default("10").hideHelp()),
      parse: (raw) => ({
        ports: String(raw.ports ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        testTimeoutMs: intFlag(raw.testTimeoutMs, "--test-timeout-ms", 1),
        retryMinMs: intFlag(raw.retryMinMs, "--retry-min-ms", 0),
        retryMaxMs: intFlag(raw.retryMaxMs, "--retry-max-ms", 0),
        verifyMs: intFlag(raw.verifyMs, "--verify-ms", 1),
        observeMs: intFlag(raw.observeMs, "--observe-ms", 10),
        dhcpDiscoverS: intFlag(raw.dhcpDiscoverS, "--dhcp-discover-s", 1),
        dhcpRetryS: intFlag(raw.dhcpRetryS, "--dhcp-retry-s", 1),
        clock:
          raw.clock === "system" || raw.clock === "file"
            ? raw.clock
            : String(raw.root ?? "/") === "/"
              ? "system"
              : "file",
        clockFile: String(raw.clockFile ?? ""),
        ntpIntervalMs: intFlag(raw.ntpIntervalMs, "--ntp-interval-ms", 1),
        ntpStepMs: intFlag(raw.ntpStepMs, "--ntp-step-ms", 0),
      }),
      main,
    },
    argv,
  );
}

/** Route metric of the n-th port of a DPC (the first is preferred). */
const metricOf = (i: number) => 100 + i;

async function main(ctx: AgentContext<NimOptions>): Promise<void> {
  const { log, pubsub, signal, options, layout } = ctx;
  const dir = layout.agentRun(ctx.name);
  mkdirSync(dir, { recursive: true });
  const managed = options.ports.length > 0;
  const allowed = portMatcher(options.ports);
  const dhcp = managed
    ? new DhcpClients({ dir, discoverSeconds: options.dhcpDiscoverS, retrySeconds: options.dhcpRetryS, log })
    : undefined;
  const backoff = new Backoff({ minMs: options.retryMinMs, maxMs: options.retryMaxMs });
  const policy: Policy = { retryDelay: (n) => backoff.delay(n), verifyMs: options.verifyMs };
  const overridePath = join(layout.config, "DevicePortConfig", "override.json");
  const resolvPath = join(layout.root, "etc", "resolv.conf");

  const listPub = await pubsub.publish({
    topic: DPC_TOPICS.devicePortConfigList,
    codec: DevicePortConfigListCodec,
    persistent: true,
  });
  const statusPub = await pubsub.publish({
    topic: NIM_TOPICS.deviceNetworkStatus,
    codec: DeviceNetworkStatusCodec,
  });
  const ledPub = await pubsub.publish({ topic: LED_BLINK_TOPIC, codec: LedBlinkCounterCodec });
  const jobs = new KeyedJobs<string>(ctx.work);

  // Loop-owned state.
  let state: NimState = initialState;
  /** The DPC last applied to the ports (being tested or in use). */
  let applied: DevicePortConfig | undefined;
  let observed: Observed = { links: [], routes: [], leases: new Map() };
  let onboarded = false;
  let resolvText = "";
  let ledSet = false;
  let overrideMtime = -1;
  let ntp: DeviceNetworkStatus["ntp"];
  let ntpSources: DeviceNetworkStatus["ntpSources"];
  let ntpLastTry = 0;
  let ntpRunning = false;
  const clock: Clock =
    options.clock === "system" ? systemClock() : fileClock(options.clockFile || join(dir, "clock-offset-ms"));

  const apply = (event: NimEvent): void => {
    const r = update(state, event, policy);
    state = r.state;
    for (const action of r.actions) runStep(executors, action);
  };

  const observe = (): Observed => {
    const ls = links();
    const leases = new Map<string, Lease>();
    if (dhcp)
      for (const l of ls) {
        const lease = dhcp.lease(l.ifname);
        if (lease) leases.set(l.ifname, lease);
      }
    return { links: ls, routes: defaultRoutes(), leases };
  };

  const refreshStatus = async (): Promise<void> => {
    const idx = state.current ? state.list.findIndex((e) => e.key === state.current) : -1;
    const status: DeviceNetworkStatus = managed
      ? {
          dpcKey: applied?.key ?? "",
          currentIndex: idx,
          state: state.testing ? "testing" : state.current ? "ok" : "failing",
          ports: applied ? portStatuses(applied, observed) : [],
          ...(ntp ? { ntp } : {}),
          ...(ntpSources ? { ntpSources } : {}),
          updatedAt: Date.now(),
        }
      : { dpcKey: "", currentIndex: -1, state: "ok", ports: observedPorts(observed), updatedAt: Date.now() };
    if (!sameStatus(statusPub.get(DEVICE_NETWORK_KEY), status))
      await statusPub.set(DEVICE_NETWORK_KEY, status);
    if (!managed) return;
    const mgmt = status.ports.filter((p) => p.isMgmt);
    const text = resolvConf(
      mgmt.flatMap((p) => p.dns),
      mgmt.map((p) => p.domain).filter(Boolean),
    );
    if (text !== resolvText) {
      try {
        mkdirSync(join(layout.root, "etc"), { recursive: true });
        writeFileDurable(resolvPath, text, 0o644);
        resolvText = text;
      } catch (err) {
        log.warn({ err: (err as Error).message, path: resolvPath }, "cannot write resolv.conf");
      }
    }
    const noIp = usableMgmtPorts(status).length === 0;
    if (noIp && !ledSet) {
      await ledPub.set(LED_BLINK_KEY, {
        blinkCount: LedCount.noIp,
        source: "nim: no usable IP address",
        setAt: Date.now(),
      });
      ledSet = true;
    } else if (!noIp && ledSet) {
      await ledPub.delete(LED_BLINK_KEY);
      ledSet = false;
    }
  };

  /** Configures the ports as `dpc` says (only those nim may manage); ports of the DPC applied before
   * that are not in this one are cleared. Throws with the first failure. */
  const applyPorts = (dpc: DevicePortConfig, before: DevicePortConfig | undefined): void => {
    if (!dhcp) return;
    const mine = dpc.ports.filter((p) => allowed(p.ifname));
    if (mine.length === 0)
      throw new IpError(
        `none of its ports (${dpc.ports.map((p) => p.ifname).join(", ") || "none"}) is one nim may manage (--ports ${options.ports.join(",")})`,
      );
    for (const old of before?.ports ?? []) {
      if (!allowed(old.ifname) || dpc.ports.some((p) => p.ifname === old.ifname)) continue;
      dhcp.stop(old.ifname);
      if (links().some((l) => l.ifname === old.ifname)) flushPort(old.ifname);
    }
    for (const [i, p] of mine.entries()) {
      if (p.dhcp === "dhcp") {
        prepareDhcp(p);
        dhcp.ensure(p.ifname, metricOf(i));
      } else {
        dhcp.stop(p.ifname);
        if (p.dhcp === "static") applyStatic(p, metricOf(i));
        else flushPort(p.ifname);
      }
    }
  };

  /** SNTP against the servers given (in order; the first that answers is used), the clock corrected
   * when it is off by more than --ntp-step-ms. Runs off the loop; the result is posted to it. */
  const syncTime = async (servers: string[], sig?: AbortSignal, timeoutMs = 3000) => {
    const sources: NonNullable<DeviceNetworkStatus["ntpSources"]> = [];
    let synced: DeviceNetworkStatus["ntp"];
    for (const server of servers) {
      const at = new Date(clock.now()).toISOString();
      try {
        const r = await querySntp(server, () => clock.now(), timeoutMs, sig);
        sources.push({
          server,
          reachable: true,
          lastAt: at,
          offsetMs: r.offsetMs,
          delayMs: r.delayMs,
          stratum: r.stratum,
          error: "",
        });
        if (!synced) {
          if (Math.abs(r.offsetMs) > options.ntpStepMs) clock.step(r.offsetMs);
          synced = { server, syncedAt: new Date(clock.now()).toISOString(), offsetMs: r.offsetMs };
        }
      } catch (e) {
        sources.push({
          server,
          reachable: false,
          lastAt: at,
          offsetMs: 0,
          delayMs: 0,
          stratum: 0,
          error: (e as Error).message,
        });
      }
    }
    // Each source's time as the device tells it once corrected.
    const after = new Date(clock.now()).toISOString();
    return { synced, sources: sources.map((x) => ({ ...x, lastAt: after })) };
  };
  const recordSync = (r: Awaited<ReturnType<typeof syncTime>>) => {
    ntpSources = r.sources;
    ntpLastTry = Date.now();
    if (r.synced) {
      if (Math.abs(r.synced.offsetMs) > options.ntpStepMs)
        log.info(
          { server: r.synced.server, offsetMs: r.synced.offsetMs, clock: clock.describe },
          "clock corrected",
        );
      else log.debug({ server: r.synced.server, offsetMs: r.synced.offsetMs }, "clock in sync");
      ntp = r.synced;
    } else if (r.sources.length) log.warn({ sources: r.sources }, "no NTP server answered");
  };
  const ntpServersOf = (ports: ReturnType<typeof portStatuses>) => [
    ...new Set(ports.filter((p) => p.isMgmt).flatMap((p) => p.ntpServers)),
  ];

  /** Apply, wait for a usable address on a management port, then reach the controller. */
  const testDpc = async (
    dpc: DevicePortConfig,
    before: DevicePortConfig | undefined,
    sig: AbortSignal,
  ): Promise<{ ok: boolean; error: string }> => {
    const deadline = Date.now() + options.testTimeoutMs;
    try {
      applyPorts(dpc, before);
    } catch (e) {
      return { ok: false, error: `cannot apply: ${(e as Error).message}` };
    }
    let obs = observe();
    const usable = () =>
      portStatuses(dpc, obs).filter(
        (p) => p.isMgmt && p.up && p.addrs.some((a) => !a.startsWith("169.254.") && !/^fe80:/i.test(a)),
      );
    while (usable().length === 0) {
      if (Date.now() >= deadline || sig.aborted) {
        const why = portStatuses(dpc, obs)
          .filter((p) => p.isMgmt)
          .map((p) => p.error || `${p.ifname}: no address`)
          .join("; ");
        return { ok: false, error: `no usable IP address within ${options.testTimeoutMs} ms (${why})` };
      }
      await sleep(250, sig);
      obs = observe();
    }
    // Time first: a clock far off would fail the TLS of the test (and of every agent after it).
    const servers = ntpServersOf(portStatuses(dpc, obs));
    if (servers.length && !ntp) {
      const t = await syncTime(servers, sig, Math.min(2000, Math.max(500, (deadline - Date.now()) / 4)));
      await ctx.loop.run(() => recordSync(t));
    }
    let last = "";
    while (!sig.aborted) {
      const left = deadline - Date.now();
      const r = await probeController(layout.config, {
        timeoutMs: Math.max(1000, Math.min(left, 10_000)),
        signed: onboarded,
        signal: sig,
        proxy: (host) =>
          proxyFor(
            {
              dpcKey: dpc.key,
              currentIndex: -1,
              state: "testing",
              ports: portStatuses(dpc, obs),
              updatedAt: 0,
            },
            host,
          ),
      });
      if (r.ok) return r;
      last = r.error;
      if (Date.now() + 1000 >= deadline) break;
      await sleep(1000, sig);
    }
    return { ok: false, error: last || "test aborted" };
  };

  const executors: Executors<NimAction> = {
    test: ({ dpc }) => {
      const before = applied;
      applied = dpc;
      log.info(
        { dpc: dpc.key, ports: dpc.ports.map((p) => `${p.ifname}:${p.dhcp}`) },
        "testing port configuration",
      );
      jobs.start(
        "test",
        dpc.key,
        async (sig) => {
          const r = await testDpc(dpc, before, sig);
          return { ...r, obs: observe() };
        },
        ({ result }) => {
          const r = result.ok ? result.value : { ok: false, error: String(result.error) };
          // The status published with the verdict shows the ports as the test left them.
          if (result.ok) observed = result.value.obs;
          if (r.ok) log.info({ dpc: dpc.key }, "port configuration works: in use");
          else log.warn({ dpc: dpc.key, error: r.error }, "port configuration failed its test");
          apply({ kind: "tested", key: dpc.key, ok: r.ok, error: r.error, now: Date.now() });
        },
      );
    },
    publish: ({ list, currentIndex }) => {
      void listPub.set(DPC_LIST_KEY, { currentIndex, entries: list });
      void refreshStatus();
    },
  };

  // Inputs: zedagent's DPC, onboarding (a signed test once onboarded).
  // Observing only (no --ports): the controller's ports are not tested nor applied.
  let ignoredLogged = false;
  const fromZedagent = (key: string, dpc: DevicePortConfig | undefined) => {
    if (key !== DPC_KEY_ZEDAGENT) return;
    if (!managed) {
      if (dpc && !ignoredLogged)
        log.warn(
          { ports: dpc.ports.map((p) => p.ifname) },
          "the controller's port configuration is ignored: nim manages no ports (--ports)",
        );
      ignoredLogged = true;
      return;
    }
    apply({ kind: "source", key, dpc, now: Date.now() });
  };
  pubsub.subscribe({
    agent: "zedagent",
    topic: DPC_TOPICS.devicePortConfig,
    codec: DevicePortConfigCodec,
    handlers: {
      create: fromZedagent,
      modify: fromZedagent,
      delete: (key) => fromZedagent(key, undefined),
    },
  });
  const onboarding = pubsub.subscribe({
    agent: ONBOARDING_PUBLISHER,
    topic: ONBOARDING_STATUS_TOPIC,
    codec: OnboardingStatusCodec,
    persistent: true,
    handlers: {
      create: () => {
        onboarded = !!onboarding.get(ONBOARDING_STATUS_KEY)?.deviceUuid;
      },
      modify: () => {
        onboarded = !!onboarding.get(ONBOARDING_STATUS_KEY)?.deviceUuid;
      },
    },
  });

  const saved = listPub.get(DPC_LIST_KEY);
  if (saved) apply({ kind: "restore", entries: saved.entries });
  log.info(
    { managed, ports: options.ports, clock: clock.describe },
    managed ? "managing ports" : "observing only (no --ports)",
  );

  /** The override file, re-read when its mtime changes; a bad one is logged and ignored. */
  const readOverride = (): { dpc: DevicePortConfig | undefined; changed: boolean; error?: string } => {
    let mtime = 0;
    try {
      mtime = statSync(overridePath).mtimeMs;
    } catch {
      mtime = 0;
    }
    if (mtime === overrideMtime) return { dpc: undefined, changed: false };
    overrideMtime = mtime;
    if (!mtime) return { dpc: undefined, changed: true };
    try {
      return { dpc: parseOverride(readFileSync(overridePath, "utf8"), mtime), changed: true };
    } catch (e) {
      const msg = e instanceof OverrideError ? e.message : (e as Error).message;
      return { dpc: undefined, changed: true, error: msg };
    }
  };

  // The timer: read the links, the leases and the override file off the loop; on the loop, feed the
  // sources and the tick to the planner and publish the status.
  while (!signal.aborted) {
    ctx.work(
      async () => ({ obs: observe(), override: managed ? readOverride() : undefined }),
      async (r) => {
        if (!r.ok) {
          log.warn({ err: String(r.error) }, "cannot read the links");
          return;
        }
        observed = r.value.obs;
        const now = Date.now();
        if (managed) {
          const ov = r.value.override;
          if (ov?.error)
            log.error({ path: overridePath, error: ov.error }, "override DevicePortConfig ignored");
          // A bad file changes nothing: the override it held before (if any) stays.
          if (ov?.changed && !ov.error) apply({ kind: "source", key: DPC_KEY_OVERRIDE, dpc: ov.dpc, now });
          const eth = ethernetPorts(observed.links).filter(allowed);
          apply({
            kind: "source",
            key: DPC_KEY_LASTRESORT,
            dpc: eth.length ? lastResort(eth) : undefined,
            now,
          });
          apply({ kind: "tick", now });
          const servers = ntpServersOf(statusPub.get(DEVICE_NETWORK_KEY)?.ports ?? []);
          if (servers.length && !ntpRunning && now - ntpLastTry >= options.ntpIntervalMs && !state.testing) {
            ntpRunning = true;
            ntpLastTry = now;
            ctx.work(
              () => syncTime(servers),
              (t) => {
                ntpRunning = false;
                if (t.ok) recordSync(t.value);
                return refreshStatus();
              },
            );
          }
        }
        await refreshStatus();
      },
    );
    // Observing only, nothing reacts to a change within a second: a slower pace costs less.
    await sleep(managed ? options.observeMs : Math.max(options.observeMs, 5000), signal);
  }
  jobs.abortAll();
  dhcp?.stopAll();
}
