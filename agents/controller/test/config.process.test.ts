// ctl sets a config from YAML; a device-side fetch (packages/evecloud, the node's own files) gets it,
// verified, and 304 while the hash is unchanged; reports go in and come out of ctl, also live.
import { type ChildProcess, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { get } from "node:https";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  DeviceSession,
  deviceCertHash,
  eve,
  generateEcKey,
  HttpClient,
  loadIdentity,
  readBootstrap,
  sealEnvelope,
} from "@outpost/evecloud";
import { distBin, Procs, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { startController } from "./harness.js";

const DOC = `# a readable device config
datastores:
  - id: local
    type: http
    fqdn: http://127.0.0.1:8080
    path: datastore
contentTrees:
  - id: busybox-image
    datastore: local
    url: busybox.tar
    sha256: ${"ab".repeat(32)}
    maxSizeBytes: 1048576
volumes:
  - id: web-image
    contentTree: busybox-image
apps:
  - id: web
    name: web
    memoryKiB: 65536
    vcpus: 1
    volumes: [{ id: web-image }]
    env: { GREETING: hello }
configItems:
  timer.config.interval: "5"
reboot: 0
`;

describe("controller config and reports", () => {
  const procs = new Procs();
  const roots: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill("SIGKILL");
    procs.cleanup();
    for (const r of roots.splice(0)) removeRoot(r);
  });
  const root = () => {
    const r = tempRoot("op-cfg-");
    roots.push(r);
    return r;
  };

  it("ctl config set -> device fetch 200 (verified), 304 on the same hash, 403 without the token", async () => {
    const ctl = await startController(procs, root());
    for (const f of ["pki/root.key.pem", "pki/server.key.pem", "pki/signing.key.pem", "admin-token"])
      expect(statSync(join(ctl.dataDir, f)).mode & 0o777, f).toBe(0o600);
    copyFileSync(join(ctl.dataDir, "admin-token"), join(ctl.dataDir, "admin-token.bak"));
    writeFileSync(join(ctl.dataDir, "admin-token"), "wrong\n");
    expect(ctl.ctl("devices", "list").stderr).toContain("401");
    writeFileSync(join(ctl.dataDir, "admin-token"), readFileSync(join(ctl.dataDir, "admin-token.bak")));
    const node = root();
    expect(ctl.ctl("node-config", node, "--serial", "SN-7").status).toBe(0);
    const onboard = procs.run("client", ["--root", node, "selfRegister", "getUuid", "--attempts", "1"]);
    expect(onboard.status, onboard.stderr).toBe(0);
    const [dev] = ctl.ctlJson<{ uuid: string }[]>("devices", "list");
    const uuid = dev?.uuid ?? "";

    const boot = readBootstrap(join(node, "config"));
    const http = new HttpClient({ server: boot.server, rootCa: boot.rootCa });
    const session = new DeviceSession(
      http,
      new X509Certificate(boot.rootCa),
      loadIdentity(join(node, "config/device.key.pem"), join(node, "config/device.cert.pem")),
    );
    try {
      const token = await session.attest(uuid);
      expect(token.length).toBe(32);
      expect((await session.config(uuid, "", token)).status).toBe(404);
      const early = ctl.ctl("reboot", "SN-7");
      expect(early.status).toBe(1);
      expect(early.stderr).toContain("no config set");

      const file = join(node, "doc.yaml");
      writeFileSync(file, DOC);
      const set = ctl.ctlJson<{ changed: boolean; version: number; configHash: string }>(
        "config",
        "set",
        "SN-7",
        file,
      );
      expect(set).toMatchObject({ changed: true, version: 1 });

      const r = await session.config(uuid, "", token);
      expect(r.status).toBe(200);
      expect(r.response?.configHash).toBe(set.configHash);
      const cfg = r.response?.config;
      expect(cfg?.id).toMatchObject({ uuid, version: "1" });
      const app = cfg?.apps[0];
      expect(app?.displayname).toBe("web");
      expect(Buffer.from(app?.userData ?? "", "base64").toString()).toBe("GREETING=hello");
      expect(app?.volumeRefList?.[0]?.uuid).toBe(cfg?.volumes[0]?.uuid);
      expect(cfg?.volumes[0]?.origin?.downloadContentTreeID).toBe(cfg?.contentInfo[0]?.uuid);
      expect(cfg?.contentInfo[0]?.dsId).toBe(cfg?.datastores[0]?.id);
      expect(cfg?.datastores[0]?.dType).toBe(eve.config.DsType.DsHttp);
      expect(cfg?.configItems).toEqual([
        expect.objectContaining({ key: "timer.config.interval", value: "5" }),
      ]);

      expect((await session.config(uuid, set.configHash, token)).status).toBe(304);
      expect((await session.config(uuid, set.configHash, Buffer.from("stale"))).status).toBe(403);

      // Same document again: nothing changes; a new env: new version, the app's version moves.
      expect(ctl.ctlJson<{ changed: boolean }>("config", "set", uuid, file).changed).toBe(false);
      writeFileSync(file, DOC.replace("GREETING: hello", "GREETING: bye"));
      const set2 = ctl.ctlJson<{ version: number; configHash: string }>("config", "set", uuid, file);
      expect(set2.version).toBe(2);
      const r2 = await session.config(uuid, set.configHash, token);
      expect(r2.status).toBe(200);
      expect(r2.response?.config?.apps[0]?.uuidandversion?.version).toBe("2");

      // ctl reboot / shutdown: the counter in the stored document goes up by one, a new version.
      expect(ctl.ctlJson("reboot", "SN-7")).toMatchObject({ op: "reboot", counter: 1, version: 3 });
      expect(ctl.ctlJson("shutdown", "SN-7")).toMatchObject({ op: "shutdown", counter: 1, version: 4 });
      const r3 = await session.config(uuid, "", token);
      expect(r3.response?.config?.reboot?.counter).toBe(1);
      expect(r3.response?.config?.shutdown?.counter).toBe(1);

      // A document with a dangling reference is refused with the path of the mistake.
      writeFileSync(file, DOC.replace("contentTree: busybox-image", "contentTree: nope"));
      const bad = ctl.ctl("config", "set", uuid, file);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain("volumes[0].contentTree");

      // Reports: info stored per object and shown decoded; --follow sees a new one live.
      const info = (ainfo: Record<string, unknown>) =>
        eve.info.ZInfoMsg.encode({ ztype: eve.info.ZInfoTypes.ZiApp, devId: uuid, ainfo }).finish();
      expect(
        (await session.post(`id/${uuid}/info`, info({ AppID: "a1", AppName: "web", state: 6 }))).status,
      ).toBe(201);
      const shown = ctl.ctlJson<{ key: string; value: { ainfo: { state: string } } }[]>("info", uuid);
      expect(shown).toEqual([
        expect.objectContaining({
          key: "app/a1",
          value: expect.objectContaining({ ainfo: expect.objectContaining({ state: "BOOTING" }) }),
        }),
      ]);

      const follower = spawn(distBin("ctl"), ["--root", ctl.root, "info", uuid, "--follow"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(follower);
      let lines = "";
      follower.stdout?.on("data", (d: Buffer) => (lines += d.toString()));
      await waitFor(() => lines.includes("BOOTING"), 10_000, "the stored info first");
      // ctl opens the event stream only after printing the stored list, and says nothing when it is
      // open: post the new state until the follower prints it (only the live stream can carry it).
      await waitFor(
        async () => {
          if (lines.includes('"RUNNING"')) return true;
          const r = await session.post(`id/${uuid}/info`, info({ AppID: "a1", AppName: "web", state: 7 }));
          expect(r.status).toBe(201);
          return false;
        },
        10_000,
        "the live info",
        100,
      );

      const metrics = eve.metrics.ZMetricMsg.encode({
        devID: uuid,
        dm: { memory: { usedMem: 42 } },
      }).finish();
      expect((await session.post(`id/${uuid}/metrics`, metrics)).status).toBe(201);
      const m = ctl.ctlJson<{ value: { dm: { memory: { usedMem: number } } } }[]>("metrics", uuid);
      expect(m.at(-1)?.value.dm.memory.usedMem).toBe(42);
      const logs = eve.logs.LogBundle.encode({
        devID: uuid,
        log: [{ source: "zedagent", content: "hello log" }],
      }).finish();
      expect((await session.post(`id/${uuid}/logs`, logs)).status).toBe(201);
      expect(ctl.ctl("logs", uuid).stdout).toContain("hello log");
      // newlogs: gzip of JSON LogEntry lines, device and app.
      const entries = [
        { source: "nim", content: "gzip line 1" },
        { source: "nim", content: "gzip line 2" },
      ];
      const gz = gzipSync(entries.map((l) => JSON.stringify(l)).join("\n"));
      expect((await session.post(`id/${uuid}/newlogs`, gz)).status).toBe(201);
      expect(
        (await session.post(`id/${uuid}/apps/instanceid/a1/newlogs`, gzipSync('{"content":"app says hi"}\n')))
          .status,
      ).toBe(201);
      expect((await session.post(`id/${uuid}/newlogs`, Buffer.from("not gzip"))).status).toBe(400);
      const logLines = ctl.ctlJson<{ key: string; value: { content: string } }[]>(
        "logs",
        uuid,
        "--limit",
        "3",
      );
      expect(logLines.map((l) => [l.key, l.value.content])).toEqual([
        ["nim", "gzip line 1"],
        ["nim", "gzip line 2"],
        ["app/a1", "app says hi"],
      ]);

      // Junk instead of an envelope: 400; the device's hash but another key's signature: 401.
      expect((await session.http.send("POST", `id/${uuid}/info`, Buffer.from("junk"))).status).toBe(400);
      const forged = sealEnvelope(metrics, {
        key: generateEcKey(),
        senderCertHash: deviceCertHash(session.device.cert),
      });
      expect((await session.http.send("POST", `id/${uuid}/info`, forged)).status).toBe(401);
    } finally {
      http.close();
    }
  });

  it("keeps devices, configs and reports across a restart", async () => {
    const ctlRoot = root();
    const ctl = await startController(procs, ctlRoot);
    const node = root();
    expect(ctl.ctl("node-config", node).status).toBe(0);
    expect(procs.run("client", ["--root", node, "selfRegister", "getUuid", "--attempts", "1"]).status).toBe(
      0,
    );
    const [dev] = ctl.ctlJson<{ uuid: string }[]>("devices", "list");
    const uuid = dev?.uuid ?? "";
    const file = join(node, "doc.yaml");
    writeFileSync(file, DOC);
    const set = ctl.ctlJson<{ configHash: string }>("config", "set", uuid, file);
    const boot = readBootstrap(join(node, "config"));
    const identity = loadIdentity(join(node, "config/device.key.pem"), join(node, "config/device.cert.pem"));
    const session = () =>
      new DeviceSession(
        new HttpClient({ server: boot.server, rootCa: boot.rootCa }),
        new X509Certificate(boot.rootCa),
        identity,
      );
    const s1 = session();
    const token = await s1.attest(uuid);
    const info = eve.info.ZInfoMsg.encode({ ztype: 1, devId: uuid, dinfo: { HostName: "node-1" } }).finish();
    expect((await s1.post(`id/${uuid}/info`, info)).status).toBe(201);
    s1.http.close();

    expect(await ctl.stop()).toBe(0);
    const port = ctl.server.split(":")[1] ?? "";
    const again = await startController(procs, ctlRoot, ["--listen", `127.0.0.1:${port}`]);
    expect(again.server).toBe(ctl.server);
    const s2 = session();
    try {
      expect((await s2.config(uuid, set.configHash, token)).status).toBe(304);
      expect((await s2.config(uuid, "", token)).response?.configHash).toBe(set.configHash);
    } finally {
      s2.http.close();
    }
    expect(again.ctlJson<{ uuid: string }[]>("devices", "list").map((d) => d.uuid)).toEqual([uuid]);
    expect(again.ctl("info", uuid).stdout).toContain("node-1");
  });

  it("serves its datastore with Range support", async () => {
    const ctl = await startController(procs, root());
    mkdirSync(join(ctl.dataDir, "datastore/images"), { recursive: true });
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    writeFileSync(join(ctl.dataDir, "datastore/images/x.bin"), data);
    const ca = readFileSync(join(ctl.dataDir, "pki/root.cert.pem"));
    const [host, port] = ctl.server.split(":");
    const fetch = (path: string, range?: string) =>
      new Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>((resolve, reject) => {
        get({ host, port: Number(port), path, ca, headers: range ? { Range: range } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
          );
        }).on("error", reject);
      });
    const full = await fetch("/datastore/images/x.bin");
    expect(full.status).toBe(200);
    expect(full.body.equals(data)).toBe(true);
    const part = await fetch("/datastore/images/x.bin", "bytes=100-199");
    expect(part.status).toBe(206);
    expect(part.headers["content-range"]).toBe("bytes 100-199/1000");
    expect(part.body.equals(data.subarray(100, 200))).toBe(true);
    expect((await fetch("/datastore/images/x.bin", "bytes=990-")).body.equals(data.subarray(990))).toBe(true);
    expect((await fetch("/datastore/images/x.bin", "bytes=5000-")).status).toBe(416);
    expect((await fetch("/datastore/../admin-token")).status).not.toBe(200);
    expect((await fetch("/datastore/missing")).status).toBe(404);
  });
});
