// A local override of a config item end to end: the reference controller and a real zedagent (testkit
// Rig), localapi beside it. PUT /v1/config-items sets debug.default.loglevel; zedagent merges it over
// the controller's items (ConfigItemValueMap source "local", the controller's value kept in
// `configured`), every agent following the items changes its log level (zedagent's own log says so);
// the controller sees the value in force in ZInfoDevice configItemStatus (ctl devices get configItems);
// "" removes it and the controller's value is back.
import { join } from "node:path";
import { Rig, waitFor } from "@outpost/testkit";
import type { ConfigItemValueMap } from "@outpost/types";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "./client.js";

describe("config item overrides through zedagent", () => {
  const rig = new Rig();
  afterAll(() => rig.cleanup());

  it("sets, reports and removes a local log level", async () => {
    await rig.startController();
    await rig.onboard();
    rig.setConfig('configItems:\n  timer.config.interval: "1"\n  debug.default.loglevel: "info"\n');
    rig.startAgents(["zedagent"]);
    rig.procs.start("localapi", ["--root", rig.nroot, "--op-timeout-ms", "20000"]);
    await rig.waitZedagent((s) => s.configSource === "controller", "the first config");
    const api = { socketPath: join(rig.nroot, "run", "localapi", "api.sock") };
    const items = () => rig.table<ConfigItemValueMap>("zedagent", "ConfigItemValueMap").global?.items ?? {};

    const set = await waitFor(
      () =>
        call(api, "PUT", "/v1/config-items", { "debug.default.loglevel": "debug" }).catch(() => undefined),
      15_000,
    );
    expect(set).toMatchObject({ status: 200, body: { result: "done" } });
    expect(items()["debug.default.loglevel"]).toEqual({
      value: "debug",
      source: "local",
      configured: "info",
    });
    await waitFor(
      () => /"msg":"log level debug \(config item debug\.default\.loglevel\)"/.test(rig.log("zedagent", 200)),
      15_000,
      () => rig.log("zedagent", 50),
    );
    // Reported upward: the controller sees the value the device uses (ZInfoDevice configItemStatus).
    const reported = () =>
      rig.ctlJson<{ configItems?: Record<string, string> }>("devices", "get", rig.serial).configItems ?? {};
    await waitFor(
      () => reported()["debug.default.loglevel"] === "debug",
      20_000,
      () => `ctl devices get configItems: ${JSON.stringify(reported())}`,
    );
    expect(reported()["timer.config.interval"]).toBe("1");

    const removed = await call(api, "PUT", "/v1/config-items", { "debug.default.loglevel": "" });
    expect(removed).toMatchObject({ status: 200, body: { result: "done", localOverrides: {} } });
    expect(items()["debug.default.loglevel"]).toMatchObject({ value: "info", source: "controller" });
    await waitFor(
      () => reported()["debug.default.loglevel"] === "info",
      20_000,
      () => `ctl devices get configItems: ${JSON.stringify(reported())}`,
    );
  }, 120_000);
});
