// Controller: signed config polls per second with N simulated devices (target >= 2 000/s on the 304
// path), on the 304 path (hash unchanged: verify, look up, answer empty) and the 200 path (the signed
// ConfigResponse, precomputed when the config is set, is sent).
//
// The controller is the real process from dist/ (its own core); this process is the load generator:
// N devices, each with its own key, certificate and keep-alive TLS connection, registered and attested
// like a real node, each signing every request afresh (ECDSA P-256, as a device does) and keeping one
// request in flight. Each run lasts RUN_MS; the figure is answered polls per second over the run.
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createCertificate,
  DeviceSession,
  deviceCertHash,
  eve,
  generateEcKey,
  HttpClient,
  loadPrivateKey,
  publicOf,
  sealEnvelope,
} from "@outpost/evecloud";
import { distBin } from "@outpost/testkit";
import { fmtRate, fmtUs, header, machineLine, spreadLine, summarize, target } from "./stats.js";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 3000);

const root = mkdtempSync(join(tmpdir(), "ob-ctl-"));
const dataDir = join(root, "persist/controller");
const controller = spawn(distBin("controller"), ["--root", root, "--listen", "127.0.0.1:0"], {
  stdio: ["ignore", "pipe", "inherit"],
});
let out = "";
controller.stdout?.on("data", (d: Buffer) => (out += d.toString()));
const deadline = Date.now() + 15_000;
while (!out.includes("controller listening")) {
  if (Date.now() > deadline || controller.exitCode !== null)
    throw new Error(`controller did not start:\n${out}`);
  await new Promise((r) => setTimeout(r, 50));
}
const server = readFileSync(join(dataDir, "server"), "utf8").trim();
const [host = "", portText = ""] = server.split(":");
const port = Number(portText);
const rootCa = readFileSync(join(dataDir, "pki/root.cert.pem"), "utf8");
const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();

function admin(method: string, path: string, body?: unknown): Promise<Record<string, string>> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        method,
        path: `/admin/v1/${path}`,
        ca: rootCa,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const CONFIG = {
  datastores: [{ id: "ds", fqdn: "http://127.0.0.1:1", path: "datastore" }],
  contentTrees: [
    { id: "img", datastore: "ds", url: "busybox.tar", sha256: "ab".repeat(32), maxSizeBytes: 1 << 20 },
  ],
  volumes: [{ id: "vol", contentTree: "img" }],
  apps: [{ id: "web", name: "web", volumes: [{ id: "vol" }], env: { A: "1", B: "2" }, memoryKiB: 65536 }],
  configItems: { "timer.config.interval": "60" },
};

interface SimDevice {
  uuid: string;
  key: ReturnType<typeof generateEcKey>;
  hash: Buffer;
  token: Uint8Array;
  configHash: string;
  agent: Agent;
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
  devices.push({
    uuid,
    key,
    hash: deviceCertHash(cert),
    token: tok,
    configHash: set.configHash ?? "",
    agent: new Agent({ keepAlive: true, maxSockets: 1, ca: rootCa, minVersion: "TLSv1.2" }),
  });
}

function poll(d: SimDevice, configHash: string): Promise<number> {
  const payload = eve.config.ConfigRequest.encode({ configHash, integrity_token: d.token }).finish();
  const body = sealEnvelope(payload, { key: d.key, senderCertHash: d.hash });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        method: "POST",
        path: `/api/v2/edgedevice/id/${d.uuid}/config`,
        agent: d.agent,
        headers: { "Content-Type": "application/x-proto-binary", "Content-Length": body.length },
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
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
        const status = await poll(d, path === 304 ? d.configHash : "");
        latUs.push((performance.now() - t0) * 1000);
        if (status === path) answered++;
        else wrong++;
      }
    }),
  );
  return { rate: answered / ((performance.now() - start) / 1000), latUs, wrong };
}

header(
  `controller: signed config polls/s, ${DEVICES} simulated devices (each signs every poll), ${RUNS} runs of ${RUN_MS} ms`,
);
console.log(machineLine());
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
  if (path === 304) console.log(`304 path: median ${fmtRate(s.p50)} ${target(s.p50, ">=", 2000, fmtRate)}`);
}
console.log(machineLine());

for (const d of devices) d.agent.destroy();
controller.kill("SIGTERM");
await new Promise((r) => controller.once("exit", r));
rmSync(root, { recursive: true, force: true });
process.exit(0);
