// `outpost shell`: the local API interactively (maestro-shell's role): a prompt with history (kept in
// ~/.outpost_shell_history, or --history-file) and tab completion of commands and service names.
// The commands are `outpost local`'s; `exit` (or Ctrl-D) leaves, Ctrl-C stops a `logs -f`.
import { appendFileSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { call, complete, EXIT, parseClientArgs, runCommand } from "@outpost/localclient";

const HISTORY_MAX = 500;

export async function run(argv: string[]): Promise<number> {
  let historyFile = join(homedir(), ".outpost_shell_history");
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++)
    if (argv[i] === "--history-file") historyFile = argv[++i] ?? historyFile;
    else rest.push(argv[i] as string);
  let args: ReturnType<typeof parseClientArgs>;
  try {
    args = parseClientArgs(rest);
    if (args.words.length)
      throw new Error(`unexpected "${args.words[0]}" (commands are typed at the prompt)`);
  } catch (e) {
    process.stderr.write(`outpost shell: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const { target, json } = args;

  // Service names for completion, refreshed before each prompt (cheap: one request).
  let services: string[] = [];
  const refresh = async () => {
    try {
      const a = await call(target, "GET", "/v1/services");
      if (a.status === 200) services = a.body.services.map((s: { name: string }) => s.name);
    } catch {
      // Completion of names waits for the API.
    }
  };
  let history: string[] = [];
  try {
    history = readFileSync(historyFile, "utf8").split("\n").filter(Boolean).reverse().slice(0, HISTORY_MAX);
  } catch {
    // No history yet.
  }
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: "outpost> ",
    history,
    historySize: HISTORY_MAX,
    completer: (line: string) => complete(line, services),
    terminal: process.stdin.isTTY === true,
  });
  await refresh();
  try {
    const a = await call(target, "GET", "/v1/status");
    process.stdout.write(
      `connected to ${a.body.device?.uuid || "a node not onboarded yet"} (version ${a.body.version}); help lists the commands\n`,
    );
  } catch (e) {
    process.stdout.write(`${(e as Error).message}\n`);
  }
  let running: AbortController | undefined;
  rl.on("SIGINT", () => {
    if (running) running.abort();
    else {
      process.stdout.write("^C\n");
      rl.prompt();
    }
  });
  rl.prompt();
  for await (const line of rl) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length) {
      try {
        appendFileSync(historyFile, `${line.trim()}\n`, { mode: 0o600 });
      } catch {
        // History is a convenience.
      }
    }
    if (words[0] === "exit" || words[0] === "quit") break;
    if (words.length) {
      running = new AbortController();
      try {
        const code = await runCommand(target, words, {
          json,
          signal: running.signal,
          out: (l) => process.stdout.write(`${l}\n`),
          err: (l) => process.stdout.write(`${l}\n`),
        });
        if (code !== EXIT.ok) process.stdout.write(`(exit ${code})\n`);
      } catch (e) {
        process.stdout.write(`${(e as Error).message}\n`);
      }
      running = undefined;
      await refresh();
    }
    rl.prompt();
  }
  rl.close();
  return EXIT.ok;
}
