// localapi: the node steered from the device itself (maestro's local API, EdgeX SMA's services):
// HTTP/JSON on a unix socket under run/ (0660, group --group), optionally on loopback TCP with a
// bearer token. Routes in api.ts, the OpenAPI document in openapi.ts, peers' uids in peer.ts.
import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  unwatchFile,
  watchFile,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { type AgentContext, intFlag, runAgent } from "@outpost/agentbase";
import { FactsWatcher } from "@outpost/nodefacts";
import { sleep } from "@outpost/primitives";
import {
  APP_LOCAL_OVERRIDE_TOPIC,
  AppInstanceConfigCodec,
  AppLocalOverrideCodec,
  CONFIG_ITEM_OVERRIDE_TOPIC,
  ConfigItemOverrideCodec,
  DomainMetricCodec,
  decodeJson,
  NODEAGENT_STATUS_KEY,
  NODEAGENT_TOPICS,
  NodeAgentRequestCodec,
  t,
  WATCHDOG_REQUEST_TOPIC,
  WatchdogRequestCodec,
} from "@outpost/types";
import { type ExternalService, HttpError, LocalApi, OPS, type Op, readFrom, tailLines } from "./api.js";
import { containerLogs, dockerSocket } from "./docker-logs.js";
import { type Peer, tcpPeer, unixPeer } from "./peer.js";

export { OPS } from "./api.js";
export { OPENAPI } from "./openapi.js";
export { parseSs, uidFromProcNetTcp } from "./peer.js";

interface LocalApiOptions {
  socket?: string;
  group?: string;
  tcpPort: number;
  tokenFile?: string;
  servicesFile?: string;
  opTimeoutMs: number;
  touchLimitMs: number;
  sampleMs: number;
  dockerHost?: string;
}

export function run(argv: string[]): Promise<number> {
  return runAgent<LocalApiOptions>(
    {
      name: "localapi",
      description:
        "Local HTTP/JSON API on a unix socket (and optionally loopback TCP with a token): status, services, metrics, logs, config items, reboot",
      options: (cmd) =>
        cmd
          .option("--socket <path>", "unix socket (default <root>/run/localapi/api.sock)")
          .option(
            "--group <name|gid>",
            "group that may connect to the socket (0660); default: the agent's own",
          )
          .option("--tcp-port <port>", "also listen on 127.0.0.1:<port> with a bearer token (0 = off)", "0")
          .option(
            "--token-file <path>",
            "bearer token for TCP (default <root>/persist/localapi/token, made 0600)",
          )
          .option(
            "--services-file <path>",
            "external services (default <root>/config/localapi/services.json)",
          )
          .option("--op-timeout-ms <ms>", "how long a start/stop/restart is waited for before 202", "15000")
          .option("--touch-limit-ms <ms>", "an agent whose touch file is older is unhealthy", "30000")
          .option("--sample-ms <ms>", "CPU sampling period for recent %", "5000")
          .option(
            "--docker-host <url>",
            "Docker engine for app logs (default: DOCKER_HOST, then unix:///var/run/docker.sock)",
          ),
      parse: (raw) => {
        const port = intFlag(raw.tcpPort, "--tcp-port", 0);
        if (port > 65535) throw new Error(`--tcp-port: expected 0..65535, got ${port}`);
        return {
          socket: typeof raw.socket === "string" ? raw.socket : undefined,
          group: typeof raw.group === "string" ? raw.group : undefined,
          tcpPort: port,
          tokenFile: typeof raw.tokenFile === "string" ? raw.tokenFile : undefined,
          servicesFile: typeof raw.servicesFile === "string" ? raw.servicesFile : undefined,
          opTimeoutMs: intFlag(raw.opTimeoutMs, "--op-timeout-ms", 1),
          touchLimitMs: intFlag(raw.touchLimitMs, "--touch-limit-ms", 1),
          sampleMs: intFlag(raw.sampleMs, "--sample-ms", 100),
          dockerHost: typeof raw.dockerHost === "string" ? raw.dockerHost : undefined,
        };
      },
      main,
    },
    argv,
  );
}

const ServicesFileCodec = t.object(
  { services: t.array(t.object({ name: t.string, executor: t.string })) },
  "LocalApiServices",
);

/** The declared external services; a bad file is a start-up error naming the file (exit 1). */
export function readServicesFile(path: string): ExternalService[] {
  if (!existsSync(path)) return [];
  const file = decodeJson(ServicesFileCodec, readFileSync(path));
  for (const s of file.services) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(s.name))
      throw new Error(`service name "${s.name}" is not valid`);
    if (!s.executor.startsWith("/")) throw new Error(`service ${s.name}: executor must be an absolute path`);
  }
  return file.services;
}

function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  for (const line of readFileSync("/etc/group", "utf8").split("\n")) {
    const [name, , gid] = line.split(":");
    if (name === group && gid !== undefined) return Number(gid);
  }
  throw new Error(`--group: no group "${group}" in /etc/group`);
}

/** The TCP token: read, or made (32 random bytes, hex) with mode 0600. */
function ensureToken(path: string): string {
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    const token = readFileSync(path, "utf8").trim();
    if (token.length < 16) throw new Error(`${path}: token too short (at least 16 characters)`);
    return token;
  }
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString("hex");
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

async function main(ctx: AgentContext<LocalApiOptions>): Promise<number | undefined> {
  const { log, layout, options: o, pubsub, signal } = ctx;
  const dir = layout.agentRun(ctx.name);
  const socketPath = o.socket ?? join(dir, "api.sock");
  let externals: ExternalService[];
  let gid: number | undefined;
  const servicesFile = o.servicesFile ?? join(layout.config, "localapi", "services.json");
  try {
    externals = readServicesFile(servicesFile);
    gid = o.group !== undefined ? groupId(o.group) : undefined;
  } catch (e) {
    log.error({ err: e, servicesFile }, "cannot start");
    process.stderr.write(`localapi: ${(e as Error).message} (${servicesFile})\n`);
    return 1;
  }

  const facts = new FactsWatcher(pubsub, () => {});
  const api = new LocalApi(
    {
      ctx: ctx as AgentContext<unknown>,
      facts,
      appConfigs: pubsub.subscribe({
        agent: "zedagent",
        topic: "AppInstanceConfig",
        codec: AppInstanceConfigCodec,
      }),
      domainMetrics: pubsub.subscribe({
        agent: "domainmgr",
        topic: "DomainMetric",
        codec: DomainMetricCodec,
      }),
      // Persistent: a local stop holds across a restart of localapi (and of the node).
      watchdogRequests: await pubsub.publish({
        topic: WATCHDOG_REQUEST_TOPIC,
        codec: WatchdogRequestCodec,
        persistent: true,
      }),
      itemOverrides: await pubsub.publish({
        topic: CONFIG_ITEM_OVERRIDE_TOPIC,
        codec: ConfigItemOverrideCodec,
        persistent: true,
      }),
      appOverrides: await pubsub.publish({
        topic: APP_LOCAL_OVERRIDE_TOPIC,
        codec: AppLocalOverrideCodec,
        persistent: true,
      }),
      nodeRequests: await pubsub.publish({ topic: NODEAGENT_TOPICS.request, codec: NodeAgentRequestCodec }),
    },
    { opTimeoutMs: o.opTimeoutMs, touchLimitMs: o.touchLimitMs, externals },
  );

  // The socket's directory: owner rwx, the group may enter; nobody else.
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o750);
  if (gid !== undefined) chownSync(dir, process.getuid?.() ?? 0, gid);
  rmSync(socketPath, { force: true });
  const servers: Server[] = [];
  const unixServer = createServer((req, res) => handle(api, ctx, req, res, "unix", undefined));
  // The peer is looked up as the connection arrives, while the client's end certainly exists.
  unixServer.on("connection", (socket: Socket) => void peerOf(socket, "unix"));
  await listen(unixServer, socketPath);
  chmodSync(socketPath, 0o660);
  if (gid !== undefined) chownSync(socketPath, process.getuid?.() ?? 0, gid);
  servers.push(unixServer);
  let token: string | undefined;
  if (o.tcpPort > 0) {
    token = ensureToken(o.tokenFile ?? join(layout.agentPersist(ctx.name), "token"));
    const tcp = createServer((req, res) => handle(api, ctx, req, res, "tcp", token));
    tcp.on("connection", (socket: Socket) => void peerOf(socket, "tcp"));
    await listen(tcp, o.tcpPort, "127.0.0.1");
    servers.push(tcp);
  }
  log.info(
    {
      socket: socketPath,
      mode: "0660",
      gid: gid ?? process.getgid?.(),
      tcp: o.tcpPort > 0 ? `127.0.0.1:${o.tcpPort}` : "off",
      externals: externals.map((e) => e.name),
    },
    "listening",
  );
  // CPU samples for "recent %": every --sample-ms (a few small /proc reads).
  while (!signal.aborted) {
    api.sample();
    await sleep(o.sampleMs, signal);
  }
  for (const s of servers) {
    s.close();
    s.closeAllConnections();
  }
  rmSync(socketPath, { force: true });
  // Keeps facts referenced until the end (its subscriptions feed the API).
  void facts;
  return undefined;
}

function listen(server: Server, path: string | number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const done = () => {
      server.off("error", reject);
      resolve();
    };
    if (typeof path === "string") server.listen(path, done);
    else server.listen(path, host, done);
  });
}

/** The peer of each connection, found once (and shared by its requests). */
const peers = new WeakMap<Socket, Promise<Peer>>();
function peerOf(socket: Socket, transport: "unix" | "tcp"): Promise<Peer> {
  let p = peers.get(socket);
  if (!p) {
    p = (transport === "unix" ? unixPeer(socket) : tcpPeer(socket)).catch((e) => ({ via: String(e) }));
    peers.set(socket, p);
  }
  return p;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 1)}\n`;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage, max = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) throw new HttpError(413, `body larger than ${max} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `body is not JSON: ${(e as Error).message}`, "body");
  }
}

function isOp(s: string): s is Op {
  return (OPS as readonly string[]).includes(s);
}

async function handle(
  api: LocalApi,
  ctx: AgentContext<LocalApiOptions>,
  req: IncomingMessage,
  res: ServerResponse,
  transport: "unix" | "tcp",
  token: string | undefined,
): Promise<void> {
  const started = Date.now();
  const peer = peerOf(req.socket, transport);
  const url = new URL(req.url ?? "/", "http://localapi");
  const method = req.method ?? "GET";
  let status = 500;
  const audit = (extra: object = {}) =>
    void peer.then((p) =>
      ctx.log.info(
        {
          transport,
          uid: p.uid,
          pid: p.pid,
          peerVia: p.via,
          method,
          path: url.pathname,
          query: url.search,
          status,
          ms: Date.now() - started,
          ...extra,
        },
        "request",
      ),
    );
  const reply = (s: number, body: unknown) => {
    status = s;
    send(res, s, body);
  };
  try {
    // Who asks is known before anything is done for them (every request is audited with a uid).
    await peer;
    if (transport === "tcp") {
      const auth = req.headers.authorization ?? "";
      const given = Buffer.from(auth.startsWith("Bearer ") ? auth.slice(7).trim() : "");
      const want = Buffer.from(token ?? "");
      if (given.length !== want.length || !timingSafeEqual(given, want)) {
        res.setHeader("www-authenticate", 'Bearer realm="outpost"');
        throw new HttpError(401, auth ? "wrong bearer token" : "missing bearer token", "Authorization");
      }
    }
    const by = async () => {
      const p = await peer;
      return `localapi ${transport} uid ${p.uid ?? "unknown"}${p.pid ? ` pid ${p.pid}` : ""}`;
    };
    const parts = url.pathname.split("/").filter(Boolean);
    const route = `${method} /${parts.join("/")}`;
    if (parts[0] !== "v1")
      throw new HttpError(404, `no route ${url.pathname} (see /v1/openapi.json)`, "path");
    if (route === "GET /v1/openapi.json") return reply(200, api.openapi());
    if (route === "GET /v1/status") return reply(200, api.status());
    if (route === "GET /v1/services") return reply(200, { services: await api.services() });
    if (route === "GET /v1/metrics") {
      const svc = url.searchParams.get("service");
      return reply(200, api.metrics(svc === null || svc === "" ? undefined : svc));
    }
    if (route === "GET /v1/config-items") return reply(200, api.configItems());
    if (route === "PUT /v1/config-items") {
      const r = await api.setConfigItems(await readBody(req), await by());
      return reply(r.status, r.body);
    }
    if (route === "POST /v1/reboot") {
      const body = (await readBody(req)) as { reason?: unknown };
      if (body.reason !== undefined && (typeof body.reason !== "string" || body.reason.length > 200))
        throw new HttpError(400, "reason: expected a string of at most 200 characters", "reason");
      if (!api.d.facts.nodeagent.get(NODEAGENT_STATUS_KEY))
        throw new HttpError(503, "nodeagent is not running: nobody would carry out the reboot");
      const who = await by();
      await ctx.loop.run(() =>
        api.d.nodeRequests.set("reboot", {
          op: "reboot",
          reason: "REBOOT_CMD",
          detail: `${who}${body.reason ? `: ${body.reason}` : ""}`,
          requestedAt: new Date().toISOString(),
        }),
      );
      return reply(202, { result: "requested", by: who });
    }
    if (method === "POST" && parts[1] === "services" && parts.length === 4) {
      const [, , name = "", op = ""] = parts;
      if (!isOp(op)) throw new HttpError(400, `op: expected start, stop or restart, got "${op}"`, "op");
      const r = await api.operate(decodeURIComponent(name), op, await by());
      return reply(r.status, r);
    }
    if (method === "POST" && parts[1] === "services" && parts.length === 3) {
      const op = parts[2] ?? "";
      if (!isOp(op)) throw new HttpError(400, `op: expected start, stop or restart, got "${op}"`, "op");
      const body = (await readBody(req)) as { services?: unknown };
      if (
        !Array.isArray(body.services) ||
        body.services.length === 0 ||
        !body.services.every((s) => typeof s === "string")
      )
        throw new HttpError(400, "services: expected a non-empty array of service names", "services");
      const who = await by();
      const results = await Promise.all((body.services as string[]).map((n) => api.operate(n, op, who)));
      return reply(207, { results });
    }
    if (route === "GET /v1/logs") {
      const service = url.searchParams.get("service");
      if (!service) throw new HttpError(400, "service: required", "service");
      const linesRaw = url.searchParams.get("lines") ?? "100";
      const lines = Number(linesRaw);
      if (!Number.isSafeInteger(lines) || lines < 0 || lines > 10_000)
        throw new HttpError(400, `lines: expected 0..10000, got "${linesRaw}"`, "lines");
      const follow = url.searchParams.get("follow");
      if (follow !== null && follow !== "0" && follow !== "1")
        throw new HttpError(400, `follow: expected 0 or 1, got "${follow}"`, "follow");
      const source = api.logSource(service);
      if (source.kind === "container") {
        const socket = dockerSocket(ctx.options.dockerHost);
        if (follow !== "1") {
          const got: string[] = [];
          await containerLogs(socket, source.id, lines, false, (l) => got.push(l)).catch((e) => {
            throw new HttpError(502, (e as Error).message);
          });
          return reply(200, { service, container: source.id, lines: got });
        }
        const stop = new AbortController();
        res.on("close", () => stop.abort());
        ctx.signal.addEventListener("abort", () => stop.abort(), { once: true });
        status = 200;
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        audit({ follow: true });
        void containerLogs(socket, source.id, lines, true, (l) => res.write(`data: ${l}\n\n`), stop.signal)
          .catch((e) => res.write(`event: error\ndata: ${(e as Error).message}\n\n`))
          .finally(() => res.end());
        return;
      }
      const path = source.path;
      const tail = tailLines(path, lines);
      if (follow !== "1") return reply(200, { service, file: path, lines: tail.lines });
      status = 200;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const l of tail.lines) res.write(`data: ${l}\n\n`);
      audit({ follow: true });
      streamFile(path, tail.size, res, ctx.signal);
      return;
    }
    throw new HttpError(
      parts[1] &&
        ["status", "services", "metrics", "logs", "config-items", "reboot", "openapi.json"].includes(parts[1])
        ? 405
        : 404,
      `no route ${method} ${url.pathname} (see /v1/openapi.json)`,
      "path",
    );
  } catch (e) {
    if (e instanceof HttpError) reply(e.status, { error: e.message, ...(e.field ? { field: e.field } : {}) });
    else {
      ctx.log.error({ err: e, path: url.pathname }, "request failed");
      reply(500, { error: (e as Error).message });
    }
  } finally {
    if (!res.headersSent || res.writableEnded) audit();
  }
}

/** Follows a log file: new complete lines as server-sent events, from `offset`; a rotation (the file
 * got shorter) starts again from its beginning. Ends when the client goes or the agent stops. */
function streamFile(path: string, offset: number, res: ServerResponse, signal: AbortSignal): void {
  let pos = offset;
  let partial = "";
  const poll = () => {
    try {
      const size = statSync(path).size;
      if (size < pos) pos = 0;
      const { text, size: end } = readFrom(path, pos);
      pos = end;
      const chunk = partial + text;
      const lines = chunk.split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) res.write(`data: ${l}\n\n`);
    } catch {
      // Not there at the moment (between rotation steps).
    }
  };
  watchFile(path, { interval: 250 }, poll);
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  const end = () => {
    unwatchFile(path, poll);
    clearInterval(keepAlive);
    res.end();
  };
  res.on("close", end);
  signal.addEventListener("abort", end, { once: true });
}
