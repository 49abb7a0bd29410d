// An A/B update of Outpost itself, timed by phase: the reference controller over TLS and one node booted
// by outpost-boot with nodeagent's node-restart backend (the whole path runs: download, verify, unpack,
// reboot of every agent, test window, commit). Each run: `ctl baseos set` of a good release (the built
// dist/ with another version, ~5 MB gzip'd, ~14 MB unpacked) until "update committed", then of a release
// whose zedmanager is killed 3 s after every start, until the node is back on the old slot and reports
// FALLBACK. Phases come from the agents' own JSON logs (their `time` field, one clock):
//   download  config set -> downloader "downloaded" (zedagent's config poll of 1 s included)
//   verify    -> verifier "verified" (sha256 of the blob)
//   unpack    baseosmgr "installing the release" -> "release installed" (inspect, tar -x, --version)
//   reboot    baseosmgr "asking nodeagent to reboot" -> baseosmgr of the new boot "baseosmgr running"
//             (apps halted, every agent stopped, outpost-boot start of the new slot)
//   test      -> "update committed": the test window at its shortest, i.e. until outpost-boot started
//             every agent, a config from the controller is applied, and all of it stayed so for
//             baseosmgr's --stable-ms (5 s here, 30 s by default; timer.test.baseimage.update is 60 s,
//             only the bound a failing slot falls back at)
// Fallback: config set -> the old slot's baseosmgr running again after the FALLBACK reboot.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BOOT, DIST_BIN, killRoot, Rig, waitFor } from "@outpost/testkit";
import { releaseTarball } from "../agents/baseosmgr/test/release.js";
import { fmtMs, header, machineLine, spreadLine } from "./stats.js";

const RUNS = 3;
const STABLE_MS = 5000;

interface Line {
  time: number;
  msg: string;
  [k: string]: unknown;
}

header("baseos update: config set -> committed, by phase; and time to fall back");
console.log(machineLine());

const rig = new Rig();
const boot = (cmd: "start" | "stop") =>
  spawnSync("dash", [BOOT, "--root", rig.nroot, cmd], {
    encoding: "utf8",
    env: {
      ...process.env,
      OUTPOST_BIN: DIST_BIN,
      OUTPOST_ONBOARD: "0",
      OUTPOST_ARGS_nodeagent: "--backend node-restart --halt-timeout-s 10",
      // The shortest stable period that still sees the crashing release's agent die (3 s after start).
      OUTPOST_ARGS_baseosmgr: `--stable-ms ${STABLE_MS}`,
    },
    timeout: 90_000,
  });
const lines = (agent: string, since: number): Line[] => {
  let text = "";
  try {
    text = readFileSync(join(rig.nroot, "persist/log", `${agent}.log`), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => l.time >= since);
};
const first = (agent: string, since: number, pred: (l: Line) => boolean) =>
  lines(agent, since).find(pred)?.time;
const need = (what: string, t: number | undefined): number => {
  if (t === undefined) throw new Error(`no log line for ${what}`);
  return t;
};

const phases: Record<string, number[]> = {
  download: [],
  verify: [],
  "handoff (verified -> install)": [],
  unpack: [],
  reboot: [],
  test: [],
  "total: set -> committed": [],
  "fall back: set -> back on the old slot": [],
  "fall back: new slot booted -> back on the old slot": [],
};

try {
  await rig.startController();
  await rig.onboard();
  rig.setConfig('configItems:\n  timer.config.interval: "1"\n  timer.test.baseimage.update: "60"\n');
  const b = boot("start");
  if (b.status !== 0) throw new Error(`boot failed: ${b.stderr}`);
  await rig.waitZedagent((z) => z.state === "connected" && z.configHash !== "", "the node's first config");

  for (let run = 1; run <= RUNS; run++) {
    const good = `9.0.${run}`;
    const goodFile = releaseTarball(rig.croot, good);
    const t0 = Date.now();
    rig.ctlJson("baseos", "set", rig.serial, goodFile, "--version", good);
    const committed = await waitFor(
      () => first("baseosmgr", t0, (l) => l.msg === "update committed" && l.version === good),
      180_000,
      () => `update to ${good} committed\n${rig.log("baseosmgr", 10)}`,
      200,
    );
    const downloaded = need(
      "downloaded",
      first("downloader", t0, (l) => l.msg === "downloaded"),
    );
    const verified = need(
      "verified",
      first("verifier", t0, (l) => l.msg === "verified"),
    );
    const installing = need(
      "installing",
      first("baseosmgr", t0, (l) => l.msg === "installing the release into the inactive slot"),
    );
    const installed = need(
      "installed",
      first("baseosmgr", t0, (l) => l.msg === "release installed"),
    );
    const asked = need(
      "reboot asked",
      first("baseosmgr", t0, (l) => l.msg === "asking nodeagent to reboot"),
    );
    const running = need(
      "new boot",
      first("baseosmgr", asked, (l) => l.msg === "baseosmgr running"),
    );
    phases.download?.push(downloaded - t0);
    phases.verify?.push(verified - downloaded);
    phases["handoff (verified -> install)"]?.push(installing - verified);
    phases.unpack?.push(installed - installing);
    phases.reboot?.push(running - asked);
    phases.test?.push(committed - running);
    phases["total: set -> committed"]?.push(committed - t0);
    console.log(
      `run ${run}: ${good} committed in ${fmtMs(committed - t0)} (download ${fmtMs(downloaded - t0)}, verify ${fmtMs(verified - downloaded)}, unpack ${fmtMs(installed - installing)}, reboot ${fmtMs(running - asked)}, test ${fmtMs(committed - running)})`,
    );

    // A release whose zedmanager is killed 3 s after every start: the test window fails, back we go.
    const bad = `9.1.${run}`;
    const badFile = releaseTarball(rig.croot, bad, { crashingAgent: "zedmanager" });
    const t1 = Date.now();
    rig.ctlJson("baseos", "set", rig.serial, badFile, "--version", bad);
    const fallbackAsked = await waitFor(
      () => first("baseosmgr", t1, (l) => l.msg === "asking nodeagent to reboot" && l.reason === "FALLBACK"),
      180_000,
      () => `the fallback of ${bad}\n${rig.log("baseosmgr", 10)}`,
      200,
    );
    const newBoot = need(
      "the new slot's boot",
      [...lines("baseosmgr", t1)]
        .reverse()
        .find((l) => l.msg === "baseosmgr running" && l.time < fallbackAsked)?.time,
    );
    const back = await waitFor(
      () => first("baseosmgr", fallbackAsked, (l) => l.msg === "baseosmgr running"),
      120_000,
      "the old slot booted again",
      200,
    );
    phases["fall back: set -> back on the old slot"]?.push(back - t1);
    phases["fall back: new slot booted -> back on the old slot"]?.push(back - newBoot);
    console.log(
      `run ${run}: ${bad} fell back in ${fmtMs(back - t1)} after the set (${fmtMs(back - newBoot)} from its boot)`,
    );
    // Let the old slot settle (its config applied) before the next update.
    await rig.waitZedagent((z) => z.state === "connected" && z.configHash !== "", "the node back online");
  }

  console.log("");
  for (const [name, values] of Object.entries(phases)) console.log(spreadLine(name, values, fmtMs));
  console.log(machineLine());
} finally {
  boot("stop");
  await killRoot(rig.nroot).catch(() => {});
  await rig.cleanup();
}
