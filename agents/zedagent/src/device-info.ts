import type {
  BaseOsStatus,
  ConfigItemValueMap,
  DeviceNetworkStatus,
  DevicePortConfigList,
  NodeAgentStatus,
} from "@outpost/types";
import { bootTimeIso, deviceFacts, restartCounter } from "./device-facts.js";
import { configItemStatus, deviceInfo, encodeInfo, type Lifecycle } from "./info.js";
import { LoopTimer } from "./loop-timer.js";
import { networkInfo, ntpSourcesInfo } from "./port-info.js";
import type { ReportQueue } from "./report-queue.js";
import type { StatusBoard } from "./status-board.js";
import type { UnitContext } from "./unit-context.js";

export interface DeviceInfoOptions extends UnitContext {
  board: StatusBoard;
  queue: ReportQueue;
  root: string;
  /** persist/zedagent/ (restart.json) */
  persistDir: string;
  rebootCounter: () => number;
  shutdownCounter: () => number;
  /** nodeagent's NodeAgentStatus, when nodeagent runs. */
  node: () => NodeAgentStatus | undefined;
  /** baseosmgr's slots, when baseosmgr runs. */
  slots: () => BaseOsStatus[];
  periodMs: () => number;
  /** The config items in force (ZInfoDevice configItemStatus), once a config was applied. */
  configItems?: () => ConfigItemValueMap | undefined;
  /** nim's ports and DPC list (ZInfoDevice network, systemAdapter, dns), when nim runs. */
  network?: () => { status: DeviceNetworkStatus | undefined; list: DevicePortConfigList | undefined };
}

export class DeviceInfo {
  private uuid = "";
  private lastJson = "";
  private lastNtpJson = "";
  private running = false;
  private again = false;
  private readonly timer: LoopTimer;

  constructor(private readonly o: DeviceInfoOptions) {
    this.timer = new LoopTimer(o.loop, () => {
      this.check();
      this.timer.arm(o.periodMs);
    });
  }

  start(uuid: string): void {
    this.uuid = uuid;
    this.check();
    this.timer.arm(this.o.periodMs);
  }

  retime(): void {
    this.timer.retime();
  }

  stop(): void {
    this.timer.cancel();
  }

  /** Gathers the facts again; one gathering at a time (the restart counter file has one writer). */
  check(): void {
    if (!this.uuid) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const rebootCounter = this.o.rebootCounter();
    const node = this.o.node();
    const slots = this.o.slots();
    const net = this.o.network?.();
    const items = configItemStatus(this.o.configItems?.());
    // nodeagent owns the life cycle; without it, only what zedagent knows itself (no reboot reason,
    // and maintenance mode not reported as on: nothing would halt the apps).
    const life: Lifecycle = node
      ? {
          state: node.state,
          bootReason: node.bootReason,
          lastRebootReason: node.lastRebootReason,
          ...(node.lastRebootTime ? { lastRebootTime: node.lastRebootTime } : {}),
          shutdownConfigCounter: this.o.shutdownCounter(),
          rebootInProgress: node.rebootInProgress,
          maintenanceMode: node.maintenanceMode,
        }
      : {
          state: "ONLINE",
          shutdownConfigCounter: this.o.shutdownCounter(),
          rebootInProgress: false,
          maintenanceMode: false,
        };
    const { root, persistDir } = this.o;
    this.o.work(
      async () => {
        const restarts = restartCounter(persistDir, bootTimeIso());
        // A node restarted by nodeagent's node-restart backend keeps the machine's boot time: nodeagent's
        // count of node boots is the one that means "restarts" then.
        const counter = node ? node.restartCounter : restarts.counter;
        return { restarts, facts: { ...deviceFacts(root, counter, rebootCounter, life), slots } };
      },
      async (r) => {
        this.running = false;
        if (!r.ok) this.o.log.warn({ err: (r.error as Error).message }, "cannot gather the device facts");
        else {
          const { restarts, facts } = r.value;
          if (restarts.error !== undefined && restarts.error !== this.o.board.current.restartCounterError) {
            this.o.log.error({ error: restarts.error }, "restart counter record is corrupt");
            await this.o.board.set({ restartCounterError: restarts.error });
          }
          // nim's part: without its changing updatedAt, so an unchanged network sends nothing.
          const netInfo = networkInfo(net?.status, net?.list);
          const json = JSON.stringify({ facts, netInfo, items });
          if (json !== this.lastJson) {
            this.lastJson = json;
            const msg = deviceInfo(this.uuid, facts);
            Object.assign(msg.dinfo, netInfo);
            if (items) Object.assign(msg.dinfo, { configItemStatus: items });
            await this.o.queue.put("device", encodeInfo(msg), {
              hostname: facts.hostname,
            });
          }
        }
        // nim's time sync, its own info object (EVE ZInfoNTPSources), sent when it changed.
        const ntpJson = JSON.stringify(net?.status?.ntpSources ?? []);
        const ntpMsg = ntpSourcesInfo(this.uuid, net?.status);
        if (ntpMsg && ntpJson !== this.lastNtpJson) {
          this.lastNtpJson = ntpJson;
          await this.o.queue.put("ntp-sources", encodeInfo(ntpMsg));
        }
        if (this.again) {
          this.again = false;
          this.check();
        }
      },
    );
  }
}
