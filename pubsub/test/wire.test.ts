import { describe, expect, it } from "vitest";
import { packRecords, unpackRecords } from "../src/wire.js";

describe("batch records", () => {
  it("round-trip keys, values and deletions, including empty keys and large values", () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const records: [string, Buffer | undefined][] = [
      ["a", Buffer.from('{"n":1}')],
      ["gone", undefined],
      ["", Buffer.from("0")],
      ["ü-key", big],
    ];
    expect(unpackRecords(packRecords(records))).toEqual(records);
  });

  it("refuses a truncated frame instead of delivering half a value", () => {
    const frame = packRecords([["k", Buffer.from('{"long":"value"}')]]);
    expect(() => unpackRecords(frame.subarray(0, frame.length - 3))).toThrow("truncated batch record");
  });
});
