import { describe, expect, it } from "vitest";
import { parseAgentLine } from "../src/agentlog.js";
import { parseEngineTime } from "../src/container-logs.js";
import { encodeEntry, type LogEntry, passesLevel } from "../src/entry.js";
import { gzipWithComment, latin1Comment, readGzip } from "../src/gzip.js";
import { parseKmsg } from "../src/kmsg.js";
import { parseSyslog, StreamFramer, syslogEntry } from "../src/syslog.js";

describe("RFC 3164", () => {
  it("reads facility, severity, tag and pid without a hostname (what /dev/log clients send)", () => {
    const m = parseSyslog("<28>Dec  2 07:25:40 mytag[42]: hello 3164");
    expect(m).toMatchObject({
      format: "rfc3164",
      facility: 3,
      severity: 4,
      tag: "mytag",
      pid: "42",
      content: "hello 3164",
    });
    expect(m?.hostname).toBeUndefined();
  });

  it("takes the first word as the hostname when the second is the tag (util-linux logger --rfc3164)", () => {
    const m = parseSyslog("<13>Dec  2 07:25:40 vm mytag: again\n");
    expect(m).toMatchObject({ hostname: "vm", tag: "mytag", content: "again", facility: 1, severity: 5 });
  });

  it("keeps a message without timestamp or tag as content", () => {
    const m = parseSyslog("<14>just text here");
    expect(m?.content).toBe("just text here");
    expect(m?.tag).toBeUndefined();
  });

  it("refuses a message without a valid PRI (malformed)", () => {
    expect(parseSyslog("no pri")).toBeUndefined();
    expect(parseSyslog("<999>x")).toBeUndefined();
    expect(parseSyslog("<0014>x")).toBeUndefined();
    expect(parseSyslog("<>x")).toBeUndefined();
    expect(parseSyslog("<14x")).toBeUndefined();
    expect(parseSyslog("<191>")).toMatchObject({ facility: 23, severity: 7, content: "" });
    expect(parseSyslog("<0>a: b\r\n\0")).toMatchObject({ facility: 0, severity: 0, tag: "a", content: "b" });
  });

  it("dates it at receipt (no year, no zone in RFC 3164) and names facility and severity as EVE does", () => {
    const e = syslogEntry(parseSyslog("<28>Dec  2 07:25:40 d[7]: x") as never, 1_700_000_000_123);
    expect(e).toMatchObject({ severity: "warning", source: "d", iid: "7", timeMs: 1_700_000_000_123 });
    expect(e.tags).toEqual({ facility: "daemon" });
  });
});

describe("RFC 5424", () => {
  it("reads every header field, the structured data with escapes, and a BOM-prefixed message", () => {
    const m = parseSyslog(
      '<165>1 2026-12-02T07:25:40.571448123+01:00 host app 1234 ID47 [ex@32473 iut="3" ev="a\\"b\\]c"][x] \uFEFFmsg body',
    );
    expect(m).toMatchObject({
      format: "rfc5424",
      facility: 20,
      severity: 5,
      hostname: "host",
      tag: "app",
      pid: "1234",
      msgid: "ID47",
      content: "msg body",
      sd: { "ex@32473": { iut: "3", ev: 'a"b]c' }, x: {} },
    });
    expect(m?.timeMs).toBe(Date.parse("2026-12-02T06:25:40.571Z"));
    expect(m?.subMsNanos).toBe(448123);
    const e = syslogEntry(m as never, 0);
    expect(e.tags).toMatchObject({
      "sd.ex@32473.iut": "3",
      "sd.ex@32473.ev": 'a"b]c',
      "sd.x": "",
      msgid: "ID47",
    });
    expect(e.severity).toBe("notice");
  });

  it("nil values and no message", () => {
    const m = parseSyslog("<13>1 - - - - - -");
    expect(m).toMatchObject({ format: "rfc5424", content: "" });
    expect(m?.tag).toBeUndefined();
    expect(m?.timeMs).toBeUndefined();
  });

  it("a broken header falls back to RFC 3164 reading rather than losing the line", () => {
    expect(parseSyslog("<13>1 2026-13-99 x")).toMatchObject({ format: "rfc3164" });
  });
});

describe("stream framing (RFC 6587)", () => {
  it("splits on newline and NUL, keeps a partial frame, and reads octet-counted frames", () => {
    const f = new StreamFramer();
    expect(f.push("<13>a\n<13>b\0<13>c")).toEqual(["<13>a", "<13>b"]);
    expect(f.push("d\n")).toEqual(["<13>cd"]);
    expect(f.push("12 <13>hello w")).toEqual([]);
    expect(f.push("x<13>next\n")).toEqual(["<13>hello wx", "<13>next"]);
    // Octet counts are bytes: é is two.
    expect(f.push("10 <13>héllo")).toEqual(["<13>héllo"]);
  });
});

describe("kernel records", () => {
  it("reads priority, sequence and time since boot, and unescapes", () => {
    const r = parseKmsg("3,5849,8968906380,-;veth0: link \\x41 up\n SUBSYSTEM=net\n", 1_000_000);
    expect(r?.seq).toBe(5849);
    expect(r?.entry).toMatchObject({ severity: "err", source: "kernel", content: "veth0: link A up" });
    expect(r?.entry.timeMs).toBe(1_000_000 + 8968906);
    expect(r?.entry.tags).toEqual({ facility: "kern", seq: "5849" });
    expect(parseKmsg("garbage", 0)).toBeUndefined();
  });
});

describe("agent lines", () => {
  it("pino JSON: level, agent, pid, time, msg; other fields become string tags", () => {
    const e = parseAgentLine(
      '{"level":50,"time":1764660000123,"agent":"zedmanager","pid":77,"app":"u1","err":{"message":"boom"},"msg":"failed"}',
      "file",
    );
    expect(e).toEqual({
      severity: "error",
      source: "zedmanager",
      iid: "77",
      content: "failed",
      timeMs: 1764660000123,
      tags: { app: "u1", err: '{"message":"boom"}' },
    });
    expect(parseAgentLine("{not json", "x")).toBeUndefined();
    expect(parseAgentLine("[1]", "x")).toBeUndefined();
  });
});

describe("LogEntry JSON (EVE's encoding)", () => {
  it("fields in EVE's order, empty ones left out, timestamp as seconds and nanos", () => {
    const line = encodeEntry(
      {
        severity: "info",
        source: "s",
        content: "c",
        timeMs: 1764660000123,
        subMsNanos: 456,
        tags: { a: "b" },
        iid: "",
      },
      9,
    );
    expect(line).toBe(
      '{"severity":"info","source":"s","content":"c","msgid":9,"tags":{"a":"b"},"timestamp":{"seconds":1764660000,"nanos":123000456}}\n',
    );
    expect(encodeEntry({ severity: "info", source: "s", content: "", timeMs: 5000 }, 1)).toBe(
      '{"severity":"info","source":"s","msgid":1,"timestamp":{"seconds":5}}\n',
    );
  });

  it("writes every field exactly as JSON.stringify would (escapes, non-ASCII, lone surrogates, odd numbers)", () => {
    // What Go's encoding/json of the struct gives, as JSON: one object, fields in order, empty ones out.
    const reference = (e: LogEntry, msgid: number): string => {
      const o: Record<string, unknown> = {};
      if (e.severity) o.severity = e.severity;
      if (e.source) o.source = e.source;
      if (e.iid) o.iid = e.iid;
      if (e.content) o.content = e.content;
      if (msgid) o.msgid = msgid;
      if (e.tags && Object.keys(e.tags).length > 0) o.tags = e.tags;
      const seconds = Math.floor(e.timeMs / 1000);
      const nanos = Math.round((e.timeMs - seconds * 1000) * 1e6) + (e.subMsNanos ?? 0);
      const ts: Record<string, number> = {};
      if (seconds) ts.seconds = seconds;
      if (nanos) ts.nanos = nanos;
      o.timestamp = ts;
      if (e.filename) o.filename = e.filename;
      if (e.function) o.function = e.function;
      return `${JSON.stringify(o)}\n`;
    };
    const texts = [
      "",
      "plain",
      'q"uote \\ back',
      "nl\n tab\t nul\0 \u0001 \u007f",
      "é ü 日本 \u2028 😀",
      "lone \ud800 x",
    ];
    const times = [0, 999, 1764660000123, 1764660000123.5, -1500.25, Number.NaN, Number.POSITIVE_INFINITY];
    let n = 0;
    for (const text of texts)
      for (const timeMs of times)
        for (const msgid of [0, 1, 2 ** 53 - 1]) {
          const e: LogEntry = {
            severity: text ? "warning" : "",
            source: text,
            iid: text,
            content: text,
            tags: n % 3 === 0 ? {} : { [text || "k"]: text, facility: "user" },
            timeMs,
            filename: n % 2 ? text : "",
            function: text,
          };
          if (n % 4 === 1) e.subMsNanos = 456;
          expect(encodeEntry(e, msgid)).toBe(reference(e, msgid));
          n++;
        }
  });

  it("a remote level keeps lines at least that severe, across syslog and agent names", () => {
    expect(passesLevel("err", "warning")).toBe(true);
    expect(passesLevel("error", "warning")).toBe(true);
    expect(passesLevel("info", "warning")).toBe(false);
    expect(passesLevel("debug", "info")).toBe(false);
    expect(passesLevel("debug", "debug")).toBe(true);
    expect(passesLevel("emerg", "none")).toBe(false);
    expect(passesLevel("debug", "bogus")).toBe(true);
  });
});

describe("gzip with comment", () => {
  it("one member with FCOMMENT: gunzip gives the body back, the comment is the metadata JSON", async () => {
    const body = Buffer.from('{"a":1}\n{"b":2}\n');
    const gz = await gzipWithComment(
      body,
      '{"devID":"d","image":"IMGA","eveVersion":"1"}',
      1_764_660_000_000,
    );
    expect(gz[3]).toBe(0x10);
    const r = readGzip(gz);
    expect(r.body.equals(body)).toBe(true);
    expect(JSON.parse(r.comment as string)).toEqual({ devID: "d", image: "IMGA", eveVersion: "1" });
  });

  it("a non-Latin-1 comment is escaped so it stays valid JSON", () => {
    const c = latin1Comment('{"devID":"dé€"}').toString("latin1");
    expect(JSON.parse(c)).toEqual({ devID: "dé€" });
  });
});

describe("engine timestamps", () => {
  it("keeps all nine fraction digits (Docker trims trailing zeros)", () => {
    const t = parseEngineTime("2026-12-02T07:30:00.12345678Z");
    expect(t?.ns).toBe(BigInt(Date.parse("2026-12-02T07:30:00Z")) * 1_000_000n + 123456780n);
    expect(t?.ms).toBe(Date.parse("2026-12-02T07:30:00.123Z"));
    expect(t?.subMsNanos).toBe(456780);
    expect(parseEngineTime("nope")).toBeUndefined();
  });
});
