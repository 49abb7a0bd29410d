// The committed generated code (types/src/eve) is what build/proto.sh makes from types/proto today.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "@outpost/testkit";
import { expect, it } from "vitest";

it("types/src/eve is up to date with types/proto (run build/proto.sh after editing a .proto)", () => {
  const out = mkdtempSync(join(tmpdir(), "op-proto-"));
  try {
    execFileSync("bash", [join(REPO, "build/proto.sh")], {
      env: { ...process.env, PROTO_OUT: out },
      stdio: "pipe",
    });
    for (const f of ["eve.js", "eve.d.ts", "eve-auth.js", "eve-auth.d.ts"])
      expect(
        readFileSync(join(out, f), "utf8") === readFileSync(join(REPO, "types/src/eve", f), "utf8"),
        f,
      ).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
