// nim's time sync and the per-port proxy, in a device namespace (testkit NetRig): the device clock
// (nim's file stand-in: the host clock is never touched) starts three days ahead and is corrected from
// an SNTP responder upstream before onboarding; a DPC with a proxy sends controller traffic through a
// CONNECT proxy upstream, also when direct access to the controller is refused.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CountingProxy,
  NetRig,
  type SntpResponder,
  startConnectProxy,
  startSntpResponder,
  waitFor,
} from "@outpost/testkit";
import type { DeviceNetworkStatus, DevicePortConfigList } from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const DAYS3 = 3 * 24 * 3600 * 1000;
const NIM_ARGS = (clockFile: string) => [
  "--ports",
  "dev0",
  "--clock",
  "file",
  "--clock-file",
  clockFile,
  "--test-timeout-ms",
  "8000",
  "--verify-ms",
  "2000",
  "--observe-ms",
  "300",
  "--dhcp-discover-s",
  "1",
];

describe("nim: time sync and proxy", () => {
  let rig: NetRig;
  let sntp: SntpResponder;
  let proxy: CountingProxy | undefined;
  let clockFile = "";
  const status = () => rig.table<DeviceNetworkStatus>("nim", "DeviceNetworkStatus").global;
  const waitStatus = async (pred: (s: DeviceNetworkStatus) => boolean, what: string, ms = 30_000) => {
    let last: DeviceNetworkStatus | undefined;
    return waitFor(
      () => {
        last = status();
        return last && pred(last) ? last : undefined;
      },
      ms,
      () => `${what}; last ${JSON.stringify(last)}\n${rig.log("nim", 15)}\n${rig.log("zedagent", 10)}`,
      200,
    );
  };

  beforeAll(async () => {
    rig = new NetRig();
    await rig.startController();
    rig.nodeConfig();
    sntp = await startSntpResponder(rig.up, rig.upIp);
    rig.startDhcp();
    clockFile = join(rig.nroot, "clock-offset-ms");
    writeFileSync(clockFile, `${DAYS3}\n`);
    rig.start("nim", NIM_ARGS(clockFile));
    rig.start("client", ["selfRegister", "getUuid", "--retry-min-ms", "300", "--retry-max-ms", "1000"]);
  }, 60_000);

  afterAll(async () => {
    await proxy?.stop();
    await sntp?.stop();
    await rig?.cleanup();
  });

  it("corrects a device clock three days off from the DHCP-given NTP server and reports it", async () => {
    const s = await waitStatus((s) => s.ntp !== undefined, "a time sync");
    expect(s.ntp?.server).toBe(rig.upIp);
    // The correction is in the log; the status has the offset of the last exchange.
    const line = rig
      .log("nim", 200)
      .split("\n")
      .map((l) => JSON.parse(l) as { msg: string; offsetMs?: number })
      .find((l) => l.msg === "clock corrected");
    expect(Math.abs((line?.offsetMs ?? 0) + DAYS3)).toBeLessThan(5000);
    expect(
      Math.abs(s.ntp?.offsetMs ?? 0) === Math.abs(line?.offsetMs ?? -1) ||
        Math.abs(s.ntp?.offsetMs ?? 0) < 5000,
    ).toBe(true);
    expect(Math.abs(Date.parse(s.ntp?.syncedAt ?? "") - Date.now())).toBeLessThan(10_000);
    // The stand-in clock is now right (the host's clock was never changed).
    expect(Math.abs(Number(readFileSync(clockFile, "utf8")))).toBeLessThan(5000);
    await waitFor(
      () => sntp.queries() > 0,
      5000,
      () => `SNTP queries counted: ${sntp.output()}`,
    );
    expect(s.ntpSources?.[0]).toMatchObject({ server: rig.upIp, reachable: true });
    await waitFor(() => rig.onboardingUuid(), 30_000, "onboarding");
    rig.setConfig(`configItems:\n  timer.config.interval: "1"\n`);
    rig.start("zedagent");
    // ZInfoNTPSources reaches the controller.
    const rec = await waitFor(
      () =>
        rig
          .ctlJson<
            { key: string; value: { ntp_sources?: { sources?: { hostname?: string; offset?: number }[] } } }[]
          >("info", rig.serial)
          .find((r) => r.value.ntp_sources),
      30_000,
      () => `ZInfoNTPSources\n${rig.log("zedagent", 10)}`,
      500,
    );
    expect(rec.value.ntp_sources?.sources?.[0]?.hostname).toBe(rig.upIp);
  }, 60_000);

  it("sends controller traffic through the DPC's proxy", async () => {
    proxy = await startConnectProxy(rig.up, rig.upIp, 3128);
    const doc = (extra = "") => `configItems:
  timer.config.interval: "1"
${extra}networks:
  - { id: lan, dhcp: dhcp, proxy: "${proxy?.url}" }
ports:
  - { name: uplink, ifname: dev0, network: lan }
`;
    rig.setConfig(doc());
    const s = await waitStatus((s) => s.state === "ok" && s.dpcKey === "zedagent", "the proxy DPC in use");
    expect(s.ports[0]?.proxy?.url).toBe(proxy.url);
    // nim's own test went through it (the proxy's log line may come a moment later).
    await waitFor(() => (proxy?.tunnels() ?? 0) > 0, 5000, "a tunnel through the proxy");
    // From now on the controller refuses the device directly: only the proxy gets through.
    const port = rig.server.split(":").pop() ?? "";
    const blocked = rig.up.exec("iptables", [
      "-A",
      "INPUT",
      "-i",
      "up0",
      "-p",
      "tcp",
      "--dport",
      port,
      "-j",
      "REJECT",
      "--reject-with",
      "tcp-reset",
    ]);
    expect(blocked.status, blocked.stderr).toBe(0);
    const blockedAt = Date.now();
    // nim's periodic re-test of the DPC in use passes through the proxy only.
    await waitFor(
      () =>
        (rig.table<DevicePortConfigList>("nim", "DevicePortConfigList").global?.entries[0]?.lastSucceeded ??
          0) > blockedAt,
      20_000,
      () => `a re-test through the proxy\n${rig.log("nim", 10)}`,
      300,
    );
    const before = proxy.tunnels();
    const { version } = rig.setConfig(doc(`  timer.metric.interval: "9"\n`));
    await waitFor(
      () =>
        rig.table<{ configVersion?: string }>("zedagent", "ZedAgentStatus").global?.configVersion ===
        String(version),
      30_000,
      () => `config ${version} through the proxy\n${rig.log("zedagent", 10)}`,
      300,
    );
    expect(proxy.tunnels()).toBeGreaterThanOrEqual(before);
    expect(proxy.tunnels()).toBeGreaterThan(0);
  }, 60_000);

  it("after kill -9 and a restart, tests again (through the proxy) before trusting, with what it learnt kept", async () => {
    const list = () => rig.table<DevicePortConfigList>("nim", "DevicePortConfigList").global;
    const learnt = list()?.entries.find((e) => e.key === "lastresort")?.lastSucceeded ?? 0;
    expect(learnt).toBeGreaterThan(0);
    const old = rig.agent("nim");
    const args = NIM_ARGS(clockFile);
    await new Promise<void>((r) => {
      old?.once("exit", () => r());
      old?.kill("SIGKILL");
    });
    const restartedAt = Date.now();
    rig.start("nim", args);
    const s = await waitStatus(
      (s) => s.state === "ok" && s.dpcKey === "zedagent" && s.updatedAt >= restartedAt,
      "the proxy DPC in use again",
    );
    expect(s.ports[0]?.proxy?.url).toBe(proxy?.url);
    const entries = list()?.entries ?? [];
    expect(entries.find((e) => e.key === "zedagent")?.lastSucceeded).toBeGreaterThanOrEqual(restartedAt);
    // The last resort was not tested again: its record is the one from before the restart.
    expect(entries.find((e) => e.key === "lastresort")?.lastSucceeded).toBe(learnt);
  }, 60_000);
});
