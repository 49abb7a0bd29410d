// Controller inventory: time to produce the device inventory and reports as CSV over N simulated
// devices (default 10 000), through the admin API over TLS as `ctl` gets it.
//
// The controller is the real process from dist/; this process registers N devices (own key and
// certificate each, register + uuid like a node) and posts for each a ZInfoDevice, a ZInfoApp (one in
// 20 in ERROR) and a device metrics message over the real device API (testkit sim-fleet), then times
// GET /admin/v1/inventory/devices?format=csv and two reports RUNS times each (min / median / max),
// with the CSV's size and the controller's RSS. BENCH_DEVICES=n for another fleet size.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { distBin } from "@outpost/testkit";
import { appInfoMsg, deviceInfoMsg, SimFleet } from "@outpost/testkit/sim-fleet";
import { startControllerProc } from "./controller-sim.js";
import { fmtBytes, fmtMs, fmtRate, header, machineLine, spreadLine } from "./stats.js";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PARALLEL = 32;

const root = mkdtempSync(join(tmpdir(), "ob-inv-"));
const dataDir = join(root, "persist/controller");
const controller = await startControllerProc(root, dataDir, []);
const { host, port, rootCa, token } = controller.ep;

const simDir = join(root, "sim");
const nc = spawnSync(distBin("ctl"), ["--root", root, "node-config", simDir], { encoding: "utf8" });
if (nc.status !== 0) throw new Error(`ctl node-config: ${nc.stderr}`);

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        path: `/admin/v1/${path}`,
        ca: rootCa,
        headers: { Authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function rssMiB(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${controller.pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) / 1024;
}

header(`controller inventory: CSV of ${DEVICES} simulated devices, ${RUNS} runs`);
console.log(machineLine());
const fleet = new SimFleet(join(simDir, "config"), { connections: 8 });
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    for (let i = next++; i < DEVICES; i = next++) {
      const d = await fleet.add(`bench-${i}`);
      await d.info(
        deviceInfoMsg({
          version: ["0.1.0", "0.2.0", "0.3.0"][i % 3] as string,
          ips: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
          ncpu: 1 + (i % 8),
          memoryMB: 1024 * (1 + (i % 4)),
          hostname: `bench-${i}`,
          pollIntervalS: 3600,
        }),
      );
      await d.info(
        appInfoMsg({
          id: `app-${i}`,
          name: "web",
          state: i % 20 ? "RUNNING" : "ERROR",
          ...(i % 20 ? {} : { error: "image not found" }),
        }),
      );
      await d.metrics({ dm: { memory: { usedMem: 100 + (i % 500), availMem: 900 } } });
    }
  }),
);
const setupS = (performance.now() - t0) / 1000;
fleet.close();
console.log(
  `  fleet set up: ${DEVICES} devices registered, each posting 2 info + 1 metrics in ${setupS.toFixed(1)} s (${fmtRate((DEVICES * 5) / setupS)} device API calls)`,
);

for (const [label, path] of [
  ["inventory devices -> CSV", "inventory/devices?format=csv"],
  ["report old-version (V=0.2.0) -> CSV", "reports/old-version/run?version=0.2.0&format=csv"],
  ["report fleet-usage -> CSV", "reports/fleet-usage/run?format=csv"],
] as const) {
  const ms: number[] = [];
  let bytes = 0;
  let lines = 0;
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    const res = await get(path);
    ms.push(performance.now() - s);
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
    bytes = res.body.length;
    lines = res.body.split("\r\n").length - 2;
  }
  console.log(spreadLine(`  ${label}`, ms, fmtMs));
  console.log(`    ${lines} rows, ${fmtBytes(bytes)}`);
}
console.log(`  controller RSS after: ${rssMiB().toFixed(0)} MiB`);
console.log(machineLine());

await controller.stop();
rmSync(root, { recursive: true, force: true });
process.exit(0);
