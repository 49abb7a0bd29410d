import { eve } from "@outpost/evecloud";
import { DecodeError } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { buildEdgeDevConfig, DOC_LIMITS, decodeConfigDoc, idToUuid } from "../src/config-doc.js";

const doc = {
  datastores: [{ id: "ds", fqdn: "http://127.0.0.1:9" }],
  contentTrees: [{ id: "img", datastore: "ds", url: "a.tar" }],
  volumes: [{ id: "vol", contentTree: "img" }, { id: "blank" }],
  apps: [
    { id: "web", name: "web", volumes: [{ id: "vol" }], env: { A: "1" } },
    { id: "db", name: "db", volumes: [{ id: "blank", mountDir: "/data" }] },
  ],
  configItems: { "timer.config.interval": "5" },
  reboot: 2,
};

describe("config documents", () => {
  it("names become stable UUIDs; UUIDs stay", () => {
    expect(idToUuid("web")).toBe(idToUuid("web"));
    expect(idToUuid("web")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idToUuid("0F0E0D0C-0000-4000-8000-000000000001")).toBe("0f0e0d0c-0000-4000-8000-000000000001");
  });

  it("refuses unknown keys, duplicates and dangling references with the path", () => {
    expect(() => decodeConfigDoc({ apps: [{ id: "a", name: "a", enviroment: {} }] })).toThrow(
      /apps\[0\]\.enviroment/,
    );
    expect(() => decodeConfigDoc({ ...doc, volumes: [{ id: "vol", contentTree: "nope" }] })).toThrow(
      DecodeError,
    );
    expect(() => decodeConfigDoc({ ...doc, apps: [doc.apps[0], doc.apps[0]] })).toThrow(/apps\[1\]\.id/);
    expect(() => decodeConfigDoc({ ...doc, apps: [{ id: "x", name: "x", env: {}, userData: "" }] })).toThrow(
      /env or userData/,
    );
    expect(() => decodeConfigDoc({ reboot: -1 })).toThrow(/reboot/);
  });

  it("builds EdgeDevConfig; unchanged objects keep their version", () => {
    const d1 = decodeConfigDoc(doc);
    const b1 = buildEdgeDevConfig("dev", d1, 1);
    const c = b1.config;
    expect(c.id).toEqual({ uuid: "dev", version: "1" });
    expect(c.reboot).toEqual({ counter: 2 });
    expect(c.shutdown).toEqual({ counter: 0 });
    expect(c.maintenance_mode).toBe(false);
    const m = buildEdgeDevConfig(
      "dev",
      decodeConfigDoc({ ...doc, shutdown: 3, maintenanceMode: true }),
      2,
    ).config;
    expect(m).toMatchObject({ shutdown: { counter: 3 }, maintenance_mode: true });
    expect(c.volumes?.[1]?.origin?.type).toBe(eve.config.VolumeContentOriginType.VCOT_BLANK);
    expect(c.apps?.[1]?.volumeRefList?.[0]).toMatchObject({ uuid: idToUuid("blank"), mount_dir: "/data" });
    expect(Buffer.from(c.apps?.[0]?.userData ?? "", "base64").toString()).toBe("A=1");
    // encodes and decodes
    const back = eve.config.EdgeDevConfig.decode(eve.config.EdgeDevConfig.encode(c).finish());
    expect(back.apps.map((a) => a.displayname)).toEqual(["web", "db"]);

    const d2 = decodeConfigDoc({ ...doc, apps: [{ ...doc.apps[0], env: { A: "2" } }, doc.apps[1]] });
    const b2 = buildEdgeDevConfig("dev", d2, 2, b1.objectVersions);
    expect(b2.config.apps?.map((a) => a.uuidandversion?.version)).toEqual(["2", "1"]);
  });

  it("refuses keys a plain object inherits (constructor, toString, __proto__) as unknown fields", () => {
    for (const k of ["constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect(() => decodeConfigDoc({ [k]: 1 })).toThrow(
        new RegExp(`^${k}: expected one of the config fields`),
      );
      expect(() => decodeConfigDoc({ apps: [{ id: "a", name: "a", [k]: 1 }] })).toThrow(
        new RegExp(`apps\\[0\\]\\.${k}: expected one of the app fields`),
      );
    }
    // JSON.parse makes "__proto__" an own key (an object literal would set the prototype instead).
    const proto = JSON.parse('{"datastores": [{"id": "d", "fqdn": "x", "__proto__": {"password": "p"}}]}');
    expect(() => decodeConfigDoc(proto)).toThrow(/datastores\[0\]\.__proto__: expected one of the datastore/);
    const envProto = JSON.parse('{"apps": [{"id": "a", "name": "a", "env": {"__proto__": "x"}}]}');
    expect(() => decodeConfigDoc(envProto)).toThrow(/apps\[0\]\.env\.__proto__: expected a name other than/);
  });

  it("caps the number of objects, naming the list", () => {
    const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
    const apps = (n: number) => many(n, (i) => ({ id: `a${i}`, name: `a${i}` }));
    expect(decodeConfigDoc({ apps: apps(DOC_LIMITS.apps) }).apps).toHaveLength(DOC_LIMITS.apps);
    expect(() => decodeConfigDoc({ apps: apps(50_000) })).toThrow(
      /^apps: expected at most 256 apps, got number 50000$/,
    );
    expect(() =>
      decodeConfigDoc({ volumes: many(DOC_LIMITS.volumes + 1, (i) => ({ id: `v${i}` })) }),
    ).toThrow(/^volumes: expected at most 512 volumes/);
    expect(() =>
      decodeConfigDoc({ datastores: many(DOC_LIMITS.datastores + 1, (i) => ({ id: `d${i}`, fqdn: "x" })) }),
    ).toThrow(/^datastores: expected at most 64 datastores/);
    expect(() =>
      decodeConfigDoc({
        contentTrees: many(DOC_LIMITS.contentTrees + 1, (i) => ({ id: `c${i}`, datastore: "d", url: "u" })),
      }),
    ).toThrow(/^contentTrees: expected at most 512 content trees/);
    const env = Object.fromEntries(many(DOC_LIMITS.envEntries + 1, (i) => [`E${i}`, "v"]));
    expect(() => decodeConfigDoc({ apps: [{ id: "a", name: "a", env }] })).toThrow(
      /^apps\[0\]\.env: expected at most 256 env entries/,
    );
    const items = Object.fromEntries(many(DOC_LIMITS.configItems + 1, (i) => [`k${i}`, "v"]));
    expect(() => decodeConfigDoc({ configItems: items })).toThrow(/^configItems: expected at most 1024/);
    const refs = many(DOC_LIMITS.appVolumes + 1, () => ({ id: "v" }));
    expect(() => decodeConfigDoc({ apps: [{ id: "a", name: "a", volumes: refs }] })).toThrow(
      /^apps\[0\]\.volumes: expected at most 32 volumes per app/,
    );
  });

  it("caps string lengths, naming the field", () => {
    const long = (n: number) => "x".repeat(n);
    expect(() => decodeConfigDoc({ apps: [{ id: long(257), name: "a" }] })).toThrow(
      /^apps\[0\]\.id: expected at most 256 characters/,
    );
    expect(
      decodeConfigDoc({ datastores: [{ id: "d", fqdn: "x", password: long(4096) }] }).datastores[0]?.password,
    ).toHaveLength(4096);
    expect(() => decodeConfigDoc({ datastores: [{ id: "d", fqdn: "x", password: long(4097) }] })).toThrow(
      /^datastores\[0\]\.password: expected at most 4096 characters/,
    );
    expect(() => decodeConfigDoc({ apps: [{ id: "a", name: "a", env: { A: long(4097) } }] })).toThrow(
      /^apps\[0\]\.env\.A: expected at most 4096/,
    );
    expect(() => decodeConfigDoc({ apps: [{ id: "a", name: "a", userData: long(128 * 1024 + 1) }] })).toThrow(
      /^apps\[0\]\.userData: expected at most 131072 characters/,
    );
    // Each env entry within its caps, together too large for userData.
    const env = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`E${i}`, long(4000)]));
    expect(() => decodeConfigDoc({ apps: [{ id: "a", name: "a", env }] })).toThrow(
      /^apps\[0\]\.env: expected env of at most 131072 characters once encoded as userData/,
    );
  });

  it("validates env names and values", () => {
    const app = (env: Record<string, string>) => ({ apps: [{ id: "a", name: "a", env }] });
    expect(decodeConfigDoc(app({ PATH_2: "/bin", "dotted.name": "ok" })).apps[0]?.env).toEqual({
      PATH_2: "/bin",
      "dotted.name": "ok",
    });
    expect(() => decodeConfigDoc(app({ "A=B": "1" }))).toThrow(
      /^apps\[0\]\.env\.A=B: expected an env name without '='/,
    );
    expect(() => decodeConfigDoc(app({ "": "1" }))).toThrow(
      /^apps\[0\]\.env\.: expected a non-empty env name/,
    );
    expect(() => decodeConfigDoc(app({ "A\u0000B": "1" }))).toThrow(/expected an env name without '=', NUL/);
    expect(() => decodeConfigDoc(app({ "A\nB": "1" }))).toThrow(/expected an env name without '=', NUL/);
    // A line break in a value would make a second KEY=VALUE line in userData.
    expect(() => decodeConfigDoc(app({ A: "1\nEVIL=1" }))).toThrow(
      /^apps\[0\]\.env\.A: expected an env value without NUL or line breaks/,
    );
  });
});

describe("ports and networks (nim's DPC from the controller)", () => {
  it("become networks and systemAdapterList; references and static addresses are checked", () => {
    const doc = decodeConfigDoc({
      networks: [
        {
          id: "lan",
          dhcp: "static",
          subnet: "192.0.2.0/24",
          gateway: "192.0.2.1",
          dns: ["192.0.2.53"],
          ntp: ["192.0.2.123"],
        },
        { id: "office", proxy: "http://proxy.example:3128", proxyExceptions: ".local" },
      ],
      ports: [
        { name: "uplink", ifname: "eth0", network: "lan", addr: "192.0.2.5" },
        { name: "eth1", network: "office", uplink: false },
      ],
    });
    const { config } = buildEdgeDevConfig("dev", doc, 1);
    const wire = eve.config.EdgeDevConfig.decode(eve.config.EdgeDevConfig.encode(config).finish());
    expect(wire.networks[0]).toMatchObject({
      id: idToUuid("lan"),
      ip: {
        dhcp: eve.common.DHCPType.Static,
        subnet: "192.0.2.0/24",
        gateway: "192.0.2.1",
        dns: ["192.0.2.53"],
        ntp: "192.0.2.123",
      },
    });
    expect(wire.networks[1]?.ip?.dhcp).toBe(eve.common.DHCPType.Client);
    expect(wire.networks[1]?.entProxy).toMatchObject({
      networkProxyURL: "http://proxy.example:3128",
      exceptions: ".local",
    });
    expect(
      wire.systemAdapterList.map((a) => [a.name, a.lowerLayerName, a.uplink, a.networkUUID, a.addr]),
    ).toEqual([
      ["uplink", "eth0", true, idToUuid("lan"), "192.0.2.5"],
      ["eth1", "eth1", false, idToUuid("office"), ""],
    ]);
    expect(() => decodeConfigDoc({ ports: [{ name: "u", network: "nope" }] })).toThrow(/ports\[0\]\.network/);
    expect(() =>
      decodeConfigDoc({
        networks: [{ id: "n", dhcp: "static", subnet: "10.0.0.0/24" }],
        ports: [{ name: "u", network: "n" }],
      }),
    ).toThrow(/ports\[0\]\.addr/);
    expect(() => decodeConfigDoc({ networks: [{ id: "n", dhcp: "static" }] })).toThrow(
      /networks\[0\]\.subnet/,
    );
  });
});
