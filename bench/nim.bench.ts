// nim: time from a bad DPC pushed by the controller to the fallback complete; time from link up to
// onboarded on DHCP (last-resort DPC); nim's idle PSS. Real processes in network namespaces (testkit
// NetRig: controller and DHCP server upstream, nim, client and zedagent in the device namespace).
// Needs root (ip netns). Prints min/median/max; asserts nothing.
import { existsSync, readFileSync } from "node:fs";
import { NetRig } from "@outpost/testkit";
import { waitFor } from "@outpost/testkit/wait";
import { fmtMs, header, machineLine, spreadLine, target } from "./stats.js";

const RUNS = 3;
const TEST_TIMEOUT_MS = 6000;
const NIM_ARGS = [
  "--ports",
  "dev0",
  "--test-timeout-ms",
  String(TEST_TIMEOUT_MS),
  "--retry-min-ms",
  "20000",
  "--retry-max-ms",
  "60000",
  "--observe-ms",
  "200",
  "--dhcp-discover-s",
  "1",
  "--dhcp-retry-s",
  "1",
];

function pssMiB(pid: number): number {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  return kb / 1024;
}

interface LogLine {
  time: number;
  msg: string;
  dpc?: string;
}
function nimLog(rig: NetRig): LogLine[] {
  return rig
    .log("nim", 2000)
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as LogLine);
}

console.log(machineLine());
if (!existsSync("dist/outpost")) console.log("dist/outpost is missing: testkit builds it");

header("nim: link up -> onboarded (last-resort DPC on DHCP)");
const onboardMs: number[] = [];
const pss: number[] = [];
const fallbackMs: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const rig = new NetRig();
  try {
    await rig.startController();
    rig.nodeConfig();
    rig.startDhcp();
    rig.up.ip("link", "set", "up0", "down");
    const nim = rig.start("nim", NIM_ARGS);
    rig.start("client", ["selfRegister", "getUuid", "--retry-min-ms", "200", "--retry-max-ms", "500"]);
    await waitFor(
      () => nimLog(rig).some((l) => l.msg === "testing port configuration"),
      15_000,
      "nim testing",
    );
    const t0 = Date.now();
    rig.up.ip("link", "set", "up0", "up");
    await waitFor(() => rig.onboardingUuid(), 60_000, "onboarding", 20);
    onboardMs.push(Date.now() - t0);

    // Idle: no config change for a while, then PSS.
    await new Promise((r) => setTimeout(r, 5000));
    if (nim.pid) pss.push(pssMiB(nim.pid));

    // Bad DPC -> fallback: from nim starting the test of the bad DPC to the last resort in use again.
    rig.setConfig(`configItems:\n  timer.config.interval: "1"\n`);
    rig.start("zedagent");
    const { version } = rig.setConfig(`configItems:
  timer.config.interval: "1"
networks:
  - { id: bad, dhcp: static, subnet: 10.254.254.0/24, gateway: 10.254.254.1 }
ports:
  - { name: uplink, ifname: dev0, network: bad, addr: 10.254.254.${10 + run} }
`);
    const since = Date.now();
    const found = await waitFor(
      () => {
        const lines = nimLog(rig).filter((l) => l.time >= since - 1000);
        const start = lines.find((l) => l.msg === "testing port configuration" && l.dpc === "zedagent");
        const back =
          start &&
          lines.find(
            (l) =>
              l.time > start.time && l.msg === "port configuration works: in use" && l.dpc === "lastresort",
          );
        return start && back ? back.time - start.time : undefined;
      },
      60_000,
      () => `fallback (config ${version})\n${rig.log("nim", 10)}`,
      100,
    );
    fallbackMs.push(found);
  } finally {
    await rig.cleanup();
  }
}
console.log(spreadLine("link up -> onboarded (DHCP, then ping + register + uuid)", onboardMs, fmtMs));
header("nim: bad DPC from the controller -> fallback complete");
console.log(
  spreadLine(
    `bad static DPC tested -> last resort in use again (--test-timeout-ms ${TEST_TIMEOUT_MS})`,
    fallbackMs,
    fmtMs,
  ),
);
console.log(
  `  (the test timeout bounds it from below: the bad DPC is given the whole timeout to reach the controller)`,
);
header("nim: idle PSS");
const med = [...pss].sort((a, b) => a - b)[Math.floor(pss.length / 2)] ?? Number.NaN;
console.log(
  `${spreadLine("nim idle PSS (managing one port, DHCP)", pss, (v) => `${v.toFixed(1)} MiB`)} ${target(med, "<=", 30, (v) => `${v.toFixed(0)} MB`)}`,
);
