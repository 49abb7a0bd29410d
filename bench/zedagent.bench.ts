// zedagent: (1) config change -> app RUNNING end to end, with timer.config.interval = 5 s, through
// the real controller and the node's real agents (zedagent, zedmanager, volumemgr, downloader,
// verifier, domainmgr) and Docker; measured from `ctl config set` to the container's start time that
// zedmanager reports (bootTime), over CHANGES env changes (each recreates the container).
// (2) node CPU per config poll (304 and 200 paths) and per info report: the same DeviceSession calls
// and builders zedagent makes, run ROUNDS times in this process against the real controller,
// process.cpuUsage() deltas (user+system) divided by the count. The 200 path includes verifying the
// envelope, decoding and parsing EdgeDevConfig into tables (parse.ts). Prints, never asserts.
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { idToUuid } from "@outpost/controller";
import { CONFIG_FILES, DeviceSession, eve, HttpClient, loadIdentity, readBootstrap } from "@outpost/evecloud";
import { appDoc, Rig } from "@outpost/testkit";
import { appInfo, parseEdgeDevConfig } from "@outpost/zedagent";
import { fmtMs, fmtUs, header, machineLine, spreadLine } from "./stats.js";

const CHANGES = Number(process.env.BENCH_CHANGES ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function main(): Promise<void> {
  header("zedagent: config change -> app RUNNING (timer.config.interval = 5 s), node CPU per poll/report");
  console.log(machineLine());
  const rig = new Rig();
  try {
    await rig.startController();
    await rig.onboard();
    const server = `127.0.0.1:${rig.port}`;
    // Exits on SIGTERM at once: a PID 1 that ignores it would add Docker's 10 s stop timeout to every change.
    const image = rig.image("bench", ["sh", "-c", 'trap "exit 0" TERM; while true; do sleep 1; done']);
    const app = idToUuid("bench");
    const doc = (n: number) =>
      appDoc({ server, image, apps: [{ id: "bench", env: { N: String(n) } }], interval: 5 });
    rig.setConfig(doc(0));
    rig.startAgents();
    const first = Date.now();
    await rig.waitApp(app, (s) => s.state === "RUNNING", "first RUNNING", 180_000);
    console.log(
      `first deploy (image download, verify, load, volume, container): ${fmtMs(Date.now() - first)}`,
    );

    const e2e: number[] = [];
    for (let n = 1; n <= CHANGES; n++) {
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 4000));
      const t0 = Date.now();
      rig.setConfig(doc(n));
      const s = await rig.waitApp(
        app,
        (x) => x.state === "RUNNING" && x.env?.N === String(n),
        `change ${n}`,
        120_000,
      );
      const booted = Date.parse(s.bootTime ?? "");
      e2e.push((Number.isFinite(booted) ? booted : Date.now()) - t0);
    }
    console.log(spreadLine("config set -> container started with the new env", e2e, fmtMs));
    const status = rig.app(app);
    console.log("  (expected: the poll wait, uniform 1.5..5 s, plus stop + create + start of the container)");

    // (2) CPU per poll and per info report, in this process, against the same controller. The node's
    // zedagent is stopped first: one integrity token per device, and it would re-attest over ours.
    const za = rig.zedagentStatus;
    await rig.stopAgents();
    const dir = join(rig.nroot, "config");
    const boot = readBootstrap(dir);
    const http = new HttpClient({ server: boot.server, rootCa: boot.rootCa });
    const session = new DeviceSession(
      http,
      new X509Certificate(boot.rootCa),
      loadIdentity(join(dir, CONFIG_FILES.deviceKey), join(dir, CONFIG_FILES.deviceCert)),
    );
    const uuid = za?.deviceUuid ?? "";
    const token = await session.attest(uuid);
    const warm = await session.config(uuid, "", token);
    const hash = warm.response?.configHash ?? "";
    const measure = async (label: string, fn: () => Promise<void>) => {
      const runs: number[] = [];
      for (let r = 0; r < 3; r++) {
        const c0 = cpuUs();
        for (let i = 0; i < ROUNDS; i++) await fn();
        runs.push((cpuUs() - c0) / ROUNDS);
      }
      console.log(spreadLine(`${label} (${ROUNDS} each)`, runs, fmtUs));
    };
    await measure("node CPU per config poll, 304 (sign, HTTPS, empty answer)", async () => {
      const r = await session.config(uuid, hash, token);
      if (r.status !== 304) throw new Error(`expected 304, got ${r.status}`);
    });
    await measure(
      "node CPU per config poll, 200 (sign, HTTPS, verify, decode, parse to tables)",
      async () => {
        const r = await session.config(uuid, "", token);
        if (r.status !== 200 || !r.response?.config) throw new Error(`expected 200, got ${r.status}`);
        parseEdgeDevConfig(r.response.config);
      },
    );
    await measure("node CPU per info report (ZInfoApp build + encode, sign, HTTPS 201)", async () => {
      const payload = eve.info.ZInfoMsg.encode(appInfo(uuid, app, status)).finish();
      const res = await session.post(`id/${uuid}/info`, payload);
      if (res.status !== 201) throw new Error(`info: HTTP ${res.status}`);
    });
    http.close();
  } finally {
    await rig.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
