// End to end, from the built bundle: the watchdog restarts an agent whose touch file goes stale
// (a stuck main-loop handler, and a blocked event loop that ignores SIGTERM), and under the reboot
// policy stops feeding the hardware watchdog instead.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { makeNode, type Node, waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("watchdog: stale touch", () => {
  let node: Node;
  let started: ReturnType<Node["boot"]>;

  beforeAll(() => {
    node = makeNode({
      OUTPOST_AGENTS: "watchdog fixture:stuck fixture:busy",
      // Agents checked every 200 ms (not every second): a stale touch is seen soon after its limit.
      OUTPOST_ARGS_watchdog: "--kill-grace-ms 1000 --tick-ms 200",
      // Touch often, then block: the handler never finishes / the event loop never returns.
      OUTPOST_ARGS_stuck: "--touch-interval-ms 200 --block-loop-after 1500",
      OUTPOST_ARGS_busy: "--touch-interval-ms 200 --busy-loop-after 1500",
      OUTPOST_TOUCH_LIMIT_MS_stuck: "2000",
      OUTPOST_TOUCH_LIMIT_MS_busy: "2000",
    });
    // The agents block 1.5 s after they start, so on a loaded machine the first restart can happen
    // before boot returns: the pid that went stale is taken from the watchdog's event, not read here.
    started = node.boot("start");
  });
  afterAll(() => node?.cleanup());

  it("restarts an agent whose main loop is stuck, with cause stale-touch", async () => {
    expect(started.status, started.stderr).toBe(0);
    await waitFor(
      () => node.events().some((e) => e.agent === "stuck" && e.cause === "stale-touch"),
      15_000,
      "stale-touch event",
    );
    const event = node.events().find((e) => e.agent === "stuck");
    expect(event).toMatchObject({ agent: "stuck", cause: "stale-touch", action: "restart" });
    const old = event?.pid as number;
    expect(old).toBeGreaterThan(0);
    expect(event?.details).toMatch(/touch file \d+ ms old \(limit 2000 ms\)/);
    await waitFor(
      () => {
        const pid = node.pid("stuck");
        return (
          pid !== undefined &&
          pid !== old &&
          isProcessAlive(pid) &&
          Date.now() - (node.touchMtimeMs("stuck") ?? 0) < 1000
        );
      },
      15_000,
      "a fresh stuck instance touching",
    );
    expect(isProcessAlive(old)).toBe(false);
  });

  it("kills (SIGTERM, then SIGKILL) and restarts an agent whose event loop is blocked", async () => {
    const event = await waitFor(
      () => node.events().find((e) => e.agent === "busy" && e.cause === "stale-touch"),
      20_000,
      "stale-touch event for busy",
    );
    const old = event.pid as number;
    expect(old).toBeGreaterThan(0);
    await waitFor(
      () => {
        const pid = node.pid("busy");
        return pid !== undefined && pid !== old && isProcessAlive(pid);
      },
      20_000,
      "busy to be restarted",
    );
    expect(isProcessAlive(old)).toBe(false);
    // A blocked event loop cannot run its SIGTERM handler: the watchdog had to escalate.
    const log = readFileSync(join(node.root, "persist/log/watchdog.log"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(log).toContainEqual(expect.objectContaining({ watched: "busy", watchedPid: old, how: "kill" }));
  });
});

describe("watchdog: reboot policy with a hardware watchdog device", () => {
  let node: Node;
  let device: string;

  beforeAll(() => {
    node = makeNode({ OUTPOST_AGENTS: "watchdog fixture:victim" });
    // A regular file stands in for /dev/watchdog: every keepalive appends a byte.
    device = join(node.root, "watchdog-device");
    writeFileSync(device, "");
    node.env.OUTPOST_ARGS_watchdog = `--device ${device} --policy reboot --feed-ms 100`;
    node.boot("start");
  });
  afterAll(() => node?.cleanup());

  it("feeds while all agents are healthy, stops feeding (no restart) when one fails", async () => {
    const size = () => statSync(device).size;
    const before = size();
    await waitFor(() => size() > before + 3, 5000, "keepalives");
    const victim = node.pid("victim") as number;
    process.kill(victim, "SIGKILL");
    await waitFor(
      () => node.events().some((e) => e.agent === "victim" && e.action === "reboot"),
      10_000,
      "reboot event",
    );
    expect(node.events()).toContainEqual(
      expect.objectContaining({ agent: "victim", cause: "exited", action: "reboot" }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const stopped = size();
    await new Promise((r) => setTimeout(r, 1000));
    expect(size()).toBe(stopped);
    // The device resets the node; the watchdog does not restart the agent itself: the dead agent's pid
    // file (SIGKILL leaves it) still names it, as no new instance wrote its own.
    expect(node.pid("victim")).toBe(victim);
    expect(isProcessAlive(victim)).toBe(false);
    expect(isProcessAlive(node.pid("watchdog") as number)).toBe(true);
  });
});

describe("watchdog: restart-rate limit", () => {
  let node: Node;

  beforeAll(() => {
    node = makeNode({
      OUTPOST_AGENTS: "watchdog fixture:flaky",
      OUTPOST_ARGS_watchdog: "--max-restarts 2 --window-ms 60000 --backoff-min-ms 100 --tick-ms 200",
      // Comes up, then exits with an error a moment later, every time.
      OUTPOST_ARGS_flaky: "--exit-after 800 --exit-code 1",
    });
    node.boot("start");
  });
  afterAll(() => node?.cleanup());

  it("restarts with backoff, then gives up and records it", async () => {
    await waitFor(
      () => node.events().some((e) => e.agent === "flaky" && e.action === "give-up"),
      20_000,
      "give-up event",
    );
    const events = node.events().filter((e) => e.agent === "flaky");
    expect(events.map((e) => e.action)).toEqual(["restart", "restart", "give-up"]);
    expect(events.every((e) => e.cause === "exited")).toBe(true);
    expect(events.at(-1)?.details).toContain("2 restarts within 60000 ms, leaving it down");
    // Left down: no new instance appears.
    await new Promise((r) => setTimeout(r, 1500));
    const pid = node.pid("flaky");
    expect(pid === undefined || !isProcessAlive(pid)).toBe(true);
  });
});

describe("watchdog: pid reuse", () => {
  let node: Node;
  let bystander: ChildProcess | undefined;

  beforeAll(() => {
    node = makeNode({ OUTPOST_AGENTS: "watchdog fixture:victim", OUTPOST_ARGS_watchdog: "--tick-ms 200" });
    node.boot("start");
  });
  afterAll(() => {
    bystander?.kill("SIGKILL");
    node?.cleanup();
  });

  it("never kills an unrelated process that got the dead agent's pid", async () => {
    const old = node.pid("victim") as number;
    // Stand-in for pid reuse: the stale pid file names a live process that is not the agent.
    bystander = spawn("sleep", ["60"], { stdio: "ignore" });
    process.kill(old, "SIGKILL");
    writeFileSync(join(node.root, "run/victim.pid"), `${bystander.pid}\n`);
    await waitFor(() => node.events().some((e) => e.agent === "victim"), 10_000, "an event for victim");
    expect(node.events()[0]).toMatchObject({ agent: "victim", cause: "exited", action: "restart" });
    await waitFor(
      () => {
        const pid = node.pid("victim");
        return pid !== undefined && pid !== bystander?.pid && pid !== old && isProcessAlive(pid);
      },
      10_000,
      "victim restarted",
    );
    expect(isProcessAlive(bystander.pid as number)).toBe(true);
  });
});
