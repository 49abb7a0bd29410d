// zedagent's ZMetricMsg read back against the machine: the device's CPU seconds against /proc/stat, and
// a running container's CPU (as domainmgr samples it through DockerClient) against the Docker engine's
// own stats, read before and after. Cumulative counters: the report lies between the two readings.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { DockerClient, type RawStats } from "@outpost/docker";
import { eve } from "@outpost/evecloud";
import {
  buildTestImage,
  ensureDocker,
  removeByNodeLabel,
  removeRoot,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectMetrics, parseProcStat, USER_HZ } from "../src/metrics.js";

const proc = () => parseProcStat(readFileSync("/proc/stat", "utf8"));

describe("device cpuMetric against /proc/stat", () => {
  it("is the CPU seconds used since boot and the boot time", async () => {
    const before = proc();
    const msg = await collectMetrics("dev", "/", [], () => undefined, undefined);
    const after = proc();
    const cpu = msg.dm?.cpuMetric;
    expect(Number(cpu?.total)).toBeGreaterThanOrEqual(Math.floor(before.busyTicks / USER_HZ));
    expect(Number(cpu?.total)).toBeLessThanOrEqual(Math.floor(after.busyTicks / USER_HZ));
    expect(Number(cpu?.systemTotal)).toBeGreaterThanOrEqual(Math.floor(before.systemTicks / USER_HZ));
    expect(Number(cpu?.systemTotal)).toBeLessThanOrEqual(Math.floor(after.systemTicks / USER_HZ));
    expect(Number(cpu?.total_ns)).toBeGreaterThanOrEqual(before.busyTicks * (1e9 / USER_HZ));
    expect(Number(cpu?.total_ns)).toBeLessThanOrEqual(after.busyTicks * (1e9 / USER_HZ));
    expect(cpu?.upTime).toEqual({ seconds: before.bootMs / 1000, nanos: 0 });
    // The same numbers after the wire (uint64 fields).
    const wire = eve.metrics.ZMetricMsg.decode(eve.metrics.ZMetricMsg.encode(msg).finish());
    expect(Number(wire.dm?.cpuMetric?.total)).toBe(Number(cpu?.total));
  });
});

describe("app cpu against the Docker engine", () => {
  const node = tempRoot("opzm-");
  const tag = `outpost-test/zedagent-metrics:${process.pid}`;
  const docker = new DockerClient();
  let id = "";
  const engineNs = async () =>
    ((await docker.docker.getContainer(id).stats({ stream: false })) as unknown as RawStats).cpu_stats
      ?.cpu_usage?.total_usage ?? 0;

  beforeAll(async () => {
    await ensureDocker();
    buildTestImage(tag, { cmd: ["sh", "-c", "while :; do :; done"], node });
    id = execFileSync(
      "docker",
      [
        "run",
        "-d",
        "--network",
        "none",
        "--label",
        `org.outpost.node=${node}`,
        "--label",
        "org.outpost.owner=outpost",
        tag,
      ],
      { encoding: "utf8" },
    ).trim();
  });
  afterAll(() => {
    removeByNodeLabel(node);
    removeRoot(node);
  });

  it("reports Docker's cumulative CPU time: total_ns in ns, total in whole seconds", async () => {
    // A busy loop: wait until it has used more than a second, so `total` is not trivially 0.
    await waitFor(async () => (await engineNs()) > 1.2e9, 30_000, "the container to use 1.2 s of CPU", 500);
    const before = await engineNs();
    const usage = await docker.containerStats(id);
    const after = await engineNs();
    const msg = await collectMetrics(
      "dev",
      "/",
      [[id, { uuid: id, ...usage, at: Date.now() }]],
      () => undefined,
      undefined,
    );
    const cpu = msg.am?.[0]?.cpu;
    expect(Number(cpu?.total_ns)).toBeGreaterThanOrEqual(before);
    expect(Number(cpu?.total_ns)).toBeLessThanOrEqual(after);
    expect(Number(cpu?.total)).toBe(Math.floor(Number(cpu?.total_ns) / 1e9));
    expect(Number(cpu?.total)).toBeGreaterThanOrEqual(1);
  });
});
