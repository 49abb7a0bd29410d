// `outpost mqtt-manager`: drives MQTT-managed nodes from the command line, the manager's side of
// mqttagent. Publishes manifests and commands (QoS 1) and waits for the node's heartbeat to say what
// came of them; prints node status. Exit codes: 0 done, 1 refused by the node or not reached within
// --timeout-s, 2 usage, 3 the broker cannot be reached.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import {
  type EdgeAppReport,
  encryptSecret,
  type Heartbeat,
  keyFingerprint,
  nodeTopics,
  parseOrgKey,
  readCredentials,
} from "@outpost/mqttedge";
import { Command, Option } from "commander";
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";

const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

interface Common {
  broker: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  credentialsFile?: string;
  timeoutS: string;
  json?: boolean;
}

class Failed extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

async function open(o: Common): Promise<MqttClient> {
  const opts: IClientOptions = {
    clientId: `outpost-manager-${randomBytes(4).toString("hex")}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  };
  if (o.caFile) opts.ca = readFileSync(o.caFile);
  if (o.certFile) opts.cert = readFileSync(o.certFile);
  if (o.keyFile) opts.key = readFileSync(o.keyFile);
  if (o.broker.startsWith("mqtts:")) opts.rejectUnauthorized = true;
  if (o.credentialsFile) Object.assign(opts, readCredentials(o.credentialsFile));
  try {
    return await connectAsync(o.broker, opts);
  } catch (e) {
    throw new Failed(`cannot connect to ${o.broker}: ${(e as Error).message}`, EXIT.unreachable);
  }
}

/** Waits for a heartbeat of `nodeId` that satisfies `done` (the retained one counts). */
function awaitHeartbeat<T>(
  c: MqttClient,
  nodeId: string,
  timeoutMs: number,
  done: (h: Heartbeat) => T | undefined,
  what: string,
): Promise<T> {
  const topic = nodeTopics(nodeId).status;
  return new Promise((resolve, reject) => {
    let last: Heartbeat | undefined;
    const timer = setTimeout(() => {
      c.removeListener("message", onMessage);
      const seen = last ? `last heartbeat: ${summary(last)}` : "no heartbeat from the node";
      reject(new Failed(`timed out after ${timeoutMs / 1000} s waiting for ${what} (${seen})`, EXIT.failed));
    }, timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      try {
        last = JSON.parse(payload.toString()) as Heartbeat;
      } catch {
        return;
      }
      const r = done(last);
      if (r !== undefined) {
        clearTimeout(timer);
        c.removeListener("message", onMessage);
        resolve(r);
      }
    };
    c.on("message", onMessage);
    c.subscribe(topic, { qos: 1 });
  });
}

function summary(h: Heartbeat): string {
  const apps = (h.edgeApps ?? []).map((a) => `${a.id}=${a.state}`).join(", ");
  return `${h.status}${apps ? `, ${apps}` : ""}`;
}

function printStatus(h: Heartbeat, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(h, null, 2)}\n`);
    return;
  }
  const lines = [`node ${h.nodeId} (${h.nodeName}): ${h.status}${h.timestamp ? ` at ${h.timestamp}` : ""}`];
  if (h.resources) {
    const r = h.resources;
    const gib = (b: number) => (b / 2 ** 30).toFixed(1);
    lines.push(
      `  cpu ${r.cpuPercent}%  memory ${gib(r.memoryUsedBytes)}/${gib(r.memoryTotalBytes)} GiB  disk ${gib(r.diskUsedBytes)}/${gib(r.diskTotalBytes)} GiB`,
    );
  }
  if (h.orgKey) lines.push(`  organisation key ${h.orgKey}`);
  if (h.lastCommand) {
    const c = h.lastCommand;
    lines.push(`  last command: ${c.command} ${c.id} at ${c.at}: ${c.ok ? "ok" : `refused: ${c.error}`}`);
  }
  for (const a of h.edgeApps ?? []) {
    lines.push(
      `  edge app ${a.id} v${a.version} (${a.name || "-"}): ${a.state}${a.error ? ` - ${a.error}` : ""}`,
    );
    for (const m of a.modules)
      lines.push(
        `    ${m.name.padEnd(16)} ${m.state.padEnd(12)} ${m.containerId?.slice(0, 12) ?? ""}${m.error ? ` ${m.error}` : ""}`,
      );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Sends one command and waits until the node's heartbeat reports it (accepted or refused). */
async function send(
  o: Common,
  nodeId: string,
  message: object,
  command: string,
  id: string,
): Promise<number> {
  const c = await open(o);
  try {
    const sentAt = new Date().toISOString();
    const answer = awaitHeartbeat(
      c,
      nodeId,
      Number(o.timeoutS) * 1000,
      (h) => {
        const l = h.lastCommand;
        return l && l.at >= sentAt && l.command === command && l.id === id ? h : undefined;
      },
      `the node to take ${command} ${id}`,
    );
    await c.publishAsync(nodeTopics(nodeId).orchestration, JSON.stringify(message), { qos: 1 });
    const h = await answer;
    printStatus(h, o.json === true);
    if (!h.lastCommand?.ok) {
      process.stderr.write(`mqtt-manager: ${command} ${id} refused: ${h.lastCommand?.error}\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  } finally {
    await c.endAsync();
  }
}

function withCommon(cmd: Command): Command {
  return cmd
    .requiredOption("--broker <url>", "mqtt://host:port or mqtts://host:port")
    .option("--ca-file <pem>", "CA certificate(s) for mqtts")
    .option("--cert-file <pem>", "client certificate")
    .option("--key-file <pem>", "client key")
    .option("--credentials-file <file>", "username and password on two lines (0600)")
    .addOption(new Option("--timeout-s <s>", "how long to wait for the node's answer").default("30"))
    .option("--json", "print the heartbeat as JSON");
}

export async function run(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("mqtt-manager")
    .description("drive MQTT-managed Outpost nodes: deploy edge apps, stop/resume/undeploy/remove, status")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const act =
    <A extends unknown[]>(fn: (...a: A) => Promise<number>) =>
    async (...a: A) => {
      code = await fn(...a);
    };

  withCommon(
    program
      .command("deploy <nodeId> <manifest>")
      .description("deploy (or update to a newer version) the edge app of a manifest file (JSON)")
      .option("--org-key <file>", "seal the manifest's secretEnv values (clear in the file) with this key"),
  ).action(
    act(async (nodeId: string, file: string, o: Common & { orgKey?: string }) => {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as {
        id?: string;
        modules?: { secretEnv?: Record<string, string> }[];
      };
      if (o.orgKey) {
        const key = parseOrgKey(readFileSync(o.orgKey, "utf8"));
        for (const m of manifest.modules ?? [])
          for (const [k, v] of Object.entries(m.secretEnv ?? {}))
            (m.secretEnv as Record<string, string>)[k] = encryptSecret(key, v);
      }
      return send(o, nodeId, { command: "deploy", manifest }, "deploy", String(manifest.id ?? ""));
    }),
  );
  for (const [name, what] of [
    ["stop", "stop the edge app's modules (last first); volumes and images kept"],
    ["resume", "start a stopped or undeployed edge app again (first module first)"],
    ["undeploy", "remove the edge app's containers; its images are kept"],
    ["remove", "remove the edge app with its containers, volumes and images"],
  ] as const)
    withCommon(program.command(`${name} <nodeId> <appId>`).description(what)).action(
      act((nodeId: string, id: string, o: Common) => send(o, nodeId, { command: name, id }, name, id)),
    );
  withCommon(
    program
      .command("status <nodeId>")
      .description("print the node's last heartbeat (retained)")
      .option(
        "--wait <app=state>",
        "wait until edge app <app> is in <state> (running, stopped, undeployed, gone)",
      ),
  ).action(
    act(async (nodeId: string, o: Common & { wait?: string }) => {
      const c = await open(o);
      try {
        const [app, state] = (o.wait ?? "").split("=");
        const matches = (a: EdgeAppReport | undefined) => (state === "gone" ? !a : a?.state === state);
        const h = await awaitHeartbeat(
          c,
          nodeId,
          Number(o.timeoutS) * 1000,
          (hb) => (!o.wait || matches(hb.edgeApps?.find((a) => a.id === app)) ? hb : undefined),
          o.wait ? `${app} ${state}` : "a heartbeat",
        );
        printStatus(h, o.json === true);
        return EXIT.ok;
      } finally {
        await c.endAsync();
      }
    }),
  );
  withCommon(
    program
      .command("send-key <nodeId> <keyFile>")
      .description("send the organisation key to a node (retained)"),
  ).action(
    act(async (nodeId: string, file: string, o: Common) => {
      const key = parseOrgKey(readFileSync(file, "utf8"));
      const c = await open(o);
      try {
        await c.publishAsync(nodeTopics(nodeId).orgKey, key.toString("base64"), { qos: 1, retain: true });
        await awaitHeartbeat(
          c,
          nodeId,
          Number(o.timeoutS) * 1000,
          (h) => (h.orgKey === keyFingerprint(key) ? h : undefined),
          "the node to hold the key",
        );
        process.stdout.write(`node ${nodeId} holds organisation key ${keyFingerprint(key)}\n`);
        return EXIT.ok;
      } finally {
        await c.endAsync();
      }
    }),
  );
  program
    .command("gen-key <keyFile>")
    .description("write a new organisation key (base64 of 32 random bytes, mode 0600)")
    .action(
      act(async (file: string) => {
        const key = randomBytes(32);
        writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
        process.stdout.write(`organisation key ${keyFingerprint(key)} written to ${file}\n`);
        return EXIT.ok;
      }),
    );
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof Failed) {
      process.stderr.write(`mqtt-manager: ${e.message}\n`);
      return e.code;
    }
    const ce = e as { code?: string; exitCode?: number; message?: string };
    if (
      ce.code === "commander.helpDisplayed" ||
      ce.code === "commander.help" ||
      ce.code === "commander.version"
    )
      return EXIT.ok;
    if (ce.code?.startsWith("commander.")) return EXIT.usage;
    process.stderr.write(`mqtt-manager: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
  return code;
}
