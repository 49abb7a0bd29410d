// mqttagent: edge apps (pipelines of modules) orchestrated over MQTT, run by the same app machinery
// as the controller's apps. Flags -> composition root; the work is in mqttagent.ts and its planners.
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { type AgentContext, intFlag, runAgent } from "@outpost/agentbase";
import { Backoff } from "@outpost/primitives";
import { Option } from "commander";
import { MqttAgent } from "./mqttagent.js";

export { applyCommand } from "./commands.js";
export { moduleUuid, plan, stableUuid, wiringEnv } from "./plan.js";

interface MqttFlags {
  broker?: string | undefined;
  nodeId?: string | undefined;
  nodeName?: string | undefined;
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  credentialsFile?: string | undefined;
  heartbeatS: number;
  heartbeatMs: number | undefined;
  subnetPool: string;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  keepaliveS: number;
  connectTimeoutMs: number;
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

export function run(argv: string[]): Promise<number> {
  return runAgent<MqttFlags>(
    {
      name: "mqttagent",
      description: "Edge apps (module pipelines) deployed, stopped and removed over MQTT, with a heartbeat",
      options: (cmd) =>
        cmd
          .option("--broker <url>", "mqtt://host:port or mqtts://host:port (default: config/mqtt/broker)")
          .option(
            "--node-id <id>",
            "the node's id in topics (default: config/mqtt/node-id, else the host name)",
          )
          .option("--node-name <name>", "the node's name in the heartbeat (default: config/mqtt/node-name)")
          .option("--ca-file <pem>", "CA certificate(s) for mqtts (default: config/mqtt/ca.pem if present)")
          .option("--cert-file <pem>", "client certificate (default: config/mqtt/client.pem if present)")
          .option("--key-file <pem>", "client key, 0600 (default: config/mqtt/client.key if present)")
          .option(
            "--credentials-file <file>",
            "username and password on two lines, 0600 (default: config/mqtt/credentials if present)",
          )
          .addOption(new Option("--heartbeat-s <s>", "heartbeat period").default("10"))
          .addOption(
            new Option(
              "--heartbeat-ms <ms>",
              "heartbeat period in ms (benchmarks), overrides --heartbeat-s",
            ).hideHelp(),
          )
          .addOption(
            new Option("--subnet-pool <cidr>", "a /16 whose /24s become the edge apps' networks").default(
              "10.213.0.0/16",
            ),
          )
          .addOption(new Option("--reconnect-min-ms <ms>", "first reconnect delay").default("1000"))
          .addOption(new Option("--reconnect-max-ms <ms>", "reconnect back-off cap").default("60000"))
          .addOption(new Option("--keepalive-s <s>", "MQTT keepalive").default("30"))
          .addOption(new Option("--connect-timeout-ms <ms>", "CONNACK wait").default("10000").hideHelp()),
      parse: (raw) => {
        const pool = String(raw.subnetPool);
        if (!/^\d+\.\d+\.0\.0\/16$/.test(pool)) throw new Error(`--subnet-pool ${pool}: expected a.b.0.0/16`);
        return {
          broker: str(raw.broker),
          nodeId: str(raw.nodeId),
          nodeName: str(raw.nodeName),
          caFile: str(raw.caFile),
          certFile: str(raw.certFile),
          keyFile: str(raw.keyFile),
          credentialsFile: str(raw.credentialsFile),
          heartbeatS: intFlag(raw.heartbeatS, "--heartbeat-s", 1),
          heartbeatMs:
            raw.heartbeatMs === undefined ? undefined : intFlag(raw.heartbeatMs, "--heartbeat-ms", 20),
          subnetPool: pool,
          reconnectMinMs: intFlag(raw.reconnectMinMs, "--reconnect-min-ms", 10),
          reconnectMaxMs: intFlag(raw.reconnectMaxMs, "--reconnect-max-ms", 10),
          keepaliveS: intFlag(raw.keepaliveS, "--keepalive-s", 1),
          connectTimeoutMs: intFlag(raw.connectTimeoutMs, "--connect-timeout-ms", 100),
        };
      },
      main,
    },
    argv,
  );
}

async function main(ctx: AgentContext<MqttFlags>): Promise<number | undefined> {
  const o = ctx.options;
  const dir = join(ctx.layout.config, "mqtt");
  const fromFile = (name: string) => {
    const f = join(dir, name);
    return existsSync(f) ? readFileSync(f, "utf8").trim() || undefined : undefined;
  };
  const ifExists = (name: string) => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
  const url = o.broker ?? fromFile("broker");
  if (!url || !/^mqtts?:\/\//.test(url)) {
    ctx.log.error(
      { broker: url ?? "" },
      "no broker: give --broker mqtt(s)://host:port or write config/mqtt/broker",
    );
    return 2;
  }
  const nodeId = o.nodeId ?? fromFile("node-id") ?? hostname();
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(nodeId)) {
    ctx.log.error({ nodeId }, "node id: letters, digits, _ . - (at most 64)");
    return 2;
  }
  const agent = await MqttAgent.start(ctx as AgentContext<unknown>, {
    nodeId,
    nodeName: o.nodeName ?? fromFile("node-name") ?? nodeId,
    heartbeatMs: o.heartbeatMs ?? o.heartbeatS * 1000,
    subnetPool: o.subnetPool,
    broker: {
      url,
      caFile: o.caFile ?? ifExists("ca.pem"),
      certFile: o.certFile ?? ifExists("client.pem"),
      keyFile: o.keyFile ?? ifExists("client.key"),
      credentialsFile: o.credentialsFile ?? ifExists("credentials"),
      keepaliveS: o.keepaliveS,
      connectTimeoutMs: o.connectTimeoutMs,
      backoff: new Backoff({ minMs: o.reconnectMinMs, maxMs: Math.max(o.reconnectMinMs, o.reconnectMaxMs) }),
    },
  });
  ctx.log.info({ nodeId, broker: url.replace(/\/\/[^@/]*@/, "//***@") }, "mqttagent running");
  await agent.run();
  return undefined;
}
