// The local API's client side, shared by `outpost local <cmd>` (one-shot) and `outpost shell`
// (interactive): where the API is, one request, and each command as words in -> request -> text (or
// the API's JSON) out, with an exit code. No agent code: it only talks HTTP to localapi.
import { type IncomingMessage, request } from "node:http";
import type { Target } from "./target.js";

export { defaultSocket, type Target } from "./target.js";

/** Exit codes of `outpost local` (and of a shell command, shown after it). */
export const EXIT = { ok: 0, failed: 1, usage: 2, pending: 3, unreachable: 4 } as const;

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, formatted below.
  body: any;
}

export class Unreachable extends Error {}

export function call(target: Target, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> = {};
    if ("token" in target) headers.authorization = `Bearer ${target.token}`;
    const data = body === undefined ? undefined : JSON.stringify(body);
    if (data !== undefined) headers["content-type"] = "application/json";
    const req = request({ ...target, method, path, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => {
        try {
          done({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          done({ status: res.statusCode ?? 0, body: { error: text.trim() } });
        }
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      const where = "socketPath" in target ? target.socketPath : `${target.host}:${target.port}`;
      const hint =
        e.code === "EACCES"
          ? " (permission denied: are you in the socket's group?)"
          : e.code === "ENOENT" || e.code === "ECONNREFUSED"
            ? " (is localapi running? --root names the node)"
            : "";
      fail(new Unreachable(`cannot reach the local API at ${where}: ${e.code ?? e.message}${hint}`));
    });
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** Streams a server-sent event source: `onLine` for each data line; resolves when it ends. */
export function follow(
  target: Target,
  path: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<number> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> =
      "token" in target ? { authorization: `Bearer ${target.token}` } : {};
    const req = request({ ...target, method: "GET", path, headers, agent: false }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => fail(new Error(apiError({ status: res.statusCode ?? 0, body: safeJson(text) }))));
        return;
      }
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        buf += c;
        for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
          for (const l of buf.slice(0, i).split("\n")) if (l.startsWith("data: ")) onLine(l.slice(6));
          buf = buf.slice(i + 2);
        }
      });
      res.on("end", () => done(200));
      res.on("error", () => done(200));
    });
    signal.addEventListener("abort", () => req.destroy(), { once: true });
    req.on("error", (e: NodeJS.ErrnoException) =>
      signal.aborted
        ? done(200)
        : fail(new Unreachable(`cannot reach the local API: ${e.code ?? e.message}`)),
    );
    req.end();
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: text };
  }
}

function apiError(a: Answer): string {
  const e = a.body?.error ?? JSON.stringify(a.body);
  return `${a.status}: ${e}${a.body?.field ? ` (field ${a.body.field})` : ""}`;
}

/** The commands, for help and completion. */
export const COMMANDS: Record<string, string> = {
  status: "the node's status (identity, controller, config, apps, restarts, disk)",
  services: "every agent, app and external service with state and health",
  start: "start <service...>",
  stop: "stop <service...>",
  restart: "restart <service...>",
  metrics: "metrics [service]: CPU and memory",
  logs: "logs <service> [-n lines] [-f]: an agent's log, -f follows it",
  config: "config get | config set <item>=<value>",
  reboot: "reboot [reason]: reboot the device through nodeagent",
  help: "this list",
};

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs one command (its words) against the API; returns its exit code. */
export async function runCommand(
  target: Target,
  words: string[],
  o: Output & { json: boolean; signal?: AbortSignal },
): Promise<number> {
  const [cmd, ...args] = words;
  const print = (a: Answer, human: () => void): number => {
    if (o.json) o.out(JSON.stringify(a.body, null, 2));
    else if (a.status >= 400 && a.status !== 207) o.err(`error ${apiError(a)}`);
    else human();
    return a.status >= 400 && a.status !== 207 ? EXIT.failed : a.status === 202 ? EXIT.pending : EXIT.ok;
  };
  switch (cmd) {
    case undefined:
    case "help":
      for (const [k, v] of Object.entries(COMMANDS)) o.out(`${k.padEnd(9)} ${v}`);
      return EXIT.ok;
    case "status": {
      const a = await call(target, "GET", "/v1/status");
      return print(a, () => {
        const s = a.body;
        o.out(`device      ${s.device.uuid || "(not onboarded)"}  ${s.device.controller}`);
        o.out(
          `controller  ${s.controller.state}${s.controller.lastPollAt ? `, last poll ${s.controller.lastPollAt} ${s.controller.lastPollResult ?? ""}` : ""}`,
        );
        o.out(
          `config      ${s.config ? `version ${s.config.version || "-"} (${s.config.source})` : "unknown"}`,
        );
        o.out(`version     ${s.version}, up ${s.uptimeSeconds} s`);
        for (const app of s.apps)
          o.out(`app         ${app.name} ${app.state}${app.error ? `: ${app.error.description}` : ""}`);
        for (const e of s.watchdog.recentEvents) o.out(`restarted   ${e.agent} ${e.time} ${e.cause}`);
        if (s.disk)
          o.out(
            `disk        ${Math.round(s.disk.freeBytes / 2 ** 20)} MB free of ${Math.round(s.disk.totalBytes / 2 ** 20)} MB`,
          );
      });
    }
    case "services": {
      const a = await call(target, "GET", "/v1/services");
      return print(a, () => {
        o.out(`${"NAME".padEnd(16)} ${"KIND".padEnd(8)} ${"STATE".padEnd(12)} ${"HEALTH".padEnd(9)} DETAIL`);
        for (const s of a.body.services)
          o.out(
            `${s.name.padEnd(16)} ${s.kind.padEnd(8)} ${s.state.padEnd(12)} ${s.health.padEnd(9)} ${s.detail ?? ""}`,
          );
      });
    }
    case "start":
    case "stop":
    case "restart": {
      if (args.length === 0) {
        o.err(`usage: ${cmd} <service...>`);
        return EXIT.usage;
      }
      const one = args.length === 1;
      const a = one
        ? await call(target, "POST", `/v1/services/${encodeURIComponent(args[0] as string)}/${cmd}`)
        : await call(target, "POST", `/v1/services/${cmd}`, { services: args });
      const results = one ? [a.body] : (a.body.results ?? []);
      const code = print(a, () => {
        for (const r of results)
          o.out(`${r.name}: ${r.result}${r.state ? ` (${r.state})` : ""}${r.error ? `: ${r.error}` : ""}`);
      });
      if (one || code !== EXIT.ok) return code;
      if (results.some((r: { result: string }) => r.result === "error")) return EXIT.failed;
      return results.some((r: { result: string }) => r.result === "pending") ? EXIT.pending : EXIT.ok;
    }
    case "metrics": {
      const q = args[0] ? `?service=${encodeURIComponent(args[0])}` : "";
      const a = await call(target, "GET", `/v1/metrics${q}`);
      return print(a, () => {
        const mb = (n: number | null | undefined) => (n == null ? "-" : `${(n / 2 ** 20).toFixed(1)}M`);
        const pct = (n: number | null | undefined) => (n == null ? "-" : `${n}%`);
        const d = a.body.device;
        o.out(
          `device: ${d.cpus} CPUs, ${pct(d.cpuRecentPercent)} busy, load ${d.load1}, ${mb(d.memAvailableBytes)} of ${mb(d.memTotalBytes)} free`,
        );
        o.out(
          `${"SERVICE".padEnd(16)} ${"CPU s".padStart(9)} ${"CPU %".padStart(7)} ${"RSS".padStart(8)} ${"PSS".padStart(8)}`,
        );
        for (const [n, m] of Object.entries<Record<string, number | null | boolean>>(a.body.agents))
          o.out(
            m.running === false
              ? `${n.padEnd(16)} not running`
              : `${n.padEnd(16)} ${String(m.cpuSeconds).padStart(9)} ${pct(m.cpuRecentPercent as number).padStart(7)} ${mb(m.rssBytes as number).padStart(8)} ${mb(m.pssBytes as number).padStart(8)}`,
          );
        for (const [n, m] of Object.entries<Record<string, number | boolean>>(a.body.apps))
          o.out(
            m.running === false
              ? `${n.padEnd(16)} not running`
              : `${n.padEnd(16)} ${String(m.cpuSeconds).padStart(9)} ${pct(m.cpuRecentPercent as number).padStart(7)} ${mb(m.memoryBytes as number).padStart(8)} ${"-".padStart(8)}`,
          );
      });
    }
    case "logs": {
      const f = args.includes("-f");
      const rest = args.filter((x) => x !== "-f");
      let lines = 50;
      const n = rest.indexOf("-n");
      if (n >= 0) {
        lines = Number(rest[n + 1]);
        rest.splice(n, 2);
        if (!Number.isSafeInteger(lines) || lines < 0) {
          o.err("usage: logs <service> [-n lines] [-f]");
          return EXIT.usage;
        }
      }
      const svc = rest[0];
      if (!svc || rest.length > 1) {
        o.err("usage: logs <service> [-n lines] [-f]");
        return EXIT.usage;
      }
      const path = `/v1/logs?service=${encodeURIComponent(svc)}&lines=${lines}`;
      if (!f) {
        const a = await call(target, "GET", path);
        return print(a, () => {
          for (const l of a.body.lines) o.out(l);
        });
      }
      await follow(target, `${path}&follow=1`, o.out, o.signal ?? new AbortController().signal);
      return EXIT.ok;
    }
    case "config": {
      if (args[0] === "get" && args.length === 1) {
        const a = await call(target, "GET", "/v1/config-items");
        return print(a, () => {
          for (const [k, v] of Object.entries<{ value: string; source: string }>(a.body.items))
            o.out(`${k} = ${v.value} (${v.source})`);
          o.out(`locally overridable: ${a.body.localOverridable.join(", ")}`);
        });
      }
      if (args[0] === "set" && args.length >= 2 && args.slice(1).every((x) => x.includes("="))) {
        const items = Object.fromEntries(
          args.slice(1).map((x) => [x.slice(0, x.indexOf("=")), x.slice(x.indexOf("=") + 1)]),
        );
        const a = await call(target, "PUT", "/v1/config-items", items);
        return print(a, () => o.out("set"));
      }
      o.err("usage: config get | config set <item>=<value>...");
      return EXIT.usage;
    }
    case "reboot": {
      const reason = args.join(" ");
      const a = await call(target, "POST", "/v1/reboot", reason ? { reason } : {});
      return print(a, () => o.out(`reboot requested (${a.body.by})`));
    }
    default:
      o.err(`unknown command "${cmd}" (help lists them)`);
      return EXIT.usage;
  }
}

/** Completion of a partial line: commands first, then service names for the commands that take one. */
export function complete(line: string, services: readonly string[]): [string[], string] {
  const words = line.split(/\s+/);
  const last = words.at(-1) ?? "";
  const candidates =
    words.length <= 1
      ? [...Object.keys(COMMANDS), "exit"]
      : ["start", "stop", "restart", "metrics", "logs"].includes(words[0] ?? "")
        ? [...services]
        : words[0] === "config" && words.length === 2
          ? ["get", "set"]
          : [];
  const hits = candidates.filter((c) => c.startsWith(last));
  return [hits, last];
}

export { type ClientArgs, parseClientArgs } from "./args.js";
