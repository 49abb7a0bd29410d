// domainmgr removes a second container of one app; when the engine refuses that removal, the failure
// is logged and shown on the app's DomainStatus until a later listing removes it. The refusal is the
// one thing that cannot be made to happen on demand with a real engine: domainmgr talks to the real
// engine through a pass-through proxy on a unix socket that answers 500 to DELETE of that container.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import type { PubSub } from "@outpost/pubsub";
import {
  buildTestImage,
  ensureDocker,
  idleApp,
  Procs,
  removeByNodeLabel,
  removeRoot,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import { type DomainConfig, OutpostLabels } from "@outpost/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { zedmanagerBus } from "./zedmanager-bus.js";

const APP = "33333333-aaaa-4bbb-8ccc-000000000003";
const ENGINE = "/var/run/docker.sock";
const imageNode = tempRoot("op-dupi-");
let IMAGE = "";

/** Forwards every request to the engine, except DELETE of a container while `refuse.on`. */
function engineProxy(path: string, refuse: { on: boolean }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === "DELETE" && refuse.on && /\/containers\/[0-9a-f]{12,64}(\?|$)/.test(req.url ?? "")) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "injected: device or resource busy" }));
      return;
    }
    const up = request(
      { socketPath: ENGINE, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

const docker = (...args: string[]) =>
  execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

describe("domainmgr: a second container of one app", () => {
  const procs = new Procs();
  let root = "";
  let bus: PubSub | undefined;
  let proxy: Server | undefined;

  beforeAll(async () => {
    await ensureDocker();
    IMAGE = buildTestImage(`outpost-test/dm-dup-${process.pid}:1`, {
      cmd: idleApp(),
      node: imageNode,
    });
  });
  afterEach(async () => {
    procs.cleanup();
    await bus?.close().catch(() => undefined);
    proxy?.close();
    if (root) {
      removeByNodeLabel(root);
      removeRoot(root);
    }
  });
  afterAll(() => {
    removeByNodeLabel(imageNode);
    removeRoot(imageNode);
  });

  it("whose removal the engine refuses is an error on the app's status (and in the log) until it is removed", async () => {
    root = tempRoot("op-dup-");
    const refuse = { on: true };
    const proxySock = join(root, "engine.sock");
    proxy = await engineProxy(proxySock, refuse);
    const zm = await zedmanagerBus(root);
    bus = zm.bus;
    const { configs, statuses } = zm;
    procs.start("domainmgr", [
      "--root",
      root,
      "--docker-host",
      `unix://${proxySock}`,
      "--resync-interval-ms",
      "1000",
    ]);
    const config: DomainConfig = {
      uuid: APP,
      version: "1",
      displayName: "dup",
      // Installed, not started: no container network needed, and no exit or start error to mask ours.
      activate: false,
      image: IMAGE,
      env: {},
      mounts: [],
      memoryBytes: 0,
      cpus: 0,
      restartCounter: 0,
    };
    await configs.set(APP, config);
    const log = () => {
      try {
        return readFileSync(join(root, "persist", "log", "domainmgr.log"), "utf8");
      } catch {
        return "";
      }
    };
    // The failure message is built when it fails, with the status and the log as they are then.
    const wait = async (cond: () => boolean, ms: number, what: string) => {
      try {
        await waitFor(cond, ms, what);
      } catch (e) {
        throw new Error(
          `${(e as Error).message}; status ${JSON.stringify(statuses.get(APP))}\n${log().split("\n").slice(-15).join("\n")}`,
        );
      }
    };
    await wait(() => statuses.get(APP)?.state === "HALTED", 60_000, "HALTED");

    // A second copy of the same app, with the same labels (spec included), as a crash between a
    // create and its record could leave: either may be kept, the other one must go.
    const labels = JSON.parse(
      docker("inspect", "-f", "{{json .Config.Labels}}", statuses.get(APP)?.containerId as string),
    ) as Record<string, string>;
    docker("create", ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]), IMAGE);
    const appContainers = () =>
      docker(
        "ps",
        "-aq",
        "--no-trunc",
        "--filter",
        `label=${OutpostLabels.app}=${APP}`,
        "--filter",
        `label=${OutpostLabels.node}=${root}`,
      )
        .split("\n")
        .filter(Boolean);
    expect(appContainers()).toHaveLength(2);
    await wait(
      () => /cannot remove a second container/.test(statuses.get(APP)?.error?.description ?? ""),
      30_000,
      "the refused removal on the status",
    );
    const s = statuses.get(APP);
    // One copy is kept (it is the one on the status), the other one is named in the error.
    const kept = s?.containerId as string;
    const extra = appContainers().find((id) => id !== kept) as string;
    expect([kept, extra].sort()).toEqual(appContainers().sort());
    expect(s?.state).toBe("HALTED");
    expect(s?.error?.description).toContain(extra.slice(0, 12));
    expect(s?.error?.description).toContain("injected: device or resource busy");
    expect(s?.error?.source).toMatchObject({ type: "Domain", id: APP });
    await wait(() => /duplicate container kept/.test(log()), 10_000, "the log line");

    // The engine lets go: the next listing removes it and the error clears.
    refuse.on = false;
    await wait(
      () => statuses.get(APP)?.error === undefined && statuses.get(APP)?.state === "HALTED",
      30_000,
      "the error to clear",
    );
    expect(appContainers()).toEqual([kept]);
    expect(statuses.get(APP)?.containerId).toBe(kept);
  }, 150_000);
});
