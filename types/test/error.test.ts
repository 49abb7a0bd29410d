import { describe, expect, it } from "vitest";
import { makeError, sameError, stableError } from "../src/error.js";

describe("the one same-error rule", () => {
  const src = { type: "Volume", id: "v1" };
  const at = (iso: string) => new Date(iso);

  it("an error differing only in its time is the same, and the older one (its time) is kept", () => {
    const first = makeError("disk full", {
      source: src,
      retryCondition: "retrying in 30 s",
      now: at("2026-01-01T00:00:00Z"),
    });
    const again = makeError("disk full", {
      source: src,
      retryCondition: "retrying in 30 s",
      now: at("2026-01-01T00:05:00Z"),
    });
    expect(sameError(first, again)).toBe(true);
    expect(stableError(first, again)).toBe(first);
  });

  it("a changed retry condition, severity, source or description is a new error", () => {
    const base = makeError("disk full", { source: src, retryCondition: "retrying in 30 s" });
    for (const other of [
      makeError("disk full", { source: src, retryCondition: "retrying in 60 s" }),
      makeError("disk full", { source: src, retryCondition: "retrying in 30 s", severity: "warning" }),
      makeError("disk full", { source: { type: "Volume", id: "v2" }, retryCondition: "retrying in 30 s" }),
      makeError("no space", { source: src, retryCondition: "retrying in 30 s" }),
    ]) {
      expect(sameError(base, other)).toBe(false);
      expect(stableError(base, other)).toBe(other);
    }
  });

  it("no error now means no error, whatever was there before", () => {
    expect(stableError(makeError("x"), undefined)).toBeUndefined();
    expect(sameError(undefined, undefined)).toBe(true);
    expect(sameError(makeError("x"), undefined)).toBe(false);
  });
});
