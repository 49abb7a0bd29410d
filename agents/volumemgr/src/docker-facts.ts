import type { Logger, RunWork } from "@outpost/agentbase";

// What volumemgr knows of the Docker engine: the node's image tags and Docker volumes. Read by a scan
// at start and every few ten seconds (an engine that was reset, or a tag removed by hand, is noticed);
// kept current in between by the results of volumemgr's own jobs. Loop-owned.

/** One read of the engine: the node's tags (tag -> image id) and Docker volumes. */
export interface EngineRead {
  tags: Map<string, string>;
  volumes: Set<string>;
}

export class DockerFacts {
  private tags = new Map<string, string>();
  private vols = new Set<string>();
  /** The engine has been read once: the facts are real. */
  scanned = false;
  /** Why the engine could not be read, until it first is. */
  engineError: string | undefined;
  private scanning = false;
  /** Bumped by every change of ours: a scan that overlapped one read the engine before it. */
  private epoch = 0;

  /** `changed` runs on the main loop when the facts changed (or the engine's error did). */
  constructor(
    private readonly work: RunWork,
    private readonly read: () => Promise<EngineRead>,
    private readonly describe: (error: unknown) => string,
    private readonly changed: () => void,
    private readonly log: Logger,
  ) {}

  /** The node's image tags present in the engine -> image id. */
  get images(): ReadonlyMap<string, string> {
    return this.tags;
  }

  /** The node's Docker volumes present in the engine. */
  get volumes(): ReadonlySet<string> {
    return this.vols;
  }

  /** Nothing can be planned before the engine was read, or failed to be. */
  get known(): boolean {
    return this.scanned || this.engineError !== undefined;
  }

  /** Reads the engine again, unless a read is still out (a slow engine must not pile them up). */
  scan(): void {
    if (this.scanning) return;
    this.scanning = true;
    const epoch = this.epoch;
    this.work(this.read, (r) => {
      this.scanning = false;
      if (!r.ok) {
        const err = this.describe(r.error);
        this.log.warn({ err }, "cannot read the Docker engine's images and volumes");
        if (!this.scanned) {
          this.engineError = err;
          this.changed();
        }
        return;
      }
      if (this.scanned && epoch !== this.epoch) return; // overlapped a change of ours: the next scan will do
      if (!this.scanned)
        this.log.info(
          { images: r.value.tags.size, volumes: r.value.volumes.size },
          "read the node's images and volumes from Docker",
        );
      this.tags = r.value.tags;
      this.vols = r.value.volumes;
      this.scanned = true;
      this.engineError = undefined;
      this.changed();
    });
  }

  // What our own jobs did to the engine, known before the next scan.
  imageTagged(tag: string, id: string): void {
    this.tags.set(tag, id);
  }
  imageUntagged(tag: string): void {
    this.tags.delete(tag);
  }
  volumeCreated(name: string): void {
    this.vols.add(name);
  }
  volumeRemoved(name: string): void {
    this.vols.delete(name);
  }

  /** A job of ours finished: it may have changed the engine, so a scan that is out is stale. */
  touched(): void {
    this.epoch++;
  }
}
