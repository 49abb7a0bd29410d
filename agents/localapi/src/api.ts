// The routes of the local API and what they do. State comes from the bus (subscriptions kept by the
// agent) and from files under the root; changes go out as localapi's own tables: WatchdogRequest
// (agents, carried out by the watchdog), AppLocalOverride (apps, by zedmanager), NodeAgentRequest
// (reboot, by nodeagent). Publishing runs as a main-loop task; reads of subscriptions are plain reads.
import { execFile } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { type AgentContext, LOG_LEVEL_NAMES, parseLogLevel, readPidFile } from "@outpost/agentbase";
import { type FactsWatcher, readLocalFacts } from "@outpost/nodefacts";
import { isProcessAlive, sleep } from "@outpost/primitives";
import type { Publication, Subscription } from "@outpost/pubsub";
import {
  type AppInstanceConfig,
  type AppInstanceStatus,
  type AppLocalOverride,
  appConfigDigest,
  type ConfigItemOverride,
  type DomainMetric,
  LOCAL_CONFIG_ITEMS,
  type NodeAgentRequest,
  type WatchdogRequest,
} from "@outpost/types";
import { deviceTotals, type ProcSample, recentPercent, sampleProcess } from "./metrics.js";
import { OPENAPI } from "./openapi.js";
import type { Peer } from "./peer.js";

declare const OUTPOST_VERSION: string | undefined;
const VERSION = typeof OUTPOST_VERSION === "string" ? OUTPOST_VERSION : "dev";

export const OPS = ["start", "stop", "restart"] as const;
export type Op = (typeof OPS)[number];

/** A service Outpost does not run itself, steered through an executor (config/localapi/services.json). */
export interface ExternalService {
  name: string;
  executor: string;
}

export interface ApiOptions {
  opTimeoutMs: number;
  touchLimitMs: number;
  externals: ExternalService[];
}

export interface ApiDeps {
  ctx: AgentContext<unknown>;
  facts: FactsWatcher;
  appConfigs: Subscription<AppInstanceConfig>;
  domainMetrics: Subscription<DomainMetric>;
  watchdogRequests: Publication<WatchdogRequest>;
  appOverrides: Publication<AppLocalOverride>;
  itemOverrides: Publication<ConfigItemOverride>;
  nodeRequests: Publication<NodeAgentRequest>;
}

/** An answer: status and JSON body. */
export interface Reply {
  status: number;
  body: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type ServiceRef =
  | { kind: "agent"; name: string }
  | { kind: "app"; name: string; uuid: string }
  | { kind: "external"; name: string; svc: ExternalService };

export interface ServiceInfo {
  name: string;
  kind: "agent" | "app" | "external";
  state: string;
  health: "healthy" | "unhealthy" | "stopped" | "unknown";
  detail?: string;
  pid?: number;
  uuid?: string;
}

export interface OpResult {
  name: string;
  op: Op;
  status: number;
  result: "done" | "pending" | "error";
  state?: string;
  error?: string;
}

export class LocalApi {
  /** The previous /proc sample per agent (for recent CPU %), and the device's CPU times. */
  private readonly samples = new Map<string, ProcSample[]>();
  private cpuPrev: { busy: number; total: number } | undefined;

  constructor(
    readonly d: ApiDeps,
    private readonly o: ApiOptions,
  ) {}

  private get layout() {
    return this.d.ctx.layout;
  }

  // ---- services ----------------------------------------------------------------------------------

  /** Every agent registered with the watchdog, the watchdog itself, and every one it reports. */
  agentNames(): string[] {
    const names = new Set<string>(["watchdog"]);
    try {
      for (const f of readdirSync(join(this.layout.agentRun("watchdog"), "agents")))
        if (!f.endsWith(".tmp")) names.add(f);
    } catch {
      // No watchdog has run on this root.
    }
    for (const k of this.d.facts.watchdog.keys()) names.add(k);
    return [...names].sort();
  }

  private agentPid(agent: string): number | undefined {
    const pid = readPidFile(this.layout.pidFile(agent));
    return pid !== undefined && isProcessAlive(pid) ? pid : undefined;
  }

  private agentInfo(agent: string): ServiceInfo {
    const w = this.d.facts.watchdog.get(agent);
    const pid = this.agentPid(agent);
    let touchAge: number | undefined;
    try {
      touchAge = Date.now() - statSync(this.layout.touchFile(agent)).mtimeMs;
    } catch {
      // No touch file.
    }
    const state = w?.state ?? (pid !== undefined ? "running" : "not running");
    const touching = touchAge !== undefined && touchAge <= this.o.touchLimitMs;
    const health: ServiceInfo["health"] =
      state === "stopped" ? "stopped" : pid !== undefined && touching ? "healthy" : "unhealthy";
    const info: ServiceInfo = { name: agent, kind: "agent", state, health };
    if (pid !== undefined) info.pid = pid;
    const details: string[] = [];
    if (touchAge !== undefined) details.push(`touched ${Math.round(touchAge / 1000)} s ago`);
    if (w?.restarts) details.push(`${w.restarts} restarts${w.lastCause ? `, last ${w.lastCause}` : ""}`);
    if (details.length) info.detail = details.join("; ");
    return info;
  }

  private appInfo(name: string, s: AppInstanceStatus): ServiceInfo {
    const health: ServiceInfo["health"] =
      s.error && s.error.severity !== "notice"
        ? "unhealthy"
        : s.state === "RUNNING"
          ? "healthy"
          : s.state === "HALTED"
            ? "stopped"
            : "unknown";
    const info: ServiceInfo = { name, kind: "app", state: s.state, health, uuid: s.uuid };
    if (s.error) info.detail = s.error.description;
    return info;
  }

  /** Apps are named by their display name; `app:<name or uuid>` always works, and is the name when a
   * display name is also an agent's or another app's. */
  private appNames(): Map<string, string> {
    const agents = new Set(this.agentNames());
    const byName = new Map<string, string[]>();
    for (const [uuid, s] of this.d.facts.apps.entries())
      byName.set(s.displayName, [...(byName.get(s.displayName) ?? []), uuid]);
    const out = new Map<string, string>();
    for (const [name, uuids] of byName)
      for (const uuid of uuids)
        out.set(uuids.length === 1 && !agents.has(name) && name !== "" ? name : `app:${uuid}`, uuid);
    return out;
  }

  resolve(name: string): ServiceRef | undefined {
    if (this.agentNames().includes(name)) return { kind: "agent", name };
    const svc = this.o.externals.find((e) => e.name === name);
    if (svc) return { kind: "external", name, svc };
    const apps = this.appNames();
    const uuid = apps.get(name);
    if (uuid) return { kind: "app", name, uuid };
    if (name.startsWith("app:")) {
      const want = name.slice(4);
      for (const [uuid, s] of this.d.facts.apps.entries())
        if (uuid === want || s.displayName === want) return { kind: "app", name, uuid };
    }
    return undefined;
  }

  async services(): Promise<ServiceInfo[]> {
    const out = this.agentNames().map((a) => this.agentInfo(a));
    for (const [name, uuid] of this.appNames()) {
      const s = this.d.facts.apps.get(uuid);
      if (s) out.push(this.appInfo(name, s));
    }
    out.push(...(await Promise.all(this.o.externals.map((e) => this.externalInfo(e)))));
    return out;
  }

  /** Names for completion and listings. */
  serviceNames(): string[] {
    return [...this.agentNames(), ...this.appNames().keys(), ...this.o.externals.map((e) => e.name)];
  }

  private async externalInfo(e: ExternalService): Promise<ServiceInfo> {
    const r = await runExecutor(e, "status", this.o.opTimeoutMs);
    // LSB status codes: 0 running, 3 not running; anything else is unknown.
    const state = r.code === 0 ? "running" : r.code === 3 ? "stopped" : "unknown";
    const health = r.code === 0 ? "healthy" : r.code === 3 ? "stopped" : "unknown";
    const info: ServiceInfo = { name: e.name, kind: "external", state, health };
    const detail = (r.stdout.split("\n")[0] || r.error || "").trim();
    if (detail) info.detail = detail;
    return info;
  }

  async operate(name: string, op: Op, by: string): Promise<OpResult> {
    const ref = this.resolve(name);
    if (!ref) return { name, op, status: 404, result: "error", error: `no service "${name}"` };
    try {
      if (ref.kind === "agent") return await this.agentOp(ref.name, op, by);
      if (ref.kind === "app") return await this.appOp(ref.name, ref.uuid, op, by);
      return await this.externalOp(ref.svc, op);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      return { name, op, status, result: "error", error: (e as Error).message };
    }
  }

  private async agentOp(agent: string, op: Op, by: string): Promise<OpResult> {
    if (agent === "watchdog")
      throw new HttpError(
        409,
        "the watchdog is not steered through itself: outpost-boot supervises it (outpost-boot stop/start)",
      );
    if (agent === this.d.ctx.name && op === "stop")
      throw new HttpError(409, "localapi cannot stop itself: the API would be gone (restart is allowed)");
    if (!this.d.facts.watchdog.get(agent) && !existsReg(this.layout.agentRun("watchdog"), agent))
      throw new HttpError(409, `${agent} is not registered with the watchdog`);
    const before = this.agentPid(agent);
    await this.d.ctx.loop.run(async () => {
      const cur = this.d.watchdogRequests.get(agent);
      await this.d.watchdogRequests.set(agent, {
        desired: op === "stop" ? "stopped" : "running",
        op,
        opCounter: (cur?.opCounter ?? 0) + 1,
        requestedAt: new Date().toISOString(),
        by,
      });
    });
    if (agent === this.d.ctx.name)
      return { name: agent, op, status: 202, result: "pending", state: "restarting" };
    const done = await waitUntil(() => {
      const w = this.d.facts.watchdog.get(agent);
      const pid = this.agentPid(agent);
      if (op === "stop") return w?.state === "stopped" && (before === undefined || !isProcessAlive(before));
      if (w?.state !== "running" || pid === undefined) return false;
      return op === "start" || pid !== before;
    }, this.o.opTimeoutMs);
    const state = this.d.facts.watchdog.get(agent)?.state ?? "unknown";
    return done
      ? { name: agent, op, status: 200, result: "done", state }
      : { name: agent, op, status: 202, result: "pending", state };
  }

  private async appOp(name: string, uuid: string, op: Op, by: string): Promise<OpResult> {
    const config = this.d.appConfigs.get(uuid);
    if (!config) throw new HttpError(409, "the app has no config any more (it is being removed)");
    const state = () => this.d.facts.apps.get(uuid)?.state ?? "UNKNOWN";
    const stop = async () => {
      await this.d.ctx.loop.run(() =>
        this.d.appOverrides.set(uuid, {
          state: "stopped",
          configDigest: appConfigDigest(config),
          requestedAt: new Date().toISOString(),
          by,
        }),
      );
      return waitUntil(() => {
        const s = this.d.facts.apps.get(uuid);
        return s?.localOverride !== undefined && s.state === "HALTED";
      }, this.o.opTimeoutMs);
    };
    const start = async () => {
      if (!config.activate)
        throw new HttpError(
          409,
          "the controller's config deactivates this app: it is started from the controller, not locally",
        );
      await this.d.ctx.loop.run(() => this.d.appOverrides.delete(uuid));
      return waitUntil(() => {
        const s = this.d.facts.apps.get(uuid);
        return s?.localOverride === undefined && s?.state === "RUNNING";
      }, this.o.opTimeoutMs);
    };
    let done: boolean;
    if (op === "stop") done = await stop();
    else if (op === "start") done = await start();
    else done = (await stop()) && (await start());
    return done
      ? { name, op, status: 200, result: "done", state: state() }
      : { name, op, status: 202, result: "pending", state: state() };
  }

  private async externalOp(svc: ExternalService, op: Op): Promise<OpResult> {
    const r = await runExecutor(svc, op, this.o.opTimeoutMs);
    if (r.code === 0)
      return {
        name: svc.name,
        op,
        status: 200,
        result: "done",
        state: op === "stop" ? "stopped" : "running",
      };
    return {
      name: svc.name,
      op,
      status: 502,
      result: "error",
      error: `executor ${svc.executor} ${op} ${svc.name}: ${r.error ?? `exit ${r.code}`}${r.stderr ? `: ${r.stderr.trim().split("\n")[0]}` : ""}`,
    };
  }

  // ---- status, metrics ---------------------------------------------------------------------------

  status(): unknown {
    const now = Date.now();
    const t = this.d.facts.tables();
    const local = readLocalFacts(this.layout.persist, now, 3_600_000);
    const z = t.zedagent;
    return {
      time: new Date(now).toISOString(),
      version: VERSION,
      uptimeSeconds: Math.round(Number(readFileSync("/proc/uptime", "utf8").split(" ")[0])),
      device: {
        uuid: t.onboarding?.deviceUuid ?? z?.deviceUuid ?? "",
        serial: t.onboarding?.serial ?? "",
        softSerial: t.onboarding?.softSerial ?? "",
        controller: t.onboarding?.server ?? "",
      },
      onboarding: t.onboarding ? "onboarded" : "not-onboarded",
      controller: {
        state: z?.state ?? "unknown",
        reachable: z?.state === "connected",
        lastPollAt: z?.lastPollAt,
        lastPollResult: z?.lastPollResult,
      },
      config: z
        ? {
            version: z.configVersion,
            hash: z.configHash,
            source: z.configSource,
            appliedAt: z.configAppliedAt,
            lastRejectedAt: z.lastRejectedAt,
            lastRejectedReason: z.lastRejectedReason,
          }
        : undefined,
      network: t.network ?? { source: "host", interfaces: local.hostInterfaces, proxy: local.envProxy },
      device_state: t.nodeagent,
      apps: t.apps.map((a) => ({
        uuid: a.uuid,
        name: a.displayName,
        state: a.state,
        activated: a.activated,
        progress: a.progress,
        error: a.error,
        localOverride: a.localOverride,
      })),
      downloads: t.downloads,
      baseos: t.baseos,
      watchdog: { agents: t.watchdog, recentEvents: local.recentRestarts },
      disk: local.disk,
    };
  }

  metrics(service?: string): unknown {
    const now = Date.now();
    const agents: Record<string, unknown> = {};
    const apps: Record<string, unknown> = {};
    let only: ServiceRef | undefined;
    if (service !== undefined) {
      only = this.resolve(service);
      if (!only) throw new HttpError(404, `no service "${service}"`, "service");
      if (only.kind === "external")
        throw new HttpError(400, `${service} is an external service: no metrics`, "service");
    }
    if (!only || only.kind === "agent")
      for (const agent of only ? [only.name] : this.agentNames()) {
        const pid = this.agentPid(agent);
        const cur = pid !== undefined ? sampleProcess(pid, now, false) : undefined;
        if (!cur) {
          agents[agent] = { running: false };
          continue;
        }
        // Against the sampler's last reading (--sample-ms), so "recent" spans a real interval.
        // The newest reading at least 200 ms old (of the last two), so the interval is a real one.
        const history = this.samples.get(agent) ?? [];
        const prev = history.filter((x) => now - x.at >= 200).at(-1);
        // PSS as of the sampler's last reading of this same process.
        const last = history.at(-1);
        const pssBytes = last?.pid === cur.pid ? last.pssBytes : undefined;
        const recent = prev ? recentPercent(prev, cur) : undefined;
        agents[agent] = {
          running: true,
          pid,
          cpuSeconds: cur.cpuSeconds,
          cpuRecentPercent: recent ?? null,
          rssBytes: cur.rssBytes ?? null,
          pssBytes: pssBytes ?? null,
          pssSampledAt: last?.pid === cur.pid ? new Date(last.at).toISOString() : null,
        };
      }
    if (!only || only.kind === "app")
      for (const [name, uuid] of this.appNames()) {
        if (only && only.kind === "app" && only.uuid !== uuid) continue;
        const m = this.d.domainMetrics.get(uuid);
        apps[name] = m
          ? {
              uuid,
              cpuSeconds: Math.round(m.cpuTotalNs / 1e6) / 1000,
              cpuRecentPercent: m.cpuPercent,
              memoryBytes: m.memoryBytes,
              memoryLimitBytes: m.memoryLimitBytes,
              sampledAt: new Date(m.at).toISOString(),
              source: "docker stats (domainmgr's DomainMetric)",
            }
          : { uuid, running: false };
      }
    const { totals } = deviceTotals(this.cpuPrev);
    return { time: new Date(now).toISOString(), device: totals, agents, apps };
  }

  /** The sampler's reading: every agent's CPU time and the device's, the base of "recent %". */
  sample(): void {
    const now = Date.now();
    for (const agent of this.agentNames()) {
      const pid = this.agentPid(agent);
      const s = pid !== undefined ? sampleProcess(pid, now) : undefined;
      if (s) this.samples.set(agent, [...(this.samples.get(agent) ?? []).slice(-1), s]);
      else this.samples.delete(agent);
    }
    this.cpuPrev = deviceTotals(undefined).cpu;
  }

  // ---- logs --------------------------------------------------------------------------------------

  /** Where a service's log comes from: an agent's file, or an app's container in the Docker engine. */
  logSource(service: string): { kind: "file"; path: string } | { kind: "container"; id: string } {
    const ref = this.resolve(service);
    if (!ref) throw new HttpError(404, `no service "${service}"`, "service");
    if (ref.kind === "agent") return { kind: "file", path: this.layout.logFile(ref.name) };
    if (ref.kind === "app") {
      const id = this.d.facts.apps.get(ref.uuid)?.containerId;
      if (!id) throw new HttpError(409, `${service} has no container (yet): no logs`, "service");
      return { kind: "container", id };
    }
    throw new HttpError(400, `${service} is an external service: its logs are its own`, "service");
  }

  configItems(): unknown {
    return {
      items: this.d.facts.configItems.get("global")?.items ?? {},
      localOverridable: LOCAL_CONFIG_ITEMS,
      localOverrides: this.d.itemOverrides.get("global")?.items ?? {},
    };
  }

  /** Sets (or, with "", removes) local overrides; zedagent merges them into ConfigItemValueMap with
   * source "local". 200 once zedagent shows them, 202 when it does not within the wait. */
  async setConfigItems(body: unknown, by: string): Promise<Reply> {
    if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).length === 0)
      throw new HttpError(400, "expected a non-empty object of item name -> value", "body");
    const want: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (!(LOCAL_CONFIG_ITEMS as readonly string[]).includes(k))
        throw new HttpError(
          403,
          `${k} is not locally overridable (allowed: ${LOCAL_CONFIG_ITEMS.join(", ")})`,
          k,
        );
      if (typeof v !== "string")
        throw new HttpError(400, `${k}: expected a string value ("" removes the override)`, k);
      const value = v.trim().toLowerCase();
      if (value !== "" && k.includes("loglevel") && !parseLogLevel(value))
        throw new HttpError(400, `${k}: expected one of ${LOG_LEVEL_NAMES.join(", ")}`, k);
      if (value !== "" && k.startsWith("timer.")) {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 3600)
          throw new HttpError(400, `${k}: expected seconds in 1..3600`, k);
      }
      want[k] = value;
    }
    const items = { ...(this.d.itemOverrides.get("global")?.items ?? {}) };
    for (const [k, v] of Object.entries(want))
      if (v === "") delete items[k];
      else items[k] = v;
    await this.d.ctx.loop.run(() =>
      this.d.itemOverrides.set("global", { items, by, requestedAt: new Date().toISOString() }),
    );
    const inForce = () => {
      const map = this.d.facts.configItems.get("global")?.items ?? {};
      return Object.entries(want).every(([k, v]) =>
        v === "" ? map[k]?.source !== "local" : map[k]?.source === "local" && map[k]?.value === v,
      );
    };
    const done = await waitUntil(inForce, this.o.opTimeoutMs);
    const answer = { result: done ? "done" : "pending", localOverrides: items };
    return { status: done ? 200 : 202, body: answer };
  }

  openapi(): unknown {
    return OPENAPI;
  }
}

function existsReg(watchdogRun: string, agent: string): boolean {
  try {
    return statSync(join(watchdogRun, "agents", agent)).isFile();
  } catch {
    return false;
  }
}

/** Polls `cond` every 100 ms until it holds (true) or `ms` passed (false). */
export async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (cond()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

export function runExecutor(
  e: ExternalService,
  op: Op | "status",
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; error?: string }> {
  return new Promise((resolve) =>
    execFile(
      e.executor,
      [op, e.name],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const code = (err as { code?: unknown }).code;
        if (typeof code === "number") return resolve({ code, stdout, stderr });
        resolve({
          code: null,
          stdout,
          stderr,
          error: err.killed ? `timed out after ${timeoutMs} ms` : err.message,
        });
      },
    ),
  );
}

/** The last `n` lines of a file (reads at most its last 1 MiB), and its size. */
export function tailLines(path: string, n: number): { lines: string[]; size: number } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return { lines: [], size: 0 };
  }
  try {
    const size = statSync(path).size;
    const len = Math.min(size, 1024 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString("utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
    if (len < size) lines.shift(); // a partial first line
    return { lines: lines.slice(-n), size };
  } finally {
    closeSync(fd);
  }
}

export function readFrom(path: string, offset: number): { text: string; size: number } {
  const size = statSync(path).size;
  if (size <= offset) return { text: "", size };
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(Math.min(size - offset, 1024 * 1024));
    const n = readSync(fd, buf, 0, buf.length, offset);
    return { text: buf.subarray(0, n).toString("utf8"), size: offset + n };
  } finally {
    closeSync(fd);
  }
}

export type { IncomingMessage, Peer, ServerResponse };
