import { describe, expect, it } from "vitest";
import { dispatch, EXIT_USAGE, helpText, type Invocation, resolveInvocation } from "./dispatch.js";
import { type RegistryEntry, registry } from "./registry.js";
import { testPrograms } from "./test-programs.js";

/** What the test bundle (main-test.ts) dispatches over. */
const withTests = [...registry, ...testPrograms];

const kindOf = (invocation: Invocation) =>
  invocation.kind === "program"
    ? `program ${invocation.entry.name} ${invocation.args.join(" ")}`.trim()
    : invocation.kind;

describe("resolveInvocation", () => {
  it("runs the program a bin/ symlink is named after, with all arguments", () => {
    expect(kindOf(resolveInvocation("node", "/opt/outpost/bin/watchdog", ["--root", "/r"]))).toBe(
      "program watchdog --root /r",
    );
  });

  it("falls back to argv0 when the script path is the multi-call name", () => {
    expect(kindOf(resolveInvocation("ledmanager", "/opt/outpost/outpost", ["-h"]))).toBe(
      "program ledmanager -h",
    );
  });

  it("takes the program from the first argument of `outpost <name> [args]`", () => {
    expect(kindOf(resolveInvocation("node", "/opt/outpost/bin/outpost", ["ipcmonitor", "-a", "x"]))).toBe(
      "program ipcmonitor -a x",
    );
    expect(
      kindOf(resolveInvocation("node", "/repo/agents/outpost/src/main.ts", ["fixture"], withTests)),
    ).toBe("program fixture");
  });

  it("shows help for --help, -h and help; the version for --version and version", () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      expect(resolveInvocation("node", "/x/outpost", args).kind).toBe("help");
    }
    for (const args of [["--version"], ["version"]]) {
      expect(resolveInvocation("node", "/x/outpost", args).kind).toBe("version");
    }
  });

  it("reads no arguments at all as a usage error", () => {
    expect(resolveInvocation("node", "/x/outpost", []).kind).toBe("usage");
  });

  it("names an unknown program", () => {
    expect(resolveInvocation("node", "/x/outpost", ["zedfoo"])).toEqual({ kind: "unknown", name: "zedfoo" });
  });

  it("knows no test program in the shipped registry, by name or by symlink", () => {
    expect(resolveInvocation("node", "/x/outpost", ["fixture"])).toEqual({
      kind: "unknown",
      name: "fixture",
    });
    expect(resolveInvocation("node", "/x/bin/fixture", [])).toEqual({ kind: "usage" });
    expect(kindOf(resolveInvocation("node", "/x/bin/fixture", [], withTests))).toBe("program fixture");
  });
});

describe("dispatch", () => {
  const capture = () => {
    const io = { out: "", err: "", version: "9.9.9" };
    return {
      io,
      sink: {
        out: (t: string) => {
          io.out += t;
        },
        err: (t: string) => {
          io.err += t;
        },
        version: io.version,
      },
    };
  };

  it("exits 2 with a clear message for an unknown name", async () => {
    const { io, sink } = capture();
    expect(await dispatch({ kind: "unknown", name: "zedfoo" }, sink)).toBe(EXIT_USAGE);
    expect(io.err).toContain('unknown agent or tool "zedfoo"');
    expect(io.out).toBe("");
  });

  it("returns the program's exit code, and 0 when run resolves to nothing", async () => {
    const entry = (code: number | undefined): RegistryEntry => ({
      name: "probe",
      kind: "tool",
      summary: "",
      load: async () => ({ run: async () => code }),
    });
    const { sink } = capture();
    expect(await dispatch({ kind: "program", entry: entry(5), args: [] }, sink)).toBe(5);
    expect(await dispatch({ kind: "program", entry: entry(undefined), args: [] }, sink)).toBe(0);
  });

  it("prints the usage to stderr and exits 2 for a usage error, to stdout with 0 when asked", async () => {
    const usage = capture();
    expect(await dispatch({ kind: "usage" }, usage.sink)).toBe(EXIT_USAGE);
    expect(usage.io.err).toContain("Usage: outpost <name> [args]");
    expect(usage.io.out).toBe("");
    const help = capture();
    expect(await dispatch({ kind: "help" }, help.sink)).toBe(0);
    expect(help.io.out).toContain("Usage: outpost <name> [args]");
    expect(help.io.err).toBe("");
  });

  it("prints the version", async () => {
    const { io, sink } = capture();
    expect(await dispatch({ kind: "version" }, sink)).toBe(0);
    expect(io.out).toBe("9.9.9\n");
  });
});

describe("helpText", () => {
  it("lists agents, tools and test fixtures under their own headings, one line each", () => {
    const text = helpText("1.2.3", withTests);
    const agents = text.indexOf("Agents:");
    const tools = text.indexOf("Tools:");
    const fixtures = text.indexOf("Test fixtures");
    expect(agents).toBeGreaterThan(0);
    expect(tools).toBeGreaterThan(agents);
    expect(fixtures).toBeGreaterThan(tools);
    expect(text.slice(agents, tools)).toMatch(/\n {2}ledmanager +\S/);
    expect(text.slice(agents, tools)).toMatch(/\n {2}watchdog +\S/);
    expect(text.slice(tools, fixtures)).toMatch(/\n {2}ipcmonitor +\S/);
    expect(text.slice(fixtures)).toMatch(/\n {2}fixture +\S/);
    expect(text.slice(agents, fixtures)).not.toMatch(/\bfixture\b/);
  });

  it("lists no test fixture for the shipped registry", () => {
    const text = helpText("1.2.3");
    expect(text).toContain("Agents:");
    expect(text).not.toContain("Test fixtures");
    expect(text).not.toMatch(/\bfixture\b/);
  });
});
