// Installing a release into a slot, on real tarballs: a good one lands complete; a corrupt, oversize or
// mislabelled one is refused with nothing installed; kill -9 in the middle of unpacking leaves the
// other slot untouched and the next install starts over cleanly.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installRelease, releaseVersion } from "../src/slots.js";
import { releaseTarball } from "./release.js";

const tmp = mkdtempSync(join(tmpdir(), "bos-install-"));
const limits = { maxUnpackedBytes: 64 << 20 };
let good: string;

beforeAll(() => {
  good = releaseTarball(tmp, "7.7.7");
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const newRoot = () => {
  const root = mkdtempSync(join(tmp, "root-"));
  // Slot A holds something the installs must never touch.
  mkdirSync(join(root, "slots/A"), { recursive: true });
  writeFileSync(join(root, "slots/A/marker"), "A");
  return root;
};

describe("installRelease", () => {
  it("installs a good release into the slot; it runs and says its version", () => {
    const root = newRoot();
    const r = installRelease(root, "B", good, "7.7.7", limits);
    expect(r.bytes).toBeGreaterThan(1 << 20);
    expect(releaseVersion(join(root, "slots/B"))).toBe("7.7.7");
    expect(readdirSync(join(root, "slots")).sort()).toEqual(["A", "B"]);
  });

  it("refuses a corrupt, an oversize or a mislabelled release, and installs nothing", () => {
    const root = newRoot();
    const corrupt = join(tmp, "corrupt.tar.gz");
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(2048, 3)]));
    expect(() => installRelease(root, "B", corrupt, "7.7.7", limits)).toThrow(/corrupt release archive/);
    expect(() => installRelease(root, "B", good, "7.7.7", { maxUnpackedBytes: 1 << 20 })).toThrow(
      /release unpacks to \d+ bytes, over the limit of 1048576 bytes/,
    );
    expect(() => installRelease(root, "B", good, "7.7.8", limits)).toThrow(
      /release says it is version "7.7.7", expected "7.7.8"/,
    );
    expect(readdirSync(join(root, "slots"))).toEqual(["A"]);
  });

  it("kill -9 while unpacking: slot A untouched, no slot B; the next install completes", async () => {
    const root = newRoot();
    // The same install in a process of its own, killed once the staging folder has files in it.
    const script = `import { installRelease } from ${JSON.stringify(join(import.meta.dirname, "../src/slots.ts"))};
installRelease(${JSON.stringify(root)}, "B", ${JSON.stringify(good)}, "7.7.7", { maxUnpackedBytes: ${limits.maxUnpackedBytes} });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: "ignore",
      detached: true,
    });
    const staging = join(root, "slots/.unpack-B");
    await waitFor(() => existsSync(join(staging, "node_modules")), 30_000, "unpacking under way", 5);
    // The whole group: the node process and the tar it runs.
    process.kill(-(child.pid as number), "SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(existsSync(join(root, "slots/B"))).toBe(false);
    expect(readdirSync(join(root, "slots/A"))).toEqual(["marker"]);

    installRelease(root, "B", good, "7.7.7", limits);
    expect(releaseVersion(join(root, "slots/B"))).toBe("7.7.7");
    expect(existsSync(staging)).toBe(false);
  }, 60_000);
});
