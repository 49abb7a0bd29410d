// ipcmonitor against real agent processes from the bundle.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Procs, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ipcmonitor", () => {
  let root: string;
  const procs = new Procs();
  beforeEach(async () => {
    root = tempRoot();
    procs.start("fixture", ["--root", root, "--name", "pub1", "--publish", "Thing", "--keys", "2"]);
    await waitFor(() => existsSync(join(root, "run", "pub1.touch")), 15_000, "pub1 to come up");
  });
  afterEach(() => {
    procs.cleanup();
    removeRoot(root);
  });

  it("lists publishers, an agent's tables, and prints a table as JSON", () => {
    expect(procs.run("ipcmonitor", ["--root", root]).stdout.trim()).toBe("pub1");
    expect(procs.run("ipcmonitor", ["--root", root, "-a", "pub1"]).stdout.trim()).toBe("Thing");
    const r = procs.run("ipcmonitor", ["--root", root, "-a", "pub1", "-t", "Thing", "--json"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.table).toBe("pub1/Thing");
    expect(Object.keys(doc.entries)).toEqual(["k0", "k1"]);
    expect(doc.entries.k0).toMatchObject({ writer: "pub1", key: "k0" });
  });

  it("follows changes as JSON lines, including deletions across a publisher restart", async () => {
    const mon = procs.start("ipcmonitor", [
      "--root",
      root,
      "-a",
      "pub1",
      "-t",
      "Thing",
      "--follow",
      "--json",
    ]);
    await waitFor(() => mon.output().includes('"table":"pub1/Thing"'), 10_000, "the initial table");
    // pub1 dies and comes back publishing only k0, rewritten every 100 ms.
    const pid = Number(readFileSync(join(root, "run", "pub1.pid"), "utf8"));
    process.kill(pid, "SIGKILL");
    await waitFor(() => !alive(pid), 5000, "pub1 to die");
    procs.start("fixture", [
      "--root",
      root,
      "--name",
      "pub1",
      "--publish",
      "Thing",
      "--keys",
      "1",
      "--interval",
      "100",
    ]);
    const changes = () =>
      mon
        .output()
        .trim()
        .split("\n")
        .slice(1)
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { op: string; key: string });
    await waitFor(() => changes().some((c) => c.op === "delete" && c.key === "k1"), 15_000, "delete k1");
    await waitFor(
      () => changes().filter((c) => c.op === "modify" && c.key === "k0").length >= 2,
      15_000,
      "k0 updates",
    );
    expect(changes().some((c) => c.key === "k1" && c.op !== "delete")).toBe(false);
  });

  it("says clearly when the publisher or the table does not exist", () => {
    const none = procs.run("ipcmonitor", ["--root", root, "-a", "nobody", "-t", "Thing", "--wait", "500"]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no publisher "nobody".*is the agent running/);
    const wrong = procs.run("ipcmonitor", ["--root", root, "-a", "pub1", "-t", "Nope", "--wait", "1500"]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("pub1 is running but does not publish Nope; it publishes: Thing");
  });
});
