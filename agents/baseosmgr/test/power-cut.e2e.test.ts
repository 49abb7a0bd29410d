// A power cut in the middle of an update: the reference controller over TLS, a node booted by
// outpost-boot. `ctl baseos set` -> the release is downloaded and verified, baseosmgr unpacks it into
// slot B (slowed down by the test-only flag --test-slow-unpack-records, so the cut lands mid-unpack for
// sure) -> kill -9 of every process of the node, tar included. The node boots again: slot A (the running
// release) is untouched and boots, no half slot B exists, the reason is POWER_FAIL; the update restarts
// from the verified blob, reboots into B and commits.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BOOT, DIST_BIN, killRoot, Rig, waitFor } from "@outpost/testkit";
import type { BaseOsStatus } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnvBlock } from "../src/bootselector.js";
import { releaseTarball } from "./release.js";

describe("baseosmgr: a power cut while unpacking the release into the inactive slot", () => {
  let rig: Rig;
  const slowEnv = { OUTPOST_ARGS_baseosmgr: "--stable-ms 3000 --test-slow-unpack-records 1500" };
  const boot = (cmd: "start" | "stop", extra: NodeJS.ProcessEnv = {}) =>
    spawnSync("dash", [BOOT, "--root", rig.nroot, cmd], {
      encoding: "utf8",
      env: {
        ...process.env,
        OUTPOST_BIN: DIST_BIN,
        OUTPOST_ONBOARD: "0",
        // The agents of the update path (config, fetch, verify, install, reboot, the test window's
        // health); not the app, network and log agents, which only made each boot longer.
        OUTPOST_AGENTS: "core nodeagent zedagent zedmanager volumemgr downloader verifier baseosmgr",
        // Not a start-time test: a busy machine may take more than the default 10 s per agent.
        OUTPOST_START_TIMEOUT: "30",
        OUTPOST_ARGS_nodeagent: "--backend node-restart --halt-timeout-s 10",
        OUTPOST_ARGS_baseosmgr: "--stable-ms 3000",
        ...extra,
      },
      timeout: 90_000,
    });
  const slot = (s: "A" | "B") => rig.table<BaseOsStatus>("baseosmgr", "BaseOsStatus")[s];
  const bootSlot = () => {
    try {
      return readFileSync(join(rig.nroot, "run/boot-slot"), "utf8").trim();
    } catch {
      return "";
    }
  };
  /** A power cut: every process of the node, and the tar and gzip that unpack under its root. */
  const powerCut = async () => {
    const under = (pid: string) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8")
          .split("\0")
          .some((a) => a.startsWith(`${rig.nroot}/`));
      } catch {
        return false;
      }
    };
    const tars = readdirSync("/proc").filter((d) => /^\d+$/.test(d) && under(d));
    await killRoot(rig.nroot);
    for (const p of tars)
      try {
        process.kill(Number(p), "SIGKILL");
      } catch {}
  };

  beforeAll(async () => {
    rig = new Rig();
    await rig.startController();
    await rig.onboard();
    rig.setConfig('configItems:\n  timer.config.interval: "1"\n  timer.test.baseimage.update: "60"\n');
    const r = boot("start", slowEnv);
    if (r.status !== 0) throw new Error(`boot failed: ${r.stderr}`);
  }, 120_000);

  afterAll(async () => {
    if (!rig) return;
    boot("stop");
    await killRoot(rig.nroot).catch(() => {});
    await rig.cleanup();
  }, 90_000);

  it("slot A untouched and booted, POWER_FAIL reported, the update restarts and commits in B", async () => {
    const file = releaseTarball(rig.croot, "9.9.9", { fastGzip: true });
    rig.ctlJson("baseos", "set", rig.serial, file, "--version", "9.9.9");
    const staging = join(rig.nroot, "slots/.unpack-B");
    await waitFor(
      () => existsSync(join(staging, "node_modules")),
      120_000,
      () => `unpacking into slot B under way\n${rig.log("baseosmgr", 15)}`,
      100,
    );
    await powerCut();
    // Nothing half-installed became a slot, and the next boot is not sent to B.
    expect(existsSync(join(rig.nroot, "slots/B"))).toBe(false);
    expect(parseEnvBlock(readFileSync(join(rig.nroot, "slots/bootenv"), "utf8"))).toEqual({
      outpost_default: "A",
    });
    expect(existsSync(join(rig.nroot, "slots/.unpack-B"))).toBe(true);

    // Power back (without the slow flag): the running release boots from where it always did.
    // This boot's own output says which slot it chose: the update restarts as soon as the node is
    // up and may already have rebooted it into B by the time start returns.
    const again = boot("start");
    expect(again.status, `${again.stderr}${again.stdout}`).toBe(0);
    expect(again.stdout).toContain(`slot A: agents from ${DIST_BIN}\n`);
    // This boot's reason (the update's own reboot may follow quickly: read nodeagent's log of it).
    await waitFor(
      () => /"msg":"new boot: POWER_FAIL"/.test(rig.log("nodeagent", 1000)),
      60_000,
      () => `nodeagent to find POWER_FAIL\n${rig.log("nodeagent", 10)}`,
      500,
    );

    // The update starts over from the verified blob, reboots into B and commits.
    let b: BaseOsStatus | undefined;
    await waitFor(
      () => {
        b = slot("B");
        return bootSlot() === "B" && b?.partitionState === "active" ? b : undefined;
      },
      180_000,
      () =>
        `B committed after the power cut (boot slot ${bootSlot()}, B ${JSON.stringify(b)})\n${rig.log("baseosmgr", 15)}\n${rig.log("nodeagent", 10)}\n${rig.log("watchdog", 15)}`,
      500,
    );
    expect(b).toMatchObject({ version: "9.9.9", activated: true, userStatus: "UPDATED", updateCounter: 1 });
    expect(slot("A")).toMatchObject({ partitionState: "unused", activated: false });
    expect(existsSync(staging)).toBe(false);
    // The release in B is whole: it runs and says its version.
    const v = spawnSync(join(rig.nroot, "slots/B/bin/outpost"), ["--version"], { encoding: "utf8" });
    expect(v.stdout.trim(), v.stderr).toBe("9.9.9");
  }, 300_000);
});
