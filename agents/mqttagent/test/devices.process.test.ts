// Devices of a manifest's module (real mosquitto, real agents, real Docker): the host's /dev/zero
// mapped to /dev/outpost-test in the module's container, which reads zeros from it; /dev/fuse with
// cgroup permission "r" only, which the container may open for reading and not for writing (/dev/zero
// is in Docker's default device allowlist, so its permissions cannot show; fuse is not, and opening it
// does nothing); a device outside /dev/ refuses the whole deploy with the reason in the heartbeat; a
// device the node does not have is the module's error in the heartbeat.
import { execFileSync } from "node:child_process";
import { MQTT_TEST_TIMEOUT, MqttRig, waitFor } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

const READER = [
  "sh",
  "-c",
  `trap 'exit 0' TERM
echo "read: $(head -c 4 /dev/outpost-test | od -An -tx1 | tr -s ' ')"
if (exec 3</dev/outpost-fuse); then echo "fuse read: allowed"; else echo "fuse read: refused"; fi
if (exec 4>/dev/outpost-fuse) 2>/dev/null; then echo "fuse write: allowed"; else echo "fuse write: refused"; fi
sleep 3600 & wait`,
];

describe("mqttagent: devices of a module", () => {
  let rig: MqttRig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it(
    "maps host devices with their cgroup permissions; refuses paths outside /dev/; a missing device is the module's error",
    async () => {
      rig = await MqttRig.start({ heartbeatS: 2 });
      const r = rig;
      const image = r.image("reader", READER);
      const app = (id: string, devices: object[]) => ({
        id,
        version: 1,
        modules: [{ name: "reader", image, devices }],
      });
      await r.waitHeartbeat((h) => h.status === "connected", "first heartbeat");

      // A path outside /dev/: the deploy is refused, nothing is created.
      await r.send({
        command: "deploy",
        manifest: app("bad", [{ host: "/etc/passwd", container: "/dev/x" }]),
      });
      const refused = await r.waitHeartbeat(
        (h) => h.lastCommand?.id === "bad",
        "refusal of bad",
        20_000,
        r.mark,
      );
      expect(refused.lastCommand).toMatchObject({
        ok: false,
        error: 'module 0 (reader): device host path "/etc/passwd": only paths under /dev/ can be mapped',
      });
      expect(refused.edgeApps?.some((a) => a.id === "bad")).toBe(false);

      await r.send({
        command: "deploy",
        manifest: app("dev", [
          { host: "/dev/zero", container: "/dev/outpost-test" },
          { host: "/dev/fuse", container: "/dev/outpost-fuse", permissions: "r" },
        ]),
      });
      const up = await r.waitApp("dev", "running");
      const id = up.edgeApps?.[0]?.modules[0]?.containerId ?? "";
      await waitFor(
        () => /fuse write: /.test(r.logs(id)),
        20_000,
        () => `reader output: ${r.logs(id)}`,
      );
      expect(r.logs(id)).toMatch(/read: +00 00 00 00/);
      expect(r.logs(id)).toContain("fuse read: allowed");
      expect(r.logs(id)).toContain("fuse write: refused");
      const devices = JSON.parse(
        execFileSync("docker", ["inspect", "--format", "{{json .HostConfig.Devices}}", id], {
          encoding: "utf8",
        }),
      );
      expect(devices).toEqual([
        { PathOnHost: "/dev/zero", PathInContainer: "/dev/outpost-test", CgroupPermissions: "rwm" },
        { PathOnHost: "/dev/fuse", PathInContainer: "/dev/outpost-fuse", CgroupPermissions: "r" },
      ]);

      // A device this node does not have: accepted (it may be plugged in later), the module's error says why.
      await r.send({ command: "deploy", manifest: app("nodev", [{ host: "/dev/outpost-no-such-device" }]) });
      const failed = await r.waitApp("nodev", "error");
      expect(failed.edgeApps?.find((a) => a.id === "nodev")?.error).toMatch(
        /^reader: cannot start container: .*"\/dev\/outpost-no-such-device": no such file or directory \(retrying at /,
      );
      // The app that runs is untouched.
      expect(failed.edgeApps?.find((a) => a.id === "dev")?.state).toBe("running");
    },
    MQTT_TEST_TIMEOUT,
  );
});
