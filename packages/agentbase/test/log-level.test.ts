// Log levels from the controller's config items (EVE's names), pure.
import { describe, expect, it } from "vitest";
import { isLogLevelItem, logLevelFromItems, parseLogLevel } from "../src/log-level.js";

const ctl = (value: string) => ({ value, source: "controller" });

describe("log level items", () => {
  it("knows EVE's item names, default and per agent, local and remote", () => {
    for (const k of [
      "debug.default.loglevel",
      "debug.default.remote.loglevel",
      "debug.zedagent.loglevel",
      "agent.zedagent.debug.loglevel",
      "agent.zedagent.debug.remote.loglevel",
      "debug.syslog.loglevel",
    ])
      expect(isLogLevelItem(k), k).toBe(true);
    for (const k of ["timer.config.interval", "debug.loglevel", "agent.x.loglevel"])
      expect(isLogLevelItem(k), k).toBe(false);
  });

  it("reads logrus and syslog names", () => {
    expect(parseLogLevel("Warning")).toBe("warn");
    expect(parseLogLevel("panic")).toBe("fatal");
    expect(parseLogLevel("err")).toBe("error");
    expect(parseLogLevel("notice")).toBe("info");
    expect(parseLogLevel("trace")).toBe("trace");
    expect(parseLogLevel("loud")).toBeUndefined();
  });

  it("takes the most specific item the controller set, else the agent's own level", () => {
    const items = {
      "debug.default.loglevel": ctl("warning"),
      "debug.a.loglevel": ctl("debug"),
      "agent.b.debug.loglevel": ctl("error"),
      "debug.b.loglevel": ctl("trace"),
      "agent.c.debug.loglevel": ctl("nonsense"),
      "debug.d.loglevel": { value: "debug", source: "invalid" },
    };
    expect(logLevelFromItems("a", items, "info")).toEqual({ level: "debug", item: "debug.a.loglevel" });
    expect(logLevelFromItems("b", items, "info")).toEqual({ level: "error", item: "agent.b.debug.loglevel" });
    expect(logLevelFromItems("c", items, "info")).toEqual({ level: "warn", item: "debug.default.loglevel" });
    expect(logLevelFromItems("d", items, "info")).toEqual({ level: "warn", item: "debug.default.loglevel" });
    expect(logLevelFromItems("a", undefined, "debug")).toEqual({ level: "debug" });
    expect(
      logLevelFromItems("a", { "debug.default.loglevel": { value: "error", source: "default" } }, "info"),
    ).toEqual({
      level: "info",
    });
  });
});
