import { eve } from "@outpost/evecloud";
import type { InfoQueueEntry } from "@outpost/types";
import { describe, expect, it } from "vitest";
import {
  ConfigParseError,
  diffTable,
  mapDatastore,
  nextPollDelayMs,
  parseEdgeDevConfig,
  ReportQueue,
  resolveConfigItems,
} from "../src/index.js";

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function config(
  over: Partial<eve.config.EdgeDevConfig.$Properties> = {},
): eve.config.EdgeDevConfig.$Properties {
  return {
    id: { uuid: U(99), version: "3" },
    datastores: [{ id: U(1), dType: eve.config.DsType.DsHttp, fqdn: "http://127.0.0.1:8080", dpath: "ds" }],
    contentInfo: [
      {
        uuid: U(2),
        dsId: U(1),
        URL: "app.tar",
        iformat: eve.config.Format.CONTAINER,
        sha256: "AB".repeat(32),
        displayName: "img",
      },
    ],
    volumes: [
      {
        uuid: U(3),
        origin: { type: eve.config.VolumeContentOriginType.VCOT_DOWNLOAD, downloadContentTreeID: U(2) },
        generationCount: 2,
      },
    ],
    apps: [
      {
        uuidandversion: { uuid: U(4), version: "3" },
        displayname: "web",
        activate: true,
        fixedresources: { memory: 65536, vcpus: 1 },
        volumeRefList: [{ uuid: U(3), generationCount: 2 }],
        restart: { counter: 1 },
        userData: Buffer.from("A=1").toString("base64"),
      },
    ],
    configItems: [
      { key: "timer.config.interval", value: "5" },
      { key: "timer.metric.interval", value: "0" },
      { key: "made.up", value: "x" },
    ],
    reboot: { counter: 2 },
    shutdown: { counter: 4 },
    maintenance_mode: true,
    ...over,
  };
}

describe("parseEdgeDevConfig", () => {
  it("maps every object into its table with the keys volumemgr and zedmanager use", () => {
    const t = parseEdgeDevConfig(config());
    expect(t.datastores.get(U(1))).toMatchObject({ type: "http", fqdn: "http://127.0.0.1:8080", path: "ds" });
    expect(t.contentTrees.get(U(2))).toMatchObject({
      datastoreId: U(1),
      relativeUrl: "app.tar",
      sha256: "ab".repeat(32),
    });
    expect([...t.volumes.keys()]).toEqual([`${U(3)}#2`]);
    expect(t.volumes.get(`${U(3)}#2`)).toMatchObject({
      origin: "download",
      contentTreeId: U(2),
      generation: 2,
    });
    expect(t.apps.get(U(4))).toMatchObject({
      displayName: "web",
      version: "3",
      resources: { memoryKiB: 65536, vcpus: 1 },
      volumeRefs: [{ volumeId: U(3), generation: 2 }],
      restart: { counter: 1 },
    });
    expect(t.reboot.counter).toBe(2);
    expect(t.shutdown.counter).toBe(4);
    expect(t.maintenance).toBe(true);
    expect(t.configItems.items["timer.config.interval"]).toMatchObject({ value: "5", source: "controller" });
    expect(t.configItems.items["timer.metric.interval"]).toMatchObject({ value: "60", source: "invalid" });
    expect(t.configItems.items["made.up"]).toMatchObject({ value: "x", source: "unknown" });
    expect(t.configItems.items["timer.deviceinfo.interval"]).toMatchObject({
      value: "600",
      source: "default",
    });
  });

  it("refuses the whole config for what cannot be applied", () => {
    expect(() =>
      parseEdgeDevConfig(config({ datastores: [{ id: U(1), dType: eve.config.DsType.DsS3 }] })),
    ).toThrow(ConfigParseError);
    expect(() =>
      parseEdgeDevConfig(
        config({ contentInfo: [{ uuid: U(2), dsId: U(1), URL: "x", iformat: eve.config.Format.QCOW2 }] }),
      ),
    ).toThrow(/format/);
    expect(() => parseEdgeDevConfig(config({ apps: [{ displayname: "no id" }] }))).toThrow(/app uuid/);
    const twice = config();
    twice.apps = [...(twice.apps ?? []), ...(twice.apps ?? [])];
    expect(() => parseEdgeDevConfig(twice)).toThrow(/twice/);
  });

  it("baseos: a RAW content tree and BaseOsConfig for baseosmgr; none without content_tree_uuid", () => {
    const t = parseEdgeDevConfig(
      config({
        contentInfo: [
          { uuid: U(7), dsId: U(1), URL: "outpost-0.2.0.tar.gz", iformat: eve.config.Format.RAW },
        ],
        volumes: [],
        apps: [],
        baseos: {
          content_tree_uuid: U(7),
          base_os_version: "0.2.0",
          activate: true,
          retry_update: { counter: 2 },
        },
      }),
    );
    expect(t.contentTrees.get(U(7))?.format).toBe("RAW");
    expect(t.baseos).toEqual({ contentTreeId: U(7), version: "0.2.0", activate: true, retryCounter: 2 });
    expect(parseEdgeDevConfig(config()).baseos).toBeUndefined();
    expect(() => parseEdgeDevConfig(config({ baseos: { content_tree_uuid: U(7) } }))).toThrow(
      /base_os_version/,
    );
  });

  it("datastores: https trusts the node's root, registries http:// are plain-http", () => {
    const https = mapDatastore(
      { id: "d", dType: eve.config.DsType.DsHttps, fqdn: "https://c:8443" },
      { extraCaPems: ["ROOT"] },
    );
    expect(https).toMatchObject({ type: "https", caCertsPem: ["ROOT"] });
    const local = mapDatastore({
      id: "r",
      dType: eve.config.DsType.DsContainerRegistry,
      fqdn: "http://127.0.0.1:5000",
    });
    expect(local).toMatchObject({ type: "registry", fqdn: "127.0.0.1:5000", insecure: true });
    const hub = mapDatastore({
      id: "r",
      dType: eve.config.DsType.DsContainerRegistry,
      fqdn: "docker://docker.io",
      apiKey: "u",
      password: "p",
    });
    expect(hub).toMatchObject({
      type: "registry",
      fqdn: "docker.io",
      insecure: false,
      username: "u",
      password: "p",
    });
  });
});

describe("diffTable", () => {
  it("sets what differs, deletes what disappeared, leaves the rest", () => {
    const d = diffTable(
      [
        ["a", { v: 1 }],
        ["b", { v: 2 }],
        ["c", { v: 3 }],
      ],
      new Map([
        ["a", { v: 1 }],
        ["b", { v: 20 }],
        ["d", { v: 4 }],
      ]),
    );
    expect(d.set).toEqual([
      ["b", { v: 20 }],
      ["d", { v: 4 }],
    ]);
    expect(d.delete).toEqual(["c"]);
  });
});

describe("config items and polling", () => {
  it("the poll delay lies between 30 % and 100 % of the interval", () => {
    expect(nextPollDelayMs(60, () => 0)).toBe(18_000);
    expect(nextPollDelayMs(60, () => 0.999999)).toBeLessThanOrEqual(60_000);
    for (let i = 0; i < 1000; i++) {
      const d = nextPollDelayMs(5);
      expect(d).toBeGreaterThanOrEqual(1500);
      expect(d).toBeLessThanOrEqual(5000);
    }
  });
  it("out-of-range and unparsable values fall back to the default, flagged", () => {
    const m = resolveConfigItems([
      { key: "timer.config.interval", value: "abc" },
      { key: "timer.deviceinfo.interval", value: "99999999" },
    ]);
    expect(m.items["timer.config.interval"]?.source).toBe("invalid");
    expect(m.items["timer.deviceinfo.interval"]).toMatchObject({ value: "600", source: "invalid" });
  });
});

describe("ReportQueue", () => {
  function store() {
    const m = new Map<string, InfoQueueEntry>();
    return {
      m,
      get: (k: string) => m.get(k),
      set: async (k: string, v: InfoQueueEntry) => void m.set(k, v),
      delete: async (k: string) => void m.delete(k),
      entries: () => [...m.entries()],
    };
  }
  let t = 0;
  const now = () => new Date(1_000_000 + t++);

  it("latest wins per object; device first; a failure stops the drain and keeps the entries", async () => {
    const s = store();
    const q = new ReportQueue(s, now);
    await q.put("app/1", Buffer.from("a1"));
    await q.put("app/2", Buffer.from("b1"));
    await q.put("app/1", Buffer.from("a2"));
    await q.put("device", Buffer.from("d"));
    expect(q.pending().map(([k]) => k)).toEqual(["device", "app/2", "app/1"]);
    const sent: string[] = [];
    let fail = true;
    const r1 = await q.drain(async (p) => {
      if (Buffer.from(p).toString() === "b1" && fail) throw new Error("down");
      sent.push(Buffer.from(p).toString());
    });
    expect(r1.failed).toBeDefined();
    expect(sent).toEqual(["d"]);
    expect(q.size).toBe(2);
    fail = false;
    const r2 = await q.drain(async (p) => void sent.push(Buffer.from(p).toString()));
    expect(r2).toEqual({ sent: 2 });
    expect(sent).toEqual(["d", "b1", "a2"]);
    expect(q.size).toBe(0);
  });

  it("a value queued while its older one is in flight is kept and sent next", async () => {
    const s = store();
    const q = new ReportQueue(s, now);
    await q.put("app/1", Buffer.from("old"));
    await q.drain(async () => {
      await q.put("app/1", Buffer.from("new"));
    });
    expect(Buffer.from(s.m.get("app/1")?.payload ?? "", "base64").toString()).toBe("new");
  });
});
