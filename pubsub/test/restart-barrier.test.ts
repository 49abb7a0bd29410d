// "A restart is not a deletion" (ARCHITECTURE.md section 3), run against both transports: keys a
// restarted publisher has not set again are held (no delete handler) until it signals restarted.
import { t } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";
import type { Handlers } from "../src/index.js";
import { type Machine, transports, waitFor } from "./harness.js";

const Item = t.object({ n: t.integer });
type Item = t.Infer<typeof Item>;

function recorder() {
  const events: string[] = [];
  const handlers: Handlers<Item> = {
    create: (k, v) => void events.push(`create ${k}=${v.n}`),
    modify: (k, v) => void events.push(`modify ${k}=${v.n}`),
    delete: (k) => void events.push(`delete ${k}`),
    restarted: (c) => void events.push(`restarted ${c}`),
  };
  return { events, handlers };
}

describe.each(transports)("restart barrier over $name", (kind) => {
  let m: Machine;
  afterEach(async () => {
    await m.cleanup();
  });

  it("keys a restarted publisher has not sent again are held until it says restarted, then deleted", async () => {
    m = kind.machine();
    const a1 = m.node("alpha");
    const pub = await a1.publish({ topic: "Work", codec: Item });
    for (const k of ["a", "b", "c"]) await pub.set(k, { n: 1 });
    pub.signalRestarted();
    const r = recorder();
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Work", codec: Item, handlers: r.handlers });
    await waitFor(() => sub.restartedCount === 1 && sub.size === 3, 10_000, "first table");

    await a1.close();
    const pub2 = await m.node("alpha").publish({ topic: "Work", codec: Item });
    await pub2.set("a", { n: 2 }); // rebuilding: "a" is back, "b" and "c" not yet
    await waitFor(() => sub.get("a")?.n === 2, 15_000, "the restarted publisher's value");
    await sub.waitSynchronized();
    // The new run's table is synchronized but not complete: nothing is deleted.
    expect(sub.keys().sort()).toEqual(["a", "b", "c"]);
    expect(r.events.filter((e) => e.startsWith("delete"))).toEqual([]);

    await pub2.set("b", { n: 1 }); // rebuilt, unchanged: no handler
    pub2.signalRestarted();
    await waitFor(() => sub.size === 2, 10_000, "the held key the new run does not have");
    expect(sub.keys().sort()).toEqual(["a", "b"]);
    // The deletion comes before restarted, so a consumer that garbage-collects at restarted sees it.
    const tail = r.events.slice(r.events.indexOf("modify a=2"));
    expect(tail).toEqual(["modify a=2", "delete c", "restarted 1"]);
  });

  it("an explicit deletion by the restarted publisher applies at once", async () => {
    m = kind.machine();
    const a1 = m.node("alpha");
    const pub = await a1.publish({ topic: "Work", codec: Item });
    await pub.set("a", { n: 1 });
    await pub.set("b", { n: 1 });
    const sub = m.node("beta").subscribe({ agent: "alpha", topic: "Work", codec: Item });
    await waitFor(() => sub.size === 2, 10_000, "first table");
    await a1.close();
    const pub2 = await m.node("alpha").publish({ topic: "Work", codec: Item });
    await pub2.set("b", { n: 2 });
    await waitFor(() => sub.get("b")?.n === 2, 15_000, "new value");
    await pub2.delete("b");
    await waitFor(() => sub.get("b") === undefined, 10_000, "explicit deletion");
    expect(sub.keys()).toEqual(["a"]); // still held: the new run never spoke about it
  });

  it("a persistent table's deletions across a restart apply at once (the table survived)", async () => {
    m = kind.machine();
    const a1 = m.node("alpha");
    const pub = await a1.publish({ topic: "Kept", codec: Item, persistent: true });
    await pub.set("a", { n: 1 });
    await pub.set("b", { n: 1 });
    const sub = m.node("beta").subscribe({ agent: "alpha", topic: "Kept", codec: Item });
    await waitFor(() => sub.size === 2, 10_000, "first table");
    await a1.close();
    const a2 = m.node("alpha");
    const pub2 = await a2.publish({ topic: "Kept", codec: Item, persistent: true });
    await pub2.delete("b");
    await waitFor(() => sub.get("b") === undefined, 15_000, "deletion of b");
    expect(sub.keys()).toEqual(["a"]);
    expect(sub.restartedCount).toBe(0);
  });

  it("holdAcrossRestart: false shows the live table as it is (ipcmonitor)", async () => {
    m = kind.machine();
    const a1 = m.node("alpha");
    const pub = await a1.publish({ topic: "Work", codec: Item });
    await pub.set("a", { n: 1 });
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Work", codec: Item, holdAcrossRestart: false });
    await waitFor(() => sub.size === 1, 10_000, "first table");
    await a1.close();
    const pub2 = await m.node("alpha").publish({ topic: "Work", codec: Item });
    await pub2.set("z", { n: 1 });
    await waitFor(() => sub.keys().join() === "z", 15_000, "the new run's table exactly");
  });

  it("a value over the record limit is refused at set() with a clear error", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Big", codec: t.object({ s: t.string }) });
    await expect(pub.set("k", { s: "x".repeat(17 * 1024 * 1024) })).rejects.toThrow(
      /alpha\/Big k: value of \d+ bytes is over the 16777216-byte limit/,
    );
    expect(pub.get("k")).toBeUndefined();
  });
});
