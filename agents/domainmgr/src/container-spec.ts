import { createHash } from "node:crypto";
import type { ContainerCreateOptions, ContainerInspectInfo } from "@outpost/docker";
import { outpostLabels } from "@outpost/docker";
import { type DomainConfig, deviceMappingError, OutpostLabels } from "@outpost/types";

// Pure mapping between a DomainConfig and the container that runs it, and back from what the engine
// reports to what domainmgr decides on.

/** Hash of everything in a DomainConfig that changes what runs; kept as a label so a restarted
 * domainmgr knows whether an adopted container still matches its config. */
export const SPEC_LABEL = "org.outpost.domain-spec";

/** What domainmgr knows about a container from its last inspection. */
export interface Observed {
  id: string;
  name: string;
  running: boolean;
  /** Exit code of the last run (meaningful when it has run and is not running). */
  exitCode: number;
  oomKilled: boolean;
  /** The engine's own error for the last start attempt ("" when none). */
  engineError: string;
  /** ISO time, undefined when it never started. */
  startedAt: string | undefined;
  finishedAt: string | undefined;
  /** The SPEC_LABEL value the container was created with. */
  spec: string | undefined;
}

export function specHash(c: DomainConfig): string {
  const mounts = c.mounts.map((m) => [m.volume ?? null, m.hostPath ?? null, m.target, m.readOnly]);
  const env = Object.entries(c.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const spec: unknown[] = [c.version, c.image, env, mounts, c.memoryBytes, c.cpus];
  // Only when set: containers made before these existed keep their hash.
  if (c.secretEnvFile) spec.push({ secretEnvFile: c.secretEnvFile });
  // Only when there are some: a container made before network instances keeps its hash (not replaced).
  if (c.networks?.length) spec.push(c.networks);
  if (c.devices?.length) spec.push({ devices: c.devices });
  const what = JSON.stringify(spec);
  return createHash("sha256").update(what).digest("hex").slice(0, 16);
}

/** A short stable id of the node (its root), so names of several nodes on one engine never clash. */
export function nodeId(node: string): string {
  return createHash("sha256").update(node).digest("hex").slice(0, 8);
}

/** outpost-<node id>-<displayName>-<uuid8>: readable in `docker ps`, unique per node and app. */
export function containerName(node: string, c: Pick<DomainConfig, "uuid" | "displayName">): string {
  const display =
    c.displayName
      .replace(/[^a-zA-Z0-9_.-]+/g, "_")
      .replace(/^[_.-]+/, "")
      .slice(0, 40) || "app";
  const uuid8 = c.uuid.replace(/[^a-zA-Z0-9]/g, "").slice(0, 8) || "x";
  return `outpost-${nodeId(node)}-${display}-${uuid8}`;
}

/**
 * The network part of a container: the first network at create (its static IP and MAC: the engine
 * takes a MAC for the container's first endpoint only), the published ports of every adapter (the
 * engine programs them on the container's gateway network, the first one). The others are connected
 * by domainmgr after the create, before the start (`extraNetworks`). No networks: Docker's default.
 */
function networkOptions(c: DomainConfig): Partial<ContainerCreateOptions> {
  const [first] = c.networks ?? [];
  if (!first) return {};
  const ports: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const n of c.networks ?? [])
    for (const p of n.portMaps) {
      const key = `${p.appPort}/${p.protocol}`;
      exposed[key] = {};
      const bindings = ports[key] ?? [];
      bindings.push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
      ports[key] = bindings;
    }
  return {
    ...(first.mac ? { MacAddress: first.mac } : {}),
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    NetworkingConfig: {
      EndpointsConfig: {
        [first.network]: {
          ...(first.ip ? { IPAMConfig: { IPv4Address: first.ip } } : {}),
          ...(first.aliases?.length ? { Aliases: first.aliases } : {}),
        },
      },
    },
    HostConfig: {
      NetworkMode: first.network,
      ...(first.dns.length ? { Dns: first.dns } : {}),
      ...(Object.keys(ports).length ? { PortBindings: ports } : {}),
    },
  };
}

/** The networks connected after the create (adapters 2..n, in order). A MAC asked for one of them is
 * not applied (the engine's connect takes none before API 1.44): returned so the caller can say so. */
export function extraNetworks(c: DomainConfig): { network: string; ip: string; mac: string }[] {
  return (c.networks ?? []).slice(1).map((n) => ({ network: n.network, ip: n.ip, mac: n.mac }));
}

/** `secretEnv`: the clear KEY=VALUE pairs of c.secretEnvFile, read by the caller just before the
 * create (they go to the engine only, never onto the bus). */
export function createOptions(
  node: string,
  c: DomainConfig,
  secretEnv: Record<string, string> = {},
): ContainerCreateOptions {
  // Checked again here (the manager checked it first): whatever publishes a DomainConfig, a
  // container gets device nodes under /dev/ only, never a file or directory of the host.
  for (const d of c.devices ?? []) {
    const error = deviceMappingError(d);
    if (error) throw new Error(error);
  }
  const net = networkOptions(c);
  return {
    ...net,
    name: containerName(node, c),
    Image: c.image,
    Env: Object.entries({ ...c.env, ...secretEnv }).map(([k, v]) => `${k}=${v}`),
    Labels: {
      ...outpostLabels({ node, app: c.uuid, version: c.version }),
      ...(c.manager ? { [OutpostLabels.manager]: c.manager } : {}),
      ...(c.group ? { [OutpostLabels.group]: c.group } : {}),
      [SPEC_LABEL]: specHash(c),
    },
    HostConfig: {
      ...net.HostConfig,
      Mounts: c.mounts.map((m) =>
        m.volume !== undefined
          ? { Type: "volume" as const, Source: m.volume, Target: m.target, ReadOnly: m.readOnly }
          : { Type: "bind" as const, Source: m.hostPath ?? "", Target: m.target, ReadOnly: m.readOnly },
      ),
      ...(c.devices?.length
        ? {
            Devices: c.devices.map((d) => ({
              PathOnHost: d.hostPath,
              PathInContainer: d.containerPath,
              CgroupPermissions: d.permissions,
            })),
          }
        : {}),
      ...(c.memoryBytes > 0 ? { Memory: c.memoryBytes } : {}),
      ...(c.cpus > 0 ? { NanoCpus: Math.round(c.cpus * 1e9) } : {}),
      // domainmgr restarts failed apps itself (with back-off, counted in DomainStatus).
      RestartPolicy: { Name: "no" },
      LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "2" } },
    },
  };
}

const NEVER = "0001-01-01T00:00:00Z";

export function observe(i: ContainerInspectInfo): Observed {
  const s = i.State;
  const labels = i.Config?.Labels ?? {};
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ""),
    running: s.Running === true || s.Restarting === true,
    exitCode: s.ExitCode ?? 0,
    oomKilled: s.OOMKilled === true,
    engineError: s.Error ?? "",
    startedAt: s.StartedAt && !s.StartedAt.startsWith(NEVER.slice(0, 10)) ? s.StartedAt : undefined,
    finishedAt: s.FinishedAt && !s.FinishedAt.startsWith(NEVER.slice(0, 10)) ? s.FinishedAt : undefined,
    spec: labels[SPEC_LABEL],
  };
}

/** The app uuid a labelled container belongs to. */
export function appOf(labels: Record<string, string> | undefined): string | undefined {
  return labels?.[OutpostLabels.app];
}

/** KEY=VALUE lines of a secret env file (blank lines and # comments skipped). */
export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}
