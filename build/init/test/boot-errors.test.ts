// outpost-boot's failures are clear: an agent that dies while starting is named, with where to look.
import { makeNode, type Node } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

describe("outpost-boot errors", () => {
  let node: Node | undefined;
  afterEach(() => node?.cleanup());

  it("names the agent that did not come up and exits 1", () => {
    node = makeNode({ OUTPOST_AGENTS: "watchdog fixture:bad", OUTPOST_ARGS_bad: "--keys zero" });
    const r = node.boot("start");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `outpost-boot: bad exited while starting; see ${node.root}/persist/log/bad.log`,
    );
    expect(r.stderr).toContain("boot stopped at bad");
  });

  it("rejects a bad agent entry before starting anything", () => {
    node = makeNode({ OUTPOST_AGENTS: "watchdog fixture:no-dashes" });
    const r = node.boot("start");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bad agent name "no-dashes"');
    expect(node.processes()).toEqual([]);
  });

  it("start is idempotent: running agents are left alone", () => {
    node = makeNode({ OUTPOST_AGENTS: "watchdog" });
    expect(node.boot("start").status).toBe(0);
    const pid = node.pid("watchdog");
    const again = node.boot("start");
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`watchdog: already running (pid ${pid})`);
    expect(node.pid("watchdog")).toBe(pid);
  });
});
