// The pure parts of mqttagent: command parsing and refusals, what a command does to the edge apps,
// the tables the planner publishes (pipeline order up, reverse down, undeploy/remove), sealed secrets.
import { encryptSecret, parseCommand, parseManifest, secretEnvText } from "@outpost/mqttedge";
import type { AppInstanceConfig, AppInstanceStatus } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { allocateSubnet, applyCommand } from "../src/commands.js";
import { type EdgeApp, moduleUuid, plan, wiringEnv } from "../src/plan.js";

const img = (n: string) => ({ url: `http://127.0.0.1:1/${n}.tar`, sha256: "a".repeat(64) });
const manifest = (version = 1, extra: object = {}) => ({
  id: "app",
  name: "App",
  version,
  modules: [
    { name: "src", image: img("src") },
    { name: "mid", image: img("mid"), ingressPort: 9000 },
    { name: "sink", image: img("sink"), ...extra },
  ],
});
const deploy = (m: object) => {
  const p = parseCommand(JSON.stringify({ command: "deploy", manifest: m }));
  if (!p.ok) throw new Error(p.error);
  return p.value;
};
const NODE = "n1";
const uuids = ["src", "mid", "sink"].map((m) => moduleUuid(NODE, "app", m));
const st = (state: AppInstanceStatus["state"]) =>
  ({ state, activated: state === "RUNNING" }) as AppInstanceStatus;

function tables(
  app: EdgeApp,
  states: AppInstanceStatus["state"][],
  published?: Map<string, AppInstanceConfig>,
) {
  return plan({
    nodeId: NODE,
    apps: new Map([["app", app]]),
    statuses: new Map(states.flatMap((s, i) => (s === "UNKNOWN" ? [] : [[uuids[i] as string, st(s)]]))),
    published: published ?? new Map(),
    secretFiles: new Map(),
  });
}
const activations = (t: ReturnType<typeof plan>) => uuids.map((u) => t.apps.get(u)?.activate);

describe("parseCommand", () => {
  it("refuses what is not a supported command or manifest, saying what is wrong", () => {
    expect(parseCommand("{nope")).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(parseCommand('{"command":"explode","id":"x"}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unknown command "explode"/),
    });
    expect(parseCommand('{"command":"stop"}')).toMatchObject({ ok: false, error: "stop: no edge app id" });
    const bad = (m: object) => parseCommand(JSON.stringify({ command: "deploy", manifest: m }));
    expect(bad({ ...manifest(), version: "2" })).toMatchObject({
      error: expect.stringMatching(/manifest\.version/),
    });
    expect(bad({ ...manifest(), apiVersion: "v9" })).toMatchObject({
      error: expect.stringMatching(/unsupported/),
    });
    expect(bad({ ...manifest(), modules: [] })).toMatchObject({ error: "manifest has no modules" });
    expect(bad(manifest(1, { name: "src" }))).toMatchObject({
      error: expect.stringMatching(/duplicate module/),
    });
    expect(bad(manifest(1, { image: { url: "ftp://x/y" } }))).toMatchObject({
      error: expect.stringMatching(/http/),
    });
    expect(bad(manifest(1, { devices: ["/dev/ttyS0"] }))).toMatchObject({
      error: expect.stringMatching(/manifest\.modules\[2\]\.devices\[0\]/),
    });
    for (const [d, why] of [
      [{ host: "/etc/passwd" }, /host path "\/etc\/passwd": only paths under \/dev\//],
      [{ host: "/dev/../etc/shadow" }, /only paths under \/dev\//],
      [{ host: "/dev/" }, /only paths under \/dev\//],
      [{ host: "/dev/zero", container: "/etc/zero" }, /container path "\/etc\/zero"/],
      [{ host: "/dev/zero", permissions: "rx" }, /permissions "rx"/],
      [{ host: "/dev/zero", permissions: "rr" }, /permissions "rr"/],
    ] as const)
      expect(bad(manifest(1, { devices: [d] }))).toMatchObject({
        error: expect.stringMatching(new RegExp(`^module 2 \\(sink\\): device .*${why.source}`)),
      });
    expect(bad(manifest(1, { env: { "A-B": "1" } }))).toMatchObject({
      error: expect.stringMatching(/"A-B"/),
    });
    expect(parseCommand(JSON.stringify({ command: "DEPLOY", manifest: manifest() })).ok).toBe(true);
  });
});

describe("applyCommand", () => {
  const pool = "10.213.0.0/16";
  it("deploy is idempotent, a newer version updates in place, an older one or other content is refused", () => {
    const a = applyCommand(new Map(), deploy(manifest(1)), pool);
    expect(a).toMatchObject({ ok: true, changed: true });
    if (!a.ok) return;
    const subnet = a.apps.get("app")?.subnet;
    expect(subnet).toMatch(/^10\.213\.\d+\.0\/24$/);
    expect(applyCommand(a.apps, deploy(manifest(1)), pool)).toMatchObject({ ok: true, changed: false });
    const v2 = applyCommand(a.apps, deploy(manifest(2)), pool);
    expect(v2).toMatchObject({ ok: true, changed: true });
    if (v2.ok) expect(v2.apps.get("app")).toMatchObject({ subnet, desired: "running" });
    expect(applyCommand(a.apps, deploy(manifest(0)), pool)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/older than the deployed version 1/),
    });
    expect(applyCommand(a.apps, deploy(manifest(1, { env: { X: "1" } })), pool)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/bump the version/),
    });
  });
  it("stop/resume/undeploy/remove; twice is harmless; an unknown app is an error (remove: a no-op)", () => {
    const a = applyCommand(new Map(), deploy(manifest()), pool);
    if (!a.ok) throw new Error("deploy");
    const stop = applyCommand(a.apps, { command: "stop", id: "app" }, pool);
    expect(stop).toMatchObject({ ok: true, changed: true });
    if (!stop.ok) return;
    expect(applyCommand(stop.apps, { command: "stop", id: "app" }, pool)).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(applyCommand(a.apps, { command: "resume", id: "nope" }, pool)).toMatchObject({ ok: false });
    expect(applyCommand(a.apps, { command: "remove", id: "nope" }, pool)).toMatchObject({
      ok: true,
      changed: false,
    });
  });
  it("subnets: a free /24 of the pool, never one in use", () => {
    const used = new Set([allocateSubnet("10.9.0.0/16", "x", new Set()) as string]);
    expect(allocateSubnet("10.9.0.0/16", "x", used)).not.toEqual([...used][0]);
    expect(allocateSubnet("10.9.0.0/24", "x", new Set())).toBeUndefined();
  });
});

describe("plan", () => {
  const app = (desired: EdgeApp["desired"], m: object = manifest()): EdgeApp => {
    const parsed = parseManifest(m);
    if (!parsed.ok) throw new Error(parsed.error);
    return { manifest: parsed.manifest, desired, subnet: "10.213.5.0/24" };
  };

  it("starts the modules in pipeline order: each once the one before it is RUNNING", () => {
    expect(activations(tables(app("running"), ["UNKNOWN", "UNKNOWN", "UNKNOWN"]))).toEqual([
      true,
      false,
      false,
    ]);
    expect(activations(tables(app("running"), ["RUNNING", "DOWNLOADING", "LOADED"]))).toEqual([
      true,
      true,
      false,
    ]);
    expect(activations(tables(app("running"), ["RUNNING", "RUNNING", "INSTALLED"]))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("wires each module to the next by name on the app's own network, with its env and ports", () => {
    const t = tables(app("running"), ["UNKNOWN", "UNKNOWN", "UNKNOWN"]);
    const src = t.apps.get(uuids[0] as string);
    expect(Buffer.from(src?.userData ?? "", "base64").toString()).toContain(
      "EGRESS_HOST=mid\nEGRESS_PORT=9000",
    );
    expect(wiringEnv(app("running").manifest, 2)).toMatchObject({
      EGRESS_HOST: "",
      EGRESS_URLS: "",
      INGRESS_PORT: "80",
    });
    expect(src?.interfaces[0]?.aliases).toEqual(["src"]);
    expect(src?.group).toEqual({ id: "app", name: "App", order: 0 });
    expect([...t.networks.values()]).toMatchObject([{ kind: "local", subnet: "10.213.5.0/24" }]);
    // One datastore for the one server, one content tree and image volume per module.
    expect(t.datastores.size).toBe(1);
    expect(t.contentTrees.size).toBe(3);
    expect(t.volumes.size).toBe(3);
  });

  it("gives a module the devices of its manifest (container path defaults to the host's), others none", () => {
    const devices = [
      { host: "/dev/zero", container: "/dev/outpost-test", permissions: "r" },
      { host: "/dev/ttyS0" },
    ];
    const t = tables(app("running", manifest(1, { devices })), ["RUNNING", "RUNNING", "UNKNOWN"]);
    expect(t.apps.get(uuids[2] as string)?.devices).toEqual([
      { hostPath: "/dev/zero", containerPath: "/dev/outpost-test", permissions: "r" },
      { hostPath: "/dev/ttyS0", containerPath: "/dev/ttyS0", permissions: "rwm" },
    ]);
    expect(t.apps.get(uuids[0] as string)?.devices).toBeUndefined();
  });

  it("stops in reverse: a module goes once every later one is down", () => {
    const on = new Map(tables(app("running"), ["RUNNING", "RUNNING", "RUNNING"]).apps);
    expect(activations(tables(app("stopped"), ["RUNNING", "RUNNING", "RUNNING"], on))).toEqual([
      true,
      true,
      false,
    ]);
    const sinkOff = new Map(tables(app("stopped"), ["RUNNING", "RUNNING", "RUNNING"], on).apps);
    expect(activations(tables(app("stopped"), ["RUNNING", "RUNNING", "HALTING"], sinkOff))).toEqual([
      true,
      true,
      false,
    ]);
    expect(activations(tables(app("stopped"), ["RUNNING", "RUNNING", "HALTED"], sinkOff))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("undeploy: stops, then withdraws the apps and keeps the images; remove: everything, then forgets", () => {
    const off = new Map(
      [...tables(app("running"), ["RUNNING", "RUNNING", "RUNNING"]).apps].map(([k, v]) => [
        k,
        { ...v, activate: false },
      ]),
    );
    const u = tables(app("undeployed"), ["HALTED", "HALTED", "HALTED"], off);
    expect(u.apps.size).toBe(0);
    expect(u.keptTrees.size).toBe(3);
    // Held while running too: a redeploy never lets volumemgr collect them before zedmanager holds
    // the new volume refs.
    expect(tables(app("running"), ["UNKNOWN", "UNKNOWN", "UNKNOWN"]).keptTrees).toEqual(u.keptTrees);
    expect(u.contentTrees.size).toBe(3);
    expect(u.volumes.size).toBe(0);
    const gone = tables(app("undeployed"), ["UNKNOWN", "UNKNOWN", "UNKNOWN"]);
    expect(gone.networks.size).toBe(0);
    const rm = tables(app("removed"), ["UNKNOWN", "UNKNOWN", "UNKNOWN"]);
    expect([rm.apps.size, rm.contentTrees.size, rm.datastores.size, rm.keptTrees.size]).toEqual([0, 0, 0, 0]);
    expect(rm.forget).toEqual(["app"]);
  });
});

describe("secrets", () => {
  it("decrypts with the org key only; errors name the variable, never the value", () => {
    const key = Buffer.alloc(32, 7);
    const sealed = encryptSecret(key, "hunter2");
    expect(secretEnvText(key, { PW: sealed })).toEqual({ ok: true, text: "PW=hunter2\n" });
    const wrong = secretEnvText(Buffer.alloc(32, 8), { PW: sealed });
    expect(wrong).toEqual({ ok: false, error: "secret PW: cannot be decrypted with the organisation key" });
    expect(secretEnvText(undefined, { PW: sealed })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no organisation key/),
    });
  });
});
