// The planner: from the edge apps mqttagent holds (manifest + what the manager last asked for) and
// zedmanager's AppInstanceStatus, the config tables it publishes for the app machinery, with the
// modules started in pipeline order and stopped in reverse. Pure: no I/O, no clock.
import { createHash } from "node:crypto";
import { type Manifest, type Module, moduleDevices } from "@outpost/mqttedge";
import type {
  AppInstanceConfig,
  AppInstanceStatus,
  ContentTreeConfig,
  DatastoreConfig,
  NetworkInstanceConfig,
  VolumeConfig,
} from "@outpost/types";

/** What the manager last asked for: running (deploy/resume), stopped, undeployed (containers gone,
 * images kept), removed (everything gone, then the app is forgotten). */
export type Desired = "running" | "stopped" | "undeployed" | "removed";

export interface EdgeApp {
  /** As received: secret parameters still encrypted. */
  manifest: Manifest;
  desired: Desired;
  /** The app's private network (a /24 of the pool), kept for its life. */
  subnet: string;
}

export interface PlanInput {
  nodeId: string;
  apps: ReadonlyMap<string, EdgeApp>;
  /** zedmanager's AppInstanceStatus, by app instance uuid. */
  statuses: ReadonlyMap<string, AppInstanceStatus>;
  /** mqttagent's AppInstanceConfig as published now (activation is sticky: never re-sequenced). */
  published: ReadonlyMap<string, AppInstanceConfig>;
  /** The 0600 file holding a module's decrypted secret parameters, by app instance uuid. */
  secretFiles: ReadonlyMap<string, string>;
}

export interface Tables {
  apps: Map<string, AppInstanceConfig>;
  networks: Map<string, NetworkInstanceConfig>;
  datastores: Map<string, DatastoreConfig>;
  contentTrees: Map<string, ContentTreeConfig>;
  volumes: Map<string, VolumeConfig>;
  /** Content trees volumemgr keeps loaded for mqttagent itself (ContentTreeRef): every image of an edge
   * app that is not being removed, running or not. Not only the undeployed apps': a ref dropped at a
   * redeploy, before zedmanager holds the new volume refs, lets volumemgr collect the image in between,
   * and the redeploy downloads and loads it again (and fails if the datastore is unreachable). */
  keptTrees: Set<string>;
  /** Edge apps whose removal is complete: forget them. */
  forget: string[];
}

/** A UUID-shaped id derived from its parts: the same app, module or image always gets the same id,
 * across restarts of mqttagent, so nothing is duplicated. */
export function stableUuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const moduleUuid = (nodeId: string, appId: string, module: string) =>
  stableUuid("mqtt-app", nodeId, appId, module);
export const networkUuid = (nodeId: string, appId: string) => stableUuid("mqtt-net", nodeId, appId);

function imageKey(m: Module): string {
  const i = m.image;
  return i.url !== undefined ? `url ${i.url} ${i.sha256}` : `oci ${i.registry} ${i.name} ${i.insecure}`;
}

function datastoreOf(m: Module): DatastoreConfig {
  const i = m.image;
  if (i.url !== undefined) {
    const u = new URL(i.url);
    const type = u.protocol === "https:" ? "https" : "http";
    return {
      ...blankDatastore,
      id: stableUuid("mqtt-ds", type, u.host),
      type,
      fqdn: `${u.protocol}//${u.host}`,
    };
  }
  return {
    ...blankDatastore,
    id: stableUuid("mqtt-ds", "registry", i.registry ?? "", String(i.insecure)),
    type: "registry",
    fqdn: i.registry ?? "",
    insecure: i.insecure,
  };
}
const blankDatastore = { path: "", username: "", password: "", caCertsPem: [], insecure: false };

function treeOf(m: Module, ds: DatastoreConfig): ContentTreeConfig {
  const i = m.image;
  const digest = i.name?.includes("@sha256:") ? (i.name.split("@sha256:")[1] ?? "") : "";
  const relativeUrl = i.url !== undefined ? new URL(i.url).pathname.replace(/^\//, "") : (i.name ?? "");
  return {
    id: stableUuid("mqtt-tree", imageKey(m)),
    datastoreId: ds.id,
    relativeUrl,
    format: "CONTAINER",
    sha256: i.url !== undefined ? i.sha256 : digest,
    maxSizeBytes: 0,
    displayName: i.url !== undefined ? relativeUrl : (i.name ?? ""),
    generation: 0,
  };
}

/** The pipeline wiring every module gets (README, "Pipeline wiring"): who it is, where it listens,
 * and where its output goes (the next module by name on the app's network; none for the last). */
export function wiringEnv(manifest: Manifest, index: number): Record<string, string> {
  const self = manifest.modules[index] as Module;
  const next = manifest.modules[index + 1];
  return {
    EDGE_APP_ID: manifest.id,
    MODULE_NAME: self.name,
    MODULE_INDEX: String(index),
    // Where the module listens inside its own container: every address of the container's network
    // namespace, i.e. its interface on the edge app's private network (the previous module connects by
    // name there). Nothing of the host listens on it; a module port reaches the host only through a
    // port mapping the manifest asks for.
    INGRESS_HOST: "0.0.0.0",
    INGRESS_PORT: String(self.ingressPort),
    EGRESS_HOST: next?.name ?? "",
    EGRESS_PORT: next ? String(next.ingressPort) : "",
    EGRESS_URLS: next ? `http://${next.name}:${next.ingressPort}/` : "",
  };
}

function userData(env: Record<string, string>): string {
  const lines = Object.entries(env).map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, " ")}`);
  return Buffer.from(`${lines.join("\n")}\n`).toString("base64");
}

const RUNNING = "RUNNING";
/** Not running any more (or never started): a stop may go on to the module before it. */
const gone = (s: AppInstanceStatus | undefined) =>
  !s || (s.state !== "RUNNING" && s.state !== "HALTING" && s.state !== "BOOTING");

export function plan(input: PlanInput): Tables {
  const t: Tables = {
    apps: new Map(),
    networks: new Map(),
    datastores: new Map(),
    contentTrees: new Map(),
    volumes: new Map(),
    keptTrees: new Set(),
    forget: [],
  };
  for (const [appId, app] of input.apps) {
    const m = app.manifest;
    const uuids = m.modules.map((mod) => moduleUuid(input.nodeId, appId, mod.name));
    const net = networkUuid(input.nodeId, appId);
    // Images: kept while the app exists (running, stopped or undeployed); gone with `remove`.
    if (app.desired !== "removed")
      for (const mod of m.modules) {
        const ds = datastoreOf(mod);
        const tree = treeOf(mod, ds);
        t.datastores.set(ds.id, ds);
        t.contentTrees.set(tree.id, tree);
        t.keptTrees.add(tree.id);
      }
    const statuses = uuids.map((u) => input.statuses.get(u));
    if (app.desired === "undeployed" || app.desired === "removed") {
      // Stop in reverse, then withdraw the apps (their containers go; zedmanager releases volumes).
      const anyPublished = uuids.some((u) => input.published.has(u));
      const allHalted = statuses.every(gone);
      if (anyPublished && !allHalted) {
        addModules(t, input, appId, app, net, "stop");
      } else if (anyPublished || statuses.some(Boolean)) {
        // Withdrawn: waiting for zedmanager to delete the statuses (containers and refs released).
      } else if (app.desired === "removed") t.forget.push(appId);
      if (anyPublished || statuses.some(Boolean)) t.networks.set(net, networkOf(net, appId, app));
      continue;
    }
    t.networks.set(net, networkOf(net, appId, app));
    addModules(t, input, appId, app, net, app.desired === "running" ? "start" : "stop");
  }
  return t;
}

function networkOf(uuid: string, appId: string, app: EdgeApp): NetworkInstanceConfig {
  return {
    uuid,
    version: "0",
    displayName: `edgeapp-${appId}`.slice(0, 40),
    kind: "local",
    activate: true,
    port: "",
    subnet: app.subnet,
    gateway: "",
    dhcpRangeStart: "",
    dhcpRangeEnd: "",
    dns: [],
    mtu: 0,
  };
}

/** Every module's AppInstanceConfig, with `activate` sequenced: starting, module i is activated once
 * module i-1 is RUNNING; stopping, module i is deactivated once every later module is halted. */
function addModules(
  t: Tables,
  input: PlanInput,
  appId: string,
  app: EdgeApp,
  net: string,
  direction: "start" | "stop",
): void {
  const m = app.manifest;
  const uuids = m.modules.map((mod) => moduleUuid(input.nodeId, appId, mod.name));
  const activate: boolean[] = [];
  if (direction === "start") {
    for (let i = 0; i < uuids.length; i++) {
      const already = input.published.get(uuids[i] as string)?.activate === true;
      const prevUp =
        i === 0 ||
        (activate[i - 1] === true && input.statuses.get(uuids[i - 1] as string)?.state === RUNNING);
      activate.push(already || prevUp);
    }
  } else {
    for (let i = uuids.length - 1; i >= 0; i--) {
      const wasOn = input.published.get(uuids[i] as string)?.activate === true;
      const laterDown = uuids.slice(i + 1).every((u) => gone(input.statuses.get(u)));
      activate[i] = wasOn && !laterDown;
    }
  }
  for (const [i, mod] of m.modules.entries()) {
    const uuid = uuids[i] as string;
    const ds = datastoreOf(mod);
    const tree = treeOf(mod, ds);
    t.datastores.set(ds.id, ds);
    t.contentTrees.set(tree.id, tree);
    const imageVolume = stableUuid("mqtt-img", input.nodeId, appId, mod.name, imageKey(mod));
    t.volumes.set(`${imageVolume}#0`, {
      id: imageVolume,
      generation: 0,
      origin: "download",
      contentTreeId: tree.id,
      maxSizeBytes: 0,
      readOnly: false,
      displayName: `${appId}.${mod.name} image`,
    });
    const refs = [{ volumeId: imageVolume, generation: 0, mountDir: "" }];
    for (const mt of mod.mounts) {
      const vol = stableUuid("mqtt-vol", input.nodeId, appId, mt.volume);
      t.volumes.set(`${vol}#0`, {
        id: vol,
        generation: 0,
        origin: "blank",
        contentTreeId: "",
        maxSizeBytes: 0,
        readOnly: false,
        displayName: `${appId}.${mt.volume}`,
      });
      refs.push({ volumeId: vol, generation: 0, mountDir: mt.path });
    }
    const secretFile = input.secretFiles.get(uuid);
    t.apps.set(uuid, {
      uuid,
      version: String(m.version),
      displayName: `${appId}.${mod.name}`,
      activate: activate[i] === true,
      resources: { memoryKiB: mod.memoryMiB * 1024, vcpus: mod.cpus },
      volumeRefs: refs,
      restart: { counter: 0 },
      purge: { counter: 0 },
      userData: userData({ ...mod.env, ...wiringEnv(m, i) }),
      startDelaySeconds: 0,
      interfaces: [
        {
          name: "edgeapp",
          network: net,
          ip: "",
          mac: "",
          portMaps: mod.ports.map((p) => ({ protocol: p.protocol, port: p.host, appPort: p.container })),
          aliases: [mod.name],
        },
      ],
      group: { id: appId, name: m.name, order: i },
      ...(secretFile ? { secretEnvFile: secretFile } : {}),
      ...(mod.devices.length ? { devices: moduleDevices(mod) } : {}),
    });
  }
}
