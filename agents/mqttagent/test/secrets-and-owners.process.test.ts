// Secret parameters sealed with the organisation key reach the module's environment in clear and
// nowhere else (logs, heartbeats, status and pubsub tables); and a controller-driven app and an
// MQTT-driven one side by side, each manager's changes leaving the other's app alone.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { encryptSecret, nodeTopics } from "@outpost/mqttedge";
import {
  MQTT_TEST_TIMEOUT,
  MqttRig,
  PIPELINE_CONSUMER,
  PIPELINE_PRODUCER,
  pipelineManifest,
  waitFor,
} from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

/** Every regular file under `dir`, recursively. */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const inspect = (id: string) => JSON.parse(execFileSync("docker", ["inspect", id], { encoding: "utf8" }))[0];

describe("mqttagent: secrets and two managers", () => {
  let rig: MqttRig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it(
    "a sealed secret: clear in the module's env only; never in logs, heartbeats or pubsub tables",
    async () => {
      rig = await MqttRig.start({ heartbeatS: 2 });
      const r = rig;
      const key = randomBytes(32);
      const clear = `tok-${randomBytes(12).toString("hex")}`;
      await r.client.publishAsync(nodeTopics(r.nodeId).orgKey, key.toString("base64"), {
        qos: 1,
        retain: true,
      });
      const app = pipelineManifest(
        "sec",
        1,
        r.image("p", PIPELINE_PRODUCER),
        r.image("c", PIPELINE_CONSUMER),
        {
          secretEnv: { API_TOKEN: encryptSecret(key, clear) },
        },
      );
      await r.send({ command: "deploy", manifest: app });
      const up = await r.waitApp("sec", "running");
      const consumer = up.edgeApps?.[0]?.modules[1]?.containerId ?? "";
      expect(inspect(consumer).Config.Env).toContain(`API_TOKEN=${clear}`);
      // The module really has it (its length as it printed it), and the producer has none.
      await waitFor(() => r.logs(consumer).includes(`secret length ${clear.length}`), 10_000, "consumer up");
      const producer = up.edgeApps?.[0]?.modules[0]?.containerId ?? "";
      expect(inspect(producer).Config.Env.some((e: string) => e.startsWith("API_TOKEN="))).toBe(false);

      // Stored on the node 0600 in a 0700 directory, and nowhere else under the root in clear or base64.
      const dir = join(r.node.root, "persist", "mqttagent", "secrets");
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const secretFiles = readdirSync(dir);
      expect(secretFiles).toHaveLength(1);
      expect(statSync(join(dir, secretFiles[0] as string)).mode & 0o777).toBe(0o600);
      const needles = [
        clear,
        Buffer.from(clear).toString("base64"),
        Buffer.from(`API_TOKEN=${clear}`).toString("base64"),
      ];
      const leaks = files(r.node.root)
        .filter((f) => !f.startsWith(dir))
        .filter((f) => {
          const text = readFileSync(f).toString("latin1");
          return needles.some((n) => text.includes(n));
        });
      expect(leaks).toEqual([]);
      // Heartbeats (what the manager sees) and the status table.
      expect(r.heartbeats.some((h) => JSON.stringify(h).includes(clear))).toBe(false);
      expect(JSON.stringify(r.linkStatus())).not.toContain(clear);
      for (const [, s] of r.node.appStatus.entries()) expect(JSON.stringify(s)).not.toContain(clear);
      for (const [, d] of r.node.domainConfig.entries()) expect(JSON.stringify(d)).not.toContain(clear);
      // The mosquitto log holds no payloads; the test's own log neither.
      expect(r.broker.log()).not.toContain(clear);
    },
    MQTT_TEST_TIMEOUT,
  );

  it(
    "a controller app and an MQTT app side by side: a change on one side never touches the other",
    async () => {
      rig = await MqttRig.start({ heartbeatS: 2 });
      const r = rig;
      const n = r.node;
      // The controller's app, published as zedagent (what zedagent does with a controller config).
      const ctlImage = r.image("ctl", ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]);
      const ds = "11111111-1111-4111-8111-111111111111";
      const ct = "22222222-2222-4222-8222-222222222222";
      const vol = "33333333-3333-4333-8333-333333333333";
      const ctlApp = "44444444-4444-4444-8444-444444444444";
      await n.datastores.set(ds, {
        id: ds,
        type: "http",
        fqdn: r.datastore.host,
        path: "",
        username: "",
        password: "",
        caCertsPem: [],
        insecure: false,
      });
      await n.contentTrees.set(ct, {
        id: ct,
        datastoreId: ds,
        relativeUrl: "ctl.tar",
        format: "CONTAINER",
        sha256: ctlImage.sha256,
        maxSizeBytes: 0,
        displayName: "ctl",
        generation: 0,
      });
      await n.volumes.set(`${vol}#0`, {
        id: vol,
        generation: 0,
        origin: "download",
        contentTreeId: ct,
        maxSizeBytes: 0,
        readOnly: false,
        displayName: "ctl image",
      });
      const ctlConfig = {
        uuid: ctlApp,
        version: "1",
        displayName: "ctlapp",
        activate: true,
        resources: { memoryKiB: 0, vcpus: 0 },
        volumeRefs: [{ volumeId: vol, generation: 0, mountDir: "" }],
        restart: { counter: 0 },
        purge: { counter: 0 },
        userData: "",
        startDelaySeconds: 0,
        interfaces: [],
      };
      await n.apps.set(ctlApp, ctlConfig);
      await r.send({
        command: "deploy",
        manifest: pipelineManifest("mq", 1, r.image("p", PIPELINE_PRODUCER), r.image("c", PIPELINE_CONSUMER)),
      });
      await Promise.all([n.waitState(ctlApp, "RUNNING", 40_000), r.waitApp("mq", "running")]);
      const byManager = () => {
        const out: Record<string, string[]> = {};
        for (const c of r.containers()) {
          const m = inspect(c.id).Config.Labels["org.outpost.manager"] ?? "zedagent";
          out[m] = [...(out[m] ?? []), `${c.id} ${c.state}`].sort();
        }
        return out;
      };
      const both = byManager();
      expect(both.zedagent).toHaveLength(1);
      expect(both.mqttagent).toHaveLength(2);
      expect(n.appStatus.get(ctlApp)?.manager).toBeUndefined();

      // The controller stops its app: the MQTT app's containers are the same, still running.
      await n.apps.set(ctlApp, { ...ctlConfig, activate: false });
      await n.waitState(ctlApp, "HALTED", 30_000);
      expect(byManager().mqttagent).toEqual(both.mqttagent);
      await n.apps.set(ctlApp, ctlConfig);
      await n.waitState(ctlApp, "RUNNING", 30_000);
      const ctlRunning = byManager().zedagent;

      // The MQTT manager removes its app: the controller's app goes on, the same container.
      await r.send({ command: "remove", id: "mq" });
      await r.waitHeartbeat((h) => !h.edgeApps?.some((a) => a.id === "mq"), "mq removed", 40_000, r.mark);
      await waitFor(() => !byManager().mqttagent, 20_000, "MQTT containers gone");
      expect(byManager().zedagent).toEqual(ctlRunning);
      expect(n.appStatus.get(ctlApp)?.state).toBe("RUNNING");
    },
    MQTT_TEST_TIMEOUT,
  );
});
