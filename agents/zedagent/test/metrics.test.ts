// What zedagent reports, in the units EVE's fields mean (pure parts; metrics.process.test.ts reads them
// back against /proc/stat and the Docker engine): device CPU as seconds used since boot, app CPU from
// Docker's cumulative nanoseconds, the software that runs without invented A/B partitions, and an
// error's path as its entities.
import { eve } from "@outpost/evecloud";
import { makeError, viaPart } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { deviceInfo } from "../src/index.js";
import { errorInfo } from "../src/info.js";
import { appCpuMetric, deviceCpuMetric, parseProcStat } from "../src/metrics.js";

const STAT = `cpu  1000 20 300 50000 40 5 6 7 8 9
cpu0 500 10 150 25000 20 2 3 3 4 4
intr 12345 0 0
ctxt 999
btime 1700000000
processes 42
`;

describe("device cpuMetric", () => {
  it("parses /proc/stat: busy = user+nice+system+irq+softirq+steal ticks; iowait and guest are not added", () => {
    expect(parseProcStat(STAT)).toEqual({
      busyTicks: 1000 + 20 + 300 + 5 + 6 + 7,
      systemTicks: 300,
      bootMs: 1_700_000_000_000,
    });
    expect(() => parseProcStat("intr 1\n")).toThrow("/proc/stat");
    expect(deviceCpuMetric(parseProcStat(STAT))).toEqual({
      upTime: { seconds: 1_700_000_000, nanos: 0 },
      total: 13, // 1338 ticks at 100 Hz
      systemTotal: 3,
      total_ns: 13_380_000_000,
    });
  });
});

describe("app cpu", () => {
  it("is Docker's cumulative total_usage: total in whole seconds, total_ns as is", () => {
    expect(appCpuMetric(2_750_000_123, "2026-01-02T03:04:05.678Z")).toEqual({
      total: 2,
      total_ns: 2_750_000_123,
      upTime: { seconds: Date.parse("2026-01-02T03:04:05Z") / 1000, nanos: 678e6 },
    });
  });
});

describe("ZInfoDevice software list", () => {
  it("reports the running version without claiming an A/B partition", () => {
    const d = deviceInfo("dev", {
      machineArch: "x86_64",
      cpuArch: "x86_64",
      platform: "linux",
      ncpu: 2,
      memoryBytes: 2 ** 30,
      storageBytes: 2 ** 34,
      bootTime: "2026-01-01T00:00:00.000Z",
      hostname: "h",
      softwareVersion: "0.1.0",
      restartCounter: 0,
      rebootConfigCounter: 0,
      life: { state: "ONLINE", shutdownConfigCounter: 0, rebootInProgress: false, maintenanceMode: false },
    });
    expect(d.dinfo.swList).toEqual([
      { status: eve.info.ZSwState.RUNNING, shortVersion: "0.1.0", longVersion: "outpost 0.1.0" },
    ]);
    const sw = eve.info.ZInfoMsg.decode(eve.info.ZInfoMsg.encode(d).finish()).dinfo?.swList?.[0];
    expect(sw?.partitionLabel).toBe("");
    expect(sw?.activated).toBe(false);
  });

  it("with baseosmgr: one entry per slot, IMGA/IMGB, the failure on the slot that failed", () => {
    const d = deviceInfo("dev", {
      machineArch: "x86_64",
      cpuArch: "x86_64",
      platform: "linux",
      ncpu: 2,
      memoryBytes: 2 ** 30,
      storageBytes: 2 ** 34,
      bootTime: "2026-01-01T00:00:00.000Z",
      hostname: "h",
      softwareVersion: "0.1.0",
      restartCounter: 0,
      rebootConfigCounter: 0,
      life: { state: "ONLINE", shutdownConfigCounter: 0, rebootInProgress: false, maintenanceMode: false },
      slots: [
        {
          slot: "A",
          version: "0.1.0",
          partitionState: "active",
          activated: true,
          userStatus: "NONE",
          subStatus: "NONE_SUBSTATUS",
          subStatusStr: "",
          progress: 0,
          updateCounter: 1,
        },
        {
          slot: "B",
          version: "0.2.0",
          partitionState: "unused",
          activated: false,
          userStatus: "FALLBACK",
          subStatus: "NONE_SUBSTATUS",
          subStatusStr: "0.2.0 in slot B fell back to slot A",
          progress: 0,
          error: makeError("slot B (version 0.2.0) did not start"),
          updateCounter: 1,
        },
      ],
    });
    const m = eve.info.ZInfoMsg.decode(eve.info.ZInfoMsg.encode(d).finish()).dinfo;
    expect(m?.baseos_update_counter).toBe(1);
    const [a, b] = m?.swList ?? [];
    expect(a).toMatchObject({
      partitionLabel: "IMGA",
      partitionState: "active",
      activated: true,
      shortVersion: "0.1.0",
    });
    expect(a?.status).toBe(eve.info.ZSwState.RUNNING);
    expect(b).toMatchObject({
      partitionLabel: "IMGB",
      partitionState: "unused",
      activated: false,
      shortVersion: "0.2.0",
    });
    expect(b?.status).toBe(eve.info.ZSwState.ERROR);
    expect(b?.userStatus).toBe(eve.info.BaseOsStatus.FALLBACK);
    expect(b?.subStatus).toBe(eve.info.BaseOsSubStatus.NONE_SUBSTATUS);
    expect(b?.subStatusStr).toBe("0.2.0 in slot B fell back to slot A");
    expect(a?.userStatus).toBe(eve.info.BaseOsStatus.NONE);
    expect(b?.swErr?.description).toBe("slot B (version 0.2.0) did not start");
  });
});

describe("ErrorInfo path", () => {
  it("an error with a source has a path; a parent prepends the part that leads to it", () => {
    const e = makeError("sha256 mismatch", { source: { type: "ContentTree", id: "ct1", name: "web" } });
    expect(e.path).toEqual(["ContentTree/ct1"]);
    expect(makeError("no source").path).toBeUndefined();
    const up = viaPart(e, { type: "Volume", id: "v1" });
    expect(up).toMatchObject({ source: e.source, path: ["Volume/v1", "ContentTree/ct1"] });
    // Copying again through the same part does not repeat it.
    expect(viaPart(up, { type: "Volume", id: "v1" }).path).toEqual(["Volume/v1", "ContentTree/ct1"]);
  });

  it("goes to the controller as the error's entities, the source named", () => {
    const e = viaPart(makeError("bad", { source: { type: "ContentTree", id: "ct1", name: "web" } }), {
      type: "Volume",
      id: "v1",
    });
    expect(errorInfo(e)?.entities).toEqual([
      { entity: eve.info.Entity.ENTITY_VOLUME, entity_id: "v1", entity_name: "" },
      { entity: eve.info.Entity.ENTITY_CONTENT_TREE, entity_id: "ct1", entity_name: "web" },
    ]);
  });
});
