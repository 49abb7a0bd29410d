// Crash safety: kill -9 a publisher in the middle of a burst of writes to a persistent table.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { BurstItem, isIntact } from "./fixtures/burst-item.js";
import { type Machine, transports, waitFor } from "./harness.js";

let m: Machine;
afterEach(async () => {
  await m.cleanup();
});

it("after kill -9 mid-burst the persistent table is a consistent prefix and subscribers converge", async () => {
  const zeromq = transports.find((k) => k.name === "zeromq");
  if (!zeromq) throw new Error("no zeromq transport");
  m = zeromq.machine();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(__dirname, "fixtures", "burst-writer.ts"), m.root],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let lastDurable = -1;
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const lines = out.split("\n");
    out = lines.pop() ?? "";
    for (const l of lines)
      if (l.startsWith("durable ")) lastDurable = Math.max(lastDurable, Number(l.slice(8)));
  });
  // A subscriber in another process watches the burst live.
  const watcher = m.node("watcher").subscribe({ agent: "writer", topic: "Burst", codec: BurstItem });
  await waitFor(() => lastDurable >= 3000, 60_000, "3000 durable writes");
  await waitFor(() => watcher.size > 100, 10_000, "the watcher to see some of the burst");
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));

  // Restart the publisher on the same store.
  const pub = await m.node("writer").publish({ topic: "Burst", codec: BurstItem, persistent: true });
  const ns = pub
    .keys()
    .filter((k) => k !== "last")
    .map((k) => Number(k.slice(1)))
    .sort((a, b) => a - b);
  // Everything reported durable is there, and the keys form a prefix 0..M with no hole.
  expect(ns.length).toBeGreaterThan(lastDurable);
  expect(ns.at(-1)).toBe(ns.length - 1);
  for (const [, v] of pub.entries()) expect(isIntact(v)).toBe(true);
  // "last" was written after k<n> in the same order, so it is the newest k, or the one before it.
  const last = pub.get("last")?.n ?? -1;
  expect(last === ns.length - 1 || last === ns.length - 2).toBe(true);

  await waitFor(
    () => watcher.size === pub.size && watcher.get("last")?.n === last,
    20_000,
    "watcher convergence",
  );
  for (const [k, v] of pub.entries()) expect(watcher.get(k)).toEqual(v);
}, 120_000);
