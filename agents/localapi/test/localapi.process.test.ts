// localapi on a node booted by outpost-boot (watchdog, ledmanager, localapi, two fixture agents): the
// routes over the unix socket with real agents steered through the real watchdog, the 207 batch, metrics
// against /proc, logs and their follow stream, config items, an external service's executor, bad
// input; who may connect (a throwaway user outside the socket's group cannot, one inside can); the TCP
// listener's token and its loopback-only address; the audit log.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import {
  addSystemGroup,
  addSystemUser,
  distBin,
  freePort,
  makeNode,
  type Node,
  removeUsersAndGroups,
  waitFor,
} from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stream, type Target } from "./client.js";

const TAG = `opla${process.pid % 100000}`;
const GROUP = `${TAG}g`;
const MEMBER = `${TAG}m`;
const OUTSIDER = `${TAG}o`;

function sh(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

describe("localapi", () => {
  let node: Node;
  let api: Target;
  let port: number;
  const pidOf = (agent: string) => node.pid(agent);

  beforeAll(async () => {
    addSystemGroup(GROUP);
    addSystemUser(MEMBER, [GROUP]);
    addSystemUser(OUTSIDER);
    port = await freePort();
    node = makeNode({
      OUTPOST_AGENTS: "core localapi fixture:pub1 fixture:pub2",
      OUTPOST_ARGS_pub1: "--publish Foo --keys 1",
      OUTPOST_ARGS_watchdog: "--backoff-min-ms 100 --tick-ms 200",
      OUTPOST_ONBOARD: "0",
    });
    // An external service whose executor records its state in a file.
    const ext = join(node.root, "ext");
    mkdirSync(join(node.root, "config", "localapi"), { recursive: true });
    writeFileSync(
      join(ext),
      `#!/bin/sh\nf=${node.root}/ext.state\ncase $1 in\n start|restart) echo running > $f ;;\n stop) echo stopped > $f ;;\n status) s=$(cat $f 2>/dev/null || echo stopped); echo "$2 is $s"; [ "$s" = running ] && exit 0; exit 3 ;;\nesac\n`,
    );
    chmodSync(ext, 0o755);
    writeFileSync(
      join(node.root, "config", "localapi", "services.json"),
      JSON.stringify({ services: [{ name: "thermald", executor: ext }] }),
    );
    // An op that completes here takes well under a second; the config-items override has no zedagent to
    // merge it, so its PUT waits out the whole op timeout before its 202.
    node.env.OUTPOST_ARGS_localapi = `--group ${GROUP} --tcp-port ${port} --op-timeout-ms 5000 --sample-ms 300`;
    const r = node.boot("start");
    if (r.status !== 0) throw new Error(`boot failed: ${r.stderr}`);
    api = { socketPath: join(node.root, "run", "localapi", "api.sock") };
  });
  afterAll(() => {
    node?.cleanup();
    removeUsersAndGroups([MEMBER, OUTSIDER], [GROUP]);
  });

  it("serves its OpenAPI document, the status and every service with state and health", async () => {
    const doc = await call(api, "GET", "/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/v1/status",
        "/v1/services",
        "/v1/services/{name}/{op}",
        "/v1/metrics",
        "/v1/logs",
      ]),
    );
    const status = await call(api, "GET", "/v1/status");
    expect(status.status).toBe(200);
    expect(status.body.onboarding).toBe("not-onboarded");
    expect(status.body.disk.totalBytes).toBeGreaterThan(0);
    const services = await waitFor(async () => {
      const r = await call(api, "GET", "/v1/services");
      const by = Object.fromEntries(r.body.services.map((s: { name: string }) => [s.name, s]));
      return by.pub1?.health === "healthy" && by.pub2?.health === "healthy" && by;
    }, 15_000);
    expect(services.pub1).toMatchObject({ kind: "agent", state: "running", pid: pidOf("pub1") });
    expect(services.watchdog).toMatchObject({ kind: "agent", health: "healthy" });
    expect(services.thermald).toMatchObject({
      kind: "external",
      state: "stopped",
      detail: "thermald is stopped",
    });
  });

  it("stops, starts and restarts an agent through the watchdog; a stopped agent stays down", async () => {
    const before = pidOf("pub1") as number;
    const stop = await call(api, "POST", "/v1/services/pub1/stop");
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ result: "done", state: "stopped" });
    expect(isProcessAlive(before)).toBe(false);
    // The watchdog carries on (it restarts pub2 on request meanwhile) and leaves pub1 down.
    const pub2 = pidOf("pub2");
    expect((await call(api, "POST", "/v1/services/pub2/restart")).status).toBe(200);
    expect(pidOf("pub2")).not.toBe(pub2);
    const listed = await call(api, "GET", "/v1/services");
    expect(listed.body.services.find((s: { name: string }) => s.name === "pub1")).toMatchObject({
      state: "stopped",
      health: "stopped",
    });
    expect(node.events().filter((e) => e.agent === "pub1")).toEqual([]);
    const start = await call(api, "POST", "/v1/services/pub1/start");
    expect(start.body).toMatchObject({ result: "done", state: "running" });
    const started = pidOf("pub1") as number;
    expect(isProcessAlive(started)).toBe(true);
    const restart = await call(api, "POST", "/v1/services/pub1/restart");
    expect(restart.status).toBe(200);
    expect(pidOf("pub1")).not.toBe(started);
    // Operators' actions are not failures: nothing in the watchdog's events.
    expect(node.events()).toEqual([]);
  });

  it("the batch form answers 207 with one result per service, one failing", async () => {
    const r = await call(api, "POST", "/v1/services/restart", { services: ["pub2", "no-such-service"] });
    expect(r.status).toBe(207);
    expect(r.body.results).toEqual([
      expect.objectContaining({ name: "pub2", status: 200, result: "done" }),
      expect.objectContaining({ name: "no-such-service", status: 404, result: "error" }),
    ]);
  });

  it("steers an external service through its executor", async () => {
    expect((await call(api, "POST", "/v1/services/thermald/start")).body).toMatchObject({
      status: 200,
      result: "done",
    });
    expect(readFileSync(join(node.root, "ext.state"), "utf8").trim()).toBe("running");
    const r = await call(api, "GET", "/v1/services");
    expect(r.body.services.find((s: { name: string }) => s.name === "thermald")).toMatchObject({
      state: "running",
      health: "healthy",
    });
  });

  it("metrics agree with /proc", async () => {
    const pid = pidOf("ledmanager") as number;
    const m = await waitFor(async () => {
      const r = await call(api, "GET", "/v1/metrics?service=ledmanager");
      return r.body.agents.ledmanager?.cpuRecentPercent !== null && r.body;
    }, 10_000);
    const a = m.agents.ledmanager;
    expect(a.pid).toBe(pid);
    const pss =
      Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1]) * 1024;
    expect(a.pssBytes).toBeGreaterThan(pss * 0.5);
    expect(a.pssBytes).toBeLessThan(pss * 1.5);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpu = (Number(f[11]) + Number(f[12])) / 100;
    expect(a.cpuSeconds).toBeLessThanOrEqual(cpu);
    expect(a.cpuSeconds).toBeGreaterThan(0);
    expect(m.device.memTotalBytes).toBeGreaterThan(0);
    expect(m.device.cpus).toBeGreaterThan(0);
    expect(Object.keys(m.agents)).toEqual(["ledmanager"]);
    const bad = await call(api, "GET", "/v1/metrics?service=nope");
    expect(bad.status).toBe(404);
    expect(bad.body.field).toBe("service");
  });

  it("logs: recent lines, and a follow stream that sees new ones", async () => {
    const r = await call(api, "GET", "/v1/logs?service=pub2&lines=5");
    expect(r.status).toBe(200);
    expect(r.body.lines.length).toBeGreaterThan(0);
    expect(r.body.lines.length).toBeLessThanOrEqual(5);
    const s = await stream(api, "/v1/logs?service=pub2&lines=0&follow=1");
    try {
      expect(s.status).toBe(200);
      await call(api, "POST", "/v1/services/pub2/restart");
      await waitFor(
        () => s.events.some((e) => e.includes('"msg":"starting"')),
        10_000,
        () => s.events.join("\n"),
      );
    } finally {
      s.close();
    }
  });

  it("config items: read; an allow-listed override is checked, another refused; bad input names the field", async () => {
    const get = await call(api, "GET", "/v1/config-items");
    expect(get.status).toBe(200);
    expect(get.body.localOverridable).toContain("debug.default.loglevel");
    // Allowed and valid: recorded in localapi's ConfigItemOverride; no zedagent runs here to merge it,
    // so the answer is 202 (pending) and the override waits for it (agents/zedagent test: the merge).
    const allowed = await call(api, "PUT", "/v1/config-items", { "debug.default.loglevel": "debug" });
    expect(allowed).toMatchObject({
      status: 202,
      body: { result: "pending", localOverrides: { "debug.default.loglevel": "debug" } },
    });
    expect((await call(api, "GET", "/v1/config-items")).body.localOverrides).toEqual({
      "debug.default.loglevel": "debug",
    });
    const badLevel = await call(api, "PUT", "/v1/config-items", { "debug.default.loglevel": "loud" });
    expect(badLevel).toMatchObject({ status: 400, body: { field: "debug.default.loglevel" } });
    const refused = await call(api, "PUT", "/v1/config-items", { "timer.config.interval": "5" });
    expect(refused.status).toBe(403);
    expect(refused.body.field).toBe("timer.config.interval");
    const wrongType = await call(api, "PUT", "/v1/config-items", { "debug.default.loglevel": 5 });
    expect(wrongType.status).toBe(400);
    const badOp = await call(api, "POST", "/v1/services/pub1/explode");
    expect(badOp).toMatchObject({ status: 400, body: { field: "op" } });
    const badJson = await call(api, "POST", "/v1/services/stop", "{not json");
    expect(badJson).toMatchObject({ status: 400, body: { field: "body" } });
    const noList = await call(api, "POST", "/v1/services/stop", { services: [] });
    expect(noList).toMatchObject({ status: 400, body: { field: "services" } });
    const noWatchdog = await call(api, "POST", "/v1/services/watchdog/stop");
    expect(noWatchdog.status).toBe(409);
    const reboot = await call(api, "POST", "/v1/reboot", { reason: 7 });
    expect(reboot).toMatchObject({ status: 400, body: { field: "reason" } });
  });

  it("every request is audited with the peer's uid", () => {
    const lines = readFileSync(join(node.root, "persist", "log", "localapi.log"), "utf8")
      .split("\n")
      .filter((l) => l.includes('"msg":"request"'))
      .map((l) => JSON.parse(l));
    const stop = lines.find((l) => l.path === "/v1/services/pub1/stop");
    expect(stop).toMatchObject({ transport: "unix", uid: 0, method: "POST", status: 200 });
    expect(lines.find((l) => l.path === "/v1/services/pub1/explode")).toMatchObject({ uid: 0, status: 400 });
  });

  it("the socket is 0660 in its group: a member connects, a user outside the group cannot", () => {
    const sock = (api as { socketPath: string }).socketPath;
    const st = statSync(sock);
    expect(st.mode & 0o777).toBe(0o660);
    expect(st.gid).toBe(Number(sh("getent", ["group", GROUP]).split(":")[2]));
    // The temp root is the test's (0700): let the two users walk to the socket's directory.
    for (const d of [node.root, join(node.root, "run")]) chmodSync(d, 0o711);
    const as = (user: string) =>
      spawnSync(
        "runuser",
        [
          "-u",
          user,
          "--",
          "curl",
          "-sS",
          "-o",
          "/dev/null",
          "-w",
          "%{http_code}",
          "--unix-socket",
          sock,
          "http://l/v1/status",
        ],
        { encoding: "utf8" },
      );
    const member = as(MEMBER);
    expect(member.stdout).toBe("200");
    const outsider = as(OUTSIDER);
    expect(outsider.status).not.toBe(0);
    expect(outsider.stderr).toMatch(/Permission denied|Couldn't connect/);
  });

  it("TCP: loopback only, a bearer token from a 0600 file; missing or wrong token refused", async () => {
    const tokenFile = join(node.root, "persist", "localapi", "token");
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, "utf8").trim();
    const tcp = { host: "127.0.0.1", port };
    const none = await call(tcp, "GET", "/v1/status");
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: "missing bearer token", field: "Authorization" });
    expect((await call({ ...tcp, token: "x".repeat(64) }, "GET", "/v1/status")).status).toBe(401);
    expect((await call({ ...tcp, token }, "GET", "/v1/status")).status).toBe(200);
    // Listening on 127.0.0.1 only (0100007F in /proc/net/tcp), on no other address.
    const hex = port.toString(16).toUpperCase().padStart(4, "0");
    const listening = readFileSync("/proc/net/tcp", "utf8")
      .split("\n")
      .filter((l) => l.includes(`:${hex} 00000000:0000 0A`));
    expect(listening.map((l) => l.trim().split(/\s+/)[1])).toEqual([`0100007F:${hex}`]);
    expect(readFileSync("/proc/net/tcp6", "utf8")).not.toMatch(new RegExp(`:${hex} 0+:0000 0A`));
  });

  it("a bad services file stops it at start with the reason (exit 1)", async () => {
    const root = mkdtempSync(join(tmpdir(), "opla-bad-"));
    try {
      const bad = join(root, "services.json");
      writeFileSync(bad, JSON.stringify({ services: [{ name: "x", executor: "relative/path" }] }));
      const r = spawnSync(distBin("localapi"), ["--root", root, "--services-file", bad], {
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("executor must be an absolute path");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
