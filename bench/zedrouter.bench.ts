// Network instances (zedrouter), from the built bundle, on a private dockerd (iptables on) in a network
// namespace of its own, so the bn<N> bridges and NAT rules never touch the host:
// 1. NetworkInstanceConfig published -> NetworkInstanceStatus ONLINE (a local instance: bridge network
//    with subnet, gateway, DHCP range), N fresh instances, each removed after;
// 2. an app on an ONLINE instance, AppInstanceConfig published -> RUNNING, against the same app without
//    adapters (Docker's default bridge), interleaved; the image is already loaded (its volume shared),
//    so the figures are zedmanager + domainmgr + the network attach.
// Prints min/median/max, never asserts them.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  APP_AGENTS,
  buildTestImage,
  PrivateEngine,
  removeImages,
  saveImage,
  TestDatastore,
  TestNode,
  waitFor,
} from "@outpost/testkit";
import {
  AppInstanceConfigCodec,
  NetworkInstanceConfigCodec,
  NetworkInstanceStatusCodec,
  ZEDROUTER_TOPICS,
} from "@outpost/types";
import { fmtMs, header, machineLine, spreadLine } from "./stats.js";

const REPO = resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CMD = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"];

header("zedrouter: config -> network instance ONLINE; app on an instance -> RUNNING (vs no adapter)");
console.log(machineLine());
if (!existsSync(join(REPO, "dist", "outpost"))) {
  console.log("dist/outpost is missing: running node build/bundle.mjs");
  execFileSync(process.execPath, [join(REPO, "build", "bundle.mjs")], { cwd: REPO, stdio: "inherit" });
}

let seq = 0;
function uid(): string {
  const h = createHash("sha256")
    .update(`${process.pid}-${Date.now()}-${seq++}-${Math.random()}`)
    .digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const work = mkdtempSync(join(tmpdir(), "obzr-"));
const engine = new PrivateEngine(join(work, "e"), {
  iptables: true,
  bridge: true,
  cgroupParent: "outpost-bench",
});
const savedHost = process.env.DOCKER_HOST;
let node: TestNode | undefined;
let datastore: TestDatastore | undefined;
try {
  await engine.start();
  process.env.DOCKER_HOST = engine.host;
  datastore = await TestDatastore.start({ dir: work });
  const tag = `outpost-bench/zedrouter-${process.pid}:1`;
  buildTestImage(tag, { cmd: CMD });
  saveImage(tag, join(work, "app.tar"));
  removeImages(tag);
  const sha256 = createHash("sha256")
    .update(readFileSync(join(work, "app.tar")))
    .digest("hex");

  node = await TestNode.start({ prefix: "obz-" });
  const n = node;
  const zedrouter = n.procs.start("zedrouter", ["--root", n.root]);
  for (const a of APP_AGENTS) await n.waitUp(a, 30_000);
  const niPub = await n.bus.publish({ topic: ZEDROUTER_TOPICS.config, codec: NetworkInstanceConfigCodec });
  niPub.signalRestarted();
  const niStatus = n.watch("zedrouter", ZEDROUTER_TOPICS.status, NetworkInstanceStatusCodec);
  const online = (uuid: string) => niStatus.get(uuid)?.state === "ONLINE";

  // ---- 1. config -> ONLINE ----
  const niMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const uuid = uid();
    const t0 = performance.now();
    await niPub.set(
      uuid,
      NetworkInstanceConfigCodec.decode({
        uuid,
        displayName: `bench${i}`,
        kind: "local",
        subnet: `10.${200 + i}.0.0/24`,
        dhcpRangeStart: `10.${200 + i}.0.100`,
        dhcpRangeEnd: `10.${200 + i}.0.199`,
      }),
    );
    await waitFor(
      () => online(uuid),
      30_000,
      () => `instance ONLINE\n${zedrouter.output().slice(-2000)}`,
      2,
    );
    niMs.push(performance.now() - t0);
    await niPub.delete(uuid);
    await waitFor(() => niStatus.get(uuid) === undefined, 30_000, "instance removed", 5);
  }
  console.log(spreadLine("NetworkInstanceConfig -> ONLINE (local, bridge bn<N>)", niMs, fmtMs));

  // ---- 2. an app on an instance -> RUNNING, vs without adapter ----
  const lan = uid();
  await niPub.set(
    lan,
    NetworkInstanceConfigCodec.decode({
      uuid: lan,
      displayName: "lan",
      kind: "local",
      subnet: "10.199.0.0/24",
    }),
  );
  await waitFor(() => online(lan), 30_000, "lan ONLINE");
  const ds = uid();
  await n.datastores.set(ds, {
    id: ds,
    type: "http",
    fqdn: datastore.host,
    path: "",
    username: "",
    password: "",
    caCertsPem: [],
    insecure: false,
  });
  const ct = uid();
  await n.contentTrees.set(ct, {
    id: ct,
    datastoreId: ds,
    relativeUrl: "app.tar",
    format: "CONTAINER",
    sha256,
    maxSizeBytes: 0,
    displayName: "app",
    generation: 0,
  });
  const vol = uid();
  await n.volumes.set(`${vol}#0`, {
    id: vol,
    generation: 0,
    origin: "download",
    contentTreeId: ct,
    maxSizeBytes: 0,
    readOnly: true,
    displayName: "image",
  });
  const deploy = async (withAdapter: boolean, keep = false): Promise<number> => {
    const uuid = uid();
    const t0 = performance.now();
    await n.apps.set(
      uuid,
      AppInstanceConfigCodec.decode({
        uuid,
        displayName: `b-${uuid.slice(0, 6)}`,
        activate: true,
        volumeRefs: [{ volumeId: vol, generation: 0 }],
        interfaces: withAdapter ? [{ network: lan }] : [],
      }),
    );
    await waitFor(
      () => n.appStatus.get(uuid)?.state === "RUNNING",
      120_000,
      () => `RUNNING\n${n.logs(5)}`,
      2,
    );
    const ms = performance.now() - t0;
    if (keep) return ms;
    await n.apps.delete(uuid);
    await waitFor(() => n.appStatus.get(uuid) === undefined, 60_000, "app removed", 5);
    return ms;
  };
  // Warm-up: downloads, verifies and loads the image once (not counted); this app stays, so the image
  // volume stays referenced and every measured app only creates and starts its container.
  const warm = await deploy(false, true);
  console.log(`warm-up (download, verify, load, run): ${fmtMs(warm)}`);
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    withMs.push(await deploy(true));
    withoutMs.push(await deploy(false));
  }
  console.log(spreadLine("app on a local instance: config -> RUNNING", withMs, fmtMs));
  console.log(
    spreadLine("same app, no adapter (Docker default bridge): config -> RUNNING", withoutMs, fmtMs),
  );
  await niPub.delete(lan);
  await waitFor(() => niStatus.get(lan) === undefined, 30_000, "lan removed", 5);
} finally {
  await node?.stop().catch(() => undefined);
  await datastore?.close().catch(() => undefined);
  await engine.stop().catch(() => undefined);
  engine.unmountLeftovers();
  engine.removeNetns();
  rmSync(work, { recursive: true, force: true });
  if (savedHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = savedHost;
}
