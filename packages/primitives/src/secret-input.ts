// A password for a command line tool: from a file only its owner may read, or typed on the terminal
// without echo. Never from argv (every user of the machine sees argv in ps).
import { readFileSync, statSync } from "node:fs";

export class SecretInputError extends Error {}

/** The secret in `path` (its last line break dropped); refused when group or others may read it. */
export function readSecretFile(path: string, flag: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    throw new SecretInputError(
      `${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (mode & 0o077)
    throw new SecretInputError(
      `${flag} ${path}: readable by group or others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`,
    );
  return readFileSync(path, "utf8").replace(/\r?\n$/, "");
}

/** Asks on the terminal (stdin a TTY) with echo off; Ctrl-C or Ctrl-D give up. */
export function promptSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new SecretInputError("no terminal to ask for the password on"));
  return new Promise((resolve, reject) => {
    let value = "";
    // Echo off before the prompt shows: whatever is typed once it is seen is not echoed.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (err?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003" || ch === "\u0004") return done(new SecretInputError("interrupted"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** `--password-file` when given, else the terminal (twice when `confirm`: the two must match). */
export async function readSecret(o: {
  file?: string | undefined;
  flag: string;
  prompt: string;
  confirm?: boolean;
}): Promise<string> {
  if (o.file !== undefined) return readSecretFile(o.file, o.flag);
  if (!process.stdin.isTTY)
    throw new SecretInputError(
      `no terminal to ask for the password on: give it in ${o.flag} <file> (mode 600)`,
    );
  const first = await promptSecret(o.prompt);
  if (o.confirm && (await promptSecret("again: ")) !== first)
    throw new SecretInputError("the two passwords differ");
  return first;
}
