// `outpost local <command> [args] [--json]`: one command of the local API, for scripts. Exit codes:
// 0 done, 1 refused or failed (the API's error on stderr), 2 usage, 3 accepted but not finished
// within localapi's wait, 4 the API cannot be reached.
import { EXIT, parseClientArgs, runCommand, Unreachable } from "@outpost/localclient";

export async function run(argv: string[]): Promise<number> {
  // `outpost local ... | head`: the reader going away ends the output quietly.
  process.stdout.on("error", () => {});
  let args: ReturnType<typeof parseClientArgs>;
  try {
    args = parseClientArgs(argv);
  } catch (e) {
    process.stderr.write(`outpost local: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  if (args.words.length === 0 || args.words[0] === "--help" || args.words[0] === "-h") {
    process.stdout.write(
      "usage: outpost local [--root R | --socket P | --tcp PORT [--token-file F]] [--json] <command> [args]\n",
    );
    await runCommand(args.target, ["help"], {
      json: false,
      out: (l) => process.stdout.write(`${l}\n`),
      err: () => {},
    });
    return args.words.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const stop = new AbortController();
  const onSig = () => stop.abort();
  process.once("SIGINT", onSig);
  try {
    return await runCommand(args.target, args.words, {
      json: args.json,
      signal: stop.signal,
      out: (l) => process.stdout.write(`${l}\n`),
      err: (l) => process.stderr.write(`outpost local: ${l}\n`),
    });
  } catch (e) {
    process.stderr.write(`outpost local: ${(e as Error).message}\n`);
    return e instanceof Unreachable ? EXIT.unreachable : EXIT.failed;
  } finally {
    process.off("SIGINT", onSig);
  }
}
