// The local API's throughput and latency (GET /v1/status, GET /v1/metrics over its unix socket, keep-alive
// connections, 4 in flight), and the idle PSS of diag and localapi, on a node booted by outpost-boot
// from the bundle (watchdog, ledmanager, diag, localapi and three fixture agents, so the listings are
// not trivially short). Figures only: nothing is asserted.
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { makeNode } from "@outpost/testkit";
import { waitFor } from "@outpost/testkit/wait";
import {
  distLine,
  fmtBytes,
  fmtMs,
  fmtRate,
  header,
  machineLine,
  spreadLine,
  summarize,
  target,
} from "./stats.js";

const RUNS = 3;
const REQUESTS = 1500;
const CONCURRENCY = 4;

function pss(pid: number): number {
  return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1]) * 1024;
}

function get(agent: Agent, socketPath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** REQUESTS requests, CONCURRENCY at a time: requests/s and each one's latency (ms). */
async function load(socketPath: string, path: string): Promise<{ rate: number; latencies: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const t0 = performance.now();
        const status = await get(agent, socketPath, path);
        if (status !== 200) throw new Error(`${path}: ${status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const rate = (REQUESTS / (performance.now() - start)) * 1000;
  agent.destroy();
  return { rate, latencies };
}

async function main(): Promise<void> {
  header("local API: GET /v1/status and /v1/metrics; idle PSS of diag and localapi");
  console.log(machineLine());
  const node = makeNode({
    OUTPOST_AGENTS: "core diag localapi fixture:f1 fixture:f2 fixture:f3",
    OUTPOST_ONBOARD: "0",
  });
  try {
    const r = node.boot("start");
    if (r.status !== 0) throw new Error(`boot failed: ${r.stderr}`);
    const socketPath = join(node.root, "run", "localapi", "api.sock");
    await waitFor(() => node.pid("localapi") !== undefined && node.pid("diag") !== undefined, 20_000);

    // Idle PSS: a few readings a second apart once both have settled (summary written, listening).
    await waitFor(() => {
      try {
        return readFileSync(join(node.root, "run", "diag", "summary.txt"), "utf8").length > 0;
      } catch {
        return false;
      }
    }, 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    const idle: Record<string, number[]> = { diag: [], localapi: [] };
    for (let i = 0; i < 5; i++) {
      for (const a of ["diag", "localapi"]) idle[a]?.push(pss(node.pid(a) as number));
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const a of ["diag", "localapi"]) {
      const s = summarize(idle[a] ?? []);
      console.log(
        `${spreadLine(`${a} idle PSS`, idle[a] ?? [], fmtBytes)} ${target(s.p50, "<=", 30 * 1024 * 1024, fmtBytes)}`,
      );
    }

    for (const path of ["/v1/status", "/v1/metrics"]) {
      const rates: number[] = [];
      const all: number[] = [];
      const p99s: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const { rate, latencies } = await load(socketPath, path);
        rates.push(rate);
        all.push(...latencies);
        p99s.push(summarize(latencies).p99);
      }
      console.log(
        spreadLine(`GET ${path} requests/s (${REQUESTS} per run, ${CONCURRENCY} in flight)`, rates, fmtRate),
      );
      console.log(spreadLine(`GET ${path} p99 per run`, p99s, fmtMs));
      console.log(distLine(`GET ${path} latency, all runs`, all, fmtMs));
    }
    const after = pss(node.pid("localapi") as number);
    console.log(`localapi PSS after the load: ${fmtBytes(after)}`);
  } finally {
    node.boot("stop");
    node.cleanup();
  }
  console.log(machineLine());
}

await main();
