// outpost-boot as the bootloader of a node with slots: it boots outpost_next once (consumed before the
// agents start), else outpost_default, runs the agents from that slot's bin/, and a slot without a
// release is the installed tree. Over both boot-selector backends (file, and GRUB's grubenv).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BootSelector, FileEnvBlock, GrubEnvBlock } from "@outpost/baseosmgr";
import { makeNode, type Node } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { releaseTree } from "./release.js";

const argvOf = (pid: number | undefined) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");

describe.each(["file", "grub"] as const)("outpost-boot with slots (%s selector)", (kind) => {
  let node: Node | undefined;
  afterEach(() => node?.cleanup());

  it("boots B once from its own bin/, then A (the installed tree) again", async () => {
    node = makeNode({ OUTPOST_AGENTS: "core" });
    const root = node.root;
    releaseTree(join(root, "slots"), "9.9.9");
    renameSync(join(root, "slots", "outpost-9.9.9"), join(root, "slots", "B"));
    const block =
      kind === "file"
        ? new FileEnvBlock(join(root, "slots/bootenv"))
        : new GrubEnvBlock(join(root, "slots/grubenv"));
    writeFileSync(join(root, "slots/selector"), `${block.selectorLine}\n`);
    const sel = new BootSelector(block);
    await sel.init("A");
    await sel.tryOnce("B");

    const first = node.boot("start");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("slot B: booting it once (outpost_next)");
    expect(readFileSync(join(root, "run/boot-slot"), "utf8").trim()).toBe("B");
    expect(argvOf(node.pid("ledmanager"))[1]).toBe(join(root, "slots/B/bin/ledmanager"));
    expect(argvOf(node.pid("watchdog"))[1]).toBe(join(root, "slots/B/bin/watchdog"));
    // The try is consumed; the slot is still under test.
    expect(await sel.read()).toEqual({ defaultSlot: "A", trying: "B" });

    // A second start while the node runs keeps the slot it booted.
    expect(node.boot("start").stdout).toContain("ledmanager: already running");
    expect(readFileSync(join(root, "run/boot-slot"), "utf8").trim()).toBe("B");

    // The next boot without a commit goes back to the default: A, the installed tree (the bin/ the
    // node was started with: dist-test/bin under the tests, dist/bin on a device).
    expect(node.boot("stop").status).toBe(0);
    const second = node.boot("start");
    expect(second.status).toBe(0);
    expect(readFileSync(join(root, "run/boot-slot"), "utf8").trim()).toBe("A");
    expect(argvOf(node.pid("ledmanager"))[1]).toMatch(/\/dist(-test)?\/bin\/ledmanager$/);
    expect(argvOf(node.pid("ledmanager"))[1]).not.toContain("/slots/");
    expect(await sel.read()).toEqual({ defaultSlot: "A", trying: "B" });
  });
});

describe("outpost-boot with slots: faults", () => {
  let node: Node | undefined;
  afterEach(() => node?.cleanup());

  it("refuses an unknown selector with a clear message", () => {
    node = makeNode({ OUTPOST_AGENTS: "core" });
    mkdirSync(join(node.root, "slots"));
    writeFileSync(join(node.root, "slots/selector"), "uboot\n");
    const r = node.boot("start");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown boot selector "uboot"');
  });
});
