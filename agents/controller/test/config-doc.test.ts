import { eve } from "@outpost/evecloud";
import { DecodeError } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { buildEdgeDevConfig, decodeConfigDoc, idToUuid } from "../src/config-doc.js";

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
});
