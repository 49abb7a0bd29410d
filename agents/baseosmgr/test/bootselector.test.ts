// The boot selector's two backends on real files: the file backend, and GRUB's environment block
// through the real grub-editenv (Debian's grub-common).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BootSelector, FileEnvBlock, GrubEnvBlock, parseEnvBlock } from "../src/bootselector.js";

const tmp = mkdtempSync(join(tmpdir(), "bootsel-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each([
  ["file", (name: string) => new FileEnvBlock(join(tmp, name))],
  ["grub", (name: string) => new GrubEnvBlock(join(tmp, name))],
])("BootSelector over the %s backend", (_kind, make) => {
  it("starts on A, boots B once under test, commits B", async () => {
    const sel = new BootSelector(make(`${_kind}-commit`));
    expect(await sel.read()).toEqual({ defaultSlot: "A" });
    await sel.init("A");
    await sel.tryOnce("B");
    expect(await sel.read()).toEqual({ defaultSlot: "A", next: "B", trying: "B" });
    await sel.commit("B");
    expect(await sel.read()).toEqual({ defaultSlot: "B" });
    // init never moves an existing default.
    await sel.init("A");
    expect(await sel.read()).toEqual({ defaultSlot: "B" });
  });

  it("abandoning a try leaves the default slot", async () => {
    const sel = new BootSelector(make(`${_kind}-abandon`));
    await sel.init("B");
    await sel.tryOnce("A");
    await sel.abandon();
    expect(await sel.read()).toEqual({ defaultSlot: "B" });
  });
});

describe("GrubEnvBlock", () => {
  it("writes a real 1024-byte GRUB environment block that grub-editenv lists", async () => {
    const path = join(tmp, "grubenv");
    const sel = new BootSelector(new GrubEnvBlock(path));
    await sel.init("A");
    await sel.tryOnce("B");
    expect(statSync(path).size).toBe(1024);
    expect(readFileSync(path, "utf8")).toMatch(/^# GRUB Environment Block\n/);
    const listed = parseEnvBlock(execFileSync("grub-editenv", [path, "list"], { encoding: "utf8" }));
    expect(listed).toEqual({ outpost_default: "A", outpost_next: "B", outpost_trying: "B" });
    // A variable GRUB itself wrote survives our changes.
    execFileSync("grub-editenv", [path, "set", "saved_entry=Outpost"]);
    await sel.commit("B");
    expect(parseEnvBlock(execFileSync("grub-editenv", [path, "list"], { encoding: "utf8" }))).toEqual({
      outpost_default: "B",
      saved_entry: "Outpost",
    });
  });

  it("says which tool is missing", async () => {
    const block = new GrubEnvBlock(join(tmp, "nogrub"), "no-such-grub-editenv");
    await expect(block.list()).rejects.toThrow(
      /no-such-grub-editenv not found \(install Debian's grub-common\)/,
    );
  });
});
