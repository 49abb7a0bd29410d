// Wires dispatch to `process` for a bundle entry (main.ts ships; main-test.ts is the test bundle's).
import { dispatch, resolveInvocation } from "./dispatch.js";
import type { RegistryEntry } from "./registry.js";

// Injected by build/bundle.mjs from package.json; "dev" when run from sources with tsx.
declare const OUTPOST_VERSION: string | undefined;
const version = typeof OUTPOST_VERSION === "string" ? OUTPOST_VERSION : "dev";

export function start(programs: readonly RegistryEntry[]): void {
  const invocation = resolveInvocation(process.argv0, process.argv[1], process.argv.slice(2), programs);
  dispatch(invocation, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    version,
    programs,
  }).then(
    (code) => {
      // exitCode, not exit(): lets agents' pending writes (logs, stdout pipes) drain before the end.
      process.exitCode = code;
    },
    (error: unknown) => {
      const name = invocation.kind === "program" ? invocation.entry.name : "outpost";
      process.stderr.write(
        `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
