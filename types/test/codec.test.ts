import { describe, expect, it } from "vitest";
import { AppInstanceConfigCodec, DecodeError, decodeJson, minSwState, t } from "../src/index.js";

describe("codecs", () => {
  const Thing = t.object({
    name: t.string,
    count: t.range(t.integer, 0, 10),
    tags: t.withDefault(t.array(t.string), []),
    note: t.optional(t.string),
    kind: t.oneOf(["a", "b"] as const),
  });

  it("decodes valid input, fills defaults and drops unknown fields", () => {
    expect(Thing.decode({ name: "x", count: 3, kind: "a", extra: 1 })).toEqual({
      name: "x",
      count: 3,
      kind: "a",
      tags: [],
    });
  });

  it("names the path and the problem of invalid input", () => {
    expect(() => Thing.decode({ name: "x", count: 11, kind: "a" })).toThrow(
      "count: expected integer in [0, 10], got number 11",
    );
    expect(() => Thing.decode({ name: "x", count: 1, kind: "c" })).toThrow(
      'kind: expected one of a, b, got string "c"',
    );
    expect(() => Thing.decode({ name: "x", count: 1, kind: "a", tags: ["ok", 2] })).toThrow(
      "tags[1]: expected string",
    );
    expect(() => decodeJson(Thing, "{nope")).toThrow(DecodeError);
  });

  it("decodes an app instance config with its defaults", () => {
    const app = AppInstanceConfigCodec.decode({
      uuid: "u1",
      displayName: "web",
      activate: true,
      volumeRefs: [{ volumeId: "v1" }],
    });
    expect(app.restart.counter).toBe(0);
    expect(app.volumeRefs[0]).toEqual({ volumeId: "v1", generation: 0, mountDir: "" });
    expect(app.resources).toEqual({ memoryKiB: 0, vcpus: 0 });
  });

  it("orders SwState so an aggregate is the least advanced part", () => {
    expect(minSwState(["RUNNING", "DOWNLOADING", "VERIFIED"])).toBe("DOWNLOADING");
    expect(minSwState([])).toBe("INITIAL");
  });
});
