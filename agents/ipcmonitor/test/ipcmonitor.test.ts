// ipcmonitor against real agent processes from the bundle.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@outpost/primitives";
import { distBin, Procs, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

/** A fixture agent `name` under `root` publishing table Thing with `keys` keys, each rewritten every
 * `intervalMs` when given. */
function startPublisher(procs: Procs, root: string, name: string, keys: number, intervalMs?: number) {
  const every = intervalMs === undefined ? [] : ["--interval", String(intervalMs)];
  return procs.start("fixture", [
    "--root",
    root,
    "--name",
    name,
    "--publish",
    "Thing",
    "--keys",
    String(keys),
    ...every,
  ]);
}

const publisherUp = (root: string, name: string) =>
  waitFor(() => existsSync(join(root, "run", `${name}.touch`)), 15_000, `${name} to come up`);

// One publisher for the three cases, started once: the follow case restarts it (with one key), after
// the listing case has read its two keys; the last case asks for what it does not publish.
describe("ipcmonitor", () => {
  let root: string;
  const procs = new Procs();
  beforeAll(async () => {
    root = tempRoot();
    startPublisher(procs, root, "pub1", 2);
    await publisherUp(root, "pub1");
  });
  afterAll(() => {
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
    await waitFor(() => !isProcessAlive(pid), 5000, "pub1 to die");
    startPublisher(procs, root, "pub1", 1, 100);
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

// Each case starts real processes from the bundle (a node start is about a second on a loaded machine).
describe("ipcmonitor's command line", { timeout: 30_000 }, () => {
  const procs = new Procs();

  it("says the root does not exist, and exits 1", () => {
    const r = procs.run("ipcmonitor", ["--root", "/nonexistent/outpost-root"]);
    expect(r.stderr).toContain("ipcmonitor: root /nonexistent/outpost-root does not exist");
    expect(r.stdout).toBe("");
    expect(r.status).toBe(1);
  });

  it("refuses unknown flags, stray arguments, and a topic, a scope or --follow without the agent that publishes the table (exit 2)", () => {
    const root = tempRoot();
    try {
      const topic = procs.run("ipcmonitor", ["--root", root, "-t", "Foo"]);
      expect(topic.stderr).toContain("ipcmonitor: -t/--topic needs -a/--agent");
      expect(topic.status).toBe(2);
      const scope = procs.run("ipcmonitor", ["--root", root, "-s", "x"]);
      expect(scope.stderr).toContain("ipcmonitor: -s/--scope needs -a/--agent");
      expect(scope.status).toBe(2);
      const follow = procs.run("ipcmonitor", ["--root", root, "-a", "pub1", "--follow"]);
      expect(follow.stderr).toContain("ipcmonitor: --follow needs -a/--agent and -t/--topic");
      expect(follow.status).toBe(2);
      const flag = procs.run("ipcmonitor", ["--root", root, "--no-such-flag"]);
      expect(flag.stderr).toContain("unknown option '--no-such-flag'");
      expect(flag.status).toBe(2);
      const extra = procs.run("ipcmonitor", ["--root", root, "stray"]);
      expect(extra.stderr).toContain("too many arguments");
      expect(extra.status).toBe(2);
      const help = procs.run("ipcmonitor", ["--help"]);
      expect(help.stdout).toContain("Usage: ipcmonitor");
      expect(help.status).toBe(0);
    } finally {
      removeRoot(root);
    }
  });
});

describe("ipcmonitor with publishers that come and go", { timeout: 60_000 }, () => {
  let root: string;
  const procs = new Procs();
  beforeEach(() => {
    root = tempRoot();
  });
  afterEach(() => {
    procs.cleanup();
    removeRoot(root);
  });

  it("does not list a publisher whose process is gone but whose socket file stayed", async () => {
    startPublisher(procs, root, "pub1", 1);
    const gone = startPublisher(procs, root, "pub2", 1);
    await publisherUp(root, "pub1");
    await publisherUp(root, "pub2");
    expect(procs.run("ipcmonitor", ["--root", root]).stdout.trim()).toBe("pub1\npub2");
    // SIGKILL: pub2 gets no chance to remove its socket, as after a crash.
    const pid = gone.pid ?? 0;
    process.kill(pid, "SIGKILL");
    await waitFor(() => !isProcessAlive(pid), 5000, "pub2 to die");
    expect(existsSync(join(root, "run", "pubsub", "pub2.sock"))).toBe(true);
    const r = procs.run("ipcmonitor", ["--root", root]);
    expect(r.stdout.trim()).toBe("pub1");
    expect(r.stderr).toContain("not listed, nothing listens on their sockets (process gone): pub2");
    expect(r.status).toBe(0);
    const json = procs.run("ipcmonitor", ["--root", root, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ publishers: ["pub1"] });
  });

  it("ends quietly with exit 0 when its reader goes away (ipcmonitor --follow | head)", async () => {
    startPublisher(procs, root, "pub1", 1, 100);
    await publisherUp(root, "pub1");
    // A real pipe into head, which exits after the first line; ipcmonitor keeps following (a change
    // every 100 ms), so its next write meets the closed pipe. $PIPESTATUS is ipcmonitor's exit code.
    const sh = spawn(
      "bash",
      [
        "-c",
        '"$0" --root "$1" -a pub1 -t Thing --follow --json 2>"$1/mon.err" | head -n 1; echo "$PIPESTATUS" >"$1/mon.status"',
        distBin("ipcmonitor"),
        root,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let first = "";
    sh.stdout.on("data", (d: Buffer) => (first += d.toString()));
    const code = await new Promise<number | null>((resolve) => sh.on("exit", resolve));
    expect(code).toBe(0);
    expect(JSON.parse(first)).toMatchObject({ table: "pub1/Thing", size: 1 });
    expect(readFileSync(join(root, "mon.status"), "utf8").trim()).toBe("0");
    expect(readFileSync(join(root, "mon.err"), "utf8")).toBe("");
  });
});
