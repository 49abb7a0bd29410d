// The options `outpost local` and `outpost shell` share, taken out of the words anywhere they are:
// --root R (or OUTPOST_ROOT), --socket P, --tcp PORT with --token-file F, --json.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { defaultSocket, type Target } from "./target.js";

export interface ClientArgs {
  target: Target;
  json: boolean;
  words: string[];
}

export function parseClientArgs(argv: readonly string[]): ClientArgs {
  let root = process.env.OUTPOST_ROOT ?? "/";
  let socket: string | undefined;
  let tcp: number | undefined;
  let tokenFile: string | undefined;
  let json = false;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a}: needs a value`);
      return v;
    };
    if (a === "--json") json = true;
    else if (a === "--root") root = value();
    else if (a === "--socket") socket = value();
    else if (a === "--tcp") {
      tcp = Number(value());
      if (!Number.isSafeInteger(tcp) || tcp <= 0 || tcp > 65535) throw new Error("--tcp: expected a port");
    } else if (a === "--token-file") tokenFile = value();
    else words.push(a);
  }
  if (tcp !== undefined) {
    const file = tokenFile ?? join(resolve(root), "persist", "localapi", "token");
    let token: string;
    try {
      token = readFileSync(file, "utf8").trim();
    } catch (e) {
      throw new Error(
        `--tcp needs the token: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      );
    }
    return { target: { host: "127.0.0.1", port: tcp, token }, json, words };
  }
  return { target: { socketPath: socket ?? defaultSocket(root) }, json, words };
}
