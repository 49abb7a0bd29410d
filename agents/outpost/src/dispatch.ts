import { basename } from "node:path";
import { findProgram, type RegistryEntry, registry, SELF_NAMES } from "./registry.js";

/** Exit codes shared with every program: 2 is "you called me wrong". */
export const EXIT_USAGE = 2;

export interface DispatchIo {
  out: (text: string) => void;
  err: (text: string) => void;
  version: string;
  /** The programs this bundle holds (help text); the shipped registry unless a test bundle says. */
  programs?: readonly RegistryEntry[];
}

/**
 * Decides which program an invocation means, busybox style: the basename of the script path
 * (`dist/bin/ledmanager -> ../outpost`, argv[1]) or of argv0 names it; `outpost <name> [args]` does the
 * same through the multi-call name. Returns the program and the arguments it should see.
 */
export type Invocation =
  | { kind: "program"; entry: RegistryEntry; args: string[] }
  | { kind: "help" }
  | { kind: "usage" }
  | { kind: "version" }
  | { kind: "unknown"; name: string };

/** Strips a bundle/source extension so `outpost.js`, `main.ts` and `outpost` all read as the same name. */
function programName(path: string | undefined): string | undefined {
  if (path === undefined || path === "") return undefined;
  return basename(path).replace(/\.(c|m)?(j|t)s$/, "");
}

export function resolveInvocation(
  argv0: string | undefined,
  scriptPath: string | undefined,
  args: string[],
  programs: readonly RegistryEntry[] = registry,
): Invocation {
  // argv[1] is the symlink path as typed (node does not resolve it away from process.argv), so it names
  // the program; argv0 matters when node is exec'd with a chosen argv0 (e.g. `exec -a watchdog`).
  for (const candidate of [programName(scriptPath), programName(argv0)]) {
    if (candidate === undefined || SELF_NAMES.includes(candidate)) continue;
    const entry = findProgram(candidate, programs);
    if (entry) return { kind: "program", entry, args };
  }
  const [first, ...rest] = args;
  // No program at all is a usage error (a script that lost its argument must not pass); asking is not.
  if (first === undefined) return { kind: "usage" };
  if (first === "--help" || first === "-h" || first === "help") return { kind: "help" };
  if (first === "--version" || first === "version") return { kind: "version" };
  const entry = findProgram(first, programs);
  if (entry) return { kind: "program", entry, args: rest };
  return { kind: "unknown", name: first };
}

export function helpText(version: string, programs: readonly RegistryEntry[] = registry): string {
  const width = Math.max(...programs.map((entry) => entry.name.length)) + 2;
  const section = (title: string, entries: readonly RegistryEntry[]): string[] =>
    entries.length === 0
      ? []
      : ["", `${title}:`, ...entries.map((entry) => `  ${entry.name.padEnd(width)}${entry.summary}`)];
  const shipped = programs.filter((entry) => !entry.testOnly);
  return [
    `outpost ${version}: edge-node management suite (multi-call binary)`,
    "",
    "Usage: outpost <name> [args]   or run the symlink bin/<name> [args]",
    "       <name> --help           shows that program's own options",
    ...section(
      "Agents",
      shipped.filter((entry) => entry.kind === "agent"),
    ),
    ...section(
      "Tools",
      shipped.filter((entry) => entry.kind === "tool"),
    ),
    ...section(
      "Test fixtures (not for devices)",
      programs.filter((entry) => entry.testOnly),
    ),
    "",
  ].join("\n");
}

/** Runs the invocation and resolves to the process exit code. */
export async function dispatch(invocation: Invocation, io: DispatchIo): Promise<number> {
  switch (invocation.kind) {
    case "help":
      io.out(helpText(io.version, io.programs));
      return 0;
    case "usage":
      io.err(helpText(io.version, io.programs));
      return EXIT_USAGE;
    case "version":
      io.out(`${io.version}\n`);
      return 0;
    case "unknown":
      io.err(`outpost: unknown agent or tool "${invocation.name}" (run "outpost --help" for the list)\n`);
      return EXIT_USAGE;
    case "program": {
      const program = await invocation.entry.load();
      const code = await program.run(invocation.args);
      return code ?? 0;
    }
  }
}
