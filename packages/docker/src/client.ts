import type { Readable } from "node:stream";
import { sleep } from "@outpost/primitives";
import { OutpostLabels } from "@outpost/types";
import Docker from "dockerode";
import {
  DockerUnavailableError,
  dockerErrorMessage,
  isConflict,
  isNotFound,
  isNotModified,
} from "./errors.js";
import { labelFilter, nodeFilter } from "./labels.js";
import { type ContainerUsage, type RawStats, usageFromStats } from "./stats.js";

export type ContainerCreateOptions = Docker.ContainerCreateOptions;
export type ContainerInfo = Docker.ContainerInfo;
export type ContainerInspectInfo = Docker.ContainerInspectInfo;
export type VolumeInfo = { Name: string; Labels: Record<string, string> | null; Mountpoint: string };
export type ImageInfo = Docker.ImageInfo;
export type NetworkInfo = Docker.NetworkInspectInfo;
export type NetworkCreateOptions = Docker.NetworkCreateOptions;

/** One engine event, as the engine sends it (only the fields Outpost reads are typed). */
export interface DockerEvent {
  Type: string;
  /** die, start, oom, destroy, create, stop, kill, ... */
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano?: number;
}

export interface DockerClientOptions {
  /** e.g. "unix:///var/run/docker.sock" or "tcp://127.0.0.1:2375"; default DOCKER_HOST, then the socket. */
  host?: string;
}

function modemOptions(host: string | undefined): { endpoint: string; opts: Docker.DockerOptions } {
  const h = host ?? process.env.DOCKER_HOST;
  if (!h) return { endpoint: "unix:///var/run/docker.sock", opts: { socketPath: "/var/run/docker.sock" } };
  if (h.startsWith("unix://")) return { endpoint: h, opts: { socketPath: h.slice("unix://".length) } };
  if (h.startsWith("/")) return { endpoint: `unix://${h}`, opts: { socketPath: h } };
  const u = new URL(h.replace(/^tcp:/, "http:"));
  return { endpoint: h, opts: { host: u.hostname, port: Number(u.port || 2375), protocol: "http" } };
}

/**
 * Outpost's access to the Docker engine, shared by volumemgr and domainmgr. Built once in an agent's
 * composition root and passed in. Every method is a network call: agents call them from ctx.work,
 * never on the main loop. "Already in that state" answers (304, 404 on removal) are successes, so
 * callers can retry any step idempotently.
 */
export class DockerClient {
  readonly docker: Docker;
  readonly endpoint: string;

  constructor(o: DockerClientOptions = {}) {
    const { endpoint, opts } = modemOptions(o.host);
    this.endpoint = endpoint;
    this.docker = new Docker(opts);
  }

  /** Resolves when the engine answers; throws DockerUnavailableError (a clear sentence) otherwise. */
  async ping(timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.docker.ping(), timeout]);
    } catch (e) {
      throw new DockerUnavailableError(this.endpoint, e);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits (bounded) for the engine to answer: at agent start dockerd may still be coming up. */
  async waitReady(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.ping(Math.min(5000, Math.max(500, deadline - Date.now())));
      } catch (e) {
        if (Date.now() >= deadline || signal?.aborted) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  // ---- listing by label ----

  /** Containers (running or not) carrying all of `labels`. */
  listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: labelFilter(labels) } });
  }

  /** Every container this node owns. */
  listNodeContainers(node: string): Promise<ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: nodeFilter(node) } });
  }

  async listVolumes(labels: Record<string, string>): Promise<VolumeInfo[]> {
    const r = await this.docker.listVolumes({ filters: { label: labelFilter(labels) } });
    return (r.Volumes ?? []) as VolumeInfo[];
  }

  listImages(labels: Record<string, string>): Promise<ImageInfo[]> {
    return this.docker.listImages({ all: false, filters: { label: labelFilter(labels) } });
  }

  // ---- images ----

  /** `docker load` of a tar stream (a `docker save` archive or an assembled OCI layout); returns the
   * loaded image id ("sha256:..."). The stream is consumed; a rejected archive throws the engine's error. */
  async loadImage(tar: Readable): Promise<string> {
    const res = (await this.docker.loadImage(tar, { quiet: true })) as unknown as Readable;
    let text = "";
    for await (const chunk of res) text += chunk.toString();
    const ids: string[] = [];
    const refs: string[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let msg: { stream?: string; error?: string; errorDetail?: { message?: string } };
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      if (msg.error || msg.errorDetail)
        throw new Error(`docker load: ${msg.errorDetail?.message ?? msg.error}`);
      const s = msg.stream?.trim() ?? "";
      const byId = /^Loaded image ID: (\S+)$/.exec(s);
      const byRef = /^Loaded image: (\S+)$/.exec(s);
      if (byId?.[1]) ids.push(byId[1]);
      else if (byRef?.[1]) refs.push(byRef[1]);
    }
    if (ids[0]) return ids[0];
    if (refs[0]) return (await this.docker.getImage(refs[0]).inspect()).Id;
    throw new Error(
      `docker load: the engine reported no loaded image (${text.trim().slice(0, 200) || "empty answer"})`,
    );
  }

  /** The image's id, or undefined when the engine does not have it. */
  async imageId(ref: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(ref).inspect()).Id;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  // Docker cannot label an image once it is loaded (labels live in the image config, whose digest is
  // the image id), so an owner holds an image through tags under a repository of its own: dropping
  // its tag deletes the image only when no other tag and no container still hold it.

  /** The tags under `repo` ("outpost/node-abc") present in the engine -> image id ("sha256:..."). */
  async listRepoTags(repo: string): Promise<Map<string, string>> {
    const images = await this.docker.listImages({ all: false, filters: { reference: [repo] } });
    const out = new Map<string, string>();
    for (const img of images)
      for (const ref of img.RepoTags ?? [])
        if (ref.startsWith(`${repo}:`)) out.set(ref.slice(repo.length + 1), img.Id);
    return out;
  }

  /** Removes one tag ("repo:tag"), never forced. True when the tag is gone (or was), false when the
   * engine refuses because a container still uses the image and this is its last tag. */
  async removeTag(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).remove({ force: false, noprune: false });
      return true;
    } catch (e) {
      if (isNotFound(e)) return true;
      if (isConflict(e)) return false;
      throw e;
    }
  }

  /** Removes the image when nothing else holds it: no container (running or not) and no second tag
   * (another node on the same engine may hold the same image under its own tag). Never forced.
   * Returns whether it is gone (true also when it was already gone). */
  async removeImageIfUnused(id: string): Promise<boolean> {
    const users = await this.docker.listContainers({ all: true, filters: { ancestor: [id] } });
    if (users.length > 0) return false;
    try {
      await this.docker.getImage(id).remove({ force: false, noprune: false });
      return true;
    } catch (e) {
      if (isNotFound(e)) return true;
      // In use by a container created meanwhile, or referenced by several tags.
      if (isConflict(e)) return false;
      throw e;
    }
  }

  // ---- volumes ----

  /** Creates (or finds: creation is idempotent in the engine) a named volume with these labels. */
  async createVolume(name: string, labels: Record<string, string>): Promise<VolumeInfo> {
    const v = (await this.docker.createVolume({ Name: name, Labels: labels })) as unknown as VolumeInfo;
    return v;
  }

  async inspectVolume(name: string): Promise<VolumeInfo | undefined> {
    try {
      return (await this.docker.getVolume(name).inspect()) as unknown as VolumeInfo;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Removes the volume; true when it is gone, false when a container still uses it (409). */
  async removeVolume(name: string): Promise<boolean> {
    try {
      await this.docker.getVolume(name).remove();
      return true;
    } catch (e) {
      if (isNotFound(e)) return true;
      if (isConflict(e)) return false;
      throw e;
    }
  }

  // ---- containers ----

  /** Creates a container; returns its id. */
  async createContainer(opts: ContainerCreateOptions): Promise<string> {
    const c = await this.docker.createContainer(opts);
    return c.id;
  }

  /** Starts it; already running is fine. */
  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (e) {
      if (!isNotModified(e)) throw e;
    }
  }

  /** Stops it (SIGTERM, then SIGKILL after `timeoutS`); already stopped is fine. */
  async stopContainer(id: string, timeoutS = 10): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: timeoutS });
    } catch (e) {
      if (!isNotModified(e)) throw e;
    }
  }

  /** Restarts it (stop, then start). */
  async restartContainer(id: string, timeoutS = 10): Promise<void> {
    await this.docker.getContainer(id).restart({ t: timeoutS });
  }

  /** Removes it, running or not, with its anonymous volumes; already gone is fine. */
  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (e) {
      // 409 "removal already in progress" also ends with the container gone.
      if (!isNotFound(e) && !(isConflict(e) && /already in progress/i.test(dockerErrorMessage(e)))) throw e;
    }
  }

  /** Its inspect data, or undefined when no such container exists. */
  async inspectContainer(id: string): Promise<ContainerInspectInfo | undefined> {
    try {
      return await this.docker.getContainer(id).inspect();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** One CPU/memory sample (takes about a second: the engine needs two readings for a rate). */
  async containerStats(id: string): Promise<ContainerUsage> {
    const raw = (await this.docker.getContainer(id).stats({ stream: false })) as unknown as RawStats;
    return usageFromStats(raw);
  }

  // ---- networks (zedrouter's network instances; domainmgr attaches containers) ----

  /** Networks carrying all of `labels`; every network of the engine when `labels` is empty. */
  listNetworks(labels: Record<string, string> = {}): Promise<NetworkInfo[]> {
    const label = labelFilter(labels);
    return this.docker.listNetworks(label.length ? { filters: { label } } : {});
  }

  /** Creates a network; returns its id. */
  async createNetwork(opts: NetworkCreateOptions): Promise<string> {
    const n = await this.docker.createNetwork(opts);
    return n.id;
  }

  /** Removes it; already gone is fine. The engine refuses (403/409) while a running container uses it. */
  async removeNetwork(id: string): Promise<void> {
    try {
      await this.docker.getNetwork(id).remove();
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Attaches a (created, not necessarily running) container to a network, with a static IPv4
   * address when given. Already attached is fine. */
  async connectNetwork(network: string, container: string, ipv4?: string): Promise<void> {
    try {
      await this.docker.getNetwork(network).connect({
        Container: container,
        ...(ipv4 ? { EndpointConfig: { IPAMConfig: { IPv4Address: ipv4 } } } : {}),
      });
    } catch (e) {
      if (!/already exists in network|is already connected/i.test(dockerErrorMessage(e))) throw e;
    }
  }

  // ---- events ----

  /**
   * Follows the engine's container events for this node's containers until `signal` aborts,
   * reconnecting after the engine goes away. `onConnected` runs after each (re)connection: events
   * sent while disconnected are lost, so the caller re-reads the containers then.
   */
  async watchContainerEvents(
    node: string,
    signal: AbortSignal,
    onEvent: (e: DockerEvent) => void,
    onConnected: () => void = () => {},
    onError: (err: unknown) => void = () => {},
  ): Promise<void> {
    let delay = 250;
    while (!signal.aborted) {
      try {
        const stream = (await this.docker.getEvents({
          filters: { type: ["container"], label: nodeFilter(node) },
          abortSignal: signal,
        } as Docker.GetEventsOptions)) as unknown as Readable;
        delay = 250;
        onConnected();
        const stop = () => stream.destroy();
        signal.addEventListener("abort", stop, { once: true });
        try {
          let buf = "";
          for await (const chunk of stream) {
            buf += chunk.toString();
            for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              try {
                onEvent(JSON.parse(line) as DockerEvent);
              } catch (err) {
                onError(err);
              }
            }
          }
        } finally {
          signal.removeEventListener("abort", stop);
        }
        if (!signal.aborted) onError(new Error("Docker event stream ended"));
      } catch (err) {
        if (signal.aborted) break;
        onError(err);
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

export const APP_LABEL = OutpostLabels.app;
