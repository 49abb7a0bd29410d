// Issue 11 end to end, real everything: the reference controller over TLS, a node booted by
// outpost-boot with nodeagent's node-restart backend, a real container. `ctl reboot` -> the app's
// container is stopped cleanly (SIGTERM, exit 0, no SIGKILL) -> the node restarts -> the controller
// hears REBOOT_CMD -> the app runs again, and the counter in the first config after the boot does not
// reboot again. Then a kill -9 of every process of the node and a boot: POWER_FAIL. Then maintenance
// mode: the app halted, reported, and back when it is off. Then `ctl shutdown`: the node stops, and the
// next boot reports POWEROFF_CMD.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { idToUuid } from "@outpost/controller";
import { appDoc, DIST_BIN, killRoot, REPO, Rig, rootProcesses, waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BOOT = resolve(REPO, "build/init/outpost-boot");

type DInfo = Record<string, unknown> & { lastRebootTime?: { seconds: number } };

describe("nodeagent: reboot on command, unclean stop, maintenance mode", () => {
  let rig: Rig;
  let server: string;
  let image: { url: string; sha256: string };
  const web = idToUuid("web");

  const boot = (cmd: "start" | "stop") => {
    const r = spawnSync("dash", [BOOT, "--root", rig.nroot, cmd], {
      encoding: "utf8",
      env: {
        ...process.env,
        OUTPOST_BIN: DIST_BIN,
        OUTPOST_ONBOARD: "0",
        OUTPOST_ARGS_nodeagent: "--backend node-restart --halt-timeout-s 40",
      },
      timeout: 90_000,
    });
    if (r.status !== 0) throw new Error(`outpost-boot ${cmd} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  };
  /** Every live process whose command line names the node's root (the controller's root differs). */
  const nodeProcesses = () => rootProcesses(rig.nroot);
  const pid = (agent: string) => Number(readFileSync(join(rig.nroot, "run", `${agent}.pid`), "utf8"));
  const dinfo = (): DInfo | undefined =>
    (rig.info().find((r) => r.key === "device")?.value as { dinfo?: DInfo } | undefined)?.dinfo;
  const waitDevice = async (pred: (d: DInfo) => boolean, what: string, timeoutMs = 120_000) => {
    let last: DInfo | undefined;
    try {
      return await waitFor(
        () => {
          last = dinfo();
          return last && pred(last) ? last : undefined;
        },
        timeoutMs,
        what,
        500,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; last ${JSON.stringify(last)}\n${rig.log("nodeagent", 20)}`);
    }
  };
  const dockerEvents = (
    container: string,
    since: number,
  ): { Action: string; Actor: { Attributes: Record<string, string> } }[] =>
    execFileSync(
      "docker",
      [
        "events",
        "--since",
        String(Math.floor(since / 1000)),
        "--until",
        String(Math.ceil(Date.now() / 1000)),
        "--filter",
        `container=${container}`,
        "--format",
        "{{json .}}",
      ],
      { encoding: "utf8" },
    )
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  beforeAll(async () => {
    rig = new Rig();
    await rig.startController();
    await rig.onboard();
    server = `127.0.0.1:${rig.port}`;
    // Exits 0 on SIGTERM (a halt); only a SIGKILL after the grace period would end it otherwise.
    image = rig.image("web", ["sh", "-c", 'trap "echo halted; exit 0" TERM; sleep 3600 & wait']);
    rig.setConfig(appDoc({ server, image, apps: [{ id: "web" }] }));
    boot("start");
    await rig.waitApp(web, (s) => s.state === "RUNNING", "web RUNNING");
  }, 240_000);

  afterAll(async () => {
    if (!rig) return;
    spawnSync("dash", [BOOT, "--root", rig.nroot, "stop"], {
      env: { ...process.env, OUTPOST_BIN: DIST_BIN },
      timeout: 60_000,
    });
    await killRoot(rig.nroot);
    await rig.cleanup();
  }, 90_000);

  it("ctl reboot: apps halted cleanly, node restarted, REBOOT_CMD reported, app running again, no second reboot", async () => {
    const first = await waitDevice((d) => d.last_boot_reason === "BOOT_REASON_FIRST", "first boot reported");
    expect(first.state).toBe("ZDEVICE_STATE_ONLINE");
    const before = rig.app(web);
    const container = before?.containerId ?? "";
    expect(container).not.toBe("");
    const pidsBefore = {
      nodeagent: pid("nodeagent"),
      zedmanager: pid("zedmanager"),
      domainmgr: pid("domainmgr"),
      // The log agents too: stopped (after nodeagent's flush) and started again with the node.
      newlogd: pid("newlogd"),
      loguploader: pid("loguploader"),
    };
    const t0 = Date.now();

    const out = JSON.parse(rig.ctl("--json", "reboot", rig.serial)) as { op: string; counter: number };
    expect(out).toMatchObject({ op: "reboot", counter: 1 });

    const after = await waitDevice(
      (d) => d.last_boot_reason === "BOOT_REASON_REBOOT_CMD" && d.state === "ZDEVICE_STATE_ONLINE",
      "REBOOT_CMD reported after the restart",
      180_000,
    );
    expect(after.lastRebootReason).toBe("reboot counter 0 -> 1 from the controller");
    expect((after.lastRebootTime?.seconds ?? 0) * 1000).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000);
    expect(after.rebootConfigCounter).toBe(1);
    expect(after.restartCounter).toBe(1);

    // Halted cleanly: the container got SIGTERM and exited 0, never a SIGKILL.
    const events = dockerEvents(container, t0);
    const died = events.filter((e) => e.Action === "die");
    expect(died.length, JSON.stringify(events)).toBeGreaterThan(0);
    expect(died[0]?.Actor.Attributes.exitCode).toBe("0");
    expect(events.some((e) => e.Action === "kill" && e.Actor.Attributes.signal === "9")).toBe(false);

    await rig.waitApp(web, (s) => s.state === "RUNNING", "web RUNNING again after the reboot");
    // Every agent is a new process: the node really restarted. The app may run before outpost-boot has
    // started the last agents (loguploader): wait for every pid file of this boot.
    const newPid = (a: string) => {
      try {
        return pid(a);
      } catch {
        return undefined;
      }
    };
    await waitFor(
      () => Object.entries(pidsBefore).every(([a, p]) => newPid(a) !== undefined && newPid(a) !== p),
      60_000,
      () =>
        `every agent a new process (${Object.keys(pidsBefore)
          .map((a) => `${a} ${newPid(a)}`)
          .join(", ")})`,
    );
    // The first config after the boot carries counter 1: recorded, not acted on. Wait until zedagent
    // has polled the controller in this boot, then the node is still in the same boot.
    const bootedAt = rig.table<{ bootedAt: string }>("nodeagent", "NodeAgentStatus").global?.bootedAt ?? "";
    await rig.waitZedagent(
      (s) => s.configSource === "controller" && (s.lastPollAt ?? "") > bootedAt && s.lastPollResult === "304",
      "zedagent polled the controller after the boot",
    );
    expect(rig.log("nodeagent", 50)).toContain(
      "reboot counter recorded (first value in this boot: not acted on)",
    );
    const status = rig.table<{ bootedAt: string; state: string; restartCounter: number }>(
      "nodeagent",
      "NodeAgentStatus",
    ).global;
    expect(status).toMatchObject({ bootedAt, state: "ONLINE", restartCounter: 1 });

    // ctl devices get shows it too.
    const dev = JSON.parse(rig.ctl("--json", "devices", "get", rig.serial)) as {
      lifecycle?: Record<string, unknown>;
    };
    expect(dev.lifecycle).toMatchObject({
      last_boot_reason: "BOOT_REASON_REBOOT_CMD",
      lastRebootReason: "reboot counter 0 -> 1 from the controller",
    });
  }, 400_000);

  it("kill -9 of every process of the node, then a boot: POWER_FAIL reported", async () => {
    expect(nodeProcesses().length).toBeGreaterThan(0);
    // Fails (times out) if any process of the node survives.
    await killRoot(rig.nroot);
    boot("start");
    const d = await waitDevice(
      (x) => x.last_boot_reason === "BOOT_REASON_POWER_FAIL",
      "POWER_FAIL reported",
      180_000,
    );
    expect(String(d.lastRebootReason)).toContain("unclean stop");
    expect(d.restartCounter).toBe(2);
    await rig.waitApp(web, (s) => s.state === "RUNNING", "web RUNNING after the power cut");
  }, 300_000);

  it("maintenance mode halts the app and is reported; off again, the app runs", async () => {
    const doc = appDoc({ server, image, apps: [{ id: "web" }] });
    rig.setConfig(`${doc}reboot: 1\nmaintenanceMode: true\n`);
    await rig.waitApp(web, (s) => s.state === "HALTED", "web HALTED in maintenance mode");
    const id = rig.app(web)?.containerId ?? "";
    const running = id
      ? execFileSync("docker", ["inspect", "-f", "{{.State.Running}}", id], { encoding: "utf8" }).trim()
      : "false";
    expect(running).toBe("false");
    const d = await waitDevice(
      (x) => x.maintenance_mode === true && x.state === "ZDEVICE_STATE_MAINTENANCE_MODE",
      "maintenance mode reported",
    );
    expect(d.last_boot_reason).toBe("BOOT_REASON_POWER_FAIL");
    rig.setConfig(`${doc}reboot: 1\n`);
    await rig.waitApp(web, (s) => s.state === "RUNNING", "web RUNNING after maintenance mode");
    await waitDevice(
      (x) => x.state === "ZDEVICE_STATE_ONLINE" && !x.maintenance_mode,
      "maintenance mode off reported",
    );
  }, 300_000);

  it("ctl shutdown: apps halted, every process of the node stops; the next boot reports POWEROFF_CMD", async () => {
    const t0 = Date.now();
    const container = rig.app(web)?.containerId ?? "";
    const out = JSON.parse(rig.ctl("--json", "shutdown", rig.serial)) as { op: string; counter: number };
    expect(out).toMatchObject({ op: "shutdown", counter: 1 });
    await waitFor(() => nodeProcesses().length === 0, 120_000, "every process of the node stopped");
    const died = dockerEvents(container, t0).filter((e) => e.Action === "die");
    expect(died[0]?.Actor.Attributes.exitCode).toBe("0");
    boot("start");
    const d = await waitDevice(
      (x) => x.last_boot_reason === "BOOT_REASON_POWEROFF_CMD" && x.state === "ZDEVICE_STATE_ONLINE",
      "POWEROFF_CMD reported after the next boot",
      180_000,
    );
    expect(d.lastRebootReason).toBe("shutdown counter 0 -> 1 from the controller");
    expect(d.shutdown_config_counter).toBe(1);
    await rig.waitApp(web, (s) => s.state === "RUNNING", "web RUNNING after the shutdown and boot");
  }, 300_000);
});
