// A datastore password set through the controller reaches the node's disk (zedagent's persistent
// DatastoreConfig table, the config checkpoint) and the controller's database. None of those may be
// readable by another local user: checked as a throwaway unprivileged user (useradd), with every
// process started under umask 000, and again after the modes are loosened as an older version left
// them. Real controller, client and zedagent processes from dist/bin.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addSystemUser, type Procs, Rig, removeUsersAndGroups, waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const USER = `opsec${process.pid}`;
const PASSWORD = `pw-${randomBytes(12).toString("hex")}`;

/** Every regular file under `dir` (as root), symlinks not followed. */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const holds = (f: string) => {
  try {
    return readFileSync(f).includes(PASSWORD);
  } catch {
    return false;
  }
};

function asUser(...cmd: string[]) {
  return spawnSync("runuser", ["-u", USER, "--", ...cmd], { encoding: "utf8", timeout: 20_000 });
}

describe("secrets on disk", () => {
  let rig: Rig;
  let oldUmask: number;
  let zedagent: ReturnType<Procs["start"]> | undefined;

  beforeAll(async () => {
    addSystemUser(USER);
    // Children inherit the umask: the agents must not rely on it.
    oldUmask = process.umask(0o000);
    rig = new Rig();
    // Roots as a device's "/" is: anyone may enter. Only the modes Outpost sets may keep others out.
    chmodSync(rig.nroot, 0o755);
    chmodSync(rig.croot, 0o755);
    // A control: a world-readable file with the password, which the user's grep must find.
    writeFileSync(join(rig.nroot, "canary"), `${PASSWORD}\n`, { mode: 0o644 });
    await rig.startController();
    await rig.onboard();
    rig.setConfig(`datastores:
  - { id: private-ds, type: https, fqdn: "https://127.0.0.1:9", path: blobs, apiKey: reader, password: "${PASSWORD}" }
configItems:
  timer.config.interval: "1"
`);
  });

  afterAll(async () => {
    await rig?.cleanup();
    process.umask(oldUmask);
    removeUsersAndGroups([USER]);
  });

  const node = (p: string) => join(rig.nroot, p);
  const mdb = () => node("persist/pubsub/zedagent/data.mdb");
  const lastconfig = () => node("persist/checkpoint/lastconfig");

  function startZedagent(): void {
    zedagent = rig.procs.start("zedagent", ["--root", rig.nroot]);
  }
  async function stopZedagent(): Promise<void> {
    const z = zedagent;
    if (!z || z.exitCode !== null || z.signalCode !== null) return;
    await new Promise<void>((r) => {
      z.once("exit", () => r());
      z.kill("SIGTERM");
    });
  }

  /** What another local user sees: no file holding the password can be read; grep over both roots
   * finds only the canary. */
  function expectUnreadable(secretFiles: string[]): void {
    for (const f of secretFiles) {
      const r = asUser("cat", f);
      expect(r.status, `${f} readable by ${USER}`).not.toBe(0);
      expect(r.stderr).toMatch(/Permission denied/);
    }
    // The controller's root minus the operator's own document files (written by the test, not Outpost).
    const g = asUser("grep", "-rlF", "--binary-files=text", PASSWORD, rig.nroot, join(rig.croot, "persist"));
    expect(g.stdout.trim().split("\n")).toEqual([node("canary")]);
  }

  it("keeps a datastore password from other local users, under umask 000", async () => {
    startZedagent();
    await waitFor(
      () => holds(mdb()) && holds(lastconfig()),
      60_000,
      "the password in the table and checkpoint",
    );

    // Where the secret is, as root sees it: at least the table store and the checkpoint on the node,
    // and the controller's database.
    const nodeSecrets = files(node("persist"))
      .concat(files(node("config")))
      .filter(holds);
    expect(nodeSecrets).toEqual(expect.arrayContaining([mdb(), lastconfig()]));
    const controllerSecrets = files(join(rig.croot, "persist")).filter(holds);
    expect(controllerSecrets.length).toBeGreaterThan(0);

    for (const f of [...nodeSecrets, ...controllerSecrets, ...files(node("config"))])
      expect(statSync(f).mode & 0o077, `${f} mode ${(statSync(f).mode & 0o777).toString(8)}`).toBe(0);
    for (const d of ["config", "persist", "persist/pubsub", "persist/pubsub/zedagent", "persist/checkpoint"])
      expect((statSync(node(d)).mode & 0o777).toString(8), d).toBe("700");
    expect((statSync(join(rig.croot, "persist")).mode & 0o777).toString(8)).toBe("700");
    expect((statSync(rig.dataDir).mode & 0o777).toString(8)).toBe("700");

    expectUnreadable([...nodeSecrets, ...controllerSecrets]);
  });

  it("tightens a root left readable by an older version at the next start", async () => {
    await stopZedagent();
    // What an older version under a loose umask left: 0755 directories, 0644 files.
    const loosen = (p: string) => {
      const st = lstatSync(p);
      if (st.isSymbolicLink()) return;
      chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
      if (st.isDirectory()) for (const n of readdirSync(p)) loosen(join(p, n));
    };
    loosen(node("persist"));
    loosen(node("config"));
    // The control: now the user can read them.
    const r = asUser("cat", lastconfig());
    expect(r.status).toBe(0);
    expect(asUser("grep", "-c", "--binary-files=text", PASSWORD, mdb()).stdout.trim()).not.toBe("0");

    const logFile = node("persist/log/zedagent.log");
    const logBefore = statSync(logFile).size;
    startZedagent();
    await waitFor(
      () => readFileSync(logFile).subarray(logBefore).includes("took group and other permissions off files"),
      30_000,
      "zedagent to tighten the modes",
    );
    const secrets = files(node("persist"))
      .concat(files(node("config")))
      .filter(holds);
    expect(secrets).toEqual(expect.arrayContaining([mdb(), lastconfig()]));
    for (const f of [...secrets, ...files(node("config"))])
      expect((statSync(f).mode & 0o777).toString(8), f).toBe("600");
    expectUnreadable(secrets);
    // And it still runs on the config it keeps.
    await rig.waitZedagent((s) => s.state === "connected", "zedagent connected after the restart");
  });
});
