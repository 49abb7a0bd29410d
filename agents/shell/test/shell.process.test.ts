// `outpost shell` driven through a pseudo-terminal (util-linux `script`), and `outpost local` one-shot,
// against localapi on a node booted by outpost-boot (watchdog, ledmanager, localapi, a fixture agent):
// completion of a command and of a service name, a command's output, history across sessions, exit;
// --json output and exit codes.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { distBin, makeNode, type Node, waitFor } from "@outpost/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Terminal control sequences (cursor moves, clears) taken out of what the pty shows. */
const CSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** The shell in a pty; `screen()` is everything it printed so far, without control sequences. */
function shellInPty(root: string, history: string) {
  const cmd = `${distBin("shell")} --root ${root} --history-file ${history}`;
  const child: ChildProcess = spawn("script", ["-qfec", cmd, "/dev/null"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    screen: () => out.replace(CSI, "").replace(/\r/g, ""),
    type: (keys: string) => child.stdin?.write(keys),
    /** Waits until the output after `from` matches. */
    waitOut: (re: RegExp, from = 0) => {
      const text = () => out.replace(CSI, "").replace(/\r/g, "").slice(from);
      return waitFor(
        () => re.test(text()),
        15_000,
        () => `${re} in:\n${text()}`,
      );
    },
    exited,
    kill: () => child.kill("SIGKILL"),
  };
}

function local(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(distBin("local"), args, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe("outpost shell and outpost local", () => {
  let node: Node;
  beforeAll(() => {
    node = makeNode({
      OUTPOST_AGENTS: "core localapi fixture:pub1",
      OUTPOST_ARGS_pub1: "--publish Foo --keys 1",
      OUTPOST_ARGS_watchdog: "--backoff-min-ms 100 --tick-ms 200",
      OUTPOST_ONBOARD: "0",
    });
    const r = node.boot("start");
    if (r.status !== 0) throw new Error(`boot failed: ${r.stderr}`);
  });
  afterAll(() => node?.cleanup());

  it("completes a command and a service name, runs it, keeps history, exits", async () => {
    const history = join(node.root, "history");
    const sh = shellInPty(node.root, history);
    try {
      await sh.waitOut(/outpost> $/);
      // Typed key by key: a tab completes only as a keystroke of its own.
      let mark = sh.screen().length;
      sh.type("serv");
      await sh.waitOut(/serv$/, mark);
      sh.type("\t");
      await sh.waitOut(/services/, mark);
      sh.type("\r");
      await sh.waitOut(/pub1\s+agent\s+running\s+healthy/, mark);
      await sh.waitOut(/outpost> $/, mark);
      mark = sh.screen().length;
      sh.type("restart pu");
      await sh.waitOut(/restart pu$/, mark);
      sh.type("\t");
      await sh.waitOut(/restart pub1/, mark);
      const pid = node.pid("pub1");
      sh.type("\r");
      await sh.waitOut(/pub1: done \(running\)/, mark);
      expect(node.pid("pub1")).not.toBe(pid);
      await sh.waitOut(/outpost> $/, mark);
      sh.type("exit\r");
      expect(await sh.exited).toBe(0);
    } finally {
      sh.kill();
    }
    expect(readFileSync(history, "utf8").split("\n")).toEqual(["services", "restart pub1", "exit", ""]);

    // A new session recalls the previous one's commands with the up arrow.
    const again = shellInPty(node.root, history);
    try {
      await again.waitOut(/outpost> $/);
      const mark = again.screen().length;
      again.type("\x1b[A");
      await again.waitOut(/exit/, mark);
      again.type("\x1b[A");
      await again.waitOut(/restart pub1/, mark);
      again.type("\x15exit\r"); // Ctrl-U clears the recalled line
      expect(await again.exited).toBe(0);
    } finally {
      again.kill();
    }
  });

  it("outpost local: text, --json, and exit codes", async () => {
    const services = await local(["--root", node.root, "services"]);
    expect(services.code).toBe(0);
    expect(services.stdout).toMatch(/^pub1\s+agent\s+running\s+healthy/m);
    const json = await local(["--root", node.root, "status", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      onboarding: "not-onboarded",
      version: expect.any(String),
    });
    const batch = await local(["--root", node.root, "--json", "restart", "pub1", "nope"]);
    expect(batch.code).toBe(1);
    expect(JSON.parse(batch.stdout).results.map((r: { status: number }) => r.status)).toEqual([200, 404]);
    const unknown = await local(["--root", node.root, "stop", "nope"]);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no service "nope"') });
    const usage = await local(["--root", node.root, "frobnicate"]);
    expect(usage.code).toBe(2);
    const away = await local(["--root", join(node.root, "nope"), "status"]);
    expect(away.code).toBe(4);
    expect(away.stderr).toContain("cannot reach the local API");
  });
});
