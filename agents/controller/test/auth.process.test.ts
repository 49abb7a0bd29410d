// Users, teams, roles, personal tokens and the audit trail end to end: a real controller process over
// TLS (LMDB store, no shared token), `outpost controller init-admin`, and `ctl` run as separate users
// (each with its own XDG_CONFIG_HOME, where `ctl login` keeps its token), with simulated devices
// (testkit sim-fleet) registered into two teams.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  distBin,
  Procs,
  type RunningController,
  removeRoot,
  startController,
  tempRoot,
} from "@outpost/testkit";
import { type SimDevice, SimFleet } from "@outpost/testkit/sim-fleet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../src/store/index.js";

describe("users, teams, roles, tokens and the audit trail (a controller process over TLS)", () => {
  const procs = new Procs();
  const root = tempRoot("op-auth-");
  let c: RunningController;
  const devices: Record<string, SimDevice> = {};

  const cfg = (user: string) => join(root, `home-${user}`);
  /** ctl as `user` (their own config dir); `env` adds to it. */
  const as = (user: string, args: string[], env: Record<string, string> = {}) =>
    procs.run("ctl", ["--root", root, ...args], 20_000, undefined, { XDG_CONFIG_HOME: cfg(user), ...env });
  const ok = <T = unknown>(user: string, ...args: string[]): T => {
    const r = as(user, ["--json", ...args]);
    if (r.status !== 0) throw new Error(`ctl ${args.join(" ")} as ${user}: ${r.status} ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const secret = (name: string, text: string, mode = 0o600) => {
    const p = join(root, `pw-${name}`);
    writeFileSync(p, `${text}\n`);
    chmodSync(p, mode);
    return p;
  };
  const initAdmin = (user: string, ...more: string[]) =>
    procs.run("controller", ["init-admin", "--root", root, "--user", user, ...more]);
  const login = (user: string, password: string) =>
    as(user, ["login", "--user", user, "--password-file", secret(`${user}-${password.length}`, password)]);
  const doc = (name: string, text: string) => {
    const p = join(root, name);
    writeFileSync(p, text);
    return p;
  };
  const audit = (user: string, ...args: string[]) =>
    ok<{ entries: AuditEntry[]; kept: number; removedByRetention: number }>(user, "audit", ...args);

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    c = await startController(procs, root, [], { singleToken: false });
  }, 30_000);
  afterAll(async () => {
    await c?.stop();
    procs.cleanup();
    removeRoot(root);
  });

  it("init-admin takes no default password, refuses a second admin; login asks without echo and keeps its token in a 0600 file", async () => {
    expect(existsSync(join(c.dataDir, "admin-token"))).toBe(false);
    expect(c.output()).toContain("no admin yet");
    const none = as("root", ["devices", "list"]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("not logged in");
    // No password file and no terminal: refused, nothing created.
    const noTty = initAdmin("root");
    expect(noTty.status).toBe(1);
    expect(noTty.stderr).toContain("no terminal to ask for the password on");
    const loose = initAdmin("root", "--password-file", secret("loose", "correct horse", 0o644));
    expect(loose.status).toBe(1);
    expect(loose.stderr).toContain("readable by group or others");
    const first = initAdmin("root", "--password-file", secret("root", "root-password-1"));
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const second = initAdmin("mallory", "--password-file", secret("mallory", "mallory-password"));
    expect(second.status).toBe(1);
    expect(second.stderr).toContain("an admin exists already (root)");

    // Typed on a terminal (script(1) gives ctl a pty): asked without echo.
    const typed = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn("script", ["-qec", `${distBin("ctl")} --root ${root} login --user root`, "/dev/null"], {
        env: { ...process.env, XDG_CONFIG_HOME: cfg("root") },
      });
      let out = "";
      let sent = false;
      p.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (!sent && out.includes("password for root:")) {
          sent = true;
          p.stdin.write("root-password-1\r");
        }
      });
      p.on("exit", (code) => resolve({ code, out }));
    });
    expect(typed.out).toContain("logged in to");
    expect(typed.out).not.toContain("root-password-1");
    expect(typed.code).toBe(0);
    const file = join(cfg("root"), "outpost", "ctl-credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ok("root", "whoami")).toMatchObject({
      user: "root",
      superuser: false,
      roles: { default: "admin" },
    });

    for (const [user, pw] of [
      ["root", "wrong-password"],
      ["nobody", "whatever-password"],
    ] as const) {
      const bad = login(user, pw);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain("HTTP 401: wrong user name or password");
    }
  });

  it("a viewer cannot set a config (403); an operator of team a sees none of team b's devices (404)", async () => {
    ok("root", "team", "add", "a");
    ok("root", "team", "add", "b");
    for (const u of ["vic", "opa"])
      ok("root", "user", "add", u, "--password-file", secret(u, `${u}-password-1`));
    ok("root", "role", "grant", "vic", "a", "viewer");
    ok("root", "role", "grant", "opa", "a", "operator");
    for (const team of ["a", "b"]) {
      const dir = join(root, `node-${team}`);
      const r = as("root", ["node-config", dir, "--team", team]);
      expect(r.stderr).toBe("");
      const fleet = new SimFleet(join(dir, "config"));
      devices[team] = await fleet.add(`SN-${team.toUpperCase()}`);
    }
    expect(login("vic", "vic-password-1").status).toBe(0);
    expect(login("opa", "opa-password-1").status).toBe(0);
    const set1 = doc("c1.yaml", 'configItems: { timer.config.interval: "61" }\n');
    expect(ok("root", "config", "set", "SN-A", set1)).toMatchObject({ changed: true, version: 1 });

    // The viewer sees team a's device, cannot change it, and does not see team b's.
    expect(ok<{ serial: string; team: string }[]>("vic", "devices", "list")).toEqual([
      expect.objectContaining({ serial: "SN-A", team: "a" }),
    ]);
    const denied = as("vic", ["config", "set", "SN-A", set1]);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toContain(
      'HTTP 403: setting a config needs the operator role in team "a" (you: viewer)',
    );
    expect(as("vic", ["reboot", "SN-A"]).stderr).toContain("HTTP 403");

    // The operator of a: changes a's device; b's is not there, whichever way it is named.
    const set2 = doc("c2.yaml", 'configItems: { timer.config.interval: "62" }\n');
    expect(ok("opa", "config", "set", "SN-A", set2)).toMatchObject({ changed: true, version: 2 });
    expect(ok<{ serial: string }[]>("opa", "devices", "list").map((d) => d.serial)).toEqual(["SN-A"]);
    expect(ok<{ serial: string }[]>("opa", "inventory", "devices").map((d) => d.serial)).toEqual(["SN-A"]);
    for (const args of [
      ["devices", "get", "SN-B"],
      ["devices", "get", devices.b?.uuid ?? "x"],
      ["config", "get", "SN-B"],
      ["config", "set", "SN-B", set2],
      ["info", "SN-B"],
    ]) {
      const r = as("opa", args);
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toContain("HTTP 404: no device");
    }
    expect(as("opa", ["devices", "remove", "SN-A"]).stderr).toContain(
      'HTTP 403: removing a device needs the admin role in team "a" (you: operator)',
    );
    expect(
      as("opa", ["user", "add", "eve", "--password-file", secret("eve", "eve-password")]).stderr,
    ).toContain("HTTP 403");
    expect(ok<{ name: string }[]>("opa", "onboarding", "list")).toHaveLength(1);

    // A rollout by the operator of a only ever targets a's devices; the viewer cannot pause it.
    const frag = doc("f.yaml", 'configItems: { timer.config.interval: "63" }\n');
    const r = ok<{ id: string; devices: { serial: string }[] }>(
      "opa",
      "rollout",
      "create",
      "--fragment",
      frag,
    );
    expect(r.devices.map((d) => d.serial)).toEqual(["SN-A"]);
    expect(as("vic", ["rollout", "pause", r.id]).stderr).toContain("HTTP 403");
    expect(ok("opa", "rollout", "abort", r.id)).toMatchObject({ state: "aborted" });

    // Moving b's device into a makes it the operator's.
    ok("root", "device", "set-team", "SN-B", "a");
    expect(
      ok<{ serial: string }[]>("opa", "devices", "list")
        .map((d) => d.serial)
        .sort(),
    ).toEqual(["SN-A", "SN-B"]);
    ok("root", "device", "set-team", "SN-B", "b");
    expect(as("opa", ["devices", "get", "SN-B"]).stderr).toContain("HTTP 404");
  });

  it("tokens: one made with ctl token create works for scripts; revoked, expired, logged out or of a disabled user: 401", async () => {
    const made = ok<{ token: string; id: string }>("opa", "token", "create", "--name", "ci", "--ttl", "1h");
    expect(made.token).toMatch(/^opt_/);
    const script = (token: string) =>
      as("nobody-logged-in", ["--json", "devices", "list"], { OUTPOST_TOKEN: token });
    expect(script(made.token).status).toBe(0);
    const listed = ok<Record<string, unknown>[]>("opa", "token", "list");
    expect(listed.map((t) => t.name)).toEqual(["ctl login", "ci"]);
    expect(JSON.stringify(listed)).not.toContain(made.token);
    expect(JSON.stringify(listed)).not.toContain('"hash"');
    ok("opa", "token", "revoke", made.id);
    const revoked = script(made.token);
    expect(revoked.status).toBe(1);
    expect(revoked.stderr).toContain(`HTTP 401: token ${made.id} was revoked`);

    const short = ok<{ token: string; id: string }>(
      "opa",
      "token",
      "create",
      "--name",
      "short",
      "--ttl",
      "1s",
    );
    expect(script(short.token).status).toBe(0);
    await new Promise((r) => setTimeout(r, 1200));
    const expired = script(short.token);
    expect(expired.status).toBe(1);
    expect(expired.stderr).toContain(`HTTP 401: token ${short.id} expired`);

    const vicToken = (
      JSON.parse(readFileSync(join(cfg("vic"), "outpost", "ctl-credentials.json"), "utf8")) as Record<
        string,
        { token: string }
      >
    )[c.server]?.token;
    expect(as("vic", ["logout"]).status).toBe(0);
    expect(as("vic", ["devices", "list"]).stderr).toContain("not logged in");
    expect(script(vicToken ?? "").stderr).toContain("HTTP 401");

    // The admin of team b cannot lock out (or reset) a user of team a.
    ok("root", "user", "add", "bea", "--password-file", secret("bea", "bea-password-1"));
    ok("root", "role", "grant", "bea", "b", "admin");
    expect(login("bea", "bea-password-1").status).toBe(0);
    expect(as("bea", ["user", "disable", "opa"]).stderr).toContain(
      "HTTP 403: disabling a user needs the admin role in every team of opa (not in: a)",
    );
    expect(
      as("bea", ["user", "passwd", "opa", "--password-file", secret("x", "new-password-1")]).stderr,
    ).toContain("HTTP 403");
    ok("root", "user", "disable", "opa");
    const disabled = as("opa", ["devices", "list"]);
    expect(disabled.status).toBe(1);
    expect(disabled.stderr).toContain("HTTP 401: user opa is disabled");
    expect(login("opa", "opa-password-1").stderr).toContain("HTTP 401");
  });

  it("five wrong passwords for a user name: the next attempt is 429 with when to retry; after it the right password works", async () => {
    for (let i = 0; i < 5; i++) expect(login("vic", `wrong-password-${i}`).stderr).toContain("HTTP 401");
    const throttled = login("vic", "vic-password-1");
    expect(throttled.status).toBe(1);
    expect(throttled.stderr).toContain("HTTP 429: too many failed logins: try again in 1 s");
    await new Promise((r) => setTimeout(r, 1100));
    expect(login("vic", "vic-password-1").status).toBe(0);
  });

  it("the audit trail shows each change with who, from where and what; admins only; kept within --audit-keep", async () => {
    const viewer = as("vic", ["audit"]);
    expect(viewer.status).toBe(1);
    expect(viewer.stderr).toContain("HTTP 403: reading the audit trail needs the admin role in a team");
    const { entries } = audit("root", "--limit", "1000");
    const find = (action: string, pred: (e: AuditEntry) => boolean = () => true) =>
      entries.find((e) => e.action === action && pred(e));
    expect(find("user.init-admin")).toMatchObject({ actor: "root", remote: "local", object: "user/root" });
    expect(find("login.failed", (e) => e.actor === "root")).toMatchObject({
      remote: "127.0.0.1",
      detail: { reason: "wrong password" },
    });
    expect(find("login.failed", (e) => e.actor === "nobody")).toMatchObject({
      detail: { reason: "no such user" },
    });
    const a = devices.a?.uuid ?? "";
    const byRoot = find("config.set", (e) => e.actor === "root");
    const byOpa = find("config.set", (e) => e.actor === "opa");
    expect(byRoot).toMatchObject({ device: a, team: "a", object: `device/${a}/config`, remote: "127.0.0.1" });
    expect(byRoot?.tokenId).toMatch(/^[0-9a-f]{12}$/);
    expect(byRoot?.detail?.before).toBeNull();
    expect(byOpa?.detail?.before).toBe(byRoot?.detail?.after);
    expect(byOpa?.detail?.after).toMatch(/^[0-9a-f]{64}$/);
    expect(byOpa?.detail?.after).not.toBe(byOpa?.detail?.before);
    expect(find("role.grant", (e) => e.object === "user/opa")).toMatchObject({
      actor: "root",
      team: "a",
      detail: { before: null, after: "operator" },
    });
    for (const action of [
      "team.add",
      "user.add",
      "onboarding.add",
      "device.team",
      "rollout.create",
      "rollout.abort",
      "token.create",
      "token.revoke",
      "user.disable",
      "login",
    ])
      expect(find(action), action).toBeDefined();
    // Newest first, ids ascending with time.
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((x, y) => y - x));
    expect(audit("root", "--user", "opa").entries.every((e) => e.actor === "opa")).toBe(true);
    const forA = audit("root", "--device", "SN-A").entries;
    expect(forA.length).toBeGreaterThanOrEqual(2);
    expect(forA.every((e) => e.device === a)).toBe(true);
    expect(audit("root", "--since", "1d", "--limit", "3").entries).toHaveLength(3);

    // Restarted with a smaller budget: the oldest go, counted; users and tokens are still there.
    const before = audit("root", "--limit", "10000");
    await c.stop();
    // The same address: `ctl login` keeps a token per controller address.
    c = await startController(procs, root, ["--listen", c.server, "--audit-keep", "5"], {
      singleToken: false,
    });
    const after = audit("root", "--limit", "10000");
    expect(after.entries).toHaveLength(5);
    expect(after.kept).toBe(5);
    expect(after.removedByRetention).toBe(before.kept - 5 + 0);
    expect(after.entries[4]?.id).toBe(before.entries[4]?.id);
  });
});
