import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type AgentContext, type Executors, readPidFile, runAgent, runStep } from "@outpost/agentbase";
import { appendLineDurable, Backoff, isProcessAlive, sleep } from "@outpost/primitives";
import {
  NODEAGENT_TOPICS,
  NodeAgentRequestCodec,
  WATCHDOG_REQUEST_PUBLISHER,
  WATCHDOG_REQUEST_TOPIC,
  WATCHDOG_STATUS_TOPIC,
  type WatchdogRequest,
  WatchdogRequestCodec,
  WatchdogStatusCodec,
} from "@outpost/types";
import { Option } from "commander";
import {
  type Action,
  type AgentRecord,
  DEFAULT_BACKOFF,
  DEFAULT_POLICY,
  decide,
  newRecord,
  type Observation,
  operate,
  type Policy,
  restarted,
  shouldFeed,
  statusOf,
} from "./policy.js";
import { argvMatches, readCmdline, startDetached, terminate } from "./process-control.js";
import { type Registration, readRegistrations } from "./registration.js";

export * from "./policy.js";
export { RegistrationCodec, readRegistrations } from "./registration.js";

interface WatchdogOptions {
  policy: Policy;
  /** The restart back-off's bounds, as given (policy.backoff is built from them); logged. */
  backoffMs: { minMs: number; maxMs: number };
  tickMs: number;
  killGraceMs: number;
  device?: string;
  feedMs: number;
}

const EVENTS_MAX_BYTES = 1024 * 1024;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function ms(raw: unknown, flag: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`${flag}: expected a positive integer (ms), got "${String(raw)}"`);
  return n;
}

export function run(argv: string[]): Promise<number> {
  return runAgent<WatchdogOptions>(
    {
      name: "watchdog",
      description:
        "Restarts registered agents whose process died or whose touch file went stale, and records why",
      options: (cmd) =>
        cmd
          .option(
            "--touch-limit-ms <ms>",
            "default touch file age limit",
            String(DEFAULT_POLICY.touchLimitMs),
          )
          .option(
            "--start-limit-ms <ms>",
            "a restarted agent must touch within this long",
            String(DEFAULT_POLICY.startLimitMs),
          )
          .option(
            "--max-restarts <n>",
            "restarts allowed per agent within the window before giving up",
            String(DEFAULT_POLICY.maxRestarts),
          )
          .option("--window-ms <ms>", "restart-rate window", String(DEFAULT_POLICY.windowMs))
          .option(
            "--backoff-min-ms <ms>",
            "delay before the first restart; doubles per restart in the window",
            String(DEFAULT_BACKOFF.minMs),
          )
          .option("--backoff-max-ms <ms>", "longest restart delay", String(DEFAULT_BACKOFF.maxMs))
          .option("--kill-grace-ms <ms>", "SIGTERM to SIGKILL delay", "3000")
          .option("--tick-ms <ms>", "how often agents are checked", "1000")
          .option(
            "--device <path>",
            "hardware watchdog to feed while all agents are healthy (e.g. /dev/watchdog)",
          )
          .option("--feed-ms <ms>", "keepalive period for --device", "1000")
          .addOption(
            new Option(
              "--policy <policy>",
              "on failure: restart the agent, or reboot (through nodeagent; else stop feeding --device)",
            )
              .choices(["restart", "reboot"])
              .default("restart"),
          )
          .option(
            "--reboot-grace-ms <ms>",
            "reboot policy: how long --device is still fed after nodeagent was asked to reboot",
            String(DEFAULT_POLICY.rebootGraceMs),
          ),
      parse: (raw) => {
        if (raw.policy === "reboot" && typeof raw.device !== "string")
          throw new Error("--policy reboot needs --device");
        const backoffMs = {
          minMs: ms(raw.backoffMinMs, "--backoff-min-ms"),
          maxMs: ms(raw.backoffMaxMs, "--backoff-max-ms"),
        };
        return {
          backoffMs,
          policy: {
            touchLimitMs: ms(raw.touchLimitMs, "--touch-limit-ms"),
            startLimitMs: ms(raw.startLimitMs, "--start-limit-ms"),
            maxRestarts: ms(raw.maxRestarts, "--max-restarts"),
            windowMs: ms(raw.windowMs, "--window-ms"),
            backoff: new Backoff(backoffMs),
            mode: raw.policy === "reboot" ? "reboot" : "restart",
            rebootGraceMs: ms(raw.rebootGraceMs, "--reboot-grace-ms"),
          },
          tickMs: ms(raw.tickMs, "--tick-ms"),
          killGraceMs: ms(raw.killGraceMs, "--kill-grace-ms"),
          device: typeof raw.device === "string" ? raw.device : undefined,
          feedMs: ms(raw.feedMs, "--feed-ms"),
        };
      },
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<WatchdogOptions>): Promise<void> {
  const { log, loop, signal, layout, options: o } = ctx;
  const regDir = join(layout.agentRun(ctx.name), "agents");
  const persistDir = layout.agentPersist(ctx.name);
  mkdirSync(regDir, { recursive: true });
  mkdirSync(persistDir, { recursive: true });
  const eventsPath = join(persistDir, "events.jsonl");
  const status = await ctx.pubsub.publish({ topic: WATCHDOG_STATUS_TOPIC, codec: WatchdogStatusCodec });
  // The reboot policy's way to reboot: nodeagent halts the apps, records the reason, reboots.
  const rebootRequest = await ctx.pubsub.publish({
    topic: NODEAGENT_TOPICS.request,
    codec: NodeAgentRequestCodec,
  });
  rebootRequest.signalRestarted();

  // Loop-owned state.
  const records = new Map<string, AgentRecord>();
  const registrations = new Map<string, Registration>();
  const reportedBad = new Map<string, string>();
  // Operators' requests (localapi's WatchdogRequest): the latest per agent, and the op counter last
  // carried out. An op made before this watchdog started is not replayed; the desired level is.
  const startedAt = Date.now();
  const requests = new Map<string, WatchdogRequest>();
  const opsDone = new Map<string, number>();
  const onRequest = (agent: string, req: WatchdogRequest) => {
    requests.set(agent, req);
    if (!opsDone.has(agent) && Date.parse(req.requestedAt) < startedAt) opsDone.set(agent, req.opCounter);
  };
  const requestSub = ctx.pubsub.subscribe({
    agent: WATCHDOG_REQUEST_PUBLISHER,
    topic: WATCHDOG_REQUEST_TOPIC,
    codec: WatchdogRequestCodec,
    handlers: {
      create: onRequest,
      modify: onRequest,
      // No request any more: the agent may run (a stopped one is started again).
      delete: (agent, old) => {
        if (old.desired === "stopped")
          requests.set(agent, { ...old, desired: "running", op: "start", opCounter: old.opCounter + 1 });
        else requests.delete(agent);
      },
    },
  });
  /** Carries out the pending request for `agent`, if any; true when it acted (the tick is done). */
  const applyRequest = (agent: string, rec: AgentRecord, obs: Observation, now: number): boolean => {
    const req = requests.get(agent);
    if (!req) return false;
    const fresh = opsDone.get(agent) !== req.opCounter;
    // The edge first (a fresh op), else the level (a stopped agent stays stopped).
    const op = fresh ? req.op : req.desired === "stopped" ? "stop" : undefined;
    if (fresh) opsDone.set(agent, req.opCounter);
    if (!op) return false;
    const next = operate(rec, op, obs, now);
    if (fresh || next.changed)
      log.info(
        { watched: agent, op, by: req.by, requestedAt: req.requestedAt, changed: next.changed },
        next.changed ? `${agent}: ${op} on request` : `${agent}: ${op} on request: already so`,
      );
    if (!next.changed) return false;
    records.set(agent, next.rec);
    execute(agent, next.actions);
    return true;
  };

  /** The pid in run/<agent>.pid when that process is alive and runs the registered argv. */
  const livePidFileHolder = (agent: string, reg: Registration): number | undefined => {
    const pid = readPidFile(layout.pidFile(agent));
    return pid !== undefined && isProcessAlive(pid) && isTheAgent(pid, reg) ? pid : undefined;
  };

  const observe = (rec: AgentRecord, reg: Registration): Observation => {
    // While starting, the process we spawned is the agent, even before it replaced the old pid file;
    // if it is gone, another instance that holds the pid file (it exited "already running") is.
    const spawned = rec.phase.kind === "starting" ? rec.phase.pid : undefined;
    const pid =
      spawned === undefined
        ? readPidFile(layout.pidFile(rec.agent))
        : isProcessAlive(spawned)
          ? spawned
          : (livePidFileHolder(rec.agent, reg) ?? spawned);
    const obs: Observation = { alive: pid !== undefined && isProcessAlive(pid) && isTheAgent(pid, reg) };
    if (pid !== undefined) obs.pid = pid;
    try {
      obs.touchMtimeMs = statSync(layout.touchFile(rec.agent)).mtimeMs;
    } catch {
      // No touch file.
    }
    return obs;
  };

  // After a crash the pid in a stale pid file can be reused by an unrelated process: that one is
  // not the agent (the agent exited), and must never be killed as a "stale" agent.
  const isTheAgent = (pid: number, reg: Registration): boolean => {
    const cmdline = readCmdline(pid);
    return cmdline === undefined || argvMatches(cmdline, reg.argv);
  };

  // Synchronous executors, run in order within this task (each one only starts its work).
  const execute = (agent: string, actions: Action[]) => {
    for (const a of actions) runStep(executors, a, agent);
  };
  // Typed over the Action union: a new action kind without an executor does not compile.
  const executors: Executors<Action, [agent: string]> = {
    record: ({ event }) => {
      log.warn({ event }, `${event.agent}: ${event.cause} (${event.details}) -> ${event.action}`);
      try {
        // Bounded: one older generation is kept, so a flapping agent cannot fill persist/.
        if (fileSize(eventsPath) >= EVENTS_MAX_BYTES) renameSync(eventsPath, `${eventsPath}.1`);
        appendLineDurable(eventsPath, JSON.stringify(event));
      } catch (err) {
        log.error({ err }, "cannot record event");
      }
    },
    kill: ({ pid }, agent) =>
      ctx.work(
        (s) => terminate(pid, o.killGraceMs, s),
        (r) =>
          log.info(
            { watched: agent, watchedPid: pid, how: r.ok ? r.value : String(r.error) },
            `${agent}: stopped the failed process`,
          ),
      ),
    requestReboot: ({ reason, detail }) => {
      log.error({ reason, detail }, "asking nodeagent to reboot the node");
      rebootRequest
        .set("watchdog", { op: "reboot", reason, detail, requestedAt: new Date().toISOString() })
        .catch((err) => log.error({ err }, "cannot publish NodeAgentRequest"));
    },
    restart: ({ killPid }, agent) => {
      const reg = registrations.get(agent);
      if (!reg) return;
      const argv = reg.argv;
      ctx.work(
        async (s) => {
          if (killPid !== undefined) {
            const how = await terminate(killPid, o.killGraceMs, s);
            // Logged from here because the old process is gone now; "kill" means SIGTERM was ignored.
            log.info({ watched: agent, watchedPid: killPid, how }, `${agent}: stopped the failed process`);
          }
          // Started meanwhile by someone else (outpost-boot after an unclean stop): watch that one.
          // Spawning another copy would only see it exit "already running".
          const holder = livePidFileHolder(agent, reg);
          if (holder !== undefined && holder !== killPid) return { pid: holder, adopted: true };
          return { pid: await startDetached(argv, join(layout.log, `${agent}.stderr`)), adopted: false };
        },
        (r) => {
          const rec = records.get(agent);
          if (!rec) return;
          const next = restarted(
            rec,
            r.ok ? { ok: true, ...r.value } : { ok: false, error: String(r.error) },
            Date.now(),
            o.policy,
          );
          records.set(agent, next.rec);
          log.info(
            {
              watched: agent,
              watchedPid: next.rec.pid,
              argv,
              ok: r.ok,
              error: r.ok ? undefined : String(r.error),
            },
            !r.ok
              ? `${agent}: restart failed`
              : r.value.adopted
                ? `${agent}: already running as pid ${r.value.pid}; watching it (not counted as a restart)`
                : `${agent}: restarted`,
          );
          execute(agent, next.actions);
          void publish(next.rec);
        },
      );
    },
  };

  const publish = async (rec: AgentRecord) => {
    try {
      await status.set(rec.agent, statusOf(rec));
    } catch (err) {
      log.warn({ err }, "cannot publish WatchdogStatus");
    }
  };

  const tick = async () => {
    const { ok, bad } = readRegistrations(regDir);
    for (const [agent, why] of bad)
      if (reportedBad.get(agent) !== why) {
        reportedBad.set(agent, why);
        log.error({ watched: agent, error: why }, "bad registration: not watching this agent");
      }
    const now = Date.now();
    for (const agent of [...records.keys()])
      if (!ok.has(agent)) {
        // Unregistered (outpost-boot stop): no longer ours to watch.
        records.delete(agent);
        registrations.delete(agent);
        await status.delete(agent);
        log.info({ watched: agent }, "unregistered");
      }
    for (const [agent, reg] of ok) {
      registrations.set(agent, reg);
      let rec = records.get(agent);
      if (!rec) {
        rec = newRecord(agent, now);
        log.info(
          { watched: agent, argv: reg.argv, touchLimitMs: reg.touchLimitMs ?? o.policy.touchLimitMs },
          "watching",
        );
      }
      records.set(agent, rec);
      const obs = observe(rec, reg);
      if (applyRequest(agent, rec, obs, now)) {
        await publish(records.get(agent) ?? rec);
        continue;
      }
      // nodeagent carries out the reboot policy's reboot when it is up (watched and alive).
      const nodeagentUp = agent !== "nodeagent" && records.get("nodeagent")?.phase.kind === "watching";
      const next = decide(rec, obs, now, o.policy, reg.touchLimitMs, { nodeagentUp });
      records.set(agent, next.rec);
      execute(agent, next.actions);
      await publish(next.rec);
    }
  };

  const feeding = o.device
    ? feedLoop(ctx, o.device, o.feedMs, () =>
        shouldFeed(records.values(), Date.now(), o.policy.rebootGraceMs),
      )
    : Promise.resolve();
  log.info(
    {
      registrations: regDir,
      events: eventsPath,
      policy: { ...o.policy, backoff: { ...o.backoffMs, jitter: "up to half of each delay" } },
      device: o.device,
    },
    "watching agents",
  );
  // A stop requested through localapi holds across a restart of the watchdog: its table is read before
  // the first pass (when localapi runs), so a stopped agent is not taken for a crashed one.
  if (existsSync(join(layout.pubsubRun, `${WATCHDOG_REQUEST_PUBLISHER}.sock`)))
    await requestSub.waitSynchronized(2000).catch(() => undefined);
  while (!signal.aborted) {
    await loop.run(tick);
    // After the first pass the table lists every registered agent (pubsub's restart barrier).
    if (status.restartedCount === 0) status.signalRestarted();
    await sleep(o.tickMs, signal);
  }
  await feeding;
}

/** Feeds the hardware watchdog while `healthy()` says so. The write is a main-loop task, so a stuck
 * watchdog loop also stops the feeding. On an orderly stop it writes the magic "V" (disarm) before
 * closing; a device built with nowayout resets anyway, which is the safe side. */
async function feedLoop(
  ctx: AgentContext<WatchdogOptions>,
  device: string,
  feedMs: number,
  healthy: () => boolean,
): Promise<void> {
  const { log, loop, signal } = ctx;
  const fd = openSync(device, "a");
  let stopped = false;
  try {
    while (!signal.aborted) {
      await loop.run(() => {
        if (healthy()) writeSync(fd, "k");
        else if (!stopped) {
          stopped = true;
          log.error(
            { device },
            "an agent failed under the reboot policy and nodeagent did not reboot: no longer feeding the hardware watchdog",
          );
        }
      });
      await sleep(feedMs, signal);
    }
    if (!stopped) writeSync(fd, "V");
  } finally {
    closeSync(fd);
  }
}
