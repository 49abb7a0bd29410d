import { join, resolve } from "node:path";

/** Where the local API is: its unix socket, or loopback TCP with the bearer token. */
export type Target = { socketPath: string } | { host: string; port: number; token: string };

export function defaultSocket(root: string): string {
  return join(resolve(root), "run", "localapi", "api.sock");
}
