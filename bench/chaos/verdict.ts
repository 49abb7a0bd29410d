// The convergence verdict of `make chaos`, as a pure function of one observation of the node: what
// must hold after every fault, each failure named in words an operator understands. The observation
// is gathered by node.ts (processes, pid/touch files, ipcmonitor tables, the Docker engine, the test
// datastore's request log); nothing here does I/O.
import { NODE_AGENTS as APP_AGENTS, type ServedRequest } from "@outpost/testkit";

/** What outpost-boot's default list starts besides the watchdog: ledmanager, then the agents every
 * test node runs (testkit's NODE_AGENTS, the one list of them). */
export const NODE_AGENTS = ["ledmanager", ...APP_AGENTS] as const;
export const ALL_AGENTS = ["watchdog", ...NODE_AGENTS] as const;
export type AgentName = (typeof ALL_AGENTS)[number];

export interface AgentSeen {
  /** Live processes of this node running this agent (by command line). */
  pids: number[];
  /** The pid in its pid file, when the file exists. */
  pidFile: number | undefined;
  /** Age of its touch file, when the file exists. */
  touchAgeMs: number | undefined;
}

export interface ContainerSeen {
  id: string;
  state: string;
  app: string;
}

export interface Observation {
  agents: Record<AgentName, AgentSeen>;
  /** zedmanager's AppInstanceStatus (uuid -> state), or the reason it could not be read. */
  apps: Record<string, string> | { unreadable: string };
  /** Every container labelled with this node, or the engine error. */
  containers: ContainerSeen[] | { unreadable: string };
  /** Image ids present in the engine. */
  images: Set<string> | { unreadable: string };
  /** ZedAgentStatus.state, or undefined when unreadable. */
  zedagentState: string | undefined;
  /** WatchdogStatus: agent -> state, or undefined when unreadable. */
  watchdog: Record<string, string> | undefined;
}

export interface AppExpectation {
  uuid: string;
  name: string;
  /** The image id its archive loads as (identical in every engine). */
  imageId: string;
}

export interface Expectation {
  apps: AppExpectation[];
  /** Touch files older than this count as a hung agent (the watchdog's default limit is 30 s). */
  touchLimitMs: number;
  /** ZedAgentStatus.state values that are acceptable now (["connected"] unless the controller is
   * down on purpose). */
  zedagentStates: string[];
}

function unreadable(x: object): x is { unreadable: string } {
  return "unreadable" in x && typeof (x as { unreadable: unknown }).unreadable === "string";
}

/** Everything that is wrong in `o` against `e`; empty = converged. */
export function verdict(o: Observation, e: Expectation): string[] {
  const wrong: string[] = [];
  for (const name of ALL_AGENTS) {
    const a = o.agents[name];
    if (a.pids.length === 0) wrong.push(`${name} not running`);
    else if (a.pids.length > 1) wrong.push(`${name} runs ${a.pids.length} times (pids ${a.pids.join(", ")})`);
    else if (a.pidFile !== a.pids[0])
      wrong.push(`${name}: pid file says ${a.pidFile ?? "nothing"}, process is ${a.pids[0]}`);
    if (a.pids.length > 0 && (a.touchAgeMs === undefined || a.touchAgeMs > e.touchLimitMs))
      wrong.push(
        `${name}: touch file ${a.touchAgeMs === undefined ? "missing" : `${Math.round(a.touchAgeMs / 1000)} s old`}`,
      );
  }
  if (o.watchdog)
    for (const [agent, state] of Object.entries(o.watchdog))
      if (state === "gave-up" || state === "reboot") wrong.push(`watchdog: ${agent} is ${state}`);

  if (unreadable(o.apps)) wrong.push(`AppInstanceStatus unreadable: ${o.apps.unreadable}`);
  else
    for (const app of e.apps) {
      const s = o.apps[app.uuid];
      if (s !== "RUNNING") wrong.push(`app ${app.name} ${s ?? "absent"}`);
    }

  if (unreadable(o.containers)) wrong.push(`containers unreadable: ${o.containers.unreadable}`);
  else {
    const expected = new Set(e.apps.map((a) => a.uuid));
    for (const app of e.apps) {
      const mine = o.containers.filter((c) => c.app === app.uuid);
      const running = mine.filter((c) => c.state === "running");
      if (running.length !== 1 || mine.length !== 1)
        wrong.push(`app ${app.name}: ${running.length} running of ${mine.length} containers`);
    }
    const strays = o.containers.filter((c) => !expected.has(c.app));
    if (strays.length)
      wrong.push(`${strays.length} container(s) of no app (${strays.map((c) => c.id).join(", ")})`);
  }

  if (unreadable(o.images)) wrong.push(`images unreadable: ${o.images.unreadable}`);
  else {
    const images = o.images;
    for (const app of e.apps)
      if (!images.has(app.imageId)) wrong.push(`app ${app.name}: image not in the engine`);
  }

  if (!o.zedagentState) wrong.push("ZedAgentStatus unreadable");
  else if (!e.zedagentStates.includes(o.zedagentState)) wrong.push(`zedagent ${o.zedagentState}`);
  return wrong;
}

/** Where a GET started in the blob: 0 when the whole file was sent (no Range, Range from 0, or a
 * server answer of 200 because If-Range did not match). */
export function startOffset(r: ServedRequest): number {
  if (r.status === 200) return 0;
  const m = /^bytes=(\d+)-/.exec(r.range ?? "");
  return m ? Number(m[1]) : 0;
}

/** Downloads fetched again from the first byte during a fault: a blob requested before the fault
 * may only be resumed (Range from its offset), a new blob fetched from zero once. */
export function duplicateDownloads(before: ServedRequest[], during: ServedRequest[]): string[] {
  const seen = new Set(before.filter((r) => r.method === "GET").map((r) => r.path));
  const fromZero = new Map<string, number>();
  for (const r of during)
    if (r.method === "GET" && startOffset(r) === 0) fromZero.set(r.path, (fromZero.get(r.path) ?? 0) + 1);
  const wrong: string[] = [];
  for (const [path, n] of fromZero) {
    const allowed = seen.has(path) ? 0 : 1;
    if (n > allowed) wrong.push(`${path} fetched from byte 0 ${n - allowed} more time(s)`);
  }
  return wrong;
}
