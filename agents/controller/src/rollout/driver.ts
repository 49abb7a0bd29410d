// Rollouts, the driver: the one place that moves a rollout forward (README.md beside this file).
// Every tick, for each running rollout it holds the lease of, it sets the fragment on the devices of
// the current wave (once), then judges their health from what they report; all healthy -> the next
// wave; one failed, or the wave's deadline passed -> the rollout stops as failed, naming the device.
// State lives in the store (doc "rollout/<id>"), so a restarted controller carries on where it was.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { decodeConfigDoc } from "../config-doc.js";
import { matches, parseFilter } from "../inventory/filter.js";
import type { InventoryApi, Snapshot } from "../inventory/index.js";
import { DEVICE_FIELDS } from "../inventory/model.js";
import type { ControllerStore, DeviceRecord } from "../store/index.js";
import {
  decodeFragment,
  deviceHealth,
  type Fragment,
  mergeFragment,
  RolloutError,
  waveSizes,
} from "./plan.js";

export const ROLLOUT_DOC = "rollout";

/** Who may drive a rollout. One process: always this one (LocalLease). Several processes on one
 * database: a lease row there, so exactly one drives each rollout at a time. */
export interface RolloutLease {
  /** True when this process holds (or just took, or renewed) the lease of rollout `id`. */
  acquire(id: string): Promise<boolean>;
  release(id: string): Promise<void>;
}

export class LocalLease implements RolloutLease {
  async acquire(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
}

/** How long a rollout's lease lasts without renewal: the driver renews it on each tick (1 s), so a
 * process that dies hands its rollouts to another one within this. */
export const ROLLOUT_LEASE_MS = 15_000;

/**
 * Several controller processes on one shared store: the lease of rollout `id` is the store's lease
 * `rollout/<id>` (a row in PostgreSQL), held by one process at a time and renewed by it on every tick.
 */
export class StoreLease implements RolloutLease {
  constructor(
    private readonly store: Pick<ControllerStore, "acquireLease" | "releaseLease">,
    private readonly holder: string,
    private readonly ttlMs = ROLLOUT_LEASE_MS,
  ) {}
  acquire(id: string): Promise<boolean> {
    return this.store.acquireLease(`rollout/${id}`, this.holder, this.ttlMs);
  }
  release(id: string): Promise<void> {
    return this.store.releaseLease(`rollout/${id}`, this.holder);
  }
}

export type RolloutState = "running" | "paused" | "done" | "failed" | "aborted";

export interface RolloutDevice {
  uuid: string;
  serial: string;
  wave: number;
  state: "pending" | "applied" | "healthy" | "failed";
  configVersion?: number;
  configChanged?: boolean;
  waiting?: string;
  reason?: string;
}

export interface Rollout {
  id: string;
  createdAt: string;
  filter: string;
  tag: string;
  fragment: Fragment;
  waves: number[];
  deadlineS: number;
  state: RolloutState;
  /** Index of the wave being applied or judged. */
  wave: number;
  waveStartedAt?: string;
  devices: RolloutDevice[];
  failure?: { device: string; serial: string; wave: number; reason: string };
  finishedAt?: string;
}

export interface RolloutContext {
  store: ControllerStore;
  inventory: InventoryApi;
  /** Sets a device's config document (the admin API's: checked, versioned, signed). */
  setConfig: (device: DeviceRecord, doc: unknown) => Promise<{ changed: boolean; version: number }>;
  log: Logger;
  lease?: RolloutLease;
  tickMs?: number;
}

/** How often rollouts are driven, unless the controller's hidden --rollout-tick-ms says otherwise. */
export const ROLLOUT_TICK_MS = 1000;

export class RolloutDriver {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly lease: RolloutLease;

  constructor(private readonly c: RolloutContext) {
    this.lease = c.lease ?? new LocalLease();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.c.tickMs ?? ROLLOUT_TICK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Plans a rollout: the devices matching now, in waves, stored as running. */
  async create(
    input: {
      filter?: string;
      tag?: string;
      fragment: unknown;
      waves?: string;
      deadlineS?: number;
    },
    /** The devices the caller may change (the admin API: those of the caller's teams). */
    snapshot: () => Promise<Snapshot> = () => this.c.inventory.snapshot(),
  ): Promise<Rollout> {
    const fragment = decodeFragment(input.fragment);
    const filter = parseFilter(input.filter ?? "", DEVICE_FIELDS);
    const deadlineS = input.deadlineS ?? 600;
    if (!(deadlineS > 0)) throw new RolloutError("deadlineS: expected a positive number of seconds");
    const snap = await snapshot();
    const targets = snap.devices
      .filter((d) => matches(filter, d) && (!input.tag || d.tags.includes(input.tag)))
      .sort((a, b) => a.serial.localeCompare(b.serial));
    if (!targets.length) throw new RolloutError("no device matches the filter and tag");
    // Each device's document with the fragment must be valid before anything is set.
    for (const d of targets) {
      const cfg = await this.c.store.getConfig(d.uuid);
      try {
        decodeConfigDoc(mergeFragment((cfg?.doc as Record<string, unknown>) ?? {}, fragment));
      } catch (e) {
        throw new RolloutError(
          `device ${d.serial}: its config with the fragment is not valid: ${(e as Error).message}`,
        );
      }
    }
    const waves = waveSizes(input.waves ?? "1,10%,rest", targets.length);
    const devices: RolloutDevice[] = [];
    let i = 0;
    for (const [w, size] of waves.entries())
      for (let k = 0; k < size; k++, i++) {
        const d = targets[i];
        if (d) devices.push({ uuid: d.uuid, serial: d.serial, wave: w, state: "pending" });
      }
    const r: Rollout = {
      id: randomUUID().slice(0, 8),
      createdAt: new Date().toISOString(),
      filter: input.filter ?? "",
      tag: input.tag ?? "",
      fragment,
      waves,
      deadlineS,
      state: "running",
      wave: 0,
      devices,
    };
    await this.save(r);
    this.c.log.info({ rollout: r.id, devices: devices.length, waves }, "rollout created");
    return r;
  }

  async list(): Promise<Rollout[]> {
    return (await this.c.store.listDocs<Rollout>(ROLLOUT_DOC))
      .map((d) => d.value)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(id: string): Promise<Rollout | undefined> {
    return this.c.store.getDoc<Rollout>(ROLLOUT_DOC, id);
  }

  /** pause / resume / abort. */
  async control(id: string, op: "pause" | "resume" | "abort"): Promise<Rollout> {
    const r = await this.get(id);
    if (!r) throw new RolloutError(`no rollout ${id}`);
    const from = r.state;
    if (op === "pause" && from === "running") r.state = "paused";
    else if (op === "resume" && from === "paused") {
      r.state = "running";
      // The wave being judged gets its whole deadline again.
      if (r.waveStartedAt) r.waveStartedAt = new Date().toISOString();
    } else if (op === "abort" && (from === "running" || from === "paused")) {
      r.state = "aborted";
      r.finishedAt = new Date().toISOString();
    } else throw new RolloutError(`cannot ${op} a rollout that is ${from}`);
    await this.save(r);
    this.c.log.info({ rollout: id, op }, `rollout ${op}`);
    return r;
  }

  /** One pass over every running rollout. Never two at once. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        for (const r of await this.list()) {
          if (r.state !== "running") continue;
          if (!(await this.lease.acquire(r.id))) continue;
          try {
            await this.step(r);
          } catch (e) {
            this.c.log.error({ err: e, rollout: r.id }, "rollout step failed; retried next tick");
          }
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async step(r: Rollout): Promise<void> {
    const wave = r.devices.filter((d) => d.wave === r.wave);
    // Apply the wave once.
    if (!r.waveStartedAt) {
      r.waveStartedAt = new Date().toISOString();
      for (const d of wave) {
        const device = await this.c.store.getDevice(d.uuid);
        if (!device) {
          this.fail(r, d, "the device was removed");
          break;
        }
        const cfg = await this.c.store.getConfig(d.uuid);
        try {
          const res = await this.c.setConfig(
            device,
            mergeFragment((cfg?.doc as Record<string, unknown>) ?? {}, r.fragment),
          );
          d.state = "applied";
          d.configVersion = res.version;
          d.configChanged = res.changed;
        } catch (e) {
          this.fail(r, d, `config not set: ${(e as Error).message}`);
          break;
        }
      }
      this.c.log.info({ rollout: r.id, wave: r.wave, devices: wave.length }, "rollout wave applied");
      if (r.state !== "running") return this.finish(r);
      await this.save(r);
    }
    // Judge it.
    for (const d of wave) {
      if (d.state === "healthy") continue;
      const h = deviceHealth(
        r.fragment,
        await this.c.store.listInfo(d.uuid),
        r.waveStartedAt,
        d.configChanged ?? true,
      );
      if (h.state === "healthy") {
        d.state = "healthy";
        delete d.waiting;
      } else if (h.state === "failed") {
        this.fail(r, d, h.reason);
        return this.finish(r);
      } else d.waiting = h.waiting;
    }
    if (wave.every((d) => d.state === "healthy")) {
      this.c.log.info({ rollout: r.id, wave: r.wave }, "rollout wave healthy");
      r.wave++;
      delete r.waveStartedAt;
      if (r.wave >= r.waves.length) {
        r.state = "done";
        return this.finish(r);
      }
    } else if (Date.now() - Date.parse(r.waveStartedAt) > r.deadlineS * 1000) {
      const late = wave.find((d) => d.state !== "healthy") as RolloutDevice;
      this.fail(r, late, `not healthy within ${r.deadlineS} s: waiting for ${late.waiting ?? "its report"}`);
      return this.finish(r);
    }
    await this.save(r);
  }

  private fail(r: Rollout, d: RolloutDevice, reason: string): void {
    d.state = "failed";
    d.reason = reason;
    r.state = "failed";
    r.failure = { device: d.uuid, serial: d.serial, wave: r.wave, reason };
  }

  private async finish(r: Rollout): Promise<void> {
    r.finishedAt = new Date().toISOString();
    await this.save(r);
    await this.lease.release(r.id);
    if (r.state === "failed")
      this.c.log.warn({ rollout: r.id, failure: r.failure }, "rollout stopped: a device failed");
    else this.c.log.info({ rollout: r.id, state: r.state }, "rollout finished");
  }

  private async save(r: Rollout): Promise<void> {
    // A pause or abort that landed while this step ran wins over the step's state.
    const cur = await this.c.store.getDoc<Rollout>(ROLLOUT_DOC, r.id);
    if (cur && (cur.state === "paused" || cur.state === "aborted") && r.state === "running")
      r.state = cur.state;
    await this.c.store.putDoc(ROLLOUT_DOC, r.id, r);
  }
}
