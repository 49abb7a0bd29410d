// The pubsub contract (docs/architecture.md section 3), run against both transports.
import { t } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";
import type { Handlers } from "../src/index.js";
import { type Machine, recordingLogger, transports, waitFor } from "./harness.js";

const Item = t.object({ n: t.integer, text: t.string });
type Item = t.Infer<typeof Item>;

/** Records every handler call in order, as a user's agent would observe them. */
function recorder() {
  const events: string[] = [];
  const handlers: Handlers<Item> = {
    create: (k, v) => void events.push(`create ${k}=${v.n}`),
    modify: (k, v, old) => void events.push(`modify ${k}=${v.n} (was ${old.n})`),
    delete: (k, old) => void events.push(`delete ${k} (was ${old.n})`),
    synchronized: () => void events.push("synchronized"),
    restarted: (c) => void events.push(`restarted ${c}`),
  };
  return { events, handlers };
}

const item = (n: number, text = "x"): Item => ({ n, text });

describe.each(transports)("pubsub over $name", (kind) => {
  let m: Machine;
  afterEach(async () => {
    await m.cleanup();
  });

  it("a late subscriber gets the whole table, then synchronized, then live changes", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Thing", codec: Item });
    await pub.set("a", item(1));
    await pub.set("b", item(2));
    const r = recorder();
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Thing", codec: Item, handlers: r.handlers });
    await sub.waitSynchronized();
    expect(r.events.slice().sort()).toEqual(["create a=1", "create b=2", "synchronized"].sort());
    expect(r.events.at(-1)).toBe("synchronized");
    await pub.set("a", item(3));
    await pub.delete("b");
    await waitFor(() => r.events.length === 5);
    expect(r.events.slice(3)).toEqual(["modify a=3 (was 1)", "delete b (was 2)"]);
    expect(sub.entries()).toEqual([["a", item(3)]]);
  });

  it("an empty table still synchronizes", async () => {
    m = kind.machine();
    await m.node("alpha").publish({ topic: "Empty", codec: Item });
    const sub = m.node("beta").subscribe({ agent: "alpha", topic: "Empty", codec: Item });
    await sub.waitSynchronized();
    expect(sub.size).toBe(0);
  });

  it("a subscriber that starts before its publisher is served once the publisher appears", async () => {
    m = kind.machine();
    const r = recorder();
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Thing", codec: Item, handlers: r.handlers });
    await new Promise((res) => setTimeout(res, 300));
    expect(sub.synchronized).toBe(false);
    const pub = await m.node("alpha").publish({ topic: "Thing", codec: Item });
    await pub.set("k", item(7));
    await waitFor(() => sub.get("k")?.n === 7, 10_000, "late publisher's value");
    await sub.waitSynchronized();
  });

  it("scopes are separate tables", async () => {
    m = kind.machine();
    const node = m.node("alpha");
    const p1 = await node.publish({ topic: "Thing", scope: "one", codec: Item });
    const p2 = await node.publish({ topic: "Thing", scope: "two", codec: Item });
    await p1.set("k", item(1));
    await p2.set("k", item(2));
    const b = m.node("beta");
    const s1 = b.subscribe({ agent: "alpha", scope: "one", topic: "Thing", codec: Item });
    const s2 = b.subscribe({ agent: "alpha", scope: "two", topic: "Thing", codec: Item });
    await Promise.all([s1.waitSynchronized(), s2.waitSynchronized()]);
    expect([s1.get("k")?.n, s2.get("k")?.n]).toEqual([1, 2]);
  });

  it("deletions made while the subscriber was cut off are swept when it is served again", async () => {
    m = kind.machine();
    const a1 = m.node("alpha");
    const pub = await a1.publish({ topic: "Thing", codec: Item });
    for (const k of ["k1", "k2", "k3"]) await pub.set(k, item(1));
    const r = recorder();
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Thing", codec: Item, handlers: r.handlers });
    await sub.waitSynchronized();
    // The publisher process goes away and comes back with a smaller table.
    await a1.close();
    const pub2 = await m.node("alpha").publish({ topic: "Thing", codec: Item });
    await pub2.set("k1", item(1));
    await pub2.set("k4", item(4));
    // A restart is not a deletion: k2 and k3 go once the new run says its table is complete.
    pub2.signalRestarted();
    await waitFor(() => sub.keys().sort().join() === "k1,k4", 15_000, "sweep of k2, k3");
    expect(r.events).toContain("delete k2 (was 1)");
    expect(r.events).toContain("delete k3 (was 1)");
    expect(r.events.filter((e) => e.startsWith("create k1"))).toHaveLength(1); // unchanged k1: no new handler
  });

  it("a subscriber that restarts converges to the current table", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Thing", codec: Item });
    await pub.set("a", item(1));
    const b1 = m.node("beta");
    await b1.subscribe({ agent: "alpha", topic: "Thing", codec: Item }).waitSynchronized();
    await b1.close();
    await pub.delete("a");
    await pub.set("b", item(2));
    const sub = m.node("beta").subscribe({ agent: "alpha", topic: "Thing", codec: Item });
    await sub.waitSynchronized();
    expect(sub.entries()).toEqual([["b", item(2)]]);
  });

  it("a persistent table survives a restart of its publisher", async () => {
    m = kind.machine();
    const a1 = m.node("alpha");
    const pub = await a1.publish({ topic: "Kept", codec: Item, persistent: true });
    await pub.set("a", item(1));
    await pub.set("b", item(2));
    await pub.delete("b");
    await a1.close();
    const pub2 = await m.node("alpha").publish({ topic: "Kept", codec: Item, persistent: true });
    expect(pub2.entries()).toEqual([["a", item(1)]]);
    const sub = m.node("beta").subscribe({ agent: "alpha", topic: "Kept", codec: Item });
    await sub.waitSynchronized();
    expect(sub.entries()).toEqual([["a", item(1)]]);
  });

  it("a persistent subscription reads the table before its publisher runs", async () => {
    m = kind.machine();
    const a1 = m.node("alpha");
    const pub = await a1.publish({ topic: "Kept", codec: Item, persistent: true });
    await pub.set("id", item(42, "uuid"));
    await a1.close();
    const r = recorder();
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Kept", codec: Item, persistent: true, handlers: r.handlers });
    await waitFor(() => sub.get("id")?.n === 42, 5000, "value from the store");
    expect(sub.synchronized).toBe(false);
    expect(r.events).toEqual(["create id=42"]);
  });

  it("a persistent subscription sees what a short-lived publisher wrote after it subscribed", async () => {
    m = kind.machine();
    const sub = m.node("beta").subscribe({ agent: "tool", topic: "Kept", codec: Item, persistent: true });
    // The tool runs, writes and exits at once, possibly before any live session completes.
    const t1 = m.node("tool");
    await (await t1.publish({ topic: "Kept", codec: Item, persistent: true })).set("id", item(7));
    await t1.close();
    await waitFor(() => sub.get("id")?.n === 7, 10_000, "the tool's value");
    // A second short run deletes it: that is seen too.
    const t2 = m.node("tool");
    await (await t2.publish({ topic: "Kept", codec: Item, persistent: true })).delete("id");
    await t2.close();
    await waitFor(() => sub.size === 0, 10_000, "the deletion");
    // Each value arrives from the store once the tool's session stops counting as live (3 s with no
    // answer, subscriber.ts LIVE_WITHIN_MS), so two rounds take 6-8 s: more than the unit default.
  }, 20_000);

  it("10 000 rapid updates to 100 keys end with every subscriber holding exactly the final values", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Hot", codec: Item });
    const subs = ["s1", "s2", "s3"].map((a) =>
      m.node(a).subscribe({ agent: "alpha", topic: "Hot", codec: Item }),
    );
    await Promise.all(subs.map((s) => s.waitSynchronized()));
    const final = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const key = `k${i % 100}`;
      // Every 7th write deletes, so the final table has holes as well as values.
      if (i % 7 === 0) {
        void pub.delete(key);
        final.delete(key);
      } else {
        void pub.set(key, item(i));
        final.set(key, i);
      }
    }
    const expected = [...final].map(([k, n]) => `${k}=${n}`).sort();
    for (const s of subs) {
      await waitFor(
        () =>
          s
            .entries()
            .map(([k, v]) => `${k}=${v.n}`)
            .sort()
            .join() === expected.join(),
        20_000,
        "final values",
      );
    }
  });

  it("one change at a time, far more batches than the credit window: every change arrives in order", async () => {
    // Each awaited change goes out as a batch of its own; the subscriber acknowledges only some of
    // them (acks are cumulative), so this runs the publisher through its window many times.
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Steps", codec: Item });
    const seen: number[] = [];
    const sub = m.node("beta").subscribe({
      agent: "alpha",
      topic: "Steps",
      codec: Item,
      handlers: { create: (_k, v) => void seen.push(v.n), modify: (_k, v) => void seen.push(v.n) },
    });
    await sub.waitSynchronized();
    for (let n = 1; n <= 50; n++) {
      await pub.set("k", item(n));
      await waitFor(() => seen.at(-1) === n);
    }
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("a slow subscriber skips intermediate values but ends with the latest", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Hot", codec: Item });
    let calls = 0;
    const slow = async () => {
      calls++;
      await new Promise((res) => setTimeout(res, 2));
    };
    const sub = m.node("beta").subscribe({
      agent: "alpha",
      topic: "Hot",
      codec: Item,
      handlers: { create: slow, modify: slow },
    });
    await sub.waitSynchronized();
    for (let i = 1; i <= 2000; i++) {
      await pub.set("k", item(i));
      if (i % 100 === 0) await new Promise((res) => setImmediate(res));
    }
    await waitFor(() => sub.get("k")?.n === 2000, 20_000, "latest value");
    expect(calls).toBeLessThan(2000);
  });

  it("a 5 MB value arrives intact", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Big", codec: Item });
    // "abc...zabc..." 5 MiB long, built with repeat (an array of 5 M one-letter strings took seconds).
    const big = "abcdefghijklmnopqrstuvwxyz".repeat(Math.ceil((5 << 20) / 26)).slice(0, 5 << 20);
    await pub.set("big", item(1, big));
    const sub = m.node("beta").subscribe({ agent: "alpha", topic: "Big", codec: Item });
    await sub.waitSynchronized(20_000);
    expect(sub.get("big")?.text.length).toBe(big.length);
    expect(sub.get("big")?.text === big).toBe(true);
  });

  it("an unchanged value fires no handler", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Thing", codec: Item });
    const r = recorder();
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Thing", codec: Item, handlers: r.handlers });
    await sub.waitSynchronized();
    await pub.set("a", item(1));
    await waitFor(() => sub.get("a")?.n === 1);
    await pub.set("a", item(1));
    await pub.set("a", { ...item(1) });
    pub.signalRestarted(); // a batch goes out carrying no key: proves the same value was not resent
    await waitFor(() => sub.restartedCount === 1);
    await pub.set("a", item(2));
    await waitFor(() => sub.get("a")?.n === 2);
    expect(r.events).toEqual(["synchronized", "create a=1", "restarted 1", "modify a=2 (was 1)"]);
  });

  it("the restarted counter reaches subscribers", async () => {
    m = kind.machine();
    const pub = await m.node("alpha").publish({ topic: "Thing", codec: Item });
    const r = recorder();
    const sub = m
      .node("beta")
      .subscribe({ agent: "alpha", topic: "Thing", codec: Item, handlers: r.handlers });
    await sub.waitSynchronized();
    expect(sub.restartedCount).toBe(0);
    await pub.set("a", item(1));
    pub.signalRestarted();
    await waitFor(() => sub.restartedCount === 1);
    expect(r.events).toEqual(["synchronized", "create a=1", "restarted 1"]);
    // A subscriber that joins later sees the counter too.
    const late = m.node("gamma").subscribe({ agent: "alpha", topic: "Thing", codec: Item });
    await waitFor(() => late.restartedCount === 1);
  });

  it("a value that does not match the subscriber's type is refused with a clear log line", async () => {
    m = kind.machine();
    const Loose = t.object({ n: t.unknown, text: t.unknown });
    const pub = await m.node("alpha").publish({ topic: "Thing", codec: Loose });
    await pub.set("bad", { n: "not a number", text: "x" });
    await pub.set("good", { n: 1, text: "x" });
    const log = recordingLogger();
    const sub = m.node("beta", log).subscribe({ agent: "alpha", topic: "Thing", codec: Item });
    await sub.waitSynchronized();
    expect(sub.keys()).toEqual(["good"]);
    expect(log.lines.join("\n")).toMatch(/does not match its type.*"key":"bad".*n: expected integer/);
  });
});
