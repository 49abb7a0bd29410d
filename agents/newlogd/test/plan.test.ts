import type { ConfigItemValueMap } from "@outpost/types";
import { describe, expect, it } from "vitest";
import {
  agentLogFiles,
  batchMs,
  batchName,
  batchTime,
  dockerLineIsNew,
  planAgentRead,
  planBudget,
  shouldClose,
} from "../src/plan.js";
import { RateLimiter } from "../src/ratelimit.js";
import { levelFor, type Settings, settingsFrom } from "../src/settings.js";

describe("batches", () => {
  it("close by size or by age, never empty", () => {
    const open = { file: "f", bytes: 100, lines: 2, openedMs: 1000 };
    expect(shouldClose(open, 1500, 100, 10_000)).toBe(true);
    expect(shouldClose(open, 1500, 200, 10_000)).toBe(false);
    expect(shouldClose(open, 11_000, 200, 10_000)).toBe(true);
    expect(shouldClose({ ...open, lines: 0, bytes: 0 }, 99_999, 1, 1)).toBe(false);
    expect(shouldClose(undefined, 99_999, 1, 1)).toBe(false);
  });

  it("names: 13-digit ms strictly increasing per stream, in the contract's directories", () => {
    expect(batchMs(5000, 4000)).toBe(5000);
    expect(batchMs(5000, 5000)).toBe(5001);
    expect(batchName("dev", 1764660000123)).toEqual({ dir: "devUpload", name: "dev.log.1764660000123.gz" });
    expect(batchName("app.6f1c-aa", 1764660000123)).toEqual({
      dir: "appUpload",
      name: "app.6f1c-aa.log.1764660000123.gz",
    });
    expect(batchTime("app.6f1c-aa.log.1764660000123.gz")).toBe(1764660000123);
    expect(batchTime("dev.log.1764660000123.gz.tmp")).toBeUndefined();
  });

  it("the budget removes the oldest closed batches across both directories until it fits", () => {
    const f = (name: string, ms: number, size: number) => ({ path: `/x/${name}`, name, ms, size });
    const files = [f("app.a.log.3.gz", 3, 10), f("dev.log.1.gz", 1, 10), f("dev.log.2.gz", 2, 10)];
    expect(planBudget(files, 45, 20).map((v) => v.ms)).toEqual([1, 2, 3]);
    expect(planBudget(files, 45, 30).map((v) => v.ms)).toEqual([1, 2]);
    expect(planBudget(files, 30, 30)).toEqual([]);
    // Batch 2 still compressing (batch 3 landed first): only what is older than it may go.
    expect(planBudget(files, 45, 20, 2).map((v) => v.ms)).toEqual([1]);
    expect(planBudget(files, 45, 20, 1)).toEqual([]);
  });
});

describe("following agent logs", () => {
  const files = [
    { name: "a.log.2", ino: 10, size: 100 },
    { name: "a.log.1", ino: 11, size: 50 },
    { name: "a.log", ino: 12, size: 20 },
  ];

  it("groups and orders files oldest first", () => {
    const g = agentLogFiles(["a.log", "a.log.1", "b.log", "a.log.2", "a.stderr", "a.log.x", "a.log.10"]);
    expect(g.get("a")?.map((f) => f.name)).toEqual(["a.log.10", "a.log.2", "a.log.1", "a.log"]);
    expect(g.get("b")?.map((f) => f.name)).toEqual(["b.log"]);
    expect(g.has("a.stderr")).toBe(false);
  });

  it("first start: the oldest file from its start", () => {
    expect(planAgentRead(files, undefined)).toEqual({ kind: "read", file: files[0], offset: 0, gap: false });
  });

  it("goes on where it was, across a rotation (same inode, new name)", () => {
    expect(planAgentRead(files, { ino: 11, offset: 30 })).toEqual({
      kind: "read",
      file: files[1],
      offset: 30,
      gap: false,
    });
  });

  it("a file read to its end moves on to the next newer; the newest at its end is idle", () => {
    expect(planAgentRead(files, { ino: 11, offset: 50 })).toEqual({
      kind: "read",
      file: files[2],
      offset: 0,
      gap: false,
    });
    expect(planAgentRead(files, { ino: 12, offset: 20 })).toEqual({ kind: "idle" });
  });

  it("a followed file that was pruned is a gap: reading goes on at the oldest left", () => {
    expect(planAgentRead(files, { ino: 9, offset: 5 })).toEqual({
      kind: "read",
      file: files[0],
      offset: 0,
      gap: true,
    });
  });

  it("a file that shrank is read from its start", () => {
    expect(planAgentRead(files, { ino: 12, offset: 500 })).toEqual({
      kind: "read",
      file: files[2],
      offset: 0,
      gap: false,
    });
  });
});

describe("container log resume", () => {
  it("skips lines older than the saved time, and as many at the saved time as were taken", () => {
    const last = { tsNs: 100n, same: 2 };
    expect(dockerLineIsNew(99n, last, 0)).toBe(false);
    expect(dockerLineIsNew(100n, last, 0)).toBe(false);
    expect(dockerLineIsNew(100n, last, 1)).toBe(false);
    expect(dockerLineIsNew(100n, last, 2)).toBe(true);
    expect(dockerLineIsNew(101n, last, 0)).toBe(true);
    expect(dockerLineIsNew(1n, undefined, 0)).toBe(true);
  });
});

describe("rate limit", () => {
  it("a burst then the sustained rate; the drop count is reported with the next line through", () => {
    const r = new RateLimiter(10, 3);
    expect([1, 2, 3].map(() => r.admit("s", 0).ok)).toEqual([true, true, true]);
    expect(r.admit("s", 0).ok).toBe(false);
    expect(r.admit("s", 50).ok).toBe(false);
    expect(r.admit("other", 50).ok).toBe(true);
    expect([...r.pending()]).toEqual([["s", { count: 2, sinceMs: 0 }]]);
    expect(r.admit("s", 100)).toEqual({ ok: true, reportDropped: { count: 2, sinceMs: 0 } });
    expect([...r.pending()]).toEqual([]);
  });

  it("time going backwards refills nothing", () => {
    const r = new RateLimiter(1000, 1);
    expect(r.admit("s", 1000).ok).toBe(true);
    expect(r.admit("s", 0).ok).toBe(false);
  });
});

describe("settings from config items", () => {
  const defaults: Settings = {
    batchMaxBytes: 1000,
    batchMaxMs: 300_000,
    budgetBytes: 1 << 20,
    rateLinesPerSec: 10,
    rateBurst: 20,
    defaultLevel: "info",
    agentLevels: {},
    syslogLevel: "info",
    kernelLevel: "info",
  };
  const items = (
    m: Record<string, string>,
    source: "controller" | "default" = "controller",
  ): ConfigItemValueMap => ({
    items: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v, configured: v, source }])),
  });

  it("EVE's names change the budget, the batch timeout (fast upload) and the remote levels", () => {
    const s = settingsFrom(
      defaults,
      items({
        "newlog.gzipfiles.ondisk.maxmegabytes": "10",
        "newlog.allow.fastupload": "true",
        "debug.default.remote.loglevel": "warning",
        "debug.zedmanager.remote.loglevel": "debug",
        "debug.syslog.remote.loglevel": "err",
        "debug.kernel.remote.loglevel": "none",
        "newlog.source.maxlinespersec": "50",
      }),
    );
    expect(s.budgetBytes).toBe(10 << 20);
    expect(s.batchMaxMs).toBe(10_000);
    expect(s.rateLinesPerSec).toBe(50);
    expect(levelFor(s, "agent", "zedmanager")).toBe("debug");
    expect(levelFor(s, "agent", "volumemgr")).toBe("warning");
    expect(levelFor(s, "syslog", "sshd")).toBe("err");
    expect(levelFor(s, "kernel", "kernel")).toBe("none");
    expect(levelFor(s, "app", "x")).toBeUndefined();
  });

  it("zedagent's defaults and invalid values leave the flags in force", () => {
    expect(
      settingsFrom(defaults, items({ "newlog.gzipfiles.ondisk.maxmegabytes": "2048" }, "default")),
    ).toEqual(defaults);
    expect(settingsFrom(defaults, items({ "newlog.batch.maxbytes": "12" }))).toEqual(defaults);
    expect(settingsFrom(defaults, undefined)).toEqual(defaults);
  });
});
