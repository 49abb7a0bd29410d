// The one decision function per network instance: its config (undefined once deleted), what the engine
// showed at the last listing, nim's view of the ports, and zedrouter's bookkeeping in; the new status
// and the Docker actions out. Pure: no Docker, no clock (the time is passed in).
import {
  type DeviceNetworkStatus,
  type ErrorInfo,
  makeError,
  type NetworkInstanceConfig,
  type NetworkInstanceState,
  type NetworkInstanceStatus,
  stableError,
} from "@outpost/types";
import {
  findPort,
  freeBridgeNum,
  type NetworkSpec,
  networkSpec,
  type ObservedNetwork,
  portIpv4,
} from "./network-spec.js";

/** zedrouter's bookkeeping for one instance, beyond what the engine can tell. */
export interface Memory {
  /** The engine refused to create or remove its network. */
  failure?: { description: string; at: number };
  /** When the next attempt after a failure is due (ms since the epoch). */
  retryAt?: number;
  attempts: number;
  /** ms since the epoch it last went ONLINE. */
  onlineSince?: number;
}

export const freshMemory = (): Memory => ({ attempts: 0 });

export interface UpdateInput {
  uuid: string;
  node: string;
  config: NetworkInstanceConfig | undefined;
  /** undefined: the engine has not been listed (yet, or it does not answer); null: no network. */
  network: ObservedNetwork | null | undefined;
  /** Further networks labelled with this instance (a create repeated by hand, or a crash between the
   * engine's create and its answer): removed once no app uses them. */
  duplicates?: readonly ObservedNetwork[];
  /** nim's DeviceNetworkStatus; undefined when nim does not run. */
  dns: DeviceNetworkStatus | undefined;
  /** Bridge numbers of every network of the engine (a new bridge takes the lowest free one). */
  bridgeNums: readonly number[];
  mem: Memory;
  prev: NetworkInstanceStatus | undefined;
  now: number;
  /** A Docker action for this instance is in flight. */
  busy: boolean;
  /** zedagent's table is complete (it said restarted) or this run saw this config: a network without
   * config may be removed. */
  configsComplete: boolean;
  /** Why the engine cannot be listed. */
  engineError?: string | undefined;
  /** Back-off delay before attempt n after a failure. */
  retryDelay: (attempts: number) => number;
}

export type Action =
  | { kind: "create"; spec: NetworkSpec; bridgeNum: number }
  | { kind: "remove"; id: string; name: string }
  | { kind: "wakeAt"; at: number };

export interface UpdateResult {
  /** undefined: no status (deleted, or nothing to say). */
  status: NetworkInstanceStatus | undefined;
  mem: Memory;
  actions: Action[];
}

export function update(i: UpdateInput): UpdateResult {
  const r = decide(i);
  if (!i.busy)
    for (const d of i.duplicates ?? [])
      if (d.users.length === 0) r.actions.push({ kind: "remove", id: d.id, name: d.name });
  return r;
}

function decide(i: UpdateInput): UpdateResult {
  const mem: Memory = { ...i.mem };
  const actions: Action[] = [];
  const net = i.network;
  const cfg = i.config;
  const source = (name: string) => ({ type: "NetworkInstance", id: i.uuid, name });

  if (!cfg) {
    if (net === undefined || !i.configsComplete || i.busy) return { status: i.prev, mem, actions };
    if (net === null) return { status: undefined, mem: freshMemory(), actions };
    if (net.users.length > 0) {
      // Removed from the config, still used: it goes once the last app has let go of it.
      const apps = [...new Set(net.users.map((u) => u.app))].sort();
      const status: NetworkInstanceStatus = {
        ...(i.prev ?? blank(i.uuid, net)),
        heldBy: apps,
        ipAssignments: assignments(net),
      };
      return { status, mem, actions };
    }
    if (mem.failure) {
      // The engine refused the removal: shown on the status, retried after the back-off.
      if (mem.retryAt === undefined) {
        mem.retryAt = i.now + i.retryDelay(mem.attempts);
        mem.attempts++;
      }
      if (i.now < mem.retryAt) {
        actions.push({ kind: "wakeAt", at: mem.retryAt });
        const error = makeError(mem.failure.description, {
          source: { type: "NetworkInstance", id: i.uuid, name: i.prev?.displayName ?? net.name },
          retryCondition: `retrying at ${new Date(mem.retryAt).toISOString()}`,
          now: new Date(mem.failure.at),
        });
        const status = { ...(i.prev ?? blank(i.uuid, net)), state: "ERROR" as const, activated: false };
        return { status: { ...status, error: stableError(i.prev?.error, error) }, mem, actions };
      }
      delete mem.retryAt;
    }
    actions.push({ kind: "remove", id: net.id, name: net.name });
    return { status: i.prev, mem, actions };
  }

  const port = findPort(i.dns, cfg.port);
  const uplink = portIpv4(port);
  const make = (state: NetworkInstanceState, error?: ErrorInfo): NetworkInstanceStatus => {
    const s: NetworkInstanceStatus = {
      uuid: i.uuid,
      version: cfg.version,
      displayName: cfg.displayName,
      kind: cfg.kind,
      state,
      activated: state === "ONLINE",
      dockerNetwork: net?.name ?? "",
      bridgeName: net?.bridgeName ?? "",
      bridgeNum: net?.bridgeNum ?? 0,
      bridgeIp: cfg.kind === "local" ? (net?.gateway ?? "") : "",
      subnet: net?.subnet ?? "",
      mtu: cfg.mtu || 1500,
      dns: cfg.dns,
      uplink: port?.ifname ?? (cfg.kind === "switch" ? cfg.port : ""),
      uplinkAddr: uplink?.addr ?? "",
      ipAssignments: net ? assignments(net) : [],
      heldBy: [],
    };
    if (state === "ONLINE" && mem.onlineSince !== undefined)
      s.onlineSince = new Date(mem.onlineSince).toISOString();
    if (error) s.error = stableError(i.prev?.error, error);
    return s;
  };
  const err = (description: string, retryCondition: string, at = i.now) =>
    makeError(description, { source: source(cfg.displayName), retryCondition, now: new Date(at) });

  const planned = networkSpec(i.node, cfg, i.dns);
  if (!planned.ok) {
    delete mem.onlineSince;
    return {
      status: make(
        planned.waitForNim ? "INIT" : "ERROR",
        err(planned.error, planned.waitForNim ? "waiting for nim to report the port" : "fix the config"),
      ),
      mem,
      actions,
    };
  }
  const spec = planned.spec;

  if (net === undefined) {
    delete mem.onlineSince;
    return {
      status: make("INIT", i.engineError ? err(i.engineError, "waiting for the Docker engine") : undefined),
      mem,
      actions,
    };
  }
  if (i.busy) return { status: i.prev ?? make("INIT"), mem, actions };

  const failed = (): UpdateResult | undefined => {
    if (!mem.failure) return undefined;
    if (mem.retryAt === undefined) {
      mem.retryAt = i.now + i.retryDelay(mem.attempts);
      mem.attempts++;
    }
    const e = err(
      mem.failure.description,
      `retrying at ${new Date(mem.retryAt).toISOString()}`,
      mem.failure.at,
    );
    if (i.now < mem.retryAt) {
      actions.push({ kind: "wakeAt", at: mem.retryAt });
      return { status: make("ERROR", e), mem, actions };
    }
    delete mem.retryAt;
    return undefined;
  };

  if (net === null) {
    delete mem.onlineSince;
    const waiting = failed();
    if (waiting) return waiting;
    const status = make(
      mem.failure ? "ERROR" : "INIT",
      mem.failure ? err(mem.failure.description, "retrying now", mem.failure.at) : undefined,
    );
    actions.push({ kind: "create", spec, bridgeNum: freeBridgeNum(i.bridgeNums) });
    return { status, mem, actions };
  }

  if (net.spec !== spec.hash) {
    delete mem.onlineSince;
    if (net.users.length > 0) {
      const apps = [...new Set(net.users.map((u) => u.app))].sort();
      return {
        status: make(
          "ERROR",
          err(
            `the instance's addressing changed (${net.subnet} -> ${spec.subnet}): its network is recreated once no app is attached (${apps.length} still are)`,
            "remove the apps' adapters on this instance, or restore its old addressing",
          ),
        ),
        mem,
        actions,
      };
    }
    const waiting = failed();
    if (waiting) return waiting;
    actions.push({ kind: "remove", id: net.id, name: net.name });
    return { status: make("INIT"), mem, actions };
  }

  delete mem.failure;
  delete mem.retryAt;
  mem.attempts = 0;
  mem.onlineSince ??= i.now;
  return { status: make("ONLINE"), mem, actions };
}

function assignments(net: ObservedNetwork) {
  return [...net.users]
    .sort((a, b) => a.app.localeCompare(b.app) || a.name.localeCompare(b.name))
    .map((u) => ({ app: u.app, vifName: u.name, mac: u.mac, ips: u.ip ? [u.ip] : [] }));
}

function blank(uuid: string, net: ObservedNetwork): NetworkInstanceStatus {
  return {
    uuid,
    version: "",
    displayName: "",
    kind: "local",
    state: "ONLINE",
    activated: true,
    dockerNetwork: net.name,
    bridgeName: net.bridgeName,
    bridgeNum: net.bridgeNum,
    bridgeIp: net.gateway,
    subnet: net.subnet,
    mtu: 0,
    dns: [],
    uplink: "",
    uplinkAddr: "",
    ipAssignments: [],
    heldBy: [],
  };
}
