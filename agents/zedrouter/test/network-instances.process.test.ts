// Network instances end to end: the reference controller, zedagent and the app agents (zedmanager,
// zedrouter, volumemgr, downloader, verifier, domainmgr) as processes from dist/bin, and a private
// dockerd (iptables on) running inside a "device" network namespace joined by a veth pair to an
// "upstream" namespace where an HTTP server listens. Nothing is bound on a host address but the
// controller on 127.0.0.1. nim does not run: the test publishes its DeviceNetworkStatus (the device's
// uplink port and address), the contract zedrouter reads.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureLayout, rootLayout } from "@outpost/agentbase";
import { idToUuid } from "@outpost/controller";
import { MainLoop } from "@outpost/primitives";
import { PubSub, zmqTransport } from "@outpost/pubsub";
import { NetNs, PrivateEngine, Rig, waitFor } from "@outpost/testkit";
import {
  DEVICE_NETWORK_KEY,
  DeviceNetworkStatusCodec,
  type NetworkInstanceStatus,
  NIM_TOPICS,
} from "@outpost/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const tag = `${process.pid % 100000}`;
const DEV_IP = "10.250.0.2";
const UP_IP = "10.250.0.1";
const WEB_IP = "10.251.0.10";

describe("network instances (zedrouter) with a private engine in a device namespace", () => {
  const work = mkdtempSync("/tmp/opzr-");
  let dev: NetNs;
  let up: NetNs;
  let engine: PrivateEngine;
  let rig: Rig;
  let httpd: ChildProcess | undefined;
  let nim: PubSub | undefined;
  const savedHost = process.env.DOCKER_HOST;

  const engineDocker = (...args: string[]) =>
    spawnSync("docker", ["-H", engine.host, ...args], { encoding: "utf8", timeout: 20_000 });

  beforeAll(async () => {
    dev = NetNs.create(`opzr-dev-${tag}`);
    up = NetNs.create(`opzr-up-${tag}`);
    dev.veth(`vd${tag}`, up, `vu${tag}`, { here: `${DEV_IP}/24`, there: `${UP_IP}/24` });
    dev.ip("route", "add", "default", "via", UP_IP);
    // The upstream's HTTP server; the upstream has no route to the apps' subnet: only NAT answers.
    const www = join(work, "www");
    mkdirSync(www);
    writeFileSync(join(www, "index.html"), "upstream-ok\n");
    const [cmd, args] = up.wrap("busybox", ["httpd", "-f", "-p", `${UP_IP}:8080`, "-h", www]);
    httpd = spawn(cmd, args, { stdio: "ignore" });
    engine = new PrivateEngine(join(work, "e"), { netns: dev.name, iptables: true });
    await engine.start();
    // Every docker call of this test process (the rig's image helpers, its clean-up) and the agents
    // started from it go to the private engine.
    process.env.DOCKER_HOST = engine.host;
    rig = new Rig();
  }, 90_000);

  afterAll(async () => {
    await nim?.close().catch(() => undefined);
    if (rig) {
      await rig.cleanup();
      const nets = engineDocker("network", "ls", "-q", "--filter", `label=org.outpost.node=${rig.nodeLabel}`);
      for (const id of nets.stdout.split("\n").filter(Boolean)) engineDocker("network", "rm", id);
    }
    await engine?.stop().catch(() => undefined);
    engine?.unmountLeftovers();
    httpd?.kill("SIGKILL");
    dev?.remove();
    up?.remove();
    rmSync(work, { recursive: true, force: true });
    if (savedHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedHost;
  }, 90_000);

  it("local: apps reach each other, the upstream (NAT) and a port map; switch: an app on the LAN; reported; restarts adopt", async () => {
    await rig.startController();
    await rig.onboard();
    const server = `127.0.0.1:${rig.port}`;
    const image = rig.image("ni", [
      "sh",
      "-c",
      'trap "exit 0" TERM; if [ "$ROLE" = web ]; then mkdir -p /www; echo web-ok > /www/index.html; httpd -f -p 80 -h /www & fi; while :; do sleep 1; done',
    ]);
    const app = (id: string, role: string, interfaces: unknown[]) => ({
      id,
      name: id,
      volumes: [{ id: `${id}-root` }],
      env: { ROLE: role },
      interfaces,
    });
    const doc = {
      datastores: [{ id: "ctrl", type: "https", fqdn: `https://${server}`, path: "datastore" }],
      contentTrees: [{ id: "img", datastore: "ctrl", url: image.url, sha256: image.sha256 }],
      volumes: ["web", "client", "waiter", "sensor"].map((a) => ({ id: `${a}-root`, contentTree: "img" })),
      networkInstances: [
        {
          id: "lan",
          kind: "local",
          port: "eth0",
          subnet: "10.251.0.0/24",
          gateway: "10.251.0.1",
          dhcpRange: { start: "10.251.0.100", end: "10.251.0.199" },
        },
        // A switch instance on the uplink port: apps on the device's own LAN (macvlan), addressed from
        // the port's subnet (from nim) within the given range.
        {
          id: "plant",
          kind: "switch",
          port: "eth0",
          dhcpRange: { start: "10.250.0.64", end: "10.250.0.127" },
        },
        // A switch instance on a port nim does not report, with no subnet of its own: never ONLINE.
        { id: "ghost", kind: "switch", port: "eth9" },
      ],
      apps: [
        app("web", "web", [{ network: "lan", ip: WEB_IP, portMaps: [{ port: 8081, appPort: 80 }] }]),
        app("client", "client", [{ network: "lan" }]),
        app("waiter", "client", [{ network: "ghost" }]),
        app("sensor", "web", [{ network: "plant" }]),
      ],
      configItems: { "timer.config.interval": "1", "timer.metric.interval": "2" },
    };
    rig.setConfig(JSON.stringify(doc));

    // nim's contract: the uplink port eth0 and its address in the device namespace.
    const layout = rootLayout(rig.nroot);
    ensureLayout(layout);
    nim = new PubSub({
      agent: "nim",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop: new MainLoop((e) => console.error("nim bus task failed", e)),
    });
    const ports = await nim.publish({
      topic: NIM_TOPICS.deviceNetworkStatus,
      codec: DeviceNetworkStatusCodec,
    });
    await ports.set(DEVICE_NETWORK_KEY, {
      dpcKey: "lastresort",
      currentIndex: 0,
      state: "ok",
      ports: [
        {
          ifname: `vd${tag}`,
          logicalLabel: "eth0",
          isMgmt: true,
          up: true,
          mac: "",
          dhcp: "static",
          addrs: [`${DEV_IP}/24`],
          gateways: [UP_IP],
          dns: [],
          domain: "",
          ntpServers: [],
          mtu: 1500,
          error: "",
        },
      ],
      updatedAt: Date.now(),
    });
    ports.signalRestarted();

    rig.agentArgs.zedrouter = ["--poll-ms", "500"];
    rig.startAgents([
      "zedagent",
      "zedmanager",
      "zedrouter",
      "volumemgr",
      "downloader",
      "verifier",
      "domainmgr",
    ]);

    const web = idToUuid("web");
    const client = idToUuid("client");
    const waiter = idToUuid("waiter");
    const lan = idToUuid("lan");
    const webStatus = await rig.waitApp(web, (s) => s.state === "RUNNING", "web RUNNING", 90_000);
    const clientStatus = await rig.waitApp(client, (s) => s.state === "RUNNING", "client RUNNING", 60_000);
    // The app whose instance never comes up waits for it, and says which one.
    const waiting = await rig.waitApp(waiter, (s) => s.state === "AWAITNETWORKINSTANCE", "waiter waiting");
    expect(waiting.error?.description).toContain("waiting for network instance ghost");

    // zedrouter's view: the instance ONLINE on bn1 with the gateway address, both apps assigned.
    const ni = await waitFor(
      () => {
        const s = rig.table<NetworkInstanceStatus>("zedrouter", "NetworkInstanceStatus")[lan];
        return s?.state === "ONLINE" && s.ipAssignments.length === 2 ? s : undefined;
      },
      20_000,
      () => `lan ONLINE with two apps\n${rig.log("zedrouter")}`,
    );
    expect(ni).toMatchObject({ bridgeName: "bn1", bridgeIp: "10.251.0.1", uplinkAddr: DEV_IP });
    const clientIp = ni.ipAssignments.find((a) => a.app === client)?.ips[0] ?? "";
    expect(ni.ipAssignments.find((a) => a.app === web)?.ips).toEqual([WEB_IP]);
    const last = Number(clientIp.split(".")[3]);
    expect(clientIp.startsWith("10.251.0.") && last >= 100 && last <= 199).toBe(true);
    // The bridge exists in the device namespace under EVE's name.
    expect(dev.ip("-br", "addr", "show", "bn1")).toContain("10.251.0.1/24");

    // Each answer is waited for (a few seconds at most): web's httpd starts just after its container.
    const fetched = async (what: string, expected: string, run: () => ReturnType<typeof spawnSync>) => {
      let last = "";
      await waitFor(
        () => {
          const r = run();
          last = `${r.status} ${r.error?.message ?? ""} ${String(r.stdout).trim()} ${String(r.stderr).trim()}`;
          return String(r.stdout).trim() === expected;
        },
        15_000,
        () => `${what}: last answer "${last}"`,
        500,
      );
    };
    const wget = (url: string) => () =>
      // busybox 1.35's wget crashes (SIGSEGV) with -T: its own timeout applet bounds it instead.
      engineDocker("exec", clientStatus.containerId ?? "", "timeout", "3", "wget", "-qO-", url);
    // App to app by IP on the instance.
    await fetched("client -> web by IP", "web-ok", wget(`http://${WEB_IP}/`));
    // App to upstream through NAT (the upstream cannot route back to 10.251.0.0/24).
    await fetched("client -> upstream through NAT", "upstream-ok", wget(`http://${UP_IP}:8080/`));
    // The port map: web's httpd at the device's uplink address, from the upstream namespace.
    await fetched("upstream -> device:8081 (port map)", "web-ok", () =>
      up.exec("busybox", ["wget", "-qO-", `http://${DEV_IP}:8081/`], 3000),
    );
    expect(webStatus.containerId).toBeTruthy();

    // Reported through the controller: ctl networks (from ZInfoNetworkInstance) and ZInfoApp.network.
    const shown = await waitFor(
      () => {
        const list = rig.ctlJson<
          {
            name: string;
            state: string;
            bridge: string;
            bridgeIp: string;
            apps: { app: string; ips: string[] }[];
          }[]
        >("networks", rig.serial);
        const l = list.find((n) => n.name === "lan");
        return l?.state === "ONLINE" && l.apps.length === 2 ? list : undefined;
      },
      30_000,
      "ctl networks shows lan ONLINE with two apps",
    );
    const lanShown = shown.find((n) => n.name === "lan");
    expect(lanShown).toMatchObject({ bridge: "bn1", bridgeIp: "10.251.0.1" });
    expect(lanShown?.apps.find((a) => a.app === web)?.ips).toEqual([WEB_IP]);
    expect(shown.find((n) => n.name === "ghost")?.state).toBe("INIT");
    await rig.waitInfo(
      (r) =>
        r.some((x) => {
          const a = x.value.ainfo as { AppID?: string; network?: { IPAddrs?: string[] }[] } | undefined;
          return a?.AppID === web && a.network?.[0]?.IPAddrs?.[0] === WEB_IP;
        }) && r.some((x) => x.key === `app/${waiter}` && x.value.ainfo?.state === "AWAITNETWORKINSTANCE"),
      "ZInfoApp.network of web and the waiter's AWAITNETWORKINSTANCE on the controller",
    );

    // The switch instance: the app has an address of the device's LAN, reached from upstream directly.
    const sensor = idToUuid("sensor");
    const plant = idToUuid("plant");
    await rig.waitApp(sensor, (s) => s.state === "RUNNING", "sensor RUNNING");
    const sw = await waitFor(
      () => {
        const s = rig.table<NetworkInstanceStatus>("zedrouter", "NetworkInstanceStatus")[plant];
        return s?.state === "ONLINE" && s.ipAssignments.length === 1 ? s : undefined;
      },
      20_000,
      "plant ONLINE with the sensor",
    );
    expect(sw).toMatchObject({ kind: "switch", bridgeName: `vd${tag}`, subnet: "10.250.0.0/24" });
    const sensorIp = sw.ipAssignments[0]?.ips[0] ?? "";
    const host = Number(sensorIp.split(".")[3]);
    expect(sensorIp.startsWith("10.250.0.") && host >= 64 && host <= 127).toBe(true);
    await fetched("upstream -> sensor on the switch instance", "web-ok", () =>
      up.exec("busybox", ["wget", "-qO-", `http://${sensorIp}/`], 3000),
    );

    // zedrouter killed and restarted: the network is adopted, not duplicated; the apps keep running.
    const adopted = () => rig.log("zedrouter", 500).split("engine listed: adopting").length;
    const before = adopted();
    await rig.stopAgents();
    rig.startAgents([
      "zedagent",
      "zedmanager",
      "zedrouter",
      "volumemgr",
      "downloader",
      "verifier",
      "domainmgr",
    ]);
    await waitFor(() => adopted() > before, 20_000, "zedrouter to list the engine again");
    await waitFor(
      () => rig.table<NetworkInstanceStatus>("zedrouter", "NetworkInstanceStatus")[lan]?.state === "ONLINE",
      20_000,
      "lan ONLINE again",
    );
    const lanNetworks = () =>
      engineDocker(
        "network",
        "ls",
        "-q",
        "--no-trunc",
        "--filter",
        `label=org.outpost.network-instance=${lan}`,
      )
        .stdout.split("\n")
        .filter(Boolean);
    const [netId, ...more] = lanNetworks();
    expect(more).toEqual([]);
    expect(rig.app(web)?.containerId).toBe(webStatus.containerId);

    // The Docker engine restarted (its containers stop with it): the same network is adopted, domainmgr
    // starts the apps again, web with its static address, and the port map answers again.
    const bootBefore = (await rig.waitApp(web, (s) => s.bootTime !== undefined, "web's boot time")).bootTime;
    await engine.restart();
    await rig.waitApp(
      web,
      // (domainmgr may replace the container when the restarting engine refused its starts twice)
      (s) => s.state === "RUNNING" && s.bootTime !== bootBefore,
      "web started again after the engine restart",
      60_000,
    );
    await waitFor(
      () => {
        const s = rig.table<NetworkInstanceStatus>("zedrouter", "NetworkInstanceStatus")[lan];
        return s?.state === "ONLINE" && s.ipAssignments.some((a) => a.app === web && a.ips[0] === WEB_IP);
      },
      30_000,
      () => `lan ONLINE with web at ${WEB_IP} after the engine restart\n${rig.log("zedrouter")}`,
    );
    expect(lanNetworks()).toEqual([netId]);
    await fetched("upstream -> device:8081 after the engine restart", "web-ok", () =>
      up.exec("busybox", ["wget", "-qO-", `http://${DEV_IP}:8081/`], 3000),
    );

    // The switch instance and its app removed from the config: the app goes first, then the network
    // (no app uses it any more), and the controller is told the instance is gone.
    rig.setConfig(
      JSON.stringify({
        ...doc,
        networkInstances: doc.networkInstances.filter((n) => n.id !== "plant"),
        apps: doc.apps.filter((a) => a.id !== "sensor"),
      }),
    );
    const plantNetworks = () =>
      engineDocker(
        "network",
        "ls",
        "-q",
        "--filter",
        `label=org.outpost.network-instance=${plant}`,
      ).stdout.trim();
    await waitFor(
      () =>
        plantNetworks() === "" &&
        rig.table<NetworkInstanceStatus>("zedrouter", "NetworkInstanceStatus")[plant] === undefined,
      60_000,
      () => `plant's network removed\n${rig.log("zedrouter")}`,
    );
    await waitFor(
      () => !rig.ctlJson<{ name: string }[]>("networks", rig.serial).some((n) => n.name === "plant"),
      30_000,
      "plant gone from ctl networks",
    );
    expect(rig.table<NetworkInstanceStatus>("zedrouter", "NetworkInstanceStatus")[lan]?.state).toBe("ONLINE");
  }, 240_000);
});
