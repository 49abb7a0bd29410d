// The controller process refuses oversized and unauthenticated bodies before holding them: real
// process from dist/bin, real TLS, its RSS read from /proc while 40 clients each try to push 50 MB.
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { Procs, type RunningController, removeRoot, startController, tempRoot } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOC_LIMITS } from "../src/config-doc.js";
import { DEVICE_BODY_LIMITS } from "../src/device-api.js";
import { ADMIN_BODY_LIMIT } from "../src/server.js";

const MiB = 1024 * 1024;

interface Outcome {
  status?: number;
  body: string;
  /** Bytes the client managed to hand to its socket before the answer or the error. */
  sent: number;
  error?: string;
}

describe("controller body limits", () => {
  const procs = new Procs();
  const root = tempRoot("opc-lim-");
  let c: RunningController;
  let ca: string;
  let token: string;
  let pid: number;
  const nroot = tempRoot("opc-limn-");
  const serial = `SN-lim-${process.pid}`;
  let deviceUuid = "";

  beforeAll(async () => {
    c = await startController(procs, root);
    ca = readFileSync(join(c.dataDir, "pki/root.cert.pem"), "utf8");
    token = readFileSync(join(c.dataDir, "admin-token"), "utf8").trim();
    pid = c.pid;
    // One registered device, onboarded by the real client, for the per-device routes.
    const n = c.ctl("node-config", nroot, "--serial", serial);
    if (n.status !== 0) throw new Error(`node-config: ${n.stderr}`);
    const client = procs.start("client", ["--root", nroot, "selfRegister", "getUuid", "--attempts", "3"]);
    const code = await new Promise<number | null>((r) => client.once("exit", (x) => r(x)));
    if (code !== 0) throw new Error(`client failed (${code}): ${client.output()}`);
    deviceUuid = c.ctlJson<{ uuid: string }[]>("devices", "list")[0]?.uuid ?? "";
  });
  afterAll(async () => {
    await c?.stop();
    procs.cleanup();
    removeRoot(root);
    removeRoot(nroot);
  });

  /** POSTs `total` bytes in 1 MiB writes (honouring back-pressure), with a Content-Length or chunked;
   * stops writing as soon as an answer or an error arrives. */
  function post(path: string, total: number, o: { auth?: boolean; chunked?: boolean; method?: string } = {}) {
    return new Promise<Outcome>((resolve) => {
      const [host, port] = [
        c.server.slice(0, c.server.lastIndexOf(":")),
        c.server.slice(c.server.lastIndexOf(":") + 1),
      ];
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (!o.chunked) headers["Content-Length"] = String(total);
      if (o.auth) headers.Authorization = `Bearer ${token}`;
      const out: Outcome = { body: "", sent: 0 };
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve(out);
      };
      const req = request({
        host,
        port: Number(port),
        path,
        method: o.method ?? "POST",
        headers,
        ca,
        agent: false,
      });
      req.on("response", (res) => {
        out.status = res.statusCode;
        res.on("data", (d: Buffer) => (out.body += d.toString()));
        res.on("end", finish);
        res.on("error", finish);
      });
      req.on("error", (e) => {
        out.error = (e as NodeJS.ErrnoException).code ?? e.message;
        // An answer already parsed wins over the reset that follows it.
        if (out.status === undefined) finish();
      });
      req.on("close", () => setImmediate(finish));
      const chunk = Buffer.alloc(MiB, 0x61);
      const pump = () => {
        while (out.sent < total && out.status === undefined && !out.error) {
          const n = Math.min(MiB, total - out.sent);
          out.sent += n;
          if (!req.write(n === MiB ? chunk : chunk.subarray(0, n))) {
            req.once("drain", pump);
            return;
          }
        }
        if (out.sent >= total) req.end();
      };
      req.flushHeaders();
      pump();
    });
  }

  const rssBytes = () => {
    // Of the controller itself: the status line names it, not a shell in between.
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toMatch(/controller/);
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return Number(m?.[1] ?? 0) * 1024;
  };

  it("40 parallel unauthenticated 50 MB POSTs to /admin are refused without the RSS growing by them", async () => {
    const before = rssBytes();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes())), 20);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(i % 2 ? "/admin/v1/onboarding" : "/admin/v1/devices/x/config", 50 * MiB, {
          chunked: i % 4 === 3,
          method: i % 2 ? "POST" : "PUT",
        }),
      ),
    );
    clearInterval(sampler);
    peak = Math.max(peak, rssBytes());
    for (const o of outcomes) {
      // The answer comes before the body is read; the client stops sending when it arrives.
      expect(o).toMatchObject({ status: 401, body: '{"error":"missing or wrong admin token"}' });
      expect(o.sent).toBeLessThan(50 * MiB);
    }
    expect(peak - before).toBeLessThan(100 * MiB);
    // Still serving.
    expect(c.ctlJson<{ uuid: string }[]>("devices", "list").map((d) => d.uuid)).toEqual([deviceUuid]);
  });

  it("an authenticated admin body over the limit is 413, by Content-Length and when streamed", async () => {
    const declared = await post("/admin/v1/onboarding", ADMIN_BODY_LIMIT + 1, { auth: true });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toMatch(/larger than 4194304 bytes/);
    const streamed = await post("/admin/v1/onboarding", ADMIN_BODY_LIMIT + 2 * MiB, {
      auth: true,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    // At the limit the body is read and judged on its content (not JSON here).
    const atLimit = await post("/admin/v1/onboarding", ADMIN_BODY_LIMIT, { auth: true, chunked: true });
    expect(atLimit.status).toBe(400);
    expect(atLimit.body).toMatch(/not JSON/);
  });

  it("a config document over a cap is 400 naming the field, through the admin API", async () => {
    const apps = Array.from({ length: DOC_LIMITS.apps + 1 }, (_, i) => ({ id: `a${i}`, name: `a${i}` }));
    const r = await adminJson("PUT", `/admin/v1/devices/${serial}/config`, { apps });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: "apps: expected at most 256 apps, got number 257" });
    const inherited = await adminJson("PUT", `/admin/v1/devices/${serial}/config`, { constructor: {} });
    expect(inherited.status).toBe(400);
    expect(JSON.parse(inherited.body).error).toMatch(/^constructor: expected one of the config fields/);
    const env = await adminJson("PUT", `/admin/v1/devices/${serial}/config`, {
      apps: [{ id: "a", name: "a", env: { "A=B": "1" } }],
    });
    expect(env.status).toBe(400);
    expect(JSON.parse(env.body).error).toMatch(/^apps\[0\]\.env\.A=B: expected an env name without '='/);
    // Nothing was set by the refused documents.
    expect((await adminJson("GET", `/admin/v1/devices/${serial}/config`)).status).toBe(404);
  });

  async function adminJson(method: string, path: string, value?: unknown) {
    const text = value === undefined ? "" : JSON.stringify(value);
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const i = c.server.lastIndexOf(":");
      const req = request(
        {
          host: c.server.slice(0, i),
          port: Number(c.server.slice(i + 1)),
          path,
          method,
          ca,
          agent: false,
          headers: { Authorization: `Bearer ${token}`, "Content-Length": Buffer.byteLength(text) },
        },
        (res) => {
          let b = "";
          res.on("data", (d: Buffer) => (b += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: b }));
        },
      );
      req.on("error", reject);
      req.end(text);
    });
  }

  it("device API: an over-limit body is 413 before it is read; an unknown device is 401 before reading", async () => {
    const reg = await post("/api/v2/edgedevice/register", DEVICE_BODY_LIMITS.small + 1);
    expect(reg.status).toBe(413);
    expect(reg.body).toMatch(/larger than 65536 bytes/);
    const streamed = await post("/api/v2/edgedevice/register", 3 * MiB, { chunked: true });
    expect(streamed.status).toBe(413);
    const unknown = await post("/api/v2/edgedevice/id/00000000-0000-4000-8000-000000000000/info", 3 * MiB);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatch(/unknown device/);
    // A registered device's info: 4 MiB allowed, more is 413 (by Content-Length and streamed).
    const info = `/api/v2/edgedevice/id/${deviceUuid}/info`;
    const over = await post(info, DEVICE_BODY_LIMITS.info + 1);
    expect(over.status).toBe(413);
    expect(over.body).toMatch(/larger than 4194304 bytes/);
    expect((await post(info, DEVICE_BODY_LIMITS.info + MiB, { chunked: true })).status).toBe(413);
    // Within the limit it is read and judged on its content: not a signed envelope.
    expect((await post(info, MiB)).status).toBe(400);
  });
});
