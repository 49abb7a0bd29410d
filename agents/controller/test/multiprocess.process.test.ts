// Several controller processes on one PostgreSQL: two controllers (two --root, one shared data dir:
// the same PKI and admin token, as two machines behind a load balancer would have) and a device that
// polls through both alternately; a follow stream on one sees reports that arrived through the other;
// --processes 2 serves one port from two processes. The password reaches them by PGPASSWORD and by a
// 0600 file, and shows in no command line and no log. Users on the shared database: init-admin on
// PostgreSQL, a token revoked through one process refused by the other.
import { X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import {
  createCertificate,
  DeviceSession,
  eve,
  generateEcKey,
  HttpClient,
  loadPrivateKey,
  publicOf,
} from "@outpost/evecloud";
import { Procs, removeRoot, TestPostgres, tempRoot, waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const procs = new Procs();
const roots: string[] = [];
let pg: TestPostgres;
let dataDir = "";
let url = "";

beforeAll(async () => {
  pg = await TestPostgres.start({ prefix: "op-ctl-pg-" });
  url = pg.createDatabase("fleet");
  const shared = tempRoot("op-mp-");
  roots.push(shared);
  dataDir = join(shared, "controller");
}, 60_000);
afterAll(async () => {
  procs.cleanup();
  for (const r of roots) removeRoot(r);
  await pg?.stop();
}, 60_000);

async function startController(name: string, extra: string[], env: Record<string, string> = {}) {
  const root = tempRoot(`op-mp-${name}-`);
  roots.push(root);
  const p = procs.start(
    "controller",
    [
      "--root",
      root,
      "--data-dir",
      dataDir,
      "--listen",
      "127.0.0.1:0",
      "--insecure-single-token",
      "--store",
      url,
      // Last-seen times written to the shared store every 500 ms (5 s by default).
      "--last-seen-every-ms",
      "500",
      ...extra,
    ],
    env,
  );
  await waitFor(
    () => p.output().includes("controller listening") || p.exitCode !== null,
    30_000,
    () => `controller ${name} to listen:\n${p.output()}`,
  );
  expect(p.exitCode, p.output()).toBeNull();
  const line =
    p
      .output()
      .split("\n")
      .find((l) => l.includes("controller listening")) ?? "";
  const server = String((JSON.parse(line) as { server: string }).server);
  return { p, server };
}

/** One admin API call with `token` (none for login): the status and the JSON answer. */
function exchange(
  server: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const [host, port] = server.split(":");
  const ca = readFileSync(join(dataDir, "pki/root.cert.pem"), "utf8");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port),
        method,
        path: `/admin/v1/${path}`,
        ca,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          "Content-Type": "application/json",
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 500, json: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** An admin call with the data dir's shared token (--insecure-single-token); an error status throws. */
async function admin(
  server: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, string>> {
  const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
  const r = await exchange(server, method, path, token, body);
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as Record<string, string>;
}

const DOC = (note: string) => ({ configItems: { "timer.config.interval": "60", "debug.note": note } });

describe("two controller processes on one PostgreSQL", () => {
  it("a device polling alternately through both sees one config; a follow on one sees reports sent through the other", async () => {
    const a = await startController("a", [], pg.env);
    const pwFile = join(dataDir, "..", "pgpass");
    writeFileSync(pwFile, `${pg.password}\n`, { mode: 0o600 });
    const b = await startController("b", ["--store-password-file", pwFile]);
    for (const c of [a, b]) {
      expect(readFileSync(`/proc/${c.p.pid}/cmdline`, "utf8")).not.toContain(pg.password);
      expect(c.p.output()).not.toContain(pg.password);
      expect(c.p.output()).toContain(`"store":"${url}"`);
    }

    // A simulated device (its own key and certificate), onboarded through A, attested through B.
    const nodeCfg = await admin(a.server, "POST", "node-config", { serials: ["*"] });
    const rootCa = readFileSync(join(dataDir, "pki/root.cert.pem"), "utf8");
    const key = generateEcKey();
    const certPem = createCertificate({
      subject: { commonName: "mp-1" },
      publicKey: publicOf(key),
      selfKey: key,
      validDays: 1,
      keyUsage: ["digitalSignature"],
    });
    const id = { key, cert: new X509Certificate(certPem), certPem };
    const httpA = new HttpClient({ server: a.server, rootCa });
    const httpB = new HttpClient({ server: b.server, rootCa });
    const via = [httpA, httpB].map((h) => new DeviceSession(h, new X509Certificate(rootCa), id));
    const [sa, sb] = via as [DeviceSession, DeviceSession];
    try {
      const onboarding = {
        key: loadPrivateKey(nodeCfg.onboardKey ?? ""),
        certPem: nodeCfg.onboardCert ?? "",
        cert: new X509Certificate(nodeCfg.onboardCert ?? ""),
      };
      expect((await sa.register(onboarding, "MP-1", "soft")).status).toBe(201);
      // The same registration through the other process: already registered.
      expect((await sb.register(onboarding, "MP-1", "soft")).status).toBe(409);
      const { uuid } = await sb.getUuid();
      const token = await sb.attest(uuid);

      const v1 = await admin(a.server, "PUT", `devices/${uuid}/config`, DOC("one"));
      let hash = "";
      for (let i = 0; i < 6; i++) {
        const s = i % 2 ? sb : sa;
        const r = await s.config(uuid, hash, token);
        if (i === 0) {
          expect(r.status).toBe(200);
          expect(r.response?.configHash).toBe(v1.configHash);
          hash = r.response?.configHash ?? "";
        } else expect(r.status, `poll ${i}`).toBe(304);
      }
      // Set through B: the very next poll through A gets it, then 304 through B.
      const v2 = await admin(b.server, "PUT", `devices/${uuid}/config`, DOC("two"));
      expect(v2).toMatchObject({ changed: true, version: 2 });
      const r2 = await sa.config(uuid, hash, token);
      expect(r2.status).toBe(200);
      expect(r2.response?.configHash).toBe(v2.configHash);
      expect((await sb.config(uuid, v2.configHash ?? "", token)).status).toBe(304);
      expect(await admin(b.server, "GET", `devices/${uuid}/config`)).toMatchObject({ version: 2 });

      // Follow on A; the device reports through B.
      const events: string[] = [];
      const [host, port] = a.server.split(":");
      const follow = request({
        host,
        port: Number(port),
        path: `/admin/v1/devices/${uuid}/follow?kinds=info,metrics`,
        ca: rootCa,
        headers: {
          Authorization: `Bearer ${readFileSync(join(dataDir, "admin-token"), "utf8").trim()}`,
        },
      });
      let open = false;
      follow.on("response", (res) =>
        res.on("data", (d: Buffer) => {
          open = true;
          events.push(d.toString());
        }),
      );
      follow.end();
      await waitFor(() => open, 10_000, "the follow stream to open");
      const info = eve.info.ZInfoMsg.encode({
        ztype: eve.info.ZInfoTypes.ZiApp,
        devId: uuid,
        ainfo: { AppID: "app-1", AppName: "web", state: 7 },
      }).finish();
      // From here on the device talks to B only.
      const sinceB = Date.now();
      expect((await sb.post(`id/${uuid}/info`, info)).status).toBe(201);
      const metrics = eve.metrics.ZMetricMsg.encode({
        devID: uuid,
        dm: { memory: { usedMem: 42 } },
      }).finish();
      expect((await sb.post(`id/${uuid}/metrics`, metrics)).status).toBe(201);
      await waitFor(
        () => events.join("").includes("event: metrics"),
        10_000,
        () => `the reports through B on A's stream: ${events.join("")}`,
      );
      const text = events.join("");
      expect(text).toContain("event: info");
      expect(text).toMatch(/"AppName":"web"/);
      expect(text).toMatch(/"usedMem":42/);
      follow.destroy();
      // B was last to hear from the device; A shows when once B has saved it (every 500 ms here).
      await waitFor(
        async () => Date.parse((await admin(a.server, "GET", `devices/${uuid}`)).lastSeenAt ?? "") >= sinceB,
        12_000,
        "A to show when the device was last seen through B",
      );
      // Both see the same fleet.
      expect((await admin(a.server, "GET", "devices")).length).toBe(1);
      expect((await admin(b.server, "GET", `devices/${uuid}/info`)).length).toBe(1);
    } finally {
      httpA.close();
      httpB.close();
    }
    a.p.kill("SIGTERM");
    b.p.kill("SIGTERM");
  });

  it("--processes 2: two processes serve one port from the same database; --processes 2 on LMDB is refused", async () => {
    const lmRoot = tempRoot("op-mp-x-");
    roots.push(lmRoot);
    const lm = procs.run("controller", ["--root", lmRoot, "--processes", "2"]);
    expect(lm.status).toBe(2);
    expect(lm.stderr).toContain("--processes: more than one process needs a store they can share");
    const c = await startController("c", ["--processes", "2"], pg.env);
    expect(c.p.output()).toContain('"processes":2');
    // Two processes of their own (pids other than the supervisor's), each listening. The controller
    // answers as soon as the first listens; the second may say so a moment later.
    const listening = () =>
      new Set(
        c.p
          .output()
          .split("\n")
          .filter((l) => l.includes("controller process listening"))
          .map((l) => (JSON.parse(l) as { pid: number }).pid),
      );
    await waitFor(
      () => listening().size >= 2,
      15_000,
      () => `two processes listening:\n${c.p.output()}`,
    );
    const pids = listening();
    expect(pids.size).toBe(2);
    expect(pids.has(c.p.pid ?? 0)).toBe(false);
    // Each admin request on a new connection: the connections are handed to the two in turn.
    const before = await admin(c.server, "GET", "onboarding");
    for (let i = 0; i < 4; i++) expect(await admin(c.server, "GET", "onboarding")).toEqual(before);
    const stopped = new Promise((r) => c.p.once("exit", r));
    c.p.kill("SIGTERM");
    expect(await stopped, c.p.output().slice(-3000)).toBe(0);
  });
  it("users on the shared database: init-admin once; a token made through one process is revoked through it and refused by the other at once; one audit trail", async () => {
    const a = await startController("ua", [], pg.env);
    const b = await startController("ub", [], pg.env);
    const pwFile = join(dataDir, "..", "pgpass-users");
    writeFileSync(pwFile, `${pg.password}\n`, { mode: 0o600 });
    const adminPw = join(dataDir, "..", "ops-password");
    writeFileSync(adminPw, "ops-password-1\n", { mode: 0o600 });
    const initAdmin = (user: string) =>
      procs.run("controller", [
        "init-admin",
        "--user",
        user,
        "--password-file",
        adminPw,
        "--data-dir",
        dataDir,
        "--store",
        url,
        "--store-password-file",
        pwFile,
      ]);
    const first = initAdmin("ops");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(initAdmin("other").stderr).toContain("an admin exists already (ops)");
    const login = await exchange(a.server, "POST", "login", undefined, {
      user: "ops",
      password: "ops-password-1",
    });
    expect(login.status).toBe(201);
    const token = String(login.json.token);
    expect((await exchange(b.server, "GET", "whoami", token)).json).toMatchObject({
      user: "ops",
      roles: { default: "admin" },
    });
    expect((await exchange(a.server, "DELETE", `tokens/${login.json.id}`, token)).status).toBe(200);
    const refused = await exchange(b.server, "GET", "devices", token);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe(`token ${login.json.id} was revoked`);
    const again = await exchange(b.server, "POST", "login", undefined, {
      user: "ops",
      password: "ops-password-1",
    });
    const trail = await exchange(b.server, "GET", "audit", String(again.json.token));
    const entries = trail.json.entries as { id: number; action: string }[];
    expect(entries.map((e) => e.action).slice(0, 4)).toEqual([
      "login",
      "token.revoke",
      "login",
      "user.init-admin",
    ]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    a.p.kill("SIGTERM");
    b.p.kill("SIGTERM");
  });
});
