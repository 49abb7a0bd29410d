// The pure parts of the admin API's authentication: password hashes (scrypt, salted, verified) and the
// failed-login throttle (a fake clock).
import { describe, expect, it } from "vitest";
import { can, hashPassword, LoginThrottle, type Principal, verifyPassword } from "../src/auth.js";

describe("passwords", () => {
  it("are stored salted: the same password twice gives two hashes, each verifying only that password", async () => {
    const a = await hashPassword("correct horse");
    const b = await hashPassword("correct horse");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horse", b)).toBe(true);
    expect(await verifyPassword("correct hors", a)).toBe(false);
    expect(await verifyPassword("correct horse", "md5$abc")).toBe(false);
  });
});

describe("roles", () => {
  it("each role allows what the weaker ones do, only in its own team", () => {
    const p: Principal = { user: "u", roles: new Map([["a", "operator"]]), superuser: false, remote: "" };
    expect([can(p, "a", "viewer"), can(p, "a", "operator"), can(p, "a", "admin")]).toEqual([
      true,
      true,
      false,
    ]);
    expect(can(p, "b", "viewer")).toBe(false);
    expect(can({ ...p, superuser: true }, "b", "admin")).toBe(true);
  });
});

describe("login throttle", () => {
  it("after 5 failures of a user name each attempt waits a doubling delay; a success clears it", () => {
    let now = 0;
    const t = new LoginThrottle({ user: 5, remote: 20 }, () => now);
    for (let i = 0; i < 5; i++) {
      expect(t.waitS("ann", "10.0.0.1")).toBe(0);
      t.failed("ann", "10.0.0.1");
    }
    expect(t.waitS("ann", "10.0.0.2")).toBe(1);
    expect(t.waitS("bob", "10.0.0.1")).toBe(0);
    now += 1000;
    expect(t.waitS("ann", "10.0.0.1")).toBe(0);
    t.failed("ann", "10.0.0.1");
    expect(t.waitS("ann", "10.0.0.1")).toBe(2);
    for (let i = 0; i < 20; i++) t.failed("ann", "10.0.0.1");
    expect(t.waitS("ann", "10.0.0.1")).toBe(300);
    t.succeeded("ann");
    expect(t.waitS("ann", "10.0.0.9")).toBe(0);
    // The address has failed 26 times: any user name from it waits.
    expect(t.waitS("bob", "10.0.0.1")).toBeGreaterThan(0);
  });
});
