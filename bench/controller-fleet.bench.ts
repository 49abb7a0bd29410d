// Controller: a fleet of simulated devices as nodes behave, on the LMDB store and on PostgreSQL with
// one and two controller processes. Every device polls its config at an interval with jitter (the
// 304 path: its config is unchanged) and sends metrics and info every few polls, each message signed
// with its own key over its own keep-alive TLS connection (the load generator of controller.bench.ts,
// bench/controller-sim.ts). Per setup: config polls/s answered (min/median/max over runs), poll
// latency (p50/p99/max), controller CPU per config poll and per request (all controller processes;
// for PostgreSQL also the database server's CPU), the controller's resident memory.
//
// The machine has 2 cores shared with the load generator (and PostgreSQL): with 2 controller processes
// the figure to read is CPU per poll; polls/s is bounded by what the cores give. PostgreSQL runs with
// fsync on (testkit TestPostgres durable), as LMDB syncs every write.
//
// Env: BENCH_DEVICES (default 10000), BENCH_INTERVAL_S config poll interval (20; EVE's
// default timer.config.interval is 60), BENCH_JITTER (0.25:
// each interval is 75..125 %), BENCH_METRICS_EVERY (3 polls), BENCH_INFO_EVERY (6 polls), BENCH_RUNS
// (3) windows of BENCH_RUN_S (15) after a warm-up (every device connected, at most BENCH_RAMP_CAP_S
// = 180 s, then half an interval), BENCH_SETUPS
// ("lmdb:1,postgres:1,postgres:2"), BENCH_ONBOARD_CONCURRENCY (16).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eve } from "@outpost/evecloud";
import { TestPostgres } from "@outpost/testkit";
import {
  type ControllerProc,
  childrenOf,
  cpuSeconds,
  onboard,
  RawConnection,
  rssBytes,
  type SimDevice,
  signed,
  signedPoll,
  startControllerProc,
} from "./controller-sim.js";
import { fmtBytes, fmtRate, fmtUs, header, machineLine, spreadLine, summarize } from "./stats.js";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_S ?? 20) * 1000;
const JITTER = Number(process.env.BENCH_JITTER ?? 0.25);
const METRICS_EVERY = Number(process.env.BENCH_METRICS_EVERY ?? 3);
const INFO_EVERY = Number(process.env.BENCH_INFO_EVERY ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RUN_MS = Number(process.env.BENCH_RUN_S ?? 15) * 1000;
const CONCURRENCY = Number(process.env.BENCH_ONBOARD_CONCURRENCY ?? 16);
/** The warm-up waits at most this long for every device's first answer. */
const RAMP_CAP_MS = Number(process.env.BENCH_RAMP_CAP_S ?? 180) * 1000;
const SETUPS = (process.env.BENCH_SETUPS ?? "lmdb:1,postgres:1,postgres:2").split(",").map((s) => {
  const [store, n] = s.split(":");
  return {
    store: store === "postgres" ? ("postgres" as const) : ("lmdb" as const),
    processes: Number(n ?? 1),
  };
});

/** What a node reports about itself (ZInfoDevice): hardware, slots, one port. */
function deviceInfo(d: SimDevice): Uint8Array {
  return eve.info.ZInfoMsg.encode({
    ztype: eve.info.ZInfoTypes.ZiDevice,
    devId: d.uuid,
    dinfo: {
      machineArch: "x86_64",
      cpuArch: "x86_64",
      platform: "outpost",
      ncpu: 4,
      memory: 8192,
      storage: 65536,
      HostName: `sim-${d.index}`,
      state: eve.info.ZDeviceState.ZDEVICE_STATE_ONLINE,
      network: [
        {
          devName: "eth0",
          alias: "eth0",
          uplink: true,
          ipv4_up: true,
          IPAddrs: [`10.${(d.index >> 16) & 255}.${(d.index >> 8) & 255}.${d.index & 255}/16`],
          macAddr: `02:00:00:${((d.index >> 16) & 255).toString(16).padStart(2, "0")}:${((d.index >> 8) & 255).toString(16).padStart(2, "0")}:${(d.index & 255).toString(16).padStart(2, "0")}`,
          defaultRouters: ["10.0.0.1"],
        },
      ],
      swList: [
        { partitionLabel: "IMGA", shortVersion: "0.1.0", activated: true, status: 10 },
        { partitionLabel: "IMGB", shortVersion: "0.0.9", activated: false, status: 0 },
      ],
    },
  }).finish();
}

/** What a node sends every metrics interval: device CPU/memory, one port, one app. */
function metrics(d: SimDevice): Uint8Array {
  return eve.metrics.ZMetricMsg.encode({
    devID: d.uuid,
    dm: {
      memory: { usedMem: 2048, availMem: 6144, usedPercentage: 25 },
      cpuMetric: { total: 1234 },
      network: [{ iName: "eth0", txBytes: 123456, rxBytes: 654321, txPkts: 1000, rxPkts: 2000 }],
    },
    am: [{ AppID: "app-web", AppName: "web", memory: { usedMem: 64 }, cpu: { total: 12 } }],
  }).finish();
}

interface Sim {
  device: SimDevice;
  conn: RawConnection;
  polls: Uint8Array[];
  info: Uint8Array;
  metrics: Uint8Array;
}

class Fleet {
  polls = 0;
  other = 0;
  requests = 0;
  errors = 0;
  /** Devices that have had their first answer (TLS connection up). */
  ready = 0;
  lat: number[] = [];
  private stopped = false;
  private readonly running: Promise<void>[] = [];

  constructor(private readonly sims: Sim[]) {}

  start(): void {
    for (const s of this.sims) this.running.push(this.device(s));
  }

  private async device(s: Sim): Promise<void> {
    const path = `/api/v2/edgedevice/id/${s.device.uuid}`;
    let at = performance.now() + Math.random() * INTERVAL_MS;
    for (let tick = 0; !this.stopped; tick++) {
      const wait = at - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.stopped) return;
      try {
        const t0 = performance.now();
        const status = await s.conn.request(`${path}/config`, s.polls[tick % s.polls.length] as Uint8Array);
        this.lat.push((performance.now() - t0) * 1000);
        this.requests++;
        if (status === 304) this.polls++;
        else this.other++;
        if (tick === 0) this.ready++;
        if (tick % METRICS_EVERY === s.device.index % METRICS_EVERY) {
          await s.conn.request(`${path}/metrics`, s.metrics);
          this.requests++;
        }
        if (tick % INFO_EVERY === s.device.index % INFO_EVERY) {
          await s.conn.request(`${path}/info`, s.info);
          this.requests++;
        }
      } catch {
        this.errors++;
      }
      // As a node's ticker: a tick missed while the controller was slow is dropped, not made up in a
      // burst (which would measure the backlog of the warm-up instead of the steady state).
      at = Math.max(at + INTERVAL_MS * (1 - JITTER + 2 * JITTER * Math.random()), performance.now());
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.sims) s.conn.close();
    await Promise.allSettled(this.running);
  }
}

header(
  `controller fleet: ${DEVICES} simulated devices, config poll every ${INTERVAL_MS / 1000} s ±${JITTER * 100}% (304), metrics every ${METRICS_EVERY} polls, info every ${INFO_EVERY}; ${RUNS} runs of ${RUN_MS / 1000} s per setup`,
);
console.log(machineLine());
console.log(
  `  offered: ${fmtRate(DEVICES / (INTERVAL_MS / 1000))} config polls, ${fmtRate(DEVICES / (INTERVAL_MS / 1000) / METRICS_EVERY)} metrics, ${fmtRate(DEVICES / (INTERVAL_MS / 1000) / INFO_EVERY)} info; 2 cores shared by the controller(s), PostgreSQL and this load generator`,
);

const work = mkdtempSync(join(tmpdir(), "ob-fleet-"));
let pg: TestPostgres | undefined;
const fleets = new Map<string, { dataDir: string; devices: SimDevice[] }>();
try {
  for (const setup of SETUPS) {
    const label = `${setup.store} x${setup.processes}`;
    let pgUrl = "";
    if (setup.store === "postgres") {
      pg ??= await TestPostgres.start({ prefix: "ob-fleet-pg-", durable: true });
      pgUrl = fleets.has("postgres") ? pg.url("fleet") : pg.createDatabase("fleet");
    }
    // LMDB and PostgreSQL each get one fleet (onboarded once), shared by the setups on that store.
    const known = fleets.get(setup.store);
    const dataDir = known?.dataDir ?? join(work, setup.store, "controller");
    const root = mkdtempSync(join(work, "root-"));
    const args = setup.store === "postgres" ? ["--store", pgUrl, "--processes", String(setup.processes)] : [];
    const ctl: ControllerProc = await startControllerProc(root, dataDir, args, pg ? pg.env : {});
    let devices = known?.devices;
    if (!devices) {
      const t0 = performance.now();
      devices = await onboard(ctl.ep, DEVICES, { concurrency: CONCURRENCY, prefix: setup.store });
      const s = (performance.now() - t0) / 1000;
      console.log(
        `  ${setup.store}: onboarded ${DEVICES} devices (register, uuid, attest, config) in ${s.toFixed(1)} s`,
      );
      fleets.set(setup.store, { dataDir, devices });
    }
    const sims: Sim[] = devices.map((device) => ({
      device,
      conn: new RawConnection(ctl.ep, () => {}),
      polls: [signedPoll(device, device.configHash), signedPoll(device, device.configHash)],
      info: signed(device, deviceInfo(device)),
      metrics: signed(device, metrics(device)),
    }));
    const fleet = new Fleet(sims);
    fleet.start();
    // Warm-up: every device connected (a TLS handshake each, spread over the first interval), then
    // half an interval more, so the runs measure the steady state.
    const ramp0 = performance.now();
    while (fleet.ready < DEVICES && performance.now() - ramp0 < RAMP_CAP_MS)
      await new Promise((r) => setTimeout(r, 500));
    const rampS = (performance.now() - ramp0) / 1000;
    await new Promise((r) => setTimeout(r, INTERVAL_MS / 2));
    const pgPids = () => (pg ? [pg.pid(), ...childrenOf(pg.pid())] : []);
    const rates: number[] = [];
    const cpuPerPoll: number[] = [];
    const cpuPerReq: number[] = [];
    const pgPerPoll: number[] = [];
    const genPerPoll: number[] = [];
    const lat: number[] = [];
    let other = 0;
    let errors = 0;
    for (let r = 0; r < RUNS; r++) {
      const pids = ctl.pids();
      const dbPids = setup.store === "postgres" ? pgPids() : [];
      const c0 = cpuSeconds(pids);
      const d0 = cpuSeconds(dbPids);
      const g0 = process.cpuUsage();
      const p0 = fleet.polls;
      const q0 = fleet.requests;
      const o0 = fleet.other;
      const e0 = fleet.errors;
      fleet.lat = [];
      const t0 = performance.now();
      await new Promise((res) => setTimeout(res, RUN_MS));
      const secs = (performance.now() - t0) / 1000;
      const polls = fleet.polls - p0;
      const reqs = fleet.requests - q0;
      const cpu = cpuSeconds(pids) - c0;
      const g = process.cpuUsage(g0);
      rates.push(polls / secs);
      cpuPerPoll.push((cpu * 1e6) / polls);
      cpuPerReq.push((cpu * 1e6) / reqs);
      if (dbPids.length) pgPerPoll.push(((cpuSeconds(dbPids) - d0) * 1e6) / polls);
      genPerPoll.push((g.user + g.system) / polls);
      lat.push(...fleet.lat);
      other += fleet.other - o0;
      errors += fleet.errors - e0;
    }
    const rss = rssBytes(ctl.pids());
    await fleet.stop();
    const l = summarize(lat);
    console.log(`\n## ${label} (${DEVICES} devices)`);
    console.log(
      `  warm-up: ${fleet.ready} of ${DEVICES} devices connected (TLS) and answered within ${rampS.toFixed(1)} s`,
    );
    console.log(spreadLine(`  config polls/s answered`, rates, fmtRate));
    console.log(`  config poll latency: p50 ${fmtUs(l.p50)}  p99 ${fmtUs(l.p99)}  max ${fmtUs(l.max)}`);
    console.log(
      spreadLine(`  controller CPU per config poll (with its share of info/metrics)`, cpuPerPoll, fmtUs),
    );
    console.log(spreadLine(`  controller CPU per request (poll, info or metrics)`, cpuPerReq, fmtUs));
    if (pgPerPoll.length)
      console.log(spreadLine(`  PostgreSQL server CPU per config poll`, pgPerPoll, fmtUs));
    console.log(spreadLine(`  load generator CPU per config poll (context)`, genPerPoll, fmtUs));
    console.log(`  controller memory (RSS, all its processes): ${fmtBytes(rss)}`);
    if (other || errors) console.log(`  ${other} polls answered other than 304, ${errors} requests failed`);
    await ctl.stop();
  }
} finally {
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(machineLine());
process.exit(0);
