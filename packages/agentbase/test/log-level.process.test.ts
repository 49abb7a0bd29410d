// A running agent (the fixture, from dist/bin) changes what it logs when the controller's log level
// items change in zedagent's ConfigItemValueMap: no restart, same pid. The test's bus publishes that
// table as "zedagent" would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FixtureValueCodec } from "@outpost/fixture";
import { MainLoop } from "@outpost/primitives";
import { PubSub, zmqTransport } from "@outpost/pubsub";
import { Procs, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { CONFIG_ITEMS_KEY, type ConfigItemValueMap, ConfigItemValueMapCodec } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";
import { ensureLayout, rootLayout } from "../src/layout.js";

const procs = new Procs();
const roots: string[] = [];
const buses: PubSub[] = [];
afterEach(async () => {
  procs.cleanup();
  for (const b of buses.splice(0)) await b.close();
  for (const r of roots.splice(0)) removeRoot(r);
});

const lines = (root: string, agent: string) => {
  try {
    return readFileSync(join(root, "persist/log", `${agent}.log`), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string; pid: number; item?: string });
  } catch {
    return [];
  }
};

describe("log levels from the controller", () => {
  it("a running agent logs debug lines once debug.<agent>.loglevel says so, and none once agent.<agent>.debug.loglevel (which wins) says error", async () => {
    const root = tempRoot("opll-");
    roots.push(root);
    const layout = rootLayout(root);
    ensureLayout(layout);
    const bus = new PubSub({
      agent: "zedagent",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop: new MainLoop((e) => console.error(e)),
    });
    buses.push(bus);
    const items = await bus.publish({
      topic: "ConfigItemValueMap",
      codec: ConfigItemValueMapCodec,
      persistent: true,
    });
    const set = (m: Record<string, string>) => {
      const v: ConfigItemValueMap = { items: {} };
      for (const [k, value] of Object.entries(m))
        v.items[k] = { value, configured: value, source: "controller" };
      return items.set(CONFIG_ITEMS_KEY, v);
    };
    await set({});
    const agent = procs.start("fixture", [
      "--root",
      root,
      "--name",
      "lv1",
      "--publish",
      "Foo",
      "--interval",
      "100",
    ]);
    await waitFor(() => lines(root, "lv1").some((l) => l.msg === "starting"), 10_000, "the fixture to start");
    const debugLines = () => lines(root, "lv1").filter((l) => l.msg === "tables rewritten");
    // The fixture's own table says how often it rewrote (and so called log.debug).
    const sub = bus.subscribe({ agent: "lv1", topic: "Foo", codec: FixtureValueCodec });
    const rewrites = async (n: number) => {
      const seq0 = await waitFor(() => sub.get("k0")?.seq, 10_000, "the fixture's table");
      await waitFor(() => (sub.get("k0")?.seq ?? 0) >= seq0 + n, 10_000, `${n} more rewrites`);
    };
    await rewrites(3);
    expect(debugLines()).toEqual([]);

    await set({ "debug.lv1.loglevel": "debug" });
    await waitFor(
      () => debugLines().length >= 3,
      10_000,
      () => `debug lines\n${agent.output()}`,
    );
    const change = lines(root, "lv1").find((l) => l.item === "debug.lv1.loglevel");
    expect(change).toMatchObject({ msg: "log level debug (config item debug.lv1.loglevel)", pid: agent.pid });
    expect(lines(root, "lv1").some((l) => l.msg === "tables rewritten (trace)")).toBe(false);

    // EVE's newer per-agent name wins over the legacy one; the default applies to everyone else.
    await set({
      "debug.lv1.loglevel": "debug",
      "agent.lv1.debug.loglevel": "error",
      "debug.default.loglevel": "trace",
    });
    await waitFor(
      () => lines(root, "lv1").some((l) => l.item === "agent.lv1.debug.loglevel"),
      10_000,
      "the level change to error",
    );
    const before = debugLines().length;
    // The agent keeps rewriting while no debug line is added.
    await rewrites(5);
    expect(debugLines().length).toBe(before);
    expect(agent.exitCode).toBeNull();
  });
});
