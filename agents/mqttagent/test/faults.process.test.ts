// Faults around an MQTT-managed node: a malformed manifest and an unknown command leave the running
// app untouched with a clear error; the last will is seen when mqttagent is killed; a broker restart
// and an agent restart converge with no duplicate container; a refusing broker shows in the status.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { nodeTopics } from "@outpost/mqttedge";
import {
  MQTT_TEST_TIMEOUT,
  MqttRig,
  PIPELINE_CONSUMER,
  PIPELINE_PRODUCER,
  pipelineManifest,
  TestMosquitto,
  waitFor,
} from "@outpost/testkit";
import { connectAsync } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";

describe("mqttagent faults", () => {
  let rig: MqttRig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it(
    "malformed manifest, unknown command, kill -9 (last will), broker restart, agent restart",
    async () => {
      rig = await MqttRig.start({ heartbeatS: 2 });
      const r = rig;
      await r.send({
        command: "deploy",
        manifest: pipelineManifest(
          "app1",
          1,
          r.image("p", PIPELINE_PRODUCER),
          r.image("c", PIPELINE_CONSUMER),
        ),
      });
      await r.waitApp("app1", "running");
      const ids = () =>
        r
          .containers()
          .map((c) => `${c.id} ${c.state}`)
          .sort();
      const running = ids();
      expect(running).toHaveLength(2);

      // Refused with a clear reason; the running app untouched.
      await r.send({ command: "deploy", manifest: { id: "bad", version: 1, modules: [{ name: "x" }] } });
      const bad = await r.waitHeartbeat(
        (h) => h.lastCommand?.id === "bad",
        "bad manifest answered",
        20_000,
        r.mark,
      );
      expect(bad.lastCommand).toMatchObject({ ok: false });
      expect(bad.lastCommand?.error).toMatch(/malformed manifest: manifest\.modules\[0\]\.image/);
      await r.send({
        command: "deploy",
        manifest: { apiVersion: "weeve/v9", id: "bad2", version: 1, modules: [] },
      });
      const unsupported = await r.waitHeartbeat(
        (h) => h.lastCommand?.id === "bad2",
        "unsupported",
        20_000,
        r.mark,
      );
      expect(unsupported.lastCommand?.error).toMatch(/unsupported manifest apiVersion "weeve\/v9"/);
      await r.send({ command: "reboot-everything", id: "app1" });
      const unknown = await r.waitHeartbeat(
        (h) => h.lastCommand?.command === "reboot-everything",
        "unknown command answered",
        20_000,
        r.mark,
      );
      expect(unknown.lastCommand?.error).toMatch(/unknown command "reboot-everything"/);
      await waitFor(
        () => /unknown command/.test(r.linkStatus()?.lastCommand?.error?.description ?? ""),
        10_000,
        "MqttAgentStatus.lastCommand.error",
      );
      expect(unknown.edgeApps?.map((a) => [a.id, a.state])).toEqual([["app1", "running"]]);
      expect(ids()).toEqual(running);

      // kill -9: a subscriber sees the last will (retained: "disconnected").
      const watcher = await connectAsync(r.broker.url, { clientId: `watch-${r.nodeId}` });
      const seen: string[] = [];
      watcher.on("message", (_t, p) => seen.push(JSON.parse(p.toString()).status));
      await watcher.subscribeAsync(nodeTopics(r.nodeId).status, { qos: 1 });
      r.agent?.kill("SIGKILL");
      await waitFor(
        () => seen.includes("disconnected"),
        15_000,
        () => `last will (seen ${seen})`,
      );
      await watcher.endAsync();

      // Restarted: it reconnects, takes its persisted apps, and nothing is duplicated.
      r.startAgent(2);
      r.mark = r.heartbeats.length;
      await r.waitApp("app1", "running");
      expect(ids()).toEqual(running);

      // The broker restarts (no persistence): the node reconnects, the heartbeat comes back.
      await r.broker.restart();
      r.mark = r.heartbeats.length;
      await r.waitHeartbeat(
        (h) => h.status === "connected",
        "heartbeat after the broker restart",
        30_000,
        r.mark,
      );
      await r.waitApp("app1", "running");
      expect(ids()).toEqual(running);
      // Commands still work on the new connection.
      await r.send({ command: "stop", id: "app1" });
      await r.waitApp("app1", "stopped");
    },
    MQTT_TEST_TIMEOUT,
  );

  it(
    "a broker that refuses the credentials: status refused with the reason, retried",
    async () => {
      const broker = await TestMosquitto.start({ users: { node: "right-password" } });
      rig = await MqttRig.start({ heartbeatS: 2 });
      const r = rig;
      try {
        r.agent?.kill("SIGKILL");
        const creds = join(r.node.root, "config", "mqtt", "credentials");
        writeFileSync(creds, "node\nwrong-password\n", { mode: 0o600 });
        writeFileSync(join(r.node.root, "config", "mqtt", "broker"), `${broker.url}\n`);
        r.agent = r.node.procs.start("mqttagent", [
          "--root",
          r.node.root,
          "--node-id",
          r.nodeId,
          "--reconnect-min-ms",
          "200",
          "--reconnect-max-ms",
          "1000",
        ]);
        const st = await waitFor(
          () => r.linkStatus()?.state === "refused" && r.linkStatus(),
          20_000,
          () => `refused (now ${JSON.stringify(r.linkStatus())})`,
        );
        expect(st.error?.description).toMatch(
          /refused the connection: .*(Not authorized|Bad username or password)/i,
        );
        expect(st.error?.retryCondition).toMatch(/retrying in \d+ s/);
        expect(JSON.stringify(st)).not.toContain("wrong-password");
        // Fixed credentials: it gets in on its next try.
        writeFileSync(creds, "node\nright-password\n", { mode: 0o600 });
        await waitFor(
          () => r.linkStatus()?.state === "connected",
          20_000,
          "connected with the right password",
        );
      } finally {
        await broker.stop();
      }
    },
    MQTT_TEST_TIMEOUT,
  );
});
