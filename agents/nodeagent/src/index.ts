// nodeagent's composition root: finds which boot this is (boot.ts), feeds the planner (plan.ts) with
// the controller's device operations (zedagent's DeviceOpsCmd), other agents' NodeAgentRequest tables
// and whether zedmanager's apps are halted, carries out its actions through runSteps, and publishes
// NodeAgentStatus. Timers post their events to the main loop; file writes and the backend run off it.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type AgentContext, type Executors, runAgent, runSteps } from "@outpost/agentbase";
import {
  AppInstanceStatusCodec,
  DeviceOpsCmdCodec,
  NODEAGENT_STATUS_KEY,
  NODEAGENT_TOPICS,
  type NodeAgentRequest,
  NodeAgentRequestCodec,
  NodeAgentStatusCodec,
  ZEDAGENT_TOPICS,
} from "@outpost/types";
import { InvalidArgumentError, Option } from "commander";
import {
  BACKENDS,
  type BackendName,
  findBootScript,
  nodeRestartBackend,
  type RebootBackend,
  systemdBackend,
} from "./backend.js";
import {
  bootFacts,
  commitBoot,
  currentBootId,
  decideBoot,
  forgetRecord,
  readBootFiles,
  readCounters,
  writeCleanStop,
  writeCounters,
  writeRecord,
} from "./boot.js";
import {
  appsHalted,
  initialState,
  type NodeAction,
  type NodeEvent,
  type PlanState,
  statusOf,
  step,
} from "./plan.js";

export { decideBoot } from "./boot.js";
export { initialState, statusOf, step } from "./plan.js";

interface NodeAgentOptions {
  backend: BackendName;
  bootScript?: string;
  haltTimeoutMs: number;
  actTimeoutMs: number;
  requesters: string[];
}

const seconds = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${name}: expected seconds > 0, got "${v}"`);
  return n;
};

export function run(argv: string[]): Promise<number> {
  return runAgent<NodeAgentOptions>(
    {
      name: "nodeagent",
      description:
        "Owns the device's life cycle: reboot/shutdown on command (apps halted first, reason recorded), boot reason, maintenance mode",
      options: (cmd) =>
        cmd
          .addOption(
            new Option(
              "--backend <name>",
              "how to reboot: systemd (this machine) or node-restart (outpost-boot)",
            )
              .choices(BACKENDS)
              .default("systemd"),
          )
          .option(
            "--boot-script <path>",
            "outpost-boot for the node-restart backend (default: found next to the program)",
          )
          .option(
            "--halt-timeout-s <s>",
            "how long to wait for the apps to halt",
            seconds("--halt-timeout-s"),
            60,
          )
          .option(
            "--act-timeout-s <s>",
            "how long the backend may take to stop the node before the operation counts as failed",
            seconds("--act-timeout-s"),
            120,
          )
          .option(
            "--requesters <agents>",
            "agents whose NodeAgentRequest table is obeyed (comma separated)",
            "baseosmgr,watchdog,localapi",
          ),
      parse: (raw) => ({
        backend: raw.backend as BackendName,
        ...(typeof raw.bootScript === "string" ? { bootScript: raw.bootScript } : {}),
        haltTimeoutMs: (raw.haltTimeoutS as number) * 1000,
        actTimeoutMs: (raw.actTimeoutS as number) * 1000,
        requesters: String(raw.requesters)
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      }),
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<NodeAgentOptions>): Promise<void> {
  const { log, loop, pubsub, signal, options, layout } = ctx;
  const dir = layout.agentPersist(ctx.name);
  mkdirSync(dir, { recursive: true });
  const backend: RebootBackend =
    options.backend === "systemd"
      ? systemdBackend(layout.root)
      : nodeRestartBackend(
          layout.root,
          options.bootScript ?? findBootScript(),
          join(dir, "node-restart.log"),
        );
  const work = <R>(fn: () => Promise<R> | R) =>
    new Promise<R>((res, rej) =>
      ctx.work(
        async () => fn(),
        (r) => (r.ok ? res(r.value) : rej(r.error)),
      ),
    );

  const bootId = currentBootId(layout.run);
  const { decision, counters } = await work(() => {
    const d = decideBoot(readBootFiles(dir, bootId, layout.run), new Date());
    commitBoot(dir, d);
    return { decision: d, counters: readCounters(dir, bootId) };
  });
  const boot = bootFacts(decision.boot);
  log.info(
    { ...decision.boot, newBoot: decision.newBoot },
    decision.newBoot ? `new boot: ${decision.boot.bootReason}` : "restarted within the same boot",
  );
  const problem = backend.problem();
  if (problem) log.error({ backend: backend.name }, `reboot backend cannot act: ${problem}`);

  let state: PlanState = initialState(Date.parse(decision.boot.bootedAt), problem, counters);
  if (Object.keys(counters).length) log.info(counters, "counters recorded earlier in this boot");
  const statusPub = await pubsub.publish({ topic: NODEAGENT_TOPICS.status, codec: NodeAgentStatusCodec });
  let lastJson = "";
  const publish = async () => {
    const s = statusOf(state, boot, backend.name);
    const json = JSON.stringify(s);
    if (json === lastJson) return;
    lastJson = json;
    await statusPub.set(NODEAGENT_STATUS_KEY, s);
  };
  await publish();
  statusPub.signalRestarted();

  // One write at a time, latest wins: two quick writes never land out of order.
  let savingCounters = false;
  let countersToSave: PlanState["counters"] | undefined;
  const saveCounters = (c: PlanState["counters"]) => {
    countersToSave = c;
    if (savingCounters) return;
    savingCounters = true;
    const next = c;
    countersToSave = undefined;
    ctx.work(
      async () => writeCounters(dir, bootId, next),
      (r) => {
        savingCounters = false;
        if (!r.ok) log.warn({ err: (r.error as Error).message }, "cannot keep the recorded counters");
        if (countersToSave) saveCounters(countersToSave);
      },
    );
  };
  let haltTimer: NodeJS.Timeout | undefined;
  let actTimer: NodeJS.Timeout | undefined;
  const post = (e: NodeEvent) => loop.post(() => dispatch(e));
  const executors: Executors<NodeAction, [], void> = {
    log: (a) => log[a.level](a.fields, a.msg),
    armHaltTimer: (a) => {
      clearTimeout(haltTimer);
      haltTimer = setTimeout(() => post({ kind: "halt-timeout", id: a.id }), a.ms);
    },
    cancelHaltTimer: () => clearTimeout(haltTimer),
    flush: (a) =>
      ctx.work(
        async () => {
          writeRecord(dir, a.record);
          // Everything other agents wrote (logs, checkpoints, stores) reaches the disk before the stop.
          await new Promise<void>((res, rej) => execFile("sync", [], (err) => (err ? rej(err) : res())));
        },
        (r) => post({ kind: "flushed", id: a.id, ...(r.ok ? {} : { error: (r.error as Error).message }) }),
      ),
    act: (a) =>
      ctx.work(
        () => backend.act(a.op),
        (r) => {
          if (!r.ok) return post({ kind: "backend-failed", id: a.id, error: (r.error as Error).message });
          actTimer = setTimeout(
            () =>
              post({
                kind: "backend-failed",
                id: a.id,
                error: `the ${backend.name} backend did not stop the node within ${options.actTimeoutMs / 1000} s`,
              }),
            options.actTimeoutMs,
          );
        },
      ),
    saveCounters: (a) => saveCounters(a.counters),
    forgetRecord: () =>
      ctx.work(
        async () => forgetRecord(dir),
        (r) => {
          if (!r.ok)
            log.error({ err: (r.error as Error).message }, "cannot remove the recorded reboot reason");
        },
      ),
  };
  const dispatch = async (e: NodeEvent) => {
    const r = step(state, e, { now: Date.now(), haltTimeoutMs: options.haltTimeoutMs });
    state = r.state;
    await runSteps(executors, r.actions);
    await publish();
  };

  // The controller's operations, as zedagent recorded them.
  const onOps = (key: string, v: { counter: number; desiredState: boolean }) => {
    if (key === "reboot" || key === "shutdown") post({ kind: "ops", op: key, counter: v.counter });
    else if (key === "maintenance") post({ kind: "maintenance", on: v.desiredState });
  };
  pubsub.subscribe({
    agent: "zedagent",
    topic: ZEDAGENT_TOPICS.deviceOps,
    codec: DeviceOpsCmdCodec,
    persistent: true,
    handlers: { create: onOps, modify: onOps },
  });
  // Whether every app is halted, once zedmanager's table is complete.
  let halted: boolean | undefined;
  const onApps = () => {
    if (!apps.synchronized) return;
    const now = appsHalted(apps.entries().map(([, s]) => s));
    if (now === halted) return;
    halted = now;
    post({ kind: "apps", halted: now });
  };
  const apps = pubsub.subscribe({
    agent: "zedmanager",
    topic: "AppInstanceStatus",
    codec: AppInstanceStatusCodec,
    handlers: { create: onApps, modify: onApps, delete: onApps, synchronized: onApps },
  });
  for (const from of options.requesters) {
    const onRequest = (key: string, request: NodeAgentRequest) =>
      post({ kind: "request", from, key, request });
    pubsub.subscribe({
      agent: from,
      topic: NODEAGENT_TOPICS.request,
      codec: NodeAgentRequestCodec,
      handlers: { create: onRequest, modify: onRequest },
    });
  }
  log.info(
    { backend: backend.name, haltTimeoutMs: options.haltTimeoutMs, requesters: options.requesters },
    "watching for reboot and shutdown requests",
  );

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(haltTimer);
  clearTimeout(actTimer);
  // The orderly stop is what tells the next boot "not a power cut".
  try {
    writeCleanStop(dir, new Date());
  } catch (err) {
    log.error({ err }, "cannot record the orderly stop: the next boot will report an unclean one");
  }
}
