// The store contract: one suite, run against the embedded LMDB store and against a real PostgreSQL
// server (testkit TestPostgres: initdb + pg_ctl in a temp dir on 127.0.0.1, stopped after).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestPostgres } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConfigRecord,
  type ControllerStore,
  type DeviceRecord,
  KEEP_METRICS,
  LmdbStore,
  type ReportEvent,
  type ReportRecord,
} from "../src/store/index.js";
import { PgStore } from "../src/store/postgres.js";

interface Backend {
  name: string;
  setup(): Promise<void>;
  /** A store; `fresh` = an empty database, else the same data as the last one opened. */
  open(o: { logsBudget?: number; fresh?: boolean }): Promise<ControllerStore>;
  teardown(): Promise<void>;
}

function lmdb(): Backend {
  let dir = "";
  let n = 0;
  return {
    name: "lmdb",
    // Made in the suite's beforeAll (not when the file loads), so a filtered run leaves no dir behind.
    setup: async () => {
      dir = mkdtempSync(join(tmpdir(), "op-store-"));
    },
    open: async (o) => LmdbStore.open(join(dir, `db${o.fresh ? ++n : n}`), o),
    teardown: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pg(): Backend {
  let server: TestPostgres | undefined;
  let url = "";
  let n = 0;
  return {
    name: "postgres",
    setup: async () => {
      server = await TestPostgres.start({ prefix: "op-store-pg-" });
    },
    open: async (o) => {
      if (!server) throw new Error("no server");
      if (o.fresh || !url) url = server.createDatabase(`store${++n}`);
      return PgStore.open({ url, password: server.password, logsBudget: o.logsBudget });
    },
    teardown: async () => server?.stop(),
  };
}

const device = (i: number, o: Partial<DeviceRecord> = {}): DeviceRecord => ({
  uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  serial: `SN-${i}`,
  softSerial: "",
  certPem: `PEM ${i}`,
  certHash: `hash-${i}`,
  onboardingId: "ob-1",
  registeredAt: "2026-01-01T00:00:00.000Z",
  ...o,
});
const config = (version: number): ConfigRecord => ({
  version,
  doc: { apps: [], note: `v${version}` },
  configHash: `h${version}`,
  signed: Buffer.from([1, 2, 3, version]),
  objectVersions: {} as ConfigRecord["objectVersions"],
  setAt: "2026-01-01T00:00:00.000Z",
});
const report = (key: string, value: unknown, at = new Date().toISOString()): ReportRecord => ({
  at,
  key,
  value,
});

describe.each([lmdb(), pg()])("store contract: $name", (b) => {
  let store: ControllerStore;
  beforeAll(async () => {
    await b.setup();
    store = await b.open({ fresh: true });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await b.teardown();
  }, 60_000);

  it("keeps onboarding certificates", async () => {
    const r = { id: "ob-1", certPem: "PEM", subject: "CN=x", serials: ["*"], addedAt: "t" };
    await store.putOnboarding(r);
    expect(await store.getOnboarding("ob-1")).toEqual(r);
    expect(await store.listOnboarding()).toEqual([r]);
    expect(await store.removeOnboarding("ob-1")).toBe(true);
    expect(await store.removeOnboarding("ob-1")).toBe(false);
    expect(await store.getOnboarding("ob-1")).toBeUndefined();
  });

  it("adds a device once: a second registration of its certificate, or of its serial, is refused", async () => {
    expect(await store.addDevice(device(1))).toBe("added");
    expect(await store.addDevice(device(2, { certHash: "hash-1" }))).toBe("cert-taken");
    expect(await store.addDevice(device(3, { serial: "SN-1" }))).toBe("serial-taken");
    // The same serial under another onboarding certificate is another device.
    expect(await store.addDevice(device(4, { serial: "SN-1", onboardingId: "ob-2" }))).toBe("added");
    expect(await store.countDevices()).toBe(2);
    expect(await store.deviceByCertHash("hash-1")).toEqual(device(1));
    expect(await store.deviceByCertHash("hash-2")).toBeUndefined();
    await store.putDevice({ ...device(1), integrityToken: "ab" });
    expect((await store.getDevice(device(1).uuid))?.integrityToken).toBe("ab");
    expect((await store.deviceByCertHash("hash-1"))?.integrityToken).toBe("ab");
    expect((await store.listDevices()).map((d) => d.uuid).sort()).toEqual([device(1).uuid, device(4).uuid]);
  });

  it("sets a config only on the version it was built on", async () => {
    const uuid = device(1).uuid;
    expect(await store.getConfig(uuid)).toBeUndefined();
    expect(await store.putConfig(uuid, config(1), 0)).toBe(true);
    expect(await store.putConfig(uuid, config(1), 0)).toBe(false);
    expect(await store.putConfig(uuid, config(2), 1)).toBe(true);
    const got = await store.getConfig(uuid);
    expect(got).toMatchObject({ version: 2, configHash: "h2", doc: { note: "v2" } });
    expect(Buffer.from(got?.signed ?? [])).toEqual(Buffer.from([1, 2, 3, 2]));
  });

  it("keeps the latest info per object, the newest metrics, and logs in order", async () => {
    const uuid = device(1).uuid;
    await store.putInfo(uuid, report("device", { n: 1 }));
    await store.putInfo(uuid, report("app/a", { n: 2 }));
    await store.putInfo(uuid, report("device", { n: 3 }));
    expect((await store.listInfo(uuid)).map((r) => [r.key, r.value])).toEqual([
      ["app/a", { n: 2 }],
      ["device", { n: 3 }],
    ]);
    for (let i = 0; i < KEEP_METRICS + 5; i++) await store.putMetrics(uuid, report("metrics", { i }));
    const m = await store.listMetrics(uuid, 1000);
    expect(m).toHaveLength(KEEP_METRICS);
    expect(m.at(-1)?.value).toEqual({ i: KEEP_METRICS + 4 });
    expect((await store.listMetrics(uuid, 2)).map((r) => r.value)).toEqual([
      { i: KEEP_METRICS + 3 },
      { i: KEEP_METRICS + 4 },
    ]);
    await store.appendLogs(uuid, [report("device", { content: "a" }), report("app/x", { content: "b" })]);
    await store.appendLogs(uuid, [report("device", { content: "c" })]);
    expect((await store.listLogs(uuid, 2)).map((r) => (r.value as { content: string }).content)).toEqual([
      "b",
      "c",
    ]);
    const q = await store.queryLogs(uuid, 10, (r) => r.key === "device");
    expect(q.map((r) => (r.value as { content: string }).content)).toEqual(["a", "c"]);
    expect(await store.logUsage(uuid)).toMatchObject({ lines: 3, dropped: 0 });
  });

  it("keeps documents by kind and id", async () => {
    await store.putDoc("report", "stale", { name: "stale", q: 1 });
    await store.putDoc("report", "apps", { name: "apps" });
    await store.putDoc("report", "stale", { name: "stale", q: 2 });
    expect(await store.getDoc("report", "stale")).toEqual({ name: "stale", q: 2 });
    expect((await store.listDocs("report")).map((d) => d.id)).toEqual(["apps", "stale"]);
    expect(await store.removeDoc("report", "apps")).toBe(true);
    expect(await store.removeDoc("report", "apps")).toBe(false);
    expect(await store.listDocs("other")).toEqual([]);
    await store.putDoc("device-labels", device(1).uuid, { tags: ["a"] });
  });

  it("removes a device with everything stored about it", async () => {
    const uuid = device(1).uuid;
    expect(await store.removeDevice(uuid)).toBe(true);
    expect(await store.removeDevice(uuid)).toBe(false);
    expect(await store.getDevice(uuid)).toBeUndefined();
    expect(await store.deviceByCertHash("hash-1")).toBeUndefined();
    expect(await store.getConfig(uuid)).toBeUndefined();
    expect(await store.listInfo(uuid)).toEqual([]);
    expect(await store.listMetrics(uuid, 10)).toEqual([]);
    expect(await store.listLogs(uuid, 10)).toEqual([]);
    expect(await store.getDoc("device-labels", uuid)).toBeUndefined();
    expect(await store.getDoc("report", "stale")).toEqual({ name: "stale", q: 2 });
    // Its certificate may register again.
    expect(await store.addDevice(device(1))).toBe("added");
  });

  it("tells watchers every stored report, small or larger than a NOTIFY payload", async () => {
    const got: ReportEvent[] = [];
    const stop = await store.watchReports((e) => got.push(e));
    const uuid = device(4).uuid;
    const big = "x".repeat(20_000);
    await store.putInfo(uuid, report("device", { small: true }));
    await store.putInfo(uuid, report("app/big", { big }));
    await store.putMetrics(uuid, report("metrics", { big }));
    await store.appendLogs(uuid, [report("device", { content: "l1" }), report("device", { content: big })]);
    const want = (k: string) => got.filter((e) => e.kind === k).length;
    for (let i = 0; i < 100 && got.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    expect([want("info"), want("metrics"), want("logs")]).toEqual([2, 1, 2]);
    expect(got.every((e) => e.device === uuid)).toBe(true);
    expect(got.find((e) => e.record.key === "app/big")?.record.value).toEqual({ big });
    expect(
      got.filter((e) => e.kind === "logs").map((e) => (e.record.value as { content: string }).content),
    ).toEqual(["l1", big]);
    await stop();
    await store.putInfo(uuid, report("device", { after: true }));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(5);
  });

  it("keeps each device within its log budget, oldest lines first, also after a restart", async () => {
    const s = await b.open({ logsBudget: 20_000, fresh: true });
    const line = (i: number) => report("device", { content: `line ${i} ${"x".repeat(150)}` }, "t");
    for (let k = 0; k < 20; k++)
      await s.appendLogs(
        "dev-a",
        Array.from({ length: 10 }, (_, i) => line(k * 10 + i)),
      );
    await s.appendLogs("dev-b", [line(0)]);
    const u = await s.logUsage("dev-a");
    expect(u.bytes).toBeLessThanOrEqual(20_000);
    expect(u.bytes).toBeGreaterThan(19_000);
    expect(u.dropped).toBe(200 - u.lines);
    const kept = (await s.listLogs("dev-a", 1000)).map(
      (r) => (r.value as { content: string }).content.split(" ")[1],
    );
    expect(kept).toHaveLength(u.lines);
    expect(kept.at(-1)).toBe("199");
    expect(Number(kept[0])).toBe(200 - u.lines);
    expect(await s.listLogs("dev-b", 10)).toHaveLength(1);
    await s.close();
    const again = await b.open({ logsBudget: 20_000 });
    expect(await again.logUsage("dev-a")).toMatchObject({ lines: u.lines, bytes: u.bytes });
    await again.close();
  });

  it("gives a lease to one holder at a time, renews it for its holder, and to another once expired or released", async () => {
    expect(await store.acquireLease("rollout/r1", "p1", 300)).toBe(true);
    expect(await store.acquireLease("rollout/r1", "p2", 300)).toBe(false);
    expect(await store.acquireLease("rollout/r1", "p1", 300)).toBe(true);
    expect(await store.acquireLease("rollout/r2", "p2", 300)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await store.acquireLease("rollout/r1", "p2", 10_000)).toBe(true);
    expect(await store.acquireLease("rollout/r1", "p1", 10_000)).toBe(false);
    await store.releaseLease("rollout/r1", "p1");
    expect(await store.acquireLease("rollout/r1", "p1", 10_000)).toBe(false);
    await store.releaseLease("rollout/r1", "p2");
    expect(await store.acquireLease("rollout/r1", "p1", 10_000)).toBe(true);
  });

  it("keeps users, teams, roles and tokens (found by their hash), also after a reopen", async () => {
    let store = await b.open({ fresh: true });
    const u = {
      name: "ann",
      passwordHash: "scrypt$x",
      disabled: false,
      createdAt: "2026-01-01T00:00:00.000Z",
    };
    await store.putUser(u);
    await store.putUser({ ...u, name: "bob" });
    await store.putUser({ ...u, disabled: true });
    expect(await store.getUser("ann")).toEqual({ ...u, disabled: true });
    expect(await store.getUser("nobody")).toBeUndefined();
    expect((await store.listUsers()).map((x) => x.name)).toEqual(["ann", "bob"]);
    await store.putTeam({ name: "red", createdAt: "t" });
    await store.putTeam({ name: "blue", createdAt: "t" });
    expect((await store.listTeams()).map((t) => t.name)).toEqual(["blue", "red"]);
    expect(await store.getTeam("red")).toEqual({ name: "red", createdAt: "t" });
    await store.setRole("ann", "red", "viewer");
    await store.setRole("ann", "red", "operator");
    await store.setRole("ann", "blue", "admin");
    await store.setRole("bob", "red", "viewer");
    expect(await store.listRoles("ann")).toEqual([
      { user: "ann", team: "blue", role: "admin" },
      { user: "ann", team: "red", role: "operator" },
    ]);
    await store.setRole("ann", "blue", undefined);
    expect(await store.listRoles()).toEqual([
      { user: "ann", team: "red", role: "operator" },
      { user: "bob", team: "red", role: "viewer" },
    ]);
    const t1 = {
      id: "t1",
      user: "ann",
      name: "ci",
      hash: "aa11",
      createdAt: "2026-01-01T00:00:00.000Z",
      expiresAt: "2027-01-01T00:00:00.000Z",
    };
    const t2 = { ...t1, id: "t2", user: "bob", hash: "bb22", createdAt: "2026-01-02T00:00:00.000Z" };
    await store.putToken(t1);
    await store.putToken(t2);
    expect(await store.tokenByHash("bb22")).toEqual(t2);
    expect(await store.tokenByHash("cc33")).toBeUndefined();
    await store.putToken({ ...t1, revokedAt: "2026-02-01T00:00:00.000Z" });
    expect((await store.getToken("t1"))?.revokedAt).toBe("2026-02-01T00:00:00.000Z");
    expect((await store.listTokens("ann")).map((t) => t.id)).toEqual(["t1"]);
    expect((await store.listTokens()).map((t) => t.id)).toEqual(["t1", "t2"]);
    await store.close();
    store = await b.open({});
    expect((await store.tokenByHash("aa11"))?.revokedAt).toBe("2026-02-01T00:00:00.000Z");
    expect(await store.listRoles("bob")).toEqual([{ user: "bob", team: "red", role: "viewer" }]);
    await store.close();
  });

  it("appends audit entries in order, queries them by user, device, time and team, and trims the oldest past the retention, counting them", async () => {
    const store = await b.open({ fresh: true });
    const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min)).toISOString();
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const e = await store.appendAudit({
        at: at(i),
        actor: i % 2 ? "ann" : "bob",
        remote: "127.0.0.1",
        action: "config.set",
        object: `device/d${i % 3}/config`,
        device: `d${i % 3}`,
        ...(i < 8 ? { team: i % 4 === 0 ? "blue" : "red" } : {}),
        detail: { before: null, after: `h${i}` },
      });
      ids.push(e.id);
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(10);
    const all = await store.queryAudit({ limit: 100 });
    expect(all.map((e) => e.detail?.after)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `h${i}`));
    expect(all[0]).toMatchObject({ actor: "ann", remote: "127.0.0.1", action: "config.set", device: "d0" });
    expect((await store.queryAudit({ limit: 2, actor: "ann" })).map((e) => e.at)).toEqual([at(9), at(7)]);
    expect((await store.queryAudit({ limit: 100, device: "d1" })).map((e) => e.at)).toEqual([
      at(7),
      at(4),
      at(1),
    ]);
    expect((await store.queryAudit({ limit: 100, since: at(7) })).length).toBe(3);
    // Team blue: entries 0 and 4; with global: also 8 and 9 (no team).
    expect(
      (await store.queryAudit({ limit: 100, teams: { names: ["blue"], global: false } })).map((e) => e.at),
    ).toEqual([at(4), at(0)]);
    expect((await store.queryAudit({ limit: 100, teams: { names: ["blue"], global: true } })).length).toBe(4);
    expect((await store.queryAudit({ limit: 100, teams: { names: [], global: true } })).length).toBe(2);
    expect(await store.auditStats()).toEqual({ entries: 10, removed: 0 });
    // Count: the newest 6 stay; age: then everything before minute 5 (none left of those) and 5 goes.
    expect(await store.trimAudit({ maxEntries: 6 })).toBe(4);
    expect((await store.queryAudit({ limit: 100 })).at(-1)?.at).toBe(at(4));
    expect(await store.trimAudit({ before: at(6) })).toBe(2);
    expect(await store.trimAudit({ maxEntries: 6 })).toBe(0);
    expect(await store.auditStats()).toEqual({ entries: 4, removed: 6 });
    const next = await store.appendAudit({ at: at(20), actor: "ann", remote: "x", action: "a", object: "o" });
    expect(next.id).toBeGreaterThan(ids.at(-1) ?? 0);
    await store.close();
  });
});

describe("store contract: postgres only", () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await TestPostgres.start({ prefix: "op-store-pg2-" });
  }, 60_000);
  afterAll(async () => server?.stop(), 60_000);

  it("two stores (two processes' worth) on one database: migrations once, one registration, reports and leases shared", async () => {
    const url = server.createDatabase("shared");
    const [a, c] = await Promise.all([
      PgStore.open({ url, password: server.password }),
      PgStore.open({ url, password: server.password }),
    ]);
    try {
      const results = await Promise.all([
        a.addDevice(device(7)),
        c.addDevice(device(8, { certHash: "hash-7" })),
      ]);
      // Either may win the race; exactly one does.
      const winner = results[0] === "added" ? device(7).uuid : device(8).uuid;
      expect([...results].sort()).toEqual(["added", "cert-taken"]);
      const got: ReportEvent[] = [];
      const stop = await a.watchReports((e) => got.push(e));
      await c.putMetrics(winner, report("metrics", { from: "c" }));
      for (let i = 0; i < 100 && !got.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(got.map((e) => e.record.value)).toEqual([{ from: "c" }]);
      await stop();
      expect(await a.acquireLease("x", "a", 10_000)).toBe(true);
      expect(await c.acquireLease("x", "c", 10_000)).toBe(false);
      // Last seen: the newest time any process saved.
      await a.saveLastSeen([[winner, 2000]]);
      await c.saveLastSeen([
        [winner, 1000],
        ["no-such-device", 5],
      ]);
      expect(await c.lastSeen(winner)).toBe(2000);
      expect(await a.lastSeen("no-such-device")).toBeUndefined();
    } finally {
      await Promise.all([a.close(), c.close()]);
    }
  });

  it("a server that does not answer is a clear error", async () => {
    await expect(
      PgStore.open({ url: "postgres://postgres@127.0.0.1:1/none", password: "x" }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
