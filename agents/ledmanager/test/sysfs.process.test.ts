// ledmanager from the built bundle driving a sysfs LED (a directory standing in for /sys), with the
// count set by a fixture process over pubsub; and the count changing when another agent sets one later.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Procs, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

describe("ledmanager", () => {
  const procs = new Procs();
  const roots: string[] = [];
  afterEach(() => {
    procs.cleanup();
    for (const r of roots.splice(0)) removeRoot(r);
  });

  it("blinks a sysfs LED and follows the most recent setting of any agent", async () => {
    const root = tempRoot("op-");
    roots.push(root);
    const sysfs = join(root, "sys");
    const led = join(sysfs, "class/leds/status");
    mkdirSync(led, { recursive: true });
    writeFileSync(join(led, "brightness"), "0");
    writeFileSync(join(led, "trigger"), "heartbeat");
    const lm = procs.start("ledmanager", [
      "--root",
      root,
      "--led",
      "status",
      "--sysfs",
      sysfs,
      "--discover-ms",
      "200",
    ]);
    procs.start("fixture", ["--root", root, "--name", "early", "--set-led", "2"]);
    const state = () => {
      try {
        return JSON.parse(readFileSync(join(root, "run/ledmanager/state.json"), "utf8")) as {
          blinkCount: number;
          agent?: string;
        };
      } catch {
        return undefined;
      }
    };
    await waitFor(() => state()?.blinkCount === 2, 10_000, `count 2 from "early"\n${lm.output()}`);
    expect(readFileSync(join(led, "trigger"), "utf8")).toBe("none");
    // The brightness file really toggles.
    const seen = new Set<string>();
    await waitFor(
      () => {
        seen.add(readFileSync(join(led, "brightness"), "utf8"));
        return seen.has("1") && seen.has("0");
      },
      5000,
      "the LED to go on and off",
    );

    // A later setting by another agent wins.
    procs.start("fixture", ["--root", root, "--name", "later", "--set-led", "10"]);
    await waitFor(
      () => state()?.blinkCount === 10 && state()?.agent === "later",
      10_000,
      "count 10 from later",
    );
  });
});
