import type { VerifyImageConfig } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { configKey, decideVerify, type VerifyFacts } from "../src/plan.js";

const SHA = "b".repeat(64);
const config: VerifyImageConfig = { sha256: SHA, path: "/d/x", size: 10, retry: 0 };
const facts = (o: Partial<VerifyFacts> = {}): VerifyFacts => ({
  config,
  status: undefined,
  stored: undefined,
  running: undefined,
  attemptedFor: undefined,
  ...o,
});

describe("verifier plan", () => {
  it("verifies a new config once; an answered attempt is not repeated until the config changes", () => {
    expect(decideVerify(facts())).toEqual([{ kind: "verify" }]);
    expect(decideVerify(facts({ attemptedFor: configKey(config) }))).toEqual([]);
    expect(decideVerify(facts({ attemptedFor: configKey({ ...config, retry: 1 }) }))).toEqual([
      { kind: "verify" },
    ]);
  });

  /** What the verifier says of a blob in its store: the verified file and its owner. */
  const done = {
    sha256: SHA,
    state: "VERIFIED" as const,
    path: "/s/b",
    owner: "verifier" as const,
    size: 10,
    retry: 0,
  };

  it("a file already in the store is VERIFIED (after a crash between rename and publish)", () => {
    expect(decideVerify(facts({ stored: { path: "/s/b", size: 10 } }))).toEqual([
      { kind: "publish", status: done },
    ]);
    expect(decideVerify(facts({ stored: { path: "/s/b", size: 10 }, status: done }))).toEqual([]);
  });

  it("VERIFIED names the verified file and its owner, the verifier (a status without the owner is redone)", () => {
    const { owner: _o, ...old } = done;
    expect(decideVerify(facts({ stored: { path: "/s/b", size: 10 }, status: old }))).toEqual([
      { kind: "publish", status: { ...old, owner: "verifier" } },
    ]);
  });

  it("a changed config aborts the running hash; a removed one aborts, then removes", () => {
    expect(decideVerify(facts({ running: { for: configKey(config) } }))).toEqual([]);
    expect(decideVerify(facts({ running: { for: "old" } }))).toEqual([{ kind: "abort" }]);
    expect(decideVerify(facts({ config: undefined, running: { for: "x" } }))).toEqual([{ kind: "abort" }]);
    expect(decideVerify(facts({ config: undefined }))).toEqual([{ kind: "remove" }]);
  });
});
