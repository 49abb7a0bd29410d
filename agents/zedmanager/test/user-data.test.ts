import { describe, expect, it } from "vitest";
import { parseUserDataEnv } from "../src/user-data.js";
import { b64 } from "./builders.js";

describe("parseUserDataEnv", () => {
  it("turns KEY=VALUE lines into an environment, values kept verbatim", () => {
    expect(parseUserDataEnv(b64("A=1\r\nB_2=x=y\n\n# comment\nEMPTY=\n"))).toEqual({
      ok: true,
      env: { A: "1", B_2: "x=y", EMPTY: "" },
    });
    expect(parseUserDataEnv("")).toEqual({ ok: true, env: {} });
  });

  it("rejects text that is not base64", () => {
    expect(parseUserDataEnv("not base64!")).toEqual({ ok: false, error: "userData is not valid base64" });
    expect(parseUserDataEnv("QQ")).toEqual({ ok: false, error: "userData is not valid base64" });
  });

  it("names the line without '=' and the bad variable name", () => {
    expect(parseUserDataEnv(b64("A=1\njustText\n"))).toEqual({
      ok: false,
      error: 'userData line 2 has no "=": "justText"',
    });
    expect(parseUserDataEnv(b64("1BAD=x"))).toEqual({
      ok: false,
      error: 'userData line 1: "1BAD" is not a valid environment variable name',
    });
  });
});
