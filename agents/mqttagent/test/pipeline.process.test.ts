// An edge app of two modules deployed over MQTT (real mosquitto, real agents, real Docker): both run
// on the app's own network, the consumer receives the producer's lines by name, the heartbeat says so;
// then stop, resume, undeploy (containers gone, images kept) and remove (images and volumes gone).
import { execFileSync } from "node:child_process";
import {
  MQTT_TEST_TIMEOUT,
  MqttRig,
  PIPELINE_CONSUMER,
  PIPELINE_PRODUCER,
  pipelineManifest,
  waitFor,
} from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

const images = (label: string) =>
  execFileSync("docker", ["images", "-q", "--filter", `label=org.outpost.node=${label}`], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);

describe("mqttagent: a two-module pipeline over MQTT", () => {
  let rig: MqttRig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it(
    "deploy: both modules RUNNING, the consumer gets the producer's lines; stop, resume",
    async () => {
      rig = await MqttRig.start({ heartbeatS: 2 });
      const r = rig;
      const app = pipelineManifest(
        "demo",
        1,
        r.image("producer", PIPELINE_PRODUCER),
        r.image("consumer", PIPELINE_CONSUMER),
      );
      await r.waitHeartbeat((h) => h.status === "connected", "first heartbeat");
      await r.send({ command: "deploy", manifest: app });
      const up = await r.waitApp("demo", "running");
      const report = up.edgeApps?.find((a) => a.id === "demo");
      expect(report?.modules.map((m) => [m.name, m.state])).toEqual([
        ["producer", "RUNNING"],
        ["consumer", "RUNNING"],
      ]);
      const cs = r.containers();
      expect(cs).toHaveLength(2);
      expect(cs.every((c) => c.state === "running" && c.group === "demo")).toBe(true);
      const consumer = report?.modules[1]?.containerId ?? "";
      // The producer reaches "consumer" by name on the app's network and its lines arrive.
      await waitForLog(r, consumer, /line \d+ from producer/);
      expect(r.last?.lastCommand).toMatchObject({ command: "deploy", id: "demo", ok: true });

      // The same deploy again is harmless: nothing restarts, no second container.
      const before = r.heartbeats.length;
      await r.send({ command: "deploy", manifest: app });
      await r.waitHeartbeat(
        (h) => h.lastCommand?.at !== up.lastCommand?.at,
        "second deploy answered",
        20_000,
        before,
      );
      expect(
        r
          .containers()
          .map((c) => c.id)
          .sort(),
      ).toEqual(cs.map((c) => c.id).sort());

      await r.send({ command: "stop", id: "demo" });
      await r.waitApp("demo", "stopped");
      expect(r.containers().filter((c) => c.state === "running")).toEqual([]);
      await r.send({ command: "resume", id: "demo" });
      await r.waitApp("demo", "running");
      expect(r.containers().filter((c) => c.state === "running")).toHaveLength(2);
    },
    MQTT_TEST_TIMEOUT,
  );

  it(
    "undeploy removes the containers and keeps the images (a redeploy loads nothing); remove takes the images and volumes too",
    async () => {
      rig = await MqttRig.start({ heartbeatS: 2 });
      const r = rig;
      const app = pipelineManifest(
        "demo2",
        1,
        r.image("producer", PIPELINE_PRODUCER),
        r.image("consumer", PIPELINE_CONSUMER),
        {
          mounts: [{ volume: "store", path: "/store" }],
        },
      );
      await r.send({ command: "deploy", manifest: app });
      await r.waitApp("demo2", "running");
      const volumes = () =>
        execFileSync(
          "docker",
          ["volume", "ls", "-q", "--filter", `label=org.outpost.node=${r.node.nodeLabel}`],
          {
            encoding: "utf8",
          },
        )
          .split("\n")
          .filter(Boolean);
      expect(volumes()).toHaveLength(1);
      const loaded = images(r.node.nodeLabel);
      expect(loaded.length).toBeGreaterThanOrEqual(2);

      await r.send({ command: "undeploy", id: "demo2" });
      await r.waitApp("demo2", "undeployed");
      await waitForValue(() => r.containers().length === 0, "containers gone");
      expect(images(r.node.nodeLabel).sort()).toEqual(loaded.sort());

      // Deployed again: the kept images are used as they are, never collected and loaded again in
      // between (mqttagent holds them until remove, not only while undeployed).
      const loads = () => (r.node.log("volumemgr", 100_000).match(/loading image into Docker/g) ?? []).length;
      const loadsBefore = loads();
      await r.send({ command: "deploy", manifest: app });
      await r.waitApp("demo2", "running");
      expect(loads()).toBe(loadsBefore);
      expect(images(r.node.nodeLabel).sort()).toEqual(loaded.sort());
      await r.send({ command: "undeploy", id: "demo2" });
      await r.waitApp("demo2", "undeployed");
      await waitForValue(() => r.containers().length === 0, "containers gone again");

      await r.send({ command: "remove", id: "demo2" });
      await r.waitHeartbeat(
        (h) => !h.edgeApps?.some((a) => a.id === "demo2"),
        "demo2 gone from the heartbeat",
      );
      await waitForValue(
        () => images(r.node.nodeLabel).length === 0 && volumes().length === 0,
        "images and volumes gone",
      );
      // Twice is harmless.
      await r.send({ command: "remove", id: "demo2" });
      await r.waitHeartbeat(
        (h) => h.lastCommand?.command === "remove" && h.lastCommand.ok,
        "second remove answered",
      );
    },
    MQTT_TEST_TIMEOUT,
  );
});

async function waitForLog(r: MqttRig, container: string, re: RegExp): Promise<void> {
  await waitFor(
    () => re.test(r.logs(container)),
    20_000,
    () => `log ${re} in ${container}: ${r.logs(container)}`,
  );
}

async function waitForValue(cond: () => boolean, what: string): Promise<void> {
  await waitFor(cond, 30_000, what);
}
