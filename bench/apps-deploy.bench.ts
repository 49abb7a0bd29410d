// Deploying apps end to end, from the built bundle (dist/bin/<agent>) on the real Docker engine:
// 1. latency of one ~5 MB image from the HTTP datastore, AppInstanceConfig published -> AppInstanceStatus
//    RUNNING (seen by a subscriber in this process), against a shell baseline doing the same steps by hand
//    (curl, sha256sum, docker load, docker run); ratio target <= 1.3. Runs are interleaved, each on a fresh
//    node root with the image removed from the engine first, so every run downloads, verifies and loads.
// 2. 20 apps deployed at once (5 images, 4 apps each, each app with its own data volume): total time to
//    all RUNNING, and the peak PSS (/proc/<pid>/smaps_rollup) of the five agents, sampled every 100 ms;
//    the node's eleven other agents run idle meanwhile (outpost-boot, a root of their own), so the peak
//    of all 16 is printed too (issue 16: whole node <= 350 MB PSS while deploying 20 apps).
// Prints figures, never asserts them.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  APP_AGENTS,
  buildTestImage,
  ensureDocker,
  makeNode,
  removeImages,
  saveImage,
  TestDatastore,
  TestNode,
  waitFor,
} from "@outpost/testkit";
import { AppInstanceConfigCodec, OutpostLabels } from "@outpost/types";
import { fmtBytes, fmtMs, header, machineLine, spreadLine, target } from "./stats.js";

const REPO = resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const APPS = 20;
const MANY_RUNS = Number(process.env.BENCH_MANY_RUNS ?? 3);
const IMAGES = 5;
const MB = 1024 * 1024;
const CMD = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"];

header("apps: deploy latency (HTTP datastore, ~5 MB image) vs a shell baseline; 20 apps at once");
console.log(machineLine());
if (!existsSync(join(REPO, "dist", "outpost"))) {
  console.log("dist/outpost is missing: running node build/bundle.mjs");
  execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { cwd: REPO, stdio: "inherit" });
}
await ensureDocker();
// Agents run as outpost-boot starts them on a device (one malloc arena each: build/init/outpost-boot);
// TestNode's agents inherit this process's environment.
process.env.MALLOC_ARENA_MAX ??= "1";

let seq = 0;
function uid(): string {
  const h = createHash("sha256")
    .update(`${process.pid}-${Date.now()}-${seq++}-${Math.random()}`)
    .digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const docker = (args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();
const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A label that marks every image this benchmark builds, so it removes them at the end whatever happens.
const BENCH_NODE = `bench-apps-deploy-${process.pid}`;
const dsDir = mkdtempSync(join(tmpdir(), "ob-ds-"));
const datastore = await TestDatastore.start({ dir: dsDir });

interface Archive {
  imageId: string;
  sha256: string;
  file: string;
  relativeUrl: string;
  size: number;
}
function archive(name: string, padBytes: number): Archive {
  const tag = `outpost-bench/${name}-${process.pid}:1`;
  const imageId = buildTestImage(tag, { cmd: CMD, node: BENCH_NODE, padBytes });
  const relativeUrl = `${name}.tar`;
  const file = join(dsDir, relativeUrl);
  saveImage(tag, file);
  removeImages(tag);
  const bytes = readFileSync(file);
  return {
    imageId,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    file,
    relativeUrl,
    size: bytes.length,
  };
}

/** A node with every agent up and the HTTP datastore published. */
async function freshNode(): Promise<{ node: TestNode; datastoreId: string }> {
  const node = await TestNode.start({ prefix: "ob-" });
  for (const a of APP_AGENTS) await node.waitUp(a, 30_000);
  const datastoreId = uid();
  await node.datastores.set(datastoreId, {
    id: datastoreId,
    type: "http",
    fqdn: datastore.host,
    path: "",
    username: "",
    password: "",
    caCertsPem: [],
    insecure: false,
  });
  await sleepMs(500); // every agent connected and synchronized before the clock starts
  return { node, datastoreId };
}

async function publishApp(
  node: TestNode,
  datastoreId: string,
  img: Archive,
  o: { contentTreeId?: string; dataVolume?: boolean } = {},
): Promise<string> {
  const ct = o.contentTreeId ?? uid();
  if (!node.contentTrees.get(ct))
    await node.contentTrees.set(ct, {
      id: ct,
      datastoreId,
      relativeUrl: img.relativeUrl,
      format: "CONTAINER",
      sha256: img.sha256,
      maxSizeBytes: 0,
      displayName: img.relativeUrl,
      generation: 0,
    });
  const vol = uid();
  await node.volumes.set(`${vol}#0`, {
    id: vol,
    generation: 0,
    origin: "download",
    contentTreeId: ct,
    maxSizeBytes: 0,
    readOnly: true,
    displayName: "image",
  });
  const refs: { volumeId: string; generation: number; mountDir?: string }[] = [
    { volumeId: vol, generation: 0 },
  ];
  if (o.dataVolume) {
    const data = uid();
    await node.volumes.set(`${data}#0`, {
      id: data,
      generation: 0,
      origin: "blank",
      contentTreeId: "",
      maxSizeBytes: 0,
      readOnly: false,
      displayName: "data",
    });
    refs.push({ volumeId: data, generation: 0, mountDir: "/data" });
  }
  const uuid = uid();
  await node.apps.set(
    uuid,
    AppInstanceConfigCodec.decode({
      uuid,
      displayName: `bench-${uuid.slice(0, 6)}`,
      activate: true,
      volumeRefs: refs,
    }),
  );
  return uuid;
}

async function waitRunning(node: TestNode, uuids: string[], timeoutMs: number): Promise<void> {
  await waitFor(
    () => uuids.every((u) => node.appStatus.get(u)?.state === "RUNNING"),
    timeoutMs,
    () =>
      `all RUNNING: ${uuids.map((u) => node.appStatus.get(u)?.state ?? "none").join(" ")}\n${node.logs(5)}`,
    5,
  );
}

// ---- 1. one ~5 MB image: Outpost vs the shell baseline ----
const five = archive("deploy5m", 3 * MB);
console.log(
  `image archive: ${fmtBytes(five.size)} (${five.relativeUrl}, sha256 ${five.sha256.slice(0, 12)}...)`,
);

async function outpostRun(): Promise<number> {
  removeImages(five.imageId);
  const { node, datastoreId } = await freshNode();
  try {
    const t0 = performance.now();
    const uuid = await publishApp(node, datastoreId, five);
    await waitRunning(node, [uuid], 120_000);
    return performance.now() - t0;
  } finally {
    await node.stop();
  }
}

/** Runs a shell script without blocking this process: the datastore it downloads from is served here. */
function sh(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn("sh", ["-c", script], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    p.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("close", (code) => resolve({ code, stderr }));
  });
}

async function baselineRun(): Promise<number> {
  removeImages(five.imageId);
  const dir = mkdtempSync(join(tmpdir(), "ob-sh-"));
  const name = `ob-baseline-${process.pid}-${seq++}`;
  const script = [
    "set -e",
    `curl -sf --max-time 120 -o "$D/img.tar" "${datastore.url}/${five.relativeUrl}"`,
    `echo "${five.sha256}  $D/img.tar" | sha256sum -c --quiet`,
    `docker load -q -i "$D/img.tar" >/dev/null`,
    `docker run -d --name ${name} --label ${OutpostLabels.node}=${BENCH_NODE} ${five.imageId} >/dev/null`,
  ].join("\n");
  try {
    const t0 = performance.now();
    const r = await sh(script, { D: dir });
    const ms = performance.now() - t0;
    if (r.code !== 0) throw new Error(`baseline failed: ${r.stderr}`);
    return ms;
  } finally {
    spawnSync("docker", ["rm", "-f", name], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 2. 20 apps at once, peak PSS of the five agents ----
function pss(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(/^Pss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The node's other agents (outpost-boot's default list without the five app agents). */
const OTHER_AGENTS = [
  "watchdog",
  "ledmanager",
  "nim",
  "nodeagent",
  "newlogd",
  "zedagent",
  "zedrouter",
  "baseosmgr",
  "loguploader",
  "diag",
  "localapi",
];

async function manyApps(): Promise<{
  ms: number;
  peakTotal: number;
  peak: Record<string, number>;
  idleTotal: number;
  nodePeak: number;
  nodeIdle: number;
  others: number;
}> {
  const images = Array.from({ length: IMAGES }, (_, i) => archive(`many${i}`, 0));
  // The rest of a whole node, idle on a root of its own (booted by outpost-boot as on a device), so
  // the sum is what 16 agents cost the machine while five of them deploy (issue 16: <= 350 MB PSS).
  // They do not take part in the deploy (no zedagent config, no app networks).
  const rest = makeNode({
    OUTPOST_BIN: join(REPO, "dist", "bin"),
    OUTPOST_AGENTS: OTHER_AGENTS.join(" "),
    OUTPOST_ONBOARD: "0",
    NODE_EXTRA_CA_CERTS: "",
  });
  const booted = rest.boot("start");
  if (booted.status !== 0) process.stderr.write(`the other agents did not all start: ${booted.stderr}\n`);
  const { node, datastoreId } = await freshNode();
  await sleepMs(10_000); // past V8's start-up transient in the other agents
  const peak: Record<string, number> = {};
  let peakTotal = 0;
  let nodePeak = 0;
  let others = 0;
  const sample = () => {
    let total = 0;
    for (const a of APP_AGENTS) {
      const pid = node.pid(a);
      const v = pid ? pss(pid) : 0;
      peak[a] = Math.max(peak[a] ?? 0, v);
      total += v;
    }
    let rest16 = 0;
    others = 0;
    for (const a of OTHER_AGENTS) {
      const pid = rest.pid(a);
      if (!pid) continue;
      rest16 += pss(pid);
      others++;
    }
    peakTotal = Math.max(peakTotal, total);
    nodePeak = Math.max(nodePeak, total + rest16);
    return total + rest16;
  };
  const idle = sample();
  const idleTotal = peakTotal;
  const nodeIdle = idle;
  peakTotal = 0;
  nodePeak = 0;
  const sampler = setInterval(sample, 100);
  try {
    const t0 = performance.now();
    const cts = images.map(() => uid());
    const uuids: string[] = [];
    for (let i = 0; i < APPS; i++)
      uuids.push(
        await publishApp(node, datastoreId, images[i % IMAGES] as Archive, {
          contentTreeId: cts[i % IMAGES] as string,
          dataVolume: true,
        }),
      );
    await waitRunning(node, uuids, 300_000);
    const ms = performance.now() - t0;
    await sleepMs(1000);
    sample();
    return { ms, peakTotal, peak, idleTotal, nodePeak, nodeIdle, others };
  } finally {
    clearInterval(sampler);
    rest.boot("stop");
    rest.cleanup();
    await node.stop();
    for (const img of images) removeImages(img.imageId);
  }
}

try {
  const outpost: number[] = [];
  const baseline: number[] = [];
  // A warm-up of each (page cache, Docker's first load), not counted.
  await baselineRun();
  await outpostRun();
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await baselineRun());
    outpost.push(await outpostRun());
    process.stderr.write(
      `run ${i + 1}/${RUNS}: baseline ${fmtMs(baseline[i] as number)}, outpost ${fmtMs(outpost[i] as number)}\n`,
    );
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
  console.log(spreadLine("shell baseline (curl, sha256sum, docker load, docker run)", baseline, fmtMs));
  console.log(spreadLine("outpost config published -> RUNNING", outpost, fmtMs));
  const ratio = med(outpost) / med(baseline);
  console.log(
    `ratio of medians outpost/baseline: ${ratio.toFixed(2)} ${target(ratio, "<=", 1.3, (v) => v.toFixed(1))}`,
  );
  const ratios = outpost.map((o, i) => o / (baseline[i] as number));
  console.log(spreadLine("ratio per interleaved pair", ratios, (v) => v.toFixed(2)));

  const many: Awaited<ReturnType<typeof manyApps>>[] = [];
  for (let i = 0; i < MANY_RUNS; i++) {
    many.push(await manyApps());
    process.stderr.write(`${APPS} apps, run ${i + 1}/${MANY_RUNS}: ${fmtMs(many[i]?.ms ?? 0)}\n`);
  }
  console.log(
    spreadLine(
      `${APPS} apps at once (${IMAGES} images, a data volume each) -> all RUNNING`,
      many.map((m) => m.ms),
      fmtMs,
    ),
  );
  console.log(
    spreadLine(
      "peak PSS of the five agents together",
      many.map((m) => m.peakTotal),
      fmtBytes,
    ),
  );
  console.log(
    spreadLine(
      "PSS of the five agents together, idle before",
      many.map((m) => m.idleTotal),
      fmtBytes,
    ),
  );
  const n = Math.min(...many.map((m) => m.others)) + APP_AGENTS.length;
  console.log(
    spreadLine(
      `whole node (${n} agents: the five + the others idle), peak PSS while deploying`,
      many.map((m) => m.nodePeak),
      fmtBytes,
    ),
  );
  const nodePeaks = many.map((m) => m.nodePeak).sort((a, b) => a - b);
  console.log(
    `  median ${fmtBytes(nodePeaks[Math.floor((nodePeaks.length - 1) / 2)] ?? 0)} ${target(nodePeaks[Math.floor((nodePeaks.length - 1) / 2)] ?? 0, "<=", 350 * MB, fmtBytes)} (issue 16)`,
  );
  console.log(
    spreadLine(
      `whole node (${n} agents), PSS idle before`,
      many.map((m) => m.nodeIdle),
      fmtBytes,
    ),
  );
  for (const a of APP_AGENTS)
    console.log(
      spreadLine(
        `  peak PSS ${a}`,
        many.map((m) => m.peak[a] ?? 0),
        fmtBytes,
      ),
    );
} finally {
  await datastore.close();
  rmSync(dsDir, { recursive: true, force: true });
  removeImages(five.imageId);
  const left = docker(["images", "-q", "--filter", `label=${OutpostLabels.node}=${BENCH_NODE}`]);
  if (left) spawnSync("docker", ["rmi", "-f", ...new Set(left.split("\n"))], { stdio: "ignore" });
  console.log(machineLine());
}
