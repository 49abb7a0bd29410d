// Inventory rows and warnings from info/metrics records as the device API stores them (decoded
// ZInfoMsg / ZMetricMsg JSON): pure, no store or server.
import { eve } from "@outpost/evecloud";
import { describe, expect, it } from "vitest";
import { buildDevice, type DeviceSource, fleetWarnings } from "../src/inventory/model.js";

const JSON_OPTS = { longs: Number, enums: String, bytes: String, defaults: false, oneofs: true } as const;
const info = (m: eve.info.ZInfoMsg.$Properties) =>
  eve.info.ZInfoMsg.toObject(eve.info.ZInfoMsg.decode(eve.info.ZInfoMsg.encode(m).finish()), JSON_OPTS);
const metrics = (m: eve.metrics.ZMetricMsg.$Properties) =>
  eve.metrics.ZMetricMsg.toObject(
    eve.metrics.ZMetricMsg.decode(eve.metrics.ZMetricMsg.encode(m).finish()),
    JSON_OPTS,
  );

const NOW = Date.parse("2026-12-02T12:00:00Z");
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

function source(
  o: { ip?: string; team?: string; seenAgoS?: number; interval?: string; geo?: eve.info.IGeoLoc } = {},
): DeviceSource {
  const at = ago(o.seenAgoS ?? 10);
  return {
    uuid: `u-${o.ip ?? "x"}-${o.team ?? ""}`,
    serial: `SN-${o.ip ?? "x"}`,
    registeredAt: ago(86_400),
    labels: { tags: ["lab"], team: o.team ?? "", location: "" },
    info: [
      {
        at,
        key: "device",
        value: info({
          ztype: eve.info.ZInfoTypes.ZiDevice,
          dinfo: {
            machineArch: "x86_64",
            cpuArch: "x86_64",
            platform: "outpost",
            ncpu: 4,
            memory: 7936,
            storage: 51200,
            HostName: "edge-1",
            minfo: { manufacturer: "ACME", productName: "Box 3" },
            state: eve.info.ZDeviceState.ZDEVICE_STATE_ONLINE,
            network: [
              {
                devName: "eth0",
                macAddr: "02:00:00:00:00:01",
                IPAddrs: [o.ip ?? "10.0.0.9", "fe80::1"],
                location: o.geo,
              },
              { devName: "eth1", macAddr: "02:00:00:00:00:02", networkErr: { description: "no carrier" } },
            ],
            swList: [
              { partitionLabel: "IMGA", activated: true, shortVersion: "0.1.2", partitionState: "active" },
              {
                partitionLabel: "IMGB",
                shortVersion: "0.2.0",
                partitionState: "unused",
                userStatus: eve.info.BaseOsStatus.FAILED,
                swErr: { description: "testing failed: zedagent did not connect" },
              },
            ],
            configItemStatus: { configItems: { "timer.config.interval": { value: o.interval ?? "120" } } },
          },
        }),
      },
      {
        at,
        key: "app/a1",
        value: info({
          ztype: eve.info.ZInfoTypes.ZiApp,
          ainfo: {
            AppID: "a1",
            AppName: "web",
            state: eve.info.ZSwState.RUNNING,
            network: [{ IPAddrs: ["10.1.0.10"], macAddr: "02:00:00:00:00:0a" }],
          },
        }),
      },
      {
        at,
        key: "app/a2",
        value: info({
          ztype: eve.info.ZInfoTypes.ZiApp,
          ainfo: {
            AppID: "a2",
            AppName: "db",
            state: eve.info.ZSwState.ERROR,
            appErr: [{ description: "image not found" }],
          },
        }),
      },
      { at, key: "app/a3", value: info({ ztype: eve.info.ZInfoTypes.ZiApp, ainfo: { AppID: "a3" } }) },
      {
        at,
        key: "volume/v1",
        value: info({
          ztype: eve.info.ZInfoTypes.ZiVolume,
          vinfo: {
            uuid: "v1",
            displayName: "web-root",
            state: eve.info.ZSwState.CREATED_VOLUME,
            progressPercentage: 100,
            resources: { curSizeBytes: 5 * 2 ** 20, maxSizeBytes: 64 * 2 ** 20 },
            usage: { refCount: 1 },
            generation_count: 2,
          },
        }),
      },
    ],
    metrics: {
      at,
      value: metrics({
        dm: {
          memory: { usedMem: 1000, availMem: 3000 },
          disk: [{ mountPath: "/persist", total: 51200, used: 1024 }],
          cpuMetric: { total: 321 },
        },
        am: [{ AppID: "a1", appMemory: { usedMB: 42 } }],
      }),
    },
  };
}

describe("inventory rows", () => {
  it("a device row holds what it reported: hardware, version and slots, network, usage, apps", () => {
    const { device, apps, volumes, warnings } = buildDevice(source(), NOW);
    expect(device).toMatchObject({
      serial: "SN-x",
      name: "edge-1",
      tags: ["lab"],
      state: "online",
      reportedState: "online",
      lastSeenAgeS: 10,
      pollIntervalS: 120,
      arch: "x86_64",
      cpus: 4,
      memoryMB: 7936,
      storageMB: 51200,
      manufacturer: "ACME",
      product: "Box 3",
      version: "0.1.2",
      slots: ["IMGA:0.1.2:active", "IMGB:0.2.0:unused"],
      updateState: "failed",
      ports: ["eth0/02:00:00:00:00:01", "eth1/02:00:00:00:00:02"],
      ips: ["10.0.0.9", "fe80::1"],
      macs: ["02:00:00:00:00:01", "02:00:00:00:00:02"],
      apps: 2,
      appsRunning: 1,
      appsError: 1,
      memUsedMB: 1000,
      memUsedPct: 25,
      diskUsedMB: 1024,
      diskTotalMB: 51200,
      cpuS: 321,
    });
    // the app reported with its id only (deleted) is left out
    expect(apps.map((a) => [a.name, a.state, a.error])).toEqual([
      ["web", "running", ""],
      ["db", "error", "image not found"],
    ]);
    expect(apps[0]).toMatchObject({ ips: ["10.1.0.10"], memUsedMB: 42, serial: "SN-x" });
    expect(volumes).toEqual([
      expect.objectContaining({
        uuid: "v1",
        name: "web-root",
        state: "created_volume",
        progressPct: 100,
        sizeMB: 5,
        maxSizeMB: 64,
        refCount: 1,
        generation: 2,
        error: "",
        tags: ["lab"],
      }),
    ]);
    expect(warnings.map((w) => w.kind).sort()).toEqual(["app-error", "baseos-error", "port-error"]);
    expect(device.warnings).toBe(3);
  });

  it("where the device is: its GNSS fix (ZInfoLocation) and its port's GeoLoc, beside the operator's label", () => {
    const plain = buildDevice(source(), NOW).device;
    expect(plain).toMatchObject({
      location: "",
      latitude: undefined,
      longitude: undefined,
      positionAt: "",
      geo: "",
    });

    const src = source({ geo: { UnderlayIP: "203.0.113.9", City: "Lyon", Country: "FR" } });
    src.labels.location = "plant 7";
    src.info.push({
      at: ago(5),
      key: "location",
      value: info({
        ztype: eve.info.ZInfoTypes.ZiLocation,
        locinfo: {
          latitude: 45.764,
          longitude: 4.8357,
          altitude: 170,
          utc_timestamp: { seconds: NOW / 1000 - 5, nanos: 0 },
          horizontal_reliability: eve.info.LocReliability.LOC_RELIABILITY_HIGH,
        },
      }),
    });
    expect(buildDevice(src, NOW).device).toMatchObject({
      location: "plant 7",
      latitude: 45.764,
      longitude: 4.8357,
      positionAt: ago(5),
      geo: "Lyon, FR",
    });
  });

  it("a volume in error is a warning", () => {
    const src = source();
    src.info.push({
      at: ago(1),
      key: "volume/v2",
      value: info({
        ztype: eve.info.ZInfoTypes.ZiVolume,
        vinfo: {
          uuid: "v2",
          displayName: "data",
          state: eve.info.ZSwState.ERROR,
          volumeErr: { description: "no space" },
        },
      }),
    });
    const w = buildDevice(src, NOW).warnings.find((x) => x.kind === "volume-error");
    expect(w?.message).toBe("volume data (v2) is in state error: no space");
  });

  it("a device silent for longer than 3 poll intervals is offline and warned about", () => {
    const fresh = buildDevice(source({ interval: "5", seenAgoS: 14 }), NOW);
    expect(fresh.device.state).toBe("online");
    const stale = buildDevice(source({ interval: "5", seenAgoS: 16 }), NOW);
    expect(stale.device.state).toBe("offline");
    expect(stale.warnings.find((w) => w.kind === "not-seen")?.message).toMatch(
      /not seen for 16 s, more than 3 poll intervals of 5 s/,
    );
  });

  it("the same IP on two devices of one team is a warning for both; other teams and link-local are not", () => {
    const rows = [
      buildDevice(source({ ip: "10.0.0.5", team: "red" }), NOW).device,
      {
        ...buildDevice(source({ ip: "10.0.0.5", team: "red" }), NOW).device,
        uuid: "other",
        serial: "SN-other",
      },
      buildDevice(source({ ip: "10.0.0.5", team: "blue" }), NOW).device,
    ];
    const w = fleetWarnings(rows);
    expect(w.map((x) => [x.serial, x.team])).toEqual([
      ["SN-10.0.0.5", "red"],
      ["SN-other", "red"],
    ]);
    expect(w[0]?.message).toBe('IP 10.0.0.5 is also used by SN-other in team "red"');
  });
});
