// A node managed over MQTT, for mqttagent's process tests and benchmark: Debian's mosquitto on loopback, the app
// agents + zedrouter + mqttagent from the bundle under a temp root (config/mqtt/broker written first,
// so zedmanager, volumemgr and zedrouter read mqttagent's tables), a real HTTP datastore serving
// busybox images built here, and an MQTT client in the test that sends commands and keeps the
// node's heartbeats. `cleanup()` removes processes, containers, volumes, images, networks, the root.
import { type ChildProcess, execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Heartbeat, nodeTopics } from "@outpost/mqttedge";
import { MqttAgentStatusCodec, NetworkInstanceConfigCodec } from "@outpost/types";
import { connectAsync, type MqttClient } from "mqtt";
import { TestDatastore } from "./datastore.js";
import { buildTestImage, ensureDocker, removeImages, saveImage } from "./images.js";
import { TestMosquitto } from "./mosquitto.js";
import { APP_AGENTS, TestNode } from "./node.js";
import { waitFor } from "./wait.js";

export const MQTT_TEST_TIMEOUT = 55_000;

/** A producer that writes numbered lines to the next module (EGRESS_HOST:EGRESS_PORT), reconnecting
 * until it is there, and a consumer that prints what it receives on INGRESS_PORT. */
export const PIPELINE_PRODUCER = [
  "sh",
  "-c",
  `trap 'exit 0' TERM; while :; do i=0; while :; do i=$((i+1)); echo "line $i from $MODULE_NAME"; sleep 1; done | nc "$EGRESS_HOST" "$EGRESS_PORT"; sleep 1; done & wait`,
];
export const PIPELINE_CONSUMER = [
  "sh",
  "-c",
  `trap 'exit 0' TERM; echo "consumer up, secret length \${#API_TOKEN}"; while :; do nc -l -p "$INGRESS_PORT"; done & wait`,
];

export interface ServedImage {
  url: string;
  sha256: string;
}

export class MqttRig {
  readonly heartbeats: Heartbeat[] = [];
  agent: (ChildProcess & { output: () => string }) | undefined;
  zedrouter: (ChildProcess & { output: () => string }) | undefined;

  private constructor(
    readonly broker: TestMosquitto,
    readonly node: TestNode,
    readonly datastore: TestDatastore,
    readonly datastoreDir: string,
    readonly client: MqttClient,
    readonly nodeId: string,
    readonly subnetPool: string,
  ) {}

  static async start(o: { heartbeatS?: number } = {}): Promise<MqttRig> {
    await ensureDocker();
    const broker = await TestMosquitto.start();
    const node = await TestNode.start({ agents: [], prefix: "opmq-" });
    const nodeId = `n${createHash("sha256").update(node.root).digest("hex").slice(0, 8)}`;
    mkdirSync(join(node.root, "config", "mqtt"), { recursive: true, mode: 0o700 });
    writeFileSync(join(node.root, "config", "mqtt", "broker"), `${broker.url}\n`);
    // zedagent's (empty) network table, complete: zedrouter reads both managers' tables.
    const nets = await node.bus.publish({
      topic: "NetworkInstanceConfig",
      codec: NetworkInstanceConfigCodec,
    });
    nets.signalRestarted();
    for (const a of APP_AGENTS) node.startAgent(a);
    const dir = mkdtempSync(join(tmpdir(), "op-mqds-"));
    const datastore = await TestDatastore.start({ dir });
    const client = await connectAsync(broker.url, { clientId: `test-${nodeId}`, reconnectPeriod: 500 });
    // A /16 of its own per test run (several tests may run at once on the engine).
    const pool = `10.${200 + (Number.parseInt(nodeId.slice(1, 3), 16) % 50)}.0.0/16`;
    const rig = new MqttRig(broker, node, datastore, dir, client, nodeId, pool);
    client.on("message", (topic, payload) => {
      if (topic === nodeTopics(nodeId).status)
        rig.heartbeats.push(JSON.parse(payload.toString()) as Heartbeat);
    });
    await client.subscribeAsync(nodeTopics(nodeId).status, { qos: 1 });
    rig.linkStatus();
    rig.zedrouter = node.procs.start("zedrouter", ["--root", node.root, "--poll-ms", "1000"]);
    rig.startAgent(o.heartbeatS ?? 10);
    return rig;
  }

  /** Starts (or restarts, after the caller stopped it) mqttagent; `extra` flags go last (a later
   * flag wins, e.g. `--heartbeat-ms 100` for a benchmark). */
  startAgent(heartbeatS = 10, extra: string[] = []): void {
    this.agent = this.node.procs.start("mqttagent", [
      "--root",
      this.node.root,
      "--node-id",
      this.nodeId,
      "--node-name",
      "test node",
      "--heartbeat-s",
      String(heartbeatS),
      "--subnet-pool",
      this.subnetPool,
      "--reconnect-min-ms",
      "200",
      "--reconnect-max-ms",
      "1000",
      "--keepalive-s",
      "2",
      ...extra,
    ]);
  }

  /** Builds an image labelled with the node, serves its archive, removes it from the engine. */
  image(name: string, cmd: string[], env?: Record<string, string>): ServedImage {
    const tag = `outpost-test/mq-${name}-${this.nodeId}:1`;
    buildTestImage(tag, { cmd, node: this.node.nodeLabel, ...(env ? { env } : {}) });
    const file = join(this.datastoreDir, `${name}.tar`);
    saveImage(tag, file);
    removeImages(tag);
    return {
      url: `http://${this.datastore.host}/${name}.tar`,
      sha256: createHash("sha256").update(readFileSync(file)).digest("hex"),
    };
  }

  /** Heartbeats before the last command sent: waits look at the ones after it. */
  mark = 0;

  async send(message: object | string): Promise<void> {
    this.mark = this.heartbeats.length;
    const payload = typeof message === "string" ? message : JSON.stringify(message);
    await this.client.publishAsync(nodeTopics(this.nodeId).orchestration, payload, { qos: 1 });
  }

  get last(): Heartbeat | undefined {
    return this.heartbeats.at(-1);
  }

  /** Waits for a heartbeat that satisfies `cond`, arrived after `since` heartbeats. */
  waitHeartbeat(
    cond: (h: Heartbeat) => boolean,
    what: string,
    timeoutMs = 40_000,
    since = 0,
  ): Promise<Heartbeat> {
    return waitFor(
      () => this.heartbeats.slice(since).find(cond),
      timeoutMs,
      () => `${what} (last heartbeat: ${JSON.stringify(this.last)?.slice(0, 1500)})`,
    );
  }

  appState(id: string): string | undefined {
    return this.last?.edgeApps?.find((a) => a.id === id)?.state;
  }

  /** Waits for a heartbeat after the last command saying edge app `id` is in `state`. */
  waitApp(id: string, state: string, timeoutMs = 40_000): Promise<Heartbeat> {
    return this.waitHeartbeat(
      (h) => h.edgeApps?.find((a) => a.id === id)?.state === state,
      `${id} ${state}`,
      timeoutMs,
      this.mark,
    );
  }

  linkStatus() {
    return this.node.watch("mqttagent", "MqttAgentStatus", MqttAgentStatusCodec).get("global");
  }

  /** The node's containers (Outpost's labels), name -> running. */
  containers(): { id: string; name: string; state: string; group: string }[] {
    const out = execFileSync(
      "docker",
      [
        "ps",
        "-a",
        "--filter",
        `label=org.outpost.node=${this.node.nodeLabel}`,
        "--format",
        '{{.ID}} {{.Names}} {{.State}} {{.Label "org.outpost.group"}}',
      ],
      { encoding: "utf8" },
    );
    return out
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const [id = "", name = "", state = "", group = ""] = l.split(" ");
        return { id, name, state, group };
      });
  }

  logs(container: string): string {
    const r = spawnSync("docker", ["logs", container], { encoding: "utf8" });
    return `${r.stdout}${r.stderr}`;
  }

  async cleanup(): Promise<void> {
    await this.client.endAsync(true).catch(() => undefined);
    const label = this.node.nodeLabel;
    await this.node.stop();
    const nets = spawnSync("docker", ["network", "ls", "-q", "--filter", `label=org.outpost.node=${label}`], {
      encoding: "utf8",
    })
      .stdout.split("\n")
      .filter(Boolean);
    if (nets.length) spawnSync("docker", ["network", "rm", ...nets], { stdio: "ignore" });
    await this.datastore.close();
    rmSync(this.datastoreDir, { recursive: true, force: true });
    await this.broker.stop();
  }
}

export function pipelineManifest(
  id: string,
  version: number,
  producer: ServedImage,
  consumer: ServedImage,
  extra: object = {},
) {
  return {
    id,
    name: "demo pipeline",
    version,
    modules: [
      { name: "producer", image: producer, env: { GREETING: "hi" } },
      { name: "consumer", image: consumer, ingressPort: 7000, ...extra },
    ],
  };
}
