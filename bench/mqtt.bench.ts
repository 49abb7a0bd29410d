// mqttagent, from the built bundle with real mosquitto, the real app agents and the real Docker engine:
// 1. a two-module pipeline (two busybox images from the HTTP datastore): deploy command sent ->
//    heartbeat says both modules RUNNING, against the same steps by hand (curl, sha256sum, docker
//    load, docker network create, docker run producer, docker run consumer); ratio target <= 1.3.
//    Runs are interleaved; before each the app is removed (images gone), so each run downloads,
//    verifies and loads both images.
// 2. the heartbeat's cost: mqttagent's CPU time (utime+stime) per status message, one per second
//    with the pipeline deployed, over BENCH_HB_S seconds.
// 3. mqttagent's idle PSS (the pipeline deployed, sampled once a second).
// Prints figures, never asserts them.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  MqttRig,
  PIPELINE_CONSUMER,
  PIPELINE_PRODUCER,
  pipelineManifest,
  removeImages,
  waitFor,
} from "@outpost/testkit";
import { memOf, mmm } from "./agent-procs.js";
import { fmtBytes, fmtMs, header, machineLine, spreadLine, target } from "./stats.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const HB_S = Number(process.env.BENCH_HB_S ?? 20);

header("mqttagent: pipeline deploy vs docker by hand; heartbeat CPU per message; idle PSS");
console.log(machineLine());

const rig = await MqttRig.start({ heartbeatS: 1 });
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)] as number;
try {
  const producer = rig.image("producer", PIPELINE_PRODUCER);
  const consumer = rig.image("consumer", PIPELINE_CONSUMER);
  const archive = (url: string) => join(rig.datastoreDir, url.split("/").at(-1) as string);
  const imageIdOf = (file: string) => {
    const index = JSON.parse(execFileSync("tar", ["-xOf", file, "manifest.json"], { encoding: "utf8" }));
    return `sha256:${String(index[0].Config).replace(/^blobs\/sha256\/|\.json$/g, "")}`;
  };
  const ids = [imageIdOf(archive(producer.url)), imageIdOf(archive(consumer.url))];
  const app = pipelineManifest("bench", 1, producer, consumer);

  async function outpostRun(): Promise<number> {
    removeImages(...ids);
    const t0 = performance.now();
    await rig.send({ command: "deploy", manifest: app });
    await rig.waitApp("bench", "running", 60_000);
    const ms = performance.now() - t0;
    process.stdout.write(`  deployed in ${fmtMs(ms)}; removing\n`);
    await rig.send({ command: "remove", id: "bench" });
    await rig.waitHeartbeat((h) => !h.edgeApps?.some((a) => a.id === "bench"), "removed", 60_000, rig.mark);
    await waitFor(() => rig.containers().length === 0, 30_000, "containers gone");
    return ms;
  }

  function baselineRun(n: number): number {
    removeImages(...ids);
    const dir = mkdtempSync(join(tmpdir(), "ob-mq-"));
    const tag = `ob-mqbase-${process.pid}-${n}`;
    const label = `org.outpost.node=${rig.node.nodeLabel}`;
    const script = [
      "set -e",
      `curl -sf -o "$D/p.tar" "${producer.url}"`,
      `curl -sf -o "$D/c.tar" "${consumer.url}"`,
      `echo "${producer.sha256}  $D/p.tar" | sha256sum -c --quiet`,
      `echo "${consumer.sha256}  $D/c.tar" | sha256sum -c --quiet`,
      `docker load -q -i "$D/p.tar" >/dev/null`,
      `docker load -q -i "$D/c.tar" >/dev/null`,
      `docker network create --label ${label} ${tag} >/dev/null`,
      `docker run -d --name ${tag}-p --network ${tag} --network-alias producer --label ${label} -e EGRESS_HOST=consumer -e EGRESS_PORT=7000 ${ids[0]} >/dev/null`,
      `docker run -d --name ${tag}-c --network ${tag} --network-alias consumer --label ${label} -e INGRESS_PORT=7000 ${ids[1]} >/dev/null`,
    ].join("\n");
    try {
      const t0 = performance.now();
      const r = spawnSync("sh", ["-c", script], { env: { ...process.env, D: dir }, encoding: "utf8" });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`baseline failed: ${r.stderr}`);
      return ms;
    } finally {
      spawnSync("docker", ["rm", "-f", `${tag}-p`, `${tag}-c`], { stdio: "ignore" });
      spawnSync("docker", ["network", "rm", tag], { stdio: "ignore" });
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // ---- 1 ----
  await rig.waitHeartbeat((h) => h.status === "connected", "connected");
  process.stdout.write("warm-up deploy...\n");
  await outpostRun(); // warm-up: first module start, caches
  const outpost: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push(baselineRun(i));
    outpost.push(await outpostRun());
    process.stdout.write(
      `run ${i + 1}/${RUNS}: by hand ${fmtMs(baseline[i] as number)}, outpost ${fmtMs(outpost[i] as number)}\n`,
    );
  }
  console.log(spreadLine("docker by hand (curl, sha256sum, load x2, network, run x2)", baseline, fmtMs));
  console.log(spreadLine("outpost: deploy over MQTT -> heartbeat both RUNNING", outpost, fmtMs));
  const ratio = med(outpost) / med(baseline);
  console.log(
    `ratio of medians outpost/by hand: ${ratio.toFixed(2)} ${target(ratio, "<=", 1.3, (v) => v.toFixed(1))}`,
  );

  // ---- 2 and 3: the pipeline deployed, heartbeats once a second ----
  await rig.send({ command: "deploy", manifest: app });
  await rig.waitApp("bench", "running", 120_000);
  const pid = rig.agent?.pid as number;
  const cpuMs = () => {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ 100) -> ms
  };
  const pss: number[] = [];
  const n0 = rig.heartbeats.length;
  const c0 = cpuMs();
  for (let s = 0; s < HB_S; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    pss.push(memOf(pid).pss);
  }
  const msgs = rig.heartbeats.length - n0;
  const cpu = cpuMs() - c0;
  console.log(
    `heartbeat: ${msgs} messages in ${HB_S} s, mqttagent CPU ${fmtMs(cpu)} in all: ${fmtMs(cpu / Math.max(1, msgs))} per message (everything the agent did in the window, resources sampling included)`,
  );
  console.log(`mqttagent idle PSS (min/median/max over ${pss.length} samples): ${mmm(pss, fmtBytes)}`);
} finally {
  await rig.cleanup();
}
