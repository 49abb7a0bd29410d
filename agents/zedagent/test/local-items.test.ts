// Local overrides of config items (localapi's ConfigItemOverride) merged over the controller's: only
// allow-listed items, only valid values, the controller's value kept in `configured`.
import { describe, expect, it } from "vitest";
import { mergeLocalItems, resolveConfigItems } from "../src/config-items.js";
import { configItemStatus } from "../src/info.js";

describe("local config item overrides", () => {
  const controller = resolveConfigItems([
    { key: "timer.metric.interval", value: "60" },
    { key: "debug.default.loglevel", value: "info" },
  ]);

  it("puts valid allow-listed overrides in with source local", () => {
    const { map, refused } = mergeLocalItems(controller, {
      "timer.metric.interval": "5",
      "debug.default.loglevel": "debug",
    });
    expect(refused).toEqual([]);
    expect(map.items["timer.metric.interval"]).toEqual({ value: "5", source: "local", configured: "60" });
    expect(map.items["debug.default.loglevel"]).toEqual({
      value: "debug",
      source: "local",
      configured: "info",
    });
    expect(map.items["timer.config.interval"]).toEqual(controller.items["timer.config.interval"]);
  });

  it("refuses items off the allow-list and invalid values, keeping the controller's", () => {
    const { map, refused } = mergeLocalItems(controller, {
      "timer.config.interval": "1",
      "timer.metric.interval": "0",
      "debug.default.loglevel": "loud",
    });
    expect(refused.map((r) => r.item)).toEqual([
      "timer.config.interval",
      "timer.metric.interval",
      "debug.default.loglevel",
    ]);
    expect(map).toEqual(controller);
  });
});

describe("configItemStatus (reported to the controller)", () => {
  it("reports the items not at their default with the value in force; unknown ones apart", () => {
    const controller = resolveConfigItems([
      { key: "timer.metric.interval", value: "60" },
      { key: "timer.config.interval", value: "-5" },
      { key: "no.such.item", value: "x" },
    ]);
    const { map } = mergeLocalItems(controller, { "debug.default.loglevel": "debug" });
    const st = configItemStatus(map);
    expect(st?.configItems?.["timer.metric.interval"]).toEqual({ value: "60" });
    expect(st?.configItems?.["debug.default.loglevel"]).toEqual({ value: "debug" });
    expect(st?.configItems?.["timer.config.interval"]?.error).toBeTruthy();
    expect(st?.configItems?.["timer.send.timeout"]).toBeUndefined();
    expect(st?.unknownConfigItems?.["no.such.item"]?.value).toBe("x");
    expect(configItemStatus(undefined)).toBeUndefined();
  });
});
