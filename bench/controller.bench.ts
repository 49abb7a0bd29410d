// Controller: signed config polls per second with N simulated devices (target >= 2 000/s on the 304
// path), on the 304 path (hash unchanged: verify, look up, answer empty) and the 200 path (the signed
// ConfigResponse, precomputed when the config is set, is sent).
//
// The controller is the real process from dist/; this process is the load generator: N devices, each
// with its own key, certificate and keep-alive TLS connection, registered and attested like a real
// node, keeping one request in flight. Each request is a distinct ECDSA P-256 signature that the
// controller verifies in full; by default each device signs a pool of POOL requests before the runs and
// cycles through them, so the load generator's own signing (~150 us each) does not compete with the
// controller for the two cores. BENCH_SIGN_LIVE=1 signs every request during the run instead.
// Each run lasts RUN_MS; the figure is answered polls per second over the run. The controller's CPU
// time per poll (from /proc) is the machine-independent figure: 1 s / that = polls/s per core.
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createCertificate,
  DeviceSession,
  deviceCertHash,
  generateEcKey,
  HttpClient,
  loadPrivateKey,
  publicOf,
} from "@outpost/evecloud";
import { distBin, waitFor } from "@outpost/testkit";
import { admin as adminAt, CONFIG, type Endpoint, RawConnection, signedPoll } from "./controller-sim.js";
import { fmtRate, fmtUs, header, machineLine, spreadLine, summarize, target } from "./stats.js";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 3000);
const SIGN_LIVE = process.env.BENCH_SIGN_LIVE === "1";
const POOL = 32;

const root = mkdtempSync(join(tmpdir(), "ob-ctl-"));
const dataDir = join(root, "persist/controller");
const controller = spawn(
  distBin("controller"),
  ["--root", root, "--listen", "127.0.0.1:0", "--insecure-single-token"],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
let out = "";
controller.stdout?.on("data", (d: Buffer) => (out += d.toString()));
await waitFor(
  () => {
    if (controller.exitCode !== null) throw new Error(`controller exited:\n${out}`);
    return out.includes("controller listening");
  },
  15_000,
  () => `the controller to listen:\n${out}`,
  50,
);
const server = readFileSync(join(dataDir, "server"), "utf8").trim();
const [host = "", portText = ""] = server.split(":");
const port = Number(portText);
const rootCa = readFileSync(join(dataDir, "pki/root.cert.pem"), "utf8");
const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();

const ep: Endpoint = { host, port, server, rootCa, token };
const admin = (method: string, path: string, body?: unknown) => adminAt(ep, method, path, body);

interface SimDevice {
  uuid: string;
  key: ReturnType<typeof generateEcKey>;
  hash: Buffer;
  token: Uint8Array;
  configHash: string;
  conn: RawConnection;
  /** Pre-signed requests per path, each with its own signature. */
  pool: Map<200 | 304, Uint8Array[]>;
  next: number;
}

// Onboard N devices like nodes do: register (onboarding key), uuid, attest; then set a config each.
const nodeCfg = await admin("POST", "node-config", { serials: ["*"] });
const onboarding = {
  key: loadPrivateKey(nodeCfg.onboardKey ?? ""),
  certPem: nodeCfg.onboardCert ?? "",
  cert: new X509Certificate(nodeCfg.onboardCert ?? ""),
};
const devices: SimDevice[] = [];
for (let i = 0; i < DEVICES; i++) {
  const key = generateEcKey();
  const certPem = createCertificate({
    subject: { commonName: `sim-${i}` },
    publicKey: publicOf(key),
    selfKey: key,
    validDays: 1,
    keyUsage: ["digitalSignature"],
  });
  const cert = new X509Certificate(certPem);
  const http = new HttpClient({ server, rootCa });
  const session = new DeviceSession(http, new X509Certificate(rootCa), { key, cert, certPem });
  const reg = await session.register(onboarding, `sim-${i}`, `soft-${i}`);
  if (reg.status !== 201) throw new Error(`register sim-${i}: ${reg.status} ${reg.reason}`);
  const { uuid } = await session.getUuid();
  const tok = await session.attest(uuid);
  const set = await admin("PUT", `devices/${uuid}/config`, CONFIG);
  http.close();
  const signer = { key, hash: deviceCertHash(cert), token: tok };
  const pool = new Map<200 | 304, Uint8Array[]>();
  if (!SIGN_LIVE) {
    pool.set(
      304,
      Array.from({ length: POOL }, () => signedPoll(signer, set.configHash ?? "")),
    );
    pool.set(
      200,
      Array.from({ length: POOL }, () => signedPoll(signer, "")),
    );
  }
  devices.push({
    uuid,
    ...signer,
    configHash: set.configHash ?? "",
    conn: new RawConnection(ep),
    pool,
    next: 0,
  });
}

function poll(d: SimDevice, path: 200 | 304): Promise<number> {
  const pool = d.pool.get(path);
  const body = pool
    ? (pool[d.next++ % pool.length] as Uint8Array)
    : signedPoll(d, path === 304 ? d.configHash : "");
  return d.conn.request(`/api/v2/edgedevice/id/${d.uuid}/config`, body);
}

/** CPU seconds the controller process has used (utime + stime from /proc, 100 Hz ticks). */
function controllerCpuS(): number {
  const stat = readFileSync(`/proc/${controller.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Every device polls back to back for RUN_MS. Returns polls/s and per-poll latencies (us). */
async function run(path: 200 | 304): Promise<{ rate: number; latUs: number[]; wrong: number }> {
  const latUs: number[] = [];
  let answered = 0;
  let wrong = 0;
  const start = performance.now();
  const end = start + RUN_MS;
  await Promise.all(
    devices.map(async (d) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await poll(d, path);
        latUs.push((performance.now() - t0) * 1000);
        if (status === path) answered++;
        else wrong++;
      }
    }),
  );
  return { rate: answered / ((performance.now() - start) / 1000), latUs, wrong };
}

header(
  `controller: signed config polls/s, ${DEVICES} simulated devices (${SIGN_LIVE ? "signing every poll live" : `${POOL} distinct pre-signed polls each`}), ${RUNS} runs of ${RUN_MS} ms`,
);
console.log(machineLine());
console.log(
  "  polls/s needs the controller to get a core: on a machine busy with other work, read the CPU per poll",
);
await run(304); // warm-up: TLS handshakes, JIT
for (const path of [304, 200] as const) {
  const rates: number[] = [];
  const lat: number[] = [];
  let wrong = 0;
  const cpuPerPollUs: number[] = [];
  const genCpuPerPollUs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const cpu0 = controllerCpuS();
    const gen0 = process.cpuUsage();
    const res = await run(path);
    const polls = res.rate * (RUN_MS / 1000);
    cpuPerPollUs.push(((controllerCpuS() - cpu0) * 1e6) / polls);
    const gen = process.cpuUsage(gen0);
    genCpuPerPollUs.push((gen.user + gen.system) / polls);
    rates.push(res.rate);
    lat.push(...res.latUs);
    wrong += res.wrong;
  }
  const s = summarize(rates);
  console.log(spreadLine(`${path} path polls/s`, rates, fmtRate));
  const l = summarize(lat);
  console.log(
    `  ${path} poll latency: p50 ${fmtUs(l.p50)}  p90 ${fmtUs(l.p90)}  p99 ${fmtUs(l.p99)}  max ${fmtUs(l.max)}`,
  );
  console.log(spreadLine(`  ${path} controller CPU per poll`, cpuPerPollUs, fmtUs));
  console.log(spreadLine(`  ${path} load generator CPU per poll (context)`, genCpuPerPollUs, fmtUs));
  if (wrong) console.log(`  ${wrong} polls got another status than ${path}!`);
  const perCore = 1e6 / summarize(cpuPerPollUs).p50;
  const share = (s.p50 * summarize(cpuPerPollUs).p50) / 1e6;
  console.log(`  ${path} controller got ${Math.round(share * 100)}% of one core (median run)`);
  console.log(`  ${path} path capacity per controller core (1 s / median CPU per poll): ${fmtRate(perCore)}`);
  if (path === 304) console.log(`304 path: median ${fmtRate(s.p50)} ${target(s.p50, ">=", 2000, fmtRate)}`);
}
console.log(machineLine());

for (const d of devices) d.conn.close();
controller.kill("SIGTERM");
await new Promise((r) => controller.once("exit", r));
rmSync(root, { recursive: true, force: true });
process.exit(0);
