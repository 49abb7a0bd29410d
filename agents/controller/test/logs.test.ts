// Stored log lines: the LogEntry forms EVE produces and the ctl logs filters (the per-device log
// budget is in store.test.ts, run against both stores).
import { describe, expect, it } from "vitest";
import { matchLog, parseLogQuery } from "../src/log-query.js";
import { gzipComment, logEntryOf } from "../src/newlogs.js";
import type { ReportRecord } from "../src/store/index.js";

describe("LogEntry lines", () => {
  it("takes Go's {seconds,nanos} and protojson's RFC 3339 timestamps, and msgid as number or string", () => {
    expect(logEntryOf('{"timestamp":{"seconds":1700000000,"nanos":5},"msgid":7}')).toMatchObject({
      timestamp: "2023-11-14T22:13:20.000000005Z",
      msgid: 7,
      severity: "",
    });
    expect(logEntryOf('{"timestamp":"2023-11-14T23:13:20.5+01:00","msgid":"12"}')).toMatchObject({
      timestamp: "2023-11-14T22:13:20.500000000Z",
      msgid: 12,
    });
    // Go leaves zero fields out: {} is the epoch.
    expect(logEntryOf('{"timestamp":{}}')).toMatchObject({ timestamp: "1970-01-01T00:00:00.000000000Z" });
  });

  it("says what is wrong with a line", () => {
    expect(logEntryOf('{"timestamp":{"seconds":1},"severity":3}')).toBe('"severity" must be a string');
    expect(logEntryOf('{"timestamp":{"seconds":1,"nanos":1e10}}')).toMatch(/timestamp/);
    expect(logEntryOf('{"timestamp":"yesterday"}')).toMatch(/timestamp/);
    expect(logEntryOf('{"timestamp":{"seconds":1},"tags":{"a":1}}')).toBe('tag "a" must be a string');
    expect(logEntryOf("[]")).toBe("not a JSON object");
  });

  it("reads the gzip header comment past FEXTRA and FNAME", () => {
    const h = Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16, 0, 0, 0, 0, 0, 3, 2, 0, 0xaa, 0xbb]);
    const b = Buffer.concat([h, Buffer.from("name\0"), Buffer.from('{"devID":"d"}\0'), Buffer.alloc(8)]);
    expect(gzipComment(b)).toBe('{"devID":"d"}');
    expect(() => gzipComment(Buffer.from("hello world"))).toThrow(/magic/);
  });
});

describe("ctl logs filters", () => {
  const rec = (key: string, v: Record<string, unknown>): ReportRecord => ({ at: "", key, value: v });
  const lines = [
    rec("device", {
      source: "zedagent",
      severity: "info",
      content: "poll ok",
      timestamp: "2026-01-01T00:00:01.000000000Z",
    }),
    rec("device", {
      source: "kernel",
      severity: "err",
      content: "disk error",
      timestamp: "2026-01-01T00:00:02.000000000Z",
    }),
    rec("app/6f1c0a4e-aaaa", {
      source: "web",
      severity: "warning",
      content: "slow",
      timestamp: "2026-01-01T00:00:03.000000000Z",
    }),
    rec("device", {
      source: "sshd",
      severity: "debug",
      content: "x",
      timestamp: { seconds: 1767225604, nanos: 0 },
    }),
  ];
  const pick = (q: string) =>
    lines
      .filter(matchLog(parseLogQuery(new URLSearchParams(q), Date.parse("2026-01-01T00:01:00Z"))))
      .map((r) => (r.value as { content: string }).content);

  it("filters by app, source, severity (>= and =), since (time or age) and a regexp", () => {
    expect(pick("app=6f1c")).toEqual(["slow"]);
    expect(pick("source=kernel")).toEqual(["disk error"]);
    expect(pick("severity=>=warning")).toEqual(["disk error", "slow"]);
    expect(pick("severity==info")).toEqual(["poll ok"]);
    expect(pick("severity=error")).toEqual(["disk error"]);
    expect(pick("since=2026-01-01T00:00:02Z")).toEqual(["disk error", "slow", "x"]);
    expect(pick("since=58s")).toEqual(["disk error", "slow", "x"]);
    expect(pick("grep=^(poll|x)")).toEqual(["poll ok", "x"]);
  });

  it("refuses a filter it cannot read", () => {
    expect(() => parseLogQuery(new URLSearchParams("severity=>=loud"))).toThrow(/severity/);
    expect(() => parseLogQuery(new URLSearchParams("since=later"))).toThrow(/since/);
    expect(() => parseLogQuery(new URLSearchParams("grep=("))).toThrow(/grep/);
  });
});
