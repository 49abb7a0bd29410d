// The inventory's filter language, sorting, report parameters and CSV (src/inventory/): pure, no
// store or server.
import { describe, expect, it } from "vitest";
import {
  compareVersions,
  FilterError,
  matches,
  parseFilter,
  type Row,
  sortRows,
} from "../src/inventory/filter.js";
import {
  BUILTIN_REPORTS,
  decodeReport,
  groupRows,
  ReportError,
  reportFilter,
  toCsv,
} from "../src/inventory/reports.js";

const rows: Row[] = [
  { serial: "a", state: "online", version: "0.1.9", tags: ["lab", "eu"], memoryMB: 2048, lastSeenAgeS: 30 },
  { serial: "b", state: "offline", version: "0.10.0", tags: ["eu"], memoryMB: 512, lastSeenAgeS: 90_000 },
  {
    serial: "c",
    state: "online",
    version: "0.2.0-rc1",
    tags: [],
    memoryMB: 8192,
    lastSeenAgeS: 5,
    location: "Hall 3",
  },
  { serial: "d", state: "registered", version: "", tags: [], memoryMB: undefined },
];
const FIELDS = ["serial", "state", "version", "tags", "memoryMB", "lastSeenAgeS", "location"];
const pick = (src: string) => rows.filter((r) => matches(parseFilter(src, FIELDS), r)).map((r) => r.serial);

describe("filter language", () => {
  it("compares strings (case-insensitively), numbers, versions and durations", () => {
    expect(pick("state=online")).toEqual(["a", "c"]);
    expect(pick("state=ONLINE")).toEqual(["a", "c"]);
    expect(pick("state!=online")).toEqual(["b", "d"]);
    expect(pick("memoryMB>=2048")).toEqual(["a", "c"]);
    expect(pick("memoryMB<1000")).toEqual(["b"]);
    // 0.10.0 is newer than 0.2.0 (not string order); a release candidate is older than its release.
    expect(pick("version<0.2.0")).toEqual(["a", "c"]);
    expect(pick("version>=0.2.0")).toEqual(["b"]);
    expect(pick("lastSeenAgeS>24h")).toEqual(["b"]);
    expect(pick("lastSeenAgeS<=1m")).toEqual(["a", "c"]);
  });

  it("and binds tighter than or; not and parentheses", () => {
    expect(pick("state=online and version<0.2.0")).toEqual(["a", "c"]);
    expect(pick("state=online and version<0.2.0-rc1")).toEqual(["a"]);
    expect(pick("state=offline or state=online and memoryMB>4096")).toEqual(["b", "c"]);
    expect(pick("(state=offline or state=online) and memoryMB>4096")).toEqual(["c"]);
    expect(pick("not state=online")).toEqual(["b", "d"]);
    expect(pick("not (state=online or state=offline)")).toEqual(["d"]);
    expect(pick("")).toEqual(["a", "b", "c", "d"]);
  });

  it("lists match when one element does (!= when none does); a missing field is empty", () => {
    expect(pick("tags=eu")).toEqual(["a", "b"]);
    expect(pick("tags!=lab")).toEqual(["b", "c", "d"]);
    expect(pick('location=""')).toEqual(["a", "b", "d"]);
    expect(pick("location~hall")).toEqual(["c"]);
    expect(pick("serial!~^[ab]$")).toEqual(["c", "d"]);
    expect(pick("location='Hall 3'")).toEqual(["c"]);
    // no ordering against an empty value: d has no memory reported
    expect(pick("memoryMB<100000")).toEqual(["a", "b", "c"]);
  });

  it("a filter that does not parse says where, and unknown fields are named", () => {
    const bad = (src: string) => () => parseFilter(src, FIELDS);
    expect(bad("state=")).toThrow(/expected a value after state= at the end/);
    expect(bad("state online")).toThrow(/expected one of .* after state at 7/);
    expect(bad("(state=online")).toThrow(/expected "\)" at the end/);
    expect(bad("state=online memoryMB>1")).toThrow(/expected "and", "or" or the end at 14/);
    expect(bad("color=red")).toThrow(FilterError);
    expect(bad("color=red")).toThrow(/no field "color" \(fields: serial, state/);
    expect(bad("serial~'('")).toThrow(/not a regular expression/);
    expect(bad('serial="abc')).toThrow(/unterminated string/);
  });

  it("versions compare part by part", () => {
    expect(compareVersions("0.10.0", "0.9.9")).toBe(1);
    expect(compareVersions("1.0", "1.0.0")).toBe(0);
    expect(compareVersions("0.2.0-rc1", "0.2.0")).toBe(-1);
    expect(compareVersions("abc", "0.1")).toBeUndefined();
  });

  it("sorts by several fields, descending with -, missing values last", () => {
    expect(sortRows(rows, "-memoryMB").map((r) => r.serial)).toEqual(["c", "a", "b", "d"]);
    expect(sortRows(rows, "memoryMB").map((r) => r.serial)).toEqual(["b", "a", "c", "d"]);
    expect(sortRows(rows, "state,-serial").map((r) => r.serial)).toEqual(["b", "c", "a", "d"]);
    expect(sortRows(rows, "-version").map((r) => r.serial)).toEqual(["b", "c", "a", "d"]);
    expect(() => sortRows(rows, "nope", FIELDS)).toThrow(/sort: no field "nope"/);
  });
});

describe("reports", () => {
  const notSeen = BUILTIN_REPORTS.find((r) => r.name === "not-seen");
  const oldVersion = BUILTIN_REPORTS.find((r) => r.name === "old-version");

  it("parameters fill the filter as one quoted token, with defaults; missing or wrong ones are refused", () => {
    if (!notSeen || !oldVersion) throw new Error("built-in reports missing");
    expect(reportFilter(notSeen, {})).toBe(`lastSeenAgeS>"24h" or lastSeen=''`);
    expect(reportFilter(notSeen, { hours: "2" })).toBe(`lastSeenAgeS>"2h" or lastSeen=''`);
    expect(() => reportFilter(notSeen, { hours: "2 or 1=1" })).toThrow(/hours: expected a number/);
    expect(() => reportFilter(oldVersion, {})).toThrow(/needs --param version=<version>/);
    expect(() => reportFilter(oldVersion, { version: "0.2.0", x: "1" })).toThrow(/no parameter "x"/);
  });

  it("a saved report is checked: fields, filter, columns, names", () => {
    const ok = decodeReport({
      name: "eu-small",
      rows: "devices",
      filter: "tags=eu and memoryMB<{mb}",
      params: [{ name: "mb", type: "number", default: "1024" }],
      sort: "-memoryMB",
      columns: ["serial", "memoryMB"],
    });
    expect(ok.params[0]?.default).toBe("1024");
    expect(reportFilter(ok, { mb: "4096" })).toBe('tags=eu and memoryMB<"4096"');
    expect(() => decodeReport({ name: "x", filter: "colour=red" })).toThrow(/no field "colour"/);
    expect(() => decodeReport({ name: "x", filter: "state={s}" })).toThrow(/\{s\} is not a parameter/);
    expect(() => decodeReport({ name: "Bad Name" })).toThrow(ReportError);
    expect(() => decodeReport({ name: "not-seen" })).toThrow(/built-in/);
    expect(() => decodeReport({ name: "x", columns: ["nope"] })).toThrow(/columns/);
    expect(() => decodeReport({ name: "x", params: [{ name: "format" }] })).toThrow(/params\[0\]\.name/);
    expect(() => decodeReport({ name: "x", extra: 1 })).toThrow(/extra: unknown field/);
  });

  it("groups count rows and sum numbers per value", () => {
    const g = groupRows(
      [
        { team: "a", cpus: 2, memoryMB: 100 },
        { team: "a", cpus: 4, memoryMB: undefined },
        { team: "b", cpus: 1, memoryMB: 50 },
      ],
      "team",
      ["team", "cpus", "memoryMB"],
    );
    expect(g).toEqual([
      { team: "a", count: 2, cpus: 6, memoryMB: 100 },
      { team: "b", count: 1, cpus: 1, memoryMB: 50 },
    ]);
  });

  it("CSV quotes per RFC 4180: commas, quotes and line breaks; CRLF line ends; lists space-joined", () => {
    const csv = toCsv(
      [
        { a: 'say "hi"', b: "x,y", c: ["p", "q"] },
        { a: "line\nbreak", b: 3, c: undefined },
      ],
      ["a", "b", "c"],
    );
    expect(csv).toBe('a,b,c\r\n"say ""hi""","x,y",p q\r\n"line\nbreak",3,\r\n');
  });
});
