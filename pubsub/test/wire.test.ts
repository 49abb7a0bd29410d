import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { packRecords, unpackRecords } from "../src/wire.js";

describe("batch records", () => {
  it("round-trip keys, values and deletions, including empty keys and large values", () => {
    // Not one repeated byte, so a shifted or truncated copy cannot compare equal.
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const records: [string, Buffer | undefined][] = [
      ["a", Buffer.from('{"n":1}')],
      ["gone", undefined],
      ["", Buffer.from("0")],
      ["ü-key", big],
    ];
    // Values compared by length and sha256: toEqual walks a 3 MiB Buffer byte by byte (tens of seconds).
    const digest = (rs: [string, Buffer | undefined][]) =>
      rs.map(([k, v]) => [
        k,
        v && { length: v.length, sha256: createHash("sha256").update(v).digest("hex") },
      ]);
    expect(digest(unpackRecords(packRecords(records)))).toEqual(digest(records));
  });

  it("refuses a truncated frame instead of delivering half a value", () => {
    const frame = packRecords([["k", Buffer.from('{"long":"value"}')]]);
    expect(() => unpackRecords(frame.subarray(0, frame.length - 3))).toThrow("truncated batch record");
  });
});
