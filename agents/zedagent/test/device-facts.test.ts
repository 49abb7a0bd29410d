// The restart counter under persist/zedagent/restart.json: counts boots of the machine, and a corrupt
// record is reported and kept aside instead of silently becoming "never booted".
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeRoot, tempRoot } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { restartCounter } from "../src/device-facts.js";

describe("restartCounter", () => {
  const roots: string[] = [];
  const dir = () => {
    const r = tempRoot("op-rc-");
    roots.push(r);
    return r;
  };
  afterEach(() => {
    for (const r of roots.splice(0)) removeRoot(r);
  });

  it("starts at 0, stays within one boot, and counts each new boot", () => {
    const d = dir();
    expect(restartCounter(d, "2026-01-01T00:00:00.000Z")).toEqual({ counter: 0 });
    expect(restartCounter(d, "2026-01-01T00:00:00.000Z")).toEqual({ counter: 0 });
    expect(restartCounter(d, "2026-01-02T00:00:00.000Z")).toEqual({ counter: 1 });
    expect(restartCounter(d, "2026-01-03T00:00:00.000Z")).toEqual({ counter: 2 });
  });

  it.each([
    ["truncated JSON", '{"bootTime":"2026-01-01T00:00:00.000Z","coun'],
    ["a record of the wrong shape", '{"bootTime":"2026-01-01T00:00:00.000Z","counter":"seven"}'],
  ])("%s: says so, keeps the bytes aside, and counts on from a fresh record", (_what, bytes) => {
    const d = dir();
    const file = join(d, "restart.json");
    writeFileSync(file, bytes);
    const r = restartCounter(d, "2026-02-01T00:00:00.000Z");
    expect(r.counter).toBe(0);
    expect(r.error).toMatch(
      /restart\.json is unreadable .*started again at 0; the old file is kept as .*restart\.json\.corrupt/,
    );
    expect(readFileSync(`${file}.corrupt`, "utf8")).toBe(bytes);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      bootTime: "2026-02-01T00:00:00.000Z",
      counter: 0,
    });
    // The next boot counts from the fresh record, with no error.
    expect(restartCounter(d, "2026-02-02T00:00:00.000Z")).toEqual({ counter: 1 });
  });
});
