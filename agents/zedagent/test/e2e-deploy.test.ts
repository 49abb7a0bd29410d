// Issue 4 end to end: onboard -> ctl sets a config with an app from the controller's datastore ->
// container RUNNING -> the controller shows ZInfoApp RUNNING and metrics; new env -> recreated;
// app removed -> gone on the node and reported gone.
import { execFileSync } from "node:child_process";
import { idToUuid } from "@outpost/controller";
import { appDoc, idleApp, Rig, waitFor } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

function containers(label: string): string[] {
  return execFileSync("docker", ["ps", "-q", "--filter", `label=org.outpost.node=${label}`], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
}

describe("zedagent end to end with the reference controller", () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it("deploys, updates and removes an app; the controller sees info and metrics", async () => {
    rig = new Rig();
    await rig.startController();
    await rig.onboard();
    const server = `127.0.0.1:${rig.port}`;
    const image = rig.image("web", idleApp('echo "$GREETING"'));
    const web = idToUuid("web");
    rig.setConfig(appDoc({ server, image, apps: [{ id: "web", env: { GREETING: "one" } }] }));
    // DomainMetric every second instead of every 10 s: the app's figures reach the controller sooner.
    rig.agentArgs.domainmgr = ["--metrics-interval-ms", "1000"];
    rig.startAgents();

    const running = await rig.waitApp(web, (s) => s.state === "RUNNING", "web RUNNING");
    expect(running.env).toEqual({ GREETING: "one" });
    expect(containers(rig.nodeLabel)).toHaveLength(1);
    await rig.waitZedagent(
      (s) => s.configSource === "controller" && s.lastPollResult === "304",
      "304 polling",
    );

    await rig.waitInfo(
      (r) => r.some((x) => x.key === `app/${web}` && x.value.ainfo?.state === "RUNNING"),
      "ZInfoApp RUNNING on the controller",
    );
    const info = rig.info();
    expect(info.some((x) => x.key === "device")).toBe(true);
    expect(info.some((x) => x.key.startsWith("volume/"))).toBe(true);
    expect(info.some((x) => x.key.startsWith("contentTree/"))).toBe(true);
    // Metrics every 2 s (timer.metric.interval), with the app's own figures once domainmgr measured it.
    let metrics: { value: { dm?: { memory?: unknown }; am?: { AppID: string }[] } }[] = [];
    await waitFor(
      () => {
        const r = rig as Rig;
        metrics = r.ctlJson("metrics", r.serial, "--limit", "1");
        return metrics[0]?.value.am?.some((a) => a.AppID === web);
      },
      20_000,
      "the app's metrics on the controller",
      500,
    );
    expect(metrics[0]?.value.dm?.memory).toBeDefined();
    expect(metrics[0]?.value.am?.some((a) => a.AppID === web)).toBe(true);

    // New env: zedmanager recreates the container with it.
    rig.setConfig(appDoc({ server, image, apps: [{ id: "web", env: { GREETING: "two" } }] }));
    const updated = await rig.waitApp(
      web,
      (s) => s.state === "RUNNING" && s.env?.GREETING === "two" && s.containerId !== running.containerId,
      "web recreated with GREETING=two",
    );
    const env = execFileSync("docker", ["inspect", "-f", "{{json .Config.Env}}", updated.containerId ?? ""], {
      encoding: "utf8",
    });
    expect(env).toContain("GREETING=two");

    // Global config items (with their source) and the reboot counter for nodeagent, recorded only.
    const items = rig.table<{ items: Record<string, { value: string; source: string }> }>(
      "zedagent",
      "ConfigItemValueMap",
    ).global?.items;
    expect(items?.["timer.config.interval"]).toMatchObject({ value: "1", source: "controller" });
    expect(items?.["timer.deviceinfo.interval"]).toMatchObject({ value: "600", source: "default" });
    rig.setConfig(`${appDoc({ server, image, apps: [{ id: "web", env: { GREETING: "two" } }] })}reboot: 1\n`);
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const tick = () => {
        if (rig?.table<{ counter: number }>("zedagent", "DeviceOpsCmd").reboot?.counter === 1)
          return resolve();
        if (Date.now() - t0 > 30_000) return reject(new Error("DeviceOpsCmd counter not recorded"));
        setTimeout(tick, 250);
      };
      tick();
    });
    expect(rig.log("zedagent", 300)).toContain("reboot requested by the controller");
    expect(rig.app(web)?.containerId).toBe(updated.containerId);

    // Removed from the config: gone on the node, reported gone (ZInfoApp with only its id).
    rig.setConfig(appDoc({ server, image, apps: [] }));
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const tick = () => {
        if (rig?.app(web) === undefined && containers(rig?.nodeLabel ?? "").length === 0) return resolve();
        if (Date.now() - t0 > 60_000) return reject(new Error(`app not gone\n${rig?.logs()}`));
        setTimeout(tick, 250);
      };
      tick();
    });
    await rig.waitInfo(
      (r) =>
        r.some(
          (x) => x.key === `app/${web}` && x.value.ainfo?.state === undefined && !x.value.ainfo?.AppName,
        ),
      "ZInfoApp gone on the controller",
    );
  }, 300_000);
});
