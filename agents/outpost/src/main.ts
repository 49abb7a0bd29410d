// Entry point of the bundle dist/outpost. Kept free of static imports of any agent so that a process
// evaluates only the program it was started as (see registry.ts).
import { dispatch, resolveInvocation } from "./dispatch.js";

// Injected by build/bundle.mjs from package.json; "dev" when run from sources with tsx.
declare const OUTPOST_VERSION: string | undefined;
const version = typeof OUTPOST_VERSION === "string" ? OUTPOST_VERSION : "dev";

const invocation = resolveInvocation(process.argv0, process.argv[1], process.argv.slice(2));
dispatch(invocation, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  version,
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
