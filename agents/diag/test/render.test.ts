// The summary's text from facts: what each situation prints (lines, not layout), the width, colour
// only when asked, and control characters from table values kept off the console.
import type { NodeFacts } from "@outpost/nodefacts";
import { type AppInstanceStatus, makeError } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { renderBody, renderText } from "../src/render.js";

const NOW = Date.parse("2026-12-02T13:00:00Z");
const base = (over: Partial<NodeFacts> = {}): NodeFacts => ({
  at: NOW,
  apps: [],
  downloads: [],
  baseos: [],
  watchdog: [],
  recentRestarts: [],
  hostInterfaces: [{ ifname: "eth0", addrs: ["192.0.2.5/24"] }],
  disk: { path: "/persist", totalBytes: 10 * 1024 ** 3, freeBytes: 4 * 1024 ** 3 },
  ...over,
});
const lines = (f: NodeFacts) => renderBody(f).map((l) => l.text);
const app = (over: Partial<AppInstanceStatus>): AppInstanceStatus => ({
  uuid: "u1",
  version: "1",
  displayName: "web",
  state: "RUNNING",
  activated: true,
  progress: 0,
  volumeRefs: [],
  restartCounter: 0,
  purgeCounter: 0,
  ...over,
});

describe("diag summary", () => {
  it("a fresh node: not onboarded, no zedagent, host interfaces, no apps", () => {
    const l = lines(base());
    expect(l).toContain("Onboarding: not onboarded yet (no OnboardingStatus from client)");
    expect(l).toContain("Controller link: unknown (zedagent not running)");
    expect(l).toContain("Port eth0: 192.0.2.5/24");
    expect(l).toContain("Time sync: unknown (nim not running)");
    expect(l).toContain("Apps: 0 (none configured)");
    expect(l).toContain("Disk persist/: 4.0 GB free of 10.0 GB (60% used)");
  });

  it("onboarded and connected, with a config, a deployed app, a failing app and a download", () => {
    const l = lines(
      base({
        onboarding: {
          deviceUuid: "d-1",
          serial: "s",
          softSerial: "ss",
          server: "ctrl.example:8443",
          confirmedAt: "2026-12-02T12:00:00Z",
        },
        zedagent: {
          state: "connected",
          deviceUuid: "d-1",
          configHash: "h",
          configVersion: "7",
          configSource: "controller",
          configAppliedAt: "2026-12-02T12:59:00Z",
          lastPollAt: "2026-12-02T12:59:58Z",
          lastPollResult: "304",
          rejectedCount: 0,
          pendingReports: 0,
        },
        apps: [
          app({ displayName: "web" }),
          app({
            uuid: "u2",
            displayName: "db",
            state: "INSTALLED",
            error: makeError("image not found", { retryCondition: "retrying in 30 s" }),
          }),
        ],
        downloads: [
          {
            sha256: "abcdef0123456789",
            state: "DOWNLOADING",
            progress: 42,
            currentSize: 42,
            totalSize: 100 * 1024 * 1024,
            fetchedBytes: 0,
            retryCount: 0,
            retry: 0,
          },
        ],
      }),
    );
    expect(l).toContain("Onboarding: onboarded, device d-1");
    expect(l).toContain("Controller link: connected, last poll 12:59:58 304");
    expect(l).toContain("Controller reachable: yes (zedagent's last poll)");
    expect(l).toContain("Config: version 7 from controller, applied 2026-12-02 12:59:00Z");
    expect(l).toContain("App web RUNNING");
    expect(l).toContain("App db INSTALLED");
    expect(l).toContain("  error: image not found (retrying in 30 s)");
    expect(l).toContain("Download abcdef012345 DOWNLOADING 42% of 100.0 MB");
  });

  it("nim's ports with the controller's reachability, proxy and time sync", () => {
    const l = lines(
      base({
        zedagent: {
          state: "offline",
          deviceUuid: "",
          configHash: "",
          configVersion: "",
          configSource: "none",
          rejectedCount: 0,
          pendingReports: 0,
        },
        network: {
          dpcKey: "zedagent",
          currentIndex: 0,
          state: "ok",
          updatedAt: NOW,
          ntp: { server: "pool.ntp.org", syncedAt: "2026-12-02T12:00:00Z", offsetMs: 3 },
          ports: [
            {
              ifname: "eth0",
              logicalLabel: "uplink",
              isMgmt: true,
              up: true,
              mac: "",
              dhcp: "dhcp",
              addrs: ["192.0.2.5/24"],
              gateways: [],
              dns: [],
              domain: "",
              ntpServers: [],
              mtu: 1500,
              proxy: { url: "http://proxy:3128", exceptions: "" },
              error: "",
            },
          ],
        },
      }),
    );
    expect(l).toContain("Network: ok, port config zedagent (index 0)");
    expect(l).toContain("Port eth0 (uplink, mgmt) up dhcp: 192.0.2.5/24, controller not reached");
    expect(l).toContain("Proxy: eth0 http://proxy:3128");
    expect(l).toContain("Time sync: synced with pool.ntp.org at 12:00:00, offset 3 ms");
    expect(l).toContain("Config: none received yet");
  });

  it("nim observing only (no --ports): says so instead of an empty port config", () => {
    const l = lines(
      base({ network: { dpcKey: "", currentIndex: -1, state: "ok", updatedAt: NOW, ports: [] } }),
    );
    expect(l).toContain("Network: observed only (nim manages no port here)");
    expect(l).toContain("Time sync: the host's (nim manages no port here)");
  });

  it("watchdog restarts and agents it gave up on", () => {
    const l = lines(
      base({
        watchdog: [{ agent: "zedmanager", state: "gave-up", restarts: 5, lastCause: "exited" }],
        recentRestarts: [
          {
            time: "2026-12-02T12:58:00Z",
            agent: "domainmgr",
            cause: "stale-touch",
            action: "restart",
            details: "touch 31 s old",
          },
        ],
      }),
    );
    expect(l).toContain("Agent zedmanager: gave-up (exited), 5 restarts");
    expect(l).toContain("Watchdog restart domainmgr at 12:58:00: stale-touch, touch 31 s old");
  });

  it("fits the width, colours only when asked, strips control characters", () => {
    const f = base({ apps: [app({ displayName: `x\x1b[2J${"y".repeat(200)}` })] });
    const plain = renderText(f, { width: 80, colour: false, root: "/r" });
    for (const line of plain.trimEnd().split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(plain).not.toContain("\x1b");
    const coloured = renderText(base({ apps: [app({ state: "HALTED", error: makeError("boom") })] }), {
      width: 80,
      colour: true,
      root: "/r",
    });
    expect(coloured).toContain("\x1b[31m");
  });
});
