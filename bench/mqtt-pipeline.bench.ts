// mqttagent (issue 15), from the test bundle with real mosquitto, the real app agents, zedrouter and the
// real Docker engine (testkit MqttRig):
// 1. a two-module pipeline, images already loaded (the app is undeployed between runs: containers and
//    network gone, images kept): deploy command sent -> the heartbeat that says both modules RUNNING
//    arrives at the manager, against the same steps by hand with the docker CLI (network create; create
//    + start producer, then consumer, with the same image, environment, network alias and log options);
//    interleaved; ratio of medians, target <= 1.3.
// 2. the heartbeat's cost: mqttagent's CPU time (utime+stime, /proc/<pid>/stat) over a window with a
//    heartbeat every BENCH_HB_MS (hidden flag --heartbeat-ms), minus its CPU over the same window idle
//    (--heartbeat-s 3600), divided by the heartbeats received; alternated, 3 rounds. The pipeline is
//    deployed (each heartbeat reports two modules).
// 3. mqttagent's idle PSS and anonymous memory (/proc/<pid>/smaps_rollup), default heartbeat, read
//    BENCH_SETTLE_S (12) s after its start (V8's start-up transient is over by then).
// Prints figures, never asserts them.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type Heartbeat, nodeTopics } from "@outpost/mqttedge";
import { MqttRig, PIPELINE_CONSUMER, PIPELINE_PRODUCER, pipelineManifest, waitFor } from "@outpost/testkit";
import { memOf, sleep } from "./agent-procs.js";
import { fmtBytes, fmtMs, header, machineLine, spreadLine, target } from "./stats.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HB_MS = Number(process.env.BENCH_HB_MS ?? 100);
const WINDOW_S = Number(process.env.BENCH_HB_WINDOW_S ?? 6);
const ROUNDS = 3;
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 12);
const APP = "bench";

header("mqttagent: pipeline deploy vs docker by hand; heartbeat CPU per message; idle PSS");
console.log(machineLine());

const med = (v: readonly number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)] as number;
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();

const rig = await MqttRig.start({ heartbeatS: 1 });
const status = nodeTopics(rig.nodeId).status;
const label = `org.outpost.node=${rig.node.nodeLabel}`;
/** Resolves with the arrival time of the first heartbeat after now that satisfies cond. Heartbeats
 * are timed as they arrive (not by a polling wait). */
function nextHeartbeat(cond: (h: Heartbeat) => boolean, what: string, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      rig.client.off("message", on);
      reject(new Error(`timed out waiting for ${what}; last ${JSON.stringify(rig.last)?.slice(0, 800)}`));
    }, timeoutMs);
    const on = (topic: string, payload: Buffer) => {
      if (topic !== status) return;
      const t = performance.now();
      if (!cond(JSON.parse(payload.toString()) as Heartbeat)) return;
      clearTimeout(timer);
      rig.client.off("message", on);
      resolve(t);
    };
    rig.client.on("message", on);
  });
}
const appState = (h: Heartbeat) => h.edgeApps?.find((a) => a.id === APP)?.state;
const appNetworks = () =>
  docker("network", "ls", "-q", "--filter", `label=${label}`).split("\n").filter(Boolean);

function sh(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn("sh", ["-c", script], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("exit", (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`by hand failed: ${err}`)),
    );
  });
}

try {
  const producer = rig.image("producer", PIPELINE_PRODUCER);
  const consumer = rig.image("consumer", PIPELINE_CONSUMER);
  const app = pipelineManifest(APP, 1, producer, consumer);
  await rig.waitHeartbeat((h) => h.status === "connected", "connected");

  async function deploy(): Promise<number> {
    const running = nextHeartbeat((h) => appState(h) === "running", "running");
    const t0 = performance.now();
    await rig.send({ command: "deploy", manifest: app });
    return (await running) - t0;
  }
  async function undeploy(): Promise<void> {
    const done = nextHeartbeat((h) => appState(h) === "undeployed", "undeployed");
    await rig.send({ command: "undeploy", id: APP });
    await done;
    await waitFor(() => rig.containers().length === 0 && appNetworks().length === 0, 30_000, "undeployed");
  }

  // Warm-up: downloads, verifies and loads both images; what Outpost gave each container is what the
  // by-hand run gives it.
  process.stdout.write("warm-up deploy (download, verify, load)...\n");
  process.stdout.write(`  ${fmtMs(await deploy())}\n`);
  const made = rig.containers().map((c) => {
    const i = JSON.parse(docker("inspect", c.id))[0];
    const nets = Object.values(i.NetworkSettings.Networks) as { Aliases?: string[] }[];
    const alias = nets[0]?.Aliases?.find((a) => a === "producer" || a === "consumer") ?? "";
    return { alias, image: i.Image as string, env: i.Config.Env as string[] };
  });
  const byAlias = (a: string) => {
    const m = made.find((c) => c.alias === a);
    if (!m) throw new Error(`no ${a} container with its alias: ${JSON.stringify(made)}`);
    return m;
  };
  const [p, c] = [byAlias("producer"), byAlias("consumer")];
  const subnet = docker(
    "network",
    "inspect",
    appNetworks()[0] ?? "",
    "--format",
    "{{(index .IPAM.Config 0).Subnet}}",
  );
  // Another /24 of the same pool for the by-hand network.
  const parts = subnet.split(".");
  const handSubnet = `${parts[0]}.${parts[1]}.${(Number(parts[2]) + 128) % 256}.0/24`;
  await undeploy();

  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const run = (name: string, alias: string, m: { image: string; env: string[] }, net: string) =>
    [
      `docker create -q --name ${name} --network ${net} --network-alias ${alias} --label ${label}`,
      "--restart no --log-driver json-file --log-opt max-size=10m --log-opt max-file=2",
      ...m.env.map((e) => `-e ${q(e)}`),
      `${m.image} >/dev/null`,
    ].join(" ");
  async function byHand(n: number): Promise<number> {
    const net = `ob-mqhand-${process.pid}-${n}`;
    const script = [
      "set -e",
      `docker network create --driver bridge --subnet ${handSubnet} --label ${label} ${net} >/dev/null`,
      run(`${net}-p`, "producer", p, net),
      `docker start ${net}-p >/dev/null`,
      run(`${net}-c`, "consumer", c, net),
      `docker start ${net}-c >/dev/null`,
    ].join("\n");
    try {
      return await sh(script);
    } finally {
      execFileSync("docker", ["rm", "-f", `${net}-p`, `${net}-c`], { stdio: "ignore" });
      execFileSync("docker", ["network", "rm", net], { stdio: "ignore" });
    }
  }

  // ---- 1 ----
  const outpost: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    hand.push(await byHand(i));
    outpost.push(await deploy());
    await undeploy();
    process.stdout.write(
      `run ${i + 1}/${RUNS}: by hand ${fmtMs(hand[i] as number)}, outpost ${fmtMs(outpost[i] as number)}\n`,
    );
  }
  console.log(spreadLine("docker by hand (network create; create+start producer, consumer)", hand, fmtMs));
  console.log(spreadLine("outpost: deploy over MQTT -> heartbeat both RUNNING", outpost, fmtMs));
  const ratio = med(outpost) / med(hand);
  console.log(
    `ratio of medians outpost/by hand: ${ratio.toFixed(2)} ${target(ratio, "<=", 1.3, (v) => v.toFixed(1))}`,
  );

  // ---- 2 and 3: the pipeline deployed ----
  await deploy();
  const tck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const cpuMs = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(f[11]) + Number(f[12])) * 1000) / tck; // utime + stime
  };
  async function restartAgent(extra: string[]): Promise<number> {
    const old = rig.agent;
    if (old && old.exitCode === null && old.signalCode === null) {
      const exited = new Promise((r) => old.once("exit", r));
      old.kill("SIGTERM");
      await exited;
    }
    const up = nextHeartbeat((h) => h.status === "connected" && appState(h) === "running", "agent back");
    rig.startAgent(1, extra);
    const agent = rig.agent;
    let onExit = (_code: number | null) => {};
    const died = new Promise<never>((_, reject) => {
      onExit = (code) => reject(new Error(`mqttagent exited (${code}): ${agent?.output().slice(-1500)}`));
      agent?.once("exit", onExit);
    });
    try {
      await Promise.race([up, died]);
    } finally {
      agent?.off("exit", onExit);
    }
    await sleep(1500); // start-up work done
    return rig.agent?.pid as number;
  }
  async function window(pid: number): Promise<{ cpu: number; msgs: number; s: number }> {
    const n0 = rig.heartbeats.length;
    const c0 = cpuMs(pid);
    const t0 = performance.now();
    await sleep(WINDOW_S * 1000);
    return { cpu: cpuMs(pid) - c0, msgs: rig.heartbeats.length - n0, s: (performance.now() - t0) / 1000 };
  }
  const perMsg: number[] = [];
  const idleRate: number[] = [];
  const busyRate: number[] = [];
  let msgsPerS = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const idle = await window(await restartAgent(["--heartbeat-s", "3600"]));
    const busy = await window(await restartAgent(["--heartbeat-ms", String(HB_MS)]));
    const idlePerS = idle.cpu / idle.s;
    const cost = (busy.cpu - idlePerS * busy.s) / Math.max(1, busy.msgs - (idle.msgs * busy.s) / idle.s);
    idleRate.push(idlePerS);
    busyRate.push(busy.cpu / busy.s);
    perMsg.push(cost);
    msgsPerS = busy.msgs / busy.s;
    process.stdout.write(
      `round ${r + 1}/${ROUNDS}: idle ${fmtMs(idle.cpu)} CPU in ${idle.s.toFixed(1)} s (${idle.msgs} heartbeats); ` +
        `every ${HB_MS} ms: ${fmtMs(busy.cpu)} CPU in ${busy.s.toFixed(1)} s (${busy.msgs} heartbeats)\n`,
    );
  }
  console.log(
    `CPU resolution: 1 tick = ${fmtMs(1000 / tck)}; heartbeats received ${msgsPerS.toFixed(1)}/s at --heartbeat-ms ${HB_MS}`,
  );
  console.log(spreadLine("mqttagent CPU idle (ms per s)", idleRate, (v) => v.toFixed(2)));
  console.log(
    spreadLine(`mqttagent CPU, heartbeat every ${HB_MS} ms (ms per s)`, busyRate, (v) => v.toFixed(2)),
  );
  console.log(
    spreadLine(
      "heartbeat cost: CPU per status message minus idle (sample /proc + statfs, build, publish QoS 1, MqttAgentStatus)",
      perMsg,
      fmtMs,
    ),
  );

  // ---- 3: idle memory, default heartbeat (10 s), read once V8's start-up transient is over
  // (bench/README.md: ~8-10 s after start), 5 readings a second apart ----
  const pid = await restartAgent([]);
  await sleep(SETTLE_S * 1000);
  const pss: number[] = [];
  const anon: number[] = [];
  for (let s = 0; s < 5; s++) {
    const m = memOf(pid);
    pss.push(m.pss);
    anon.push(m.anon);
    await sleep(1000);
  }
  console.log(spreadLine(`mqttagent idle PSS, ${SETTLE_S} s after start (pipeline deployed)`, pss, fmtBytes));
  console.log(spreadLine(`mqttagent idle anonymous memory, ${SETTLE_S} s after start`, anon, fmtBytes));
} finally {
  await rig.cleanup();
  console.log(machineLine());
}
