// The whole update, real everything: the reference controller over TLS, a node booted by outpost-boot
// with nodeagent's node-restart backend. `ctl baseos set` -> downloaded, verified, installed into slot
// B -> nodeagent reboots the node -> outpost-boot boots B once -> B is tested and committed (B active,
// A unused) -> the controller hears the new version on IMGB. Then a release whose ledmanager exits at
// start: its one try is consumed, the next boot runs B again and reports FALLBACK. Then a release whose
// zedmanager crashes once after it started: the test window fails, the node reboots back; that version
// is not tried again while retry_update is unchanged (a new config arrives and nothing happens), and
// `ctl baseos set --retry` tries it again: this time it commits.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { DIST_BIN, REPO, Rig, waitFor } from "@outpost/testkit";
import type { BaseOsStatus } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnvBlock } from "../src/bootselector.js";
import { releaseTarball } from "./release.js";

const BOOT = resolve(REPO, "build/init/outpost-boot");

describe("baseosmgr: update through a reboot, commit, and a release that does not start", () => {
  let rig: Rig;
  const boot = (cmd: "start" | "stop") =>
    spawnSync("dash", [BOOT, "--root", rig.nroot, cmd], {
      encoding: "utf8",
      env: {
        ...process.env,
        OUTPOST_BIN: DIST_BIN,
        OUTPOST_ONBOARD: "0",
        // The agents of the update path (config, fetch, verify, install, reboot, the test window's
        // health) and the two this file breaks on purpose (ledmanager, zedmanager); not the app,
        // network and log agents, which only made each of the file's seven boots longer.
        OUTPOST_AGENTS: "core nodeagent zedagent zedmanager volumemgr downloader verifier baseosmgr",
        // Not a start-time test: a busy machine may take more than the default 10 s per agent.
        OUTPOST_START_TIMEOUT: "30",
        OUTPOST_ARGS_nodeagent: "--backend node-restart --halt-timeout-s 10",
        // Committed after 3 s of health (the crashing release's agent dies right after the boot; the
        // watchdog, checking every 200 ms, has restarted it well within that).
        OUTPOST_ARGS_baseosmgr: "--stable-ms 3000",
        OUTPOST_ARGS_watchdog: "--tick-ms 200",
      },
      timeout: 90_000,
    });
  const nodeProcesses = (): number[] => {
    const found: number[] = [];
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
        if (argv.includes(rig.nroot) && isProcessAlive(Number(d))) found.push(Number(d));
      } catch {}
    }
    return found;
  };
  const slot = (s: "A" | "B") => rig.table<BaseOsStatus>("baseosmgr", "BaseOsStatus")[s];
  const bootSlot = () => {
    try {
      return readFileSync(join(rig.nroot, "run/boot-slot"), "utf8").trim();
    } catch {
      return "";
    }
  };
  const env = () => parseEnvBlock(readFileSync(join(rig.nroot, "slots/bootenv"), "utf8"));
  const ctl = (...args: string[]) => rig.ctlJson<Record<string, unknown>>(...args);
  let crashing = "";

  beforeAll(async () => {
    rig = new Rig();
    await rig.startController();
    await rig.onboard();
    // A config first, so the node has one to apply in its test window.
    rig.setConfig('configItems:\n  timer.config.interval: "1"\n  timer.test.baseimage.update: "60"\n');
    const r = boot("start");
    if (r.status !== 0) throw new Error(`boot failed: ${r.stderr}`);
  }, 120_000);

  afterAll(async () => {
    if (!rig) return;
    boot("stop");
    for (let i = 0; i < 3; i++)
      for (const p of nodeProcesses())
        try {
          process.kill(p, "SIGKILL");
        } catch {}
    await rig.cleanup();
  }, 90_000);

  it("a good release: installed into B, rebooted into it, tested and committed; the controller sees it", async () => {
    const file = releaseTarball(rig.croot, "9.9.9", { fastGzip: true });
    const set = ctl("baseos", "set", rig.serial, file, "--version", "9.9.9");
    expect(set).toMatchObject({ release: { version: "9.9.9", url: "baseos/outpost-9.9.9.tar.gz" } });
    let b: BaseOsStatus | undefined;
    await waitFor(
      () => {
        b = slot("B");
        return bootSlot() === "B" && b?.partitionState === "active" ? b : undefined;
      },
      150_000,
      () =>
        `B committed (boot slot ${bootSlot()}, B ${JSON.stringify(b)})\n${rig.log("baseosmgr", 15)}\n${rig.log("nodeagent", 10)}`,
      500,
    );
    expect(b).toMatchObject({ version: "9.9.9", activated: true, userStatus: "UPDATED", updateCounter: 1 });
    expect(slot("A")).toMatchObject({ partitionState: "unused", activated: false });
    expect(env()).toEqual({ outpost_default: "B" });
    // The agents run from slot B.
    const ledPid = readFileSync(join(rig.nroot, "run/ledmanager.pid"), "utf8").trim();
    expect(readFileSync(`/proc/${ledPid}/cmdline`, "utf8").split("\0")[1]).toBe(
      join(rig.nroot, "slots/B/bin/ledmanager"),
    );
    // What the controller hears: IMGB active with 9.9.9.
    await waitFor(
      () => {
        const d = rig.info().find((x) => x.key === "device")?.value as
          | {
              dinfo?: {
                swList?: { partitionLabel?: string; partitionState?: string; shortVersion?: string }[];
              };
            }
          | undefined;
        return d?.dinfo?.swList?.some(
          (s) => s.partitionLabel === "IMGB" && s.partitionState === "active" && s.shortVersion === "9.9.9",
        );
      },
      60_000,
      "IMGB active 9.9.9 on the controller",
      500,
    );
  }, 240_000);

  it("a release whose ledmanager exits at start: its try is used up, the next boot runs B again: FALLBACK with the reason", async () => {
    const file = releaseTarball(rig.croot, "9.9.10", { brokenAgent: "ledmanager", fastGzip: true });
    ctl("baseos", "set", rig.serial, file, "--version", "9.9.10");
    // Installed into A (it answers --version: only its ledmanager fails), then the UPDATE reboot.
    // nodeagent reboots into A; outpost-boot stops at ledmanager (the watchdog, started first, stays).
    const stderr = join(rig.nroot, "persist/log/ledmanager.stderr");
    await waitFor(
      () =>
        bootSlot() === "A" &&
        readFileSync(stderr, { encoding: "utf8", flag: "a+" }).includes("ledmanager: broken on purpose"),
      120_000,
      "the boot of A to stop at ledmanager",
      500,
    );
    expect(env()).toEqual({ outpost_default: "B", outpost_trying: "A" });
    // Power-cycle (what systemd's Restart=always or a watchdog reset does): B boots, reports FALLBACK.
    boot("stop");
    const again = boot("start");
    expect(again.status, `${again.stderr}${again.stdout}`).toBe(0);
    expect(bootSlot()).toBe("B");
    let a: BaseOsStatus | undefined;
    await waitFor(
      () => {
        a = slot("A");
        return a?.userStatus === "FALLBACK" ? a : undefined;
      },
      60_000,
      () => `A FALLBACK (A ${JSON.stringify(a)})\n${rig.log("baseosmgr", 15)}`,
      500,
    );
    expect(a?.error?.description).toContain(
      "slot A (version 9.9.10) did not start: the node booted slot B again",
    );
    expect(slot("B")).toMatchObject({ partitionState: "active", activated: true, version: "9.9.9" });
    expect(env()).toEqual({ outpost_default: "B" });
    // `ctl devices get`: both slots and the failure, as the device reported them.
    await waitFor(
      () => {
        const d = ctl("devices", "get", rig.serial) as {
          baseos?: { updateCounter: number; slots: SlotView[] };
          lifecycle?: { last_boot_reason?: string; lastRebootReason?: string };
        };
        const imga = d.baseos?.slots.find((x) => x.partitionLabel === "IMGA");
        // The boot of B after A's failed one: nodeagent reports it as FALLBACK (the reboot was to A).
        return d.baseos?.updateCounter === 2 &&
          imga?.userStatus === "FALLBACK" &&
          d.lifecycle?.last_boot_reason === "BOOT_REASON_FALLBACK"
          ? { imga, lifecycle: d.lifecycle }
          : undefined;
      },
      60_000,
      "ctl devices get: IMGA FALLBACK, last boot reason FALLBACK",
      500,
    ).then(({ imga, lifecycle }) => {
      expect(lifecycle.lastRebootReason).toBe(
        "slot A did not start (update to 9.9.10 (slot A)): the node booted slot B again",
      );
      expect(imga).toMatchObject({
        partitionState: "unused",
        shortVersion: "9.9.10",
        status: "ERROR",
        subStatusStr: expect.stringMatching(/^9\.9\.10 (in slot A )?fell back/),
        swErr: { description: expect.stringContaining("did not start") },
      });
    });
  }, 300_000);

  it("a release whose zedmanager crashes after it started: the test window fails, the node reboots back to B", async () => {
    const file = releaseTarball(rig.croot, "9.9.11", {
      crashingAgent: "zedmanager",
      crashOnce: true,
      crashAfterBoot: true,
      fastGzip: true,
    });
    crashing = file;
    ctl("baseos", "set", rig.serial, file, "--version", "9.9.11");
    let a: BaseOsStatus | undefined;
    await waitFor(
      () => {
        a = slot("A");
        return bootSlot() === "B" && a?.version === "9.9.11" && a.userStatus === "FALLBACK" ? a : undefined;
      },
      180_000,
      () =>
        `A FALLBACK after a crash (boot slot ${bootSlot()}, A ${JSON.stringify(a)})\n${rig.log("baseosmgr", 15)}\n${rig.log("nodeagent", 10)}`,
      500,
    );
    expect(a?.error?.description).toMatch(
      /version 9.9.11 in slot A failed its test: agent zedmanager crashed/,
    );
    expect(slot("B")).toMatchObject({ partitionState: "active", activated: true, version: "9.9.9" });
    expect(env()).toEqual({ outpost_default: "B" });
  }, 240_000);

  it("the failed version is not tried again while retry_update is unchanged; `--retry` tries it again and it commits", async () => {
    const installs = () => (rig.log("baseosmgr", 100_000).match(/installing the release/g) ?? []).length;
    const before = installs();
    const counter = slot("A")?.updateCounter;
    // A new config (other config items) reaches the node; its base OS is still 9.9.11, retry 0. One of
    // the items turns on baseosmgr's debug lines: each pass logs the config it saw and its actions.
    const { doc } = ctl("config", "get", rig.serial) as { doc: Record<string, unknown> };
    const items = (doc.configItems ?? {}) as Record<string, string>;
    const file = join(rig.croot, "doc-no-retry.json");
    writeFileSync(
      file,
      JSON.stringify({
        ...doc,
        configItems: { ...items, "timer.metric.interval": "61", "debug.baseosmgr.loglevel": "debug" },
      }),
    );
    const set = ctl("config", "set", rig.serial, file) as { configHash: string };
    await rig.waitZedagent(
      (z) => z.configHash === set.configHash,
      "the node to apply the new config",
      60_000,
    );
    // baseosmgr planned with the new config in force (it gets zedagent's status and the items):
    // nothing was started then.
    const passes = () =>
      rig
        .log("baseosmgr", 100_000)
        .split("\n")
        .filter((l) => l.includes('"msg":"pass"'))
        .map((l) => JSON.parse(l) as { configHash?: string; actions?: string[] })
        .filter((p) => p.configHash === set.configHash);
    await waitFor(
      () => passes().length >= 2,
      30_000,
      () => `baseosmgr passes with the new config in force\n${rig.log("baseosmgr", 15)}`,
      200,
    );
    expect(passes().flatMap((p) => p.actions)).toEqual([]);
    expect(installs()).toBe(before);
    expect(bootSlot()).toBe("B");
    expect(slot("A")).toMatchObject({
      version: "9.9.11",
      userStatus: "FALLBACK",
      updateCounter: counter,
      subStatusStr: "9.9.11 fell back: not tried again until retry_update is bumped",
    });
    // --retry bumps retry_update: installed again, rebooted into A, and (the crash was once) committed.
    const retried = ctl("baseos", "set", rig.serial, crashing, "--version", "9.9.11", "--retry");
    expect(retried).toMatchObject({ changed: true });
    let a: BaseOsStatus | undefined;
    await waitFor(
      () => {
        a = slot("A");
        return bootSlot() === "A" && a?.partitionState === "active" ? a : undefined;
      },
      180_000,
      () =>
        `A committed after --retry (boot slot ${bootSlot()}, A ${JSON.stringify(a)})\n${rig.log("baseosmgr", 15)}\n${rig.log("nodeagent", 10)}`,
      500,
    );
    expect(a).toMatchObject({ version: "9.9.11", userStatus: "UPDATED", updateCounter: (counter ?? 0) + 1 });
    expect(installs()).toBeGreaterThan(before);
    expect(env()).toEqual({ outpost_default: "A" });
    await waitFor(
      () => {
        const d = ctl("devices", "get", rig.serial) as { baseos?: { slots: SlotView[] } };
        const imga = d.baseos?.slots.find((x) => x.partitionLabel === "IMGA");
        return imga?.userStatus === "UPDATED" && imga.shortVersion === "9.9.11" ? imga : undefined;
      },
      60_000,
      "ctl devices get: IMGA UPDATED 9.9.11",
      500,
    ).then((imga) =>
      expect(imga).toMatchObject({
        partitionState: "active",
        activated: true,
        status: "RUNNING",
        subStatusStr: expect.stringMatching(/^9\.9\.11 committed/),
      }),
    );
  }, 300_000);
});

interface SlotView {
  partitionLabel: string;
  partitionState?: string;
  activated?: boolean;
  status?: string;
  shortVersion?: string;
  userStatus?: string;
  subStatus?: string;
  subStatusStr?: string;
  swErr?: { description?: string };
}
