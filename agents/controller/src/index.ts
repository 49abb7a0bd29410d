// outpost controller: the reference EVE API v2 controller (README.md beside this file).
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import { EXIT_USAGE, intFlag, parseBytes, rootLayout, runAgent } from "@outpost/agentbase";
import { parseServer } from "@outpost/evecloud";
import { ensurePrivateDir, readSecret, restrictTree, writeFileDurable } from "@outpost/primitives";
import { Command, CommanderError, Option } from "commander";
import type { Logger } from "pino";
import { AdminApi } from "./admin-api.js";
import { AuditTrail, checkNewPassword, hashPassword, NAME } from "./auth.js";
import { DeviceApi, UploadRate } from "./device-api.js";
import { Feed } from "./feed.js";
import { ensurePki } from "./pki.js";
import { ROLLOUT_TICK_MS } from "./rollout/index.js";
import { createApiServer, createDatastoreServer, hostPort, listen } from "./server.js";
import {
  type ControllerStore,
  DEFAULT_LOGS_BUDGET,
  DEFAULT_TEAM,
  openStore,
  parseStoreFlag,
  redact,
  type StoreSpec,
} from "./store/index.js";

export { buildEdgeDevConfig, type ConfigDoc, decodeConfigDoc, idToUuid } from "./config-doc.js";
export { DeviceApi } from "./device-api.js";

export interface ControllerOptions {
  listen: string;
  dataDir?: string;
  datastoreListen?: string;
  /** Bytes of log lines kept per device. */
  logsBudget: number;
  /** newlogs uploads per second per device; past it 429 with Retry-After. */
  newlogsRate?: number;
  /** "lmdb" (the data dir's db/) or a postgres:// URL without a password. */
  store: { kind: "lmdb" } | { kind: "postgres"; url: string };
  /** A file (0600) holding the PostgreSQL password; PGPASSWORD otherwise. */
  storePasswordFile?: string;
  /** More names (DNS or IP) in the TLS server certificate: a load balancer's. */
  tlsNames: string[];
  /** Controller processes serving the one listening port (node:cluster); more than 1 needs PostgreSQL. */
  processes: number;
  /** The old single shared admin token (`<data-dir>/admin-token`, admin of everything) instead of users. */
  singleToken: boolean;
  /** Audit trail retention: entries kept, and their age (ms) at most. */
  auditKeep: number;
  auditMaxAgeMs?: number;
  /** How often rollouts are driven (hidden --rollout-tick-ms: a test knob). */
  rolloutTickMs: number;
  /** How often last-seen times go to a shared store (hidden --last-seen-every-ms: a test knob). */
  lastSeenEveryMs: number;
}

/** "90d", "12h", "30m", "45s": milliseconds. */
function parseAge(flag: string, v: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(v);
  if (!m) throw new Error(`${flag}: expected an age such as 90d, 12h, 30m or 45s, got "${v}"`);
  return Number(m[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2] as "s"];
}

/** How often a controller process on a shared store writes when devices were last seen. */
const LAST_SEEN_EVERY_MS = 5000;

/** Set in the environment of the processes `--processes` starts: their number, 1..N. */
const WORKER_ENV = "OUTPOST_CONTROLLER_PROCESS";

/** The PostgreSQL password from `--store-password-file` (which must not be readable by others). */
function readPasswordFile(path: string): string {
  const st = statSync(path);
  if (st.mode & 0o077)
    throw new Error(
      `--store-password-file ${path}: readable by group or others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`,
    );
  return readFileSync(path, "utf8").replace(/\r?\n$/, "");
}

/** Files in the data dir that `outpost ctl` and tests read. */
export const DATA_FILES = {
  token: "admin-token",
  server: "server",
  rootCert: "pki/root.cert.pem",
  datastore: "datastore",
  db: "db",
} as const;

function readOrCreateToken(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const token = randomBytes(32).toString("base64url");
  writeFileDurable(path, `${token}\n`, 0o600);
  return token;
}

function writeListenFiles(dataDir: string, address: string, datastoreUrl: string | undefined): void {
  writeFileDurable(join(dataDir, DATA_FILES.server), `${address}\n`, 0o644);
  if (datastoreUrl) writeFileDurable(join(dataDir, "datastore-url"), `${datastoreUrl}\n`, 0o644);
}

/** `--processes N`: this process listens on nothing itself; it starts N controller processes that
 * share its listening socket (node:cluster hands each new connection to one of them in turn), starts
 * again one that dies (after a second), and stops them all when it is stopped. */
async function supervise(o: {
  n: number;
  dataDir: string;
  log: Logger;
  signal: AbortSignal;
  store: string;
  devices: number;
}): Promise<number> {
  const { log, signal } = o;
  const listening = new Set<number>();
  let wrote = false;
  const start = (i: number) => {
    const w = cluster.fork({ [WORKER_ENV]: String(i) });
    w.on("message", (m: { listening?: { address: string; datastoreUrl?: string } }) => {
      if (!m?.listening) return;
      listening.add(i);
      if (!wrote) {
        wrote = true;
        writeListenFiles(o.dataDir, m.listening.address, m.listening.datastoreUrl);
      }
      if (listening.size === o.n)
        log.info(
          {
            server: m.listening.address,
            dataDir: o.dataDir,
            store: o.store,
            devices: o.devices,
            processes: o.n,
          },
          "controller listening",
        );
    });
    w.on("exit", (code, sig) => {
      listening.delete(i);
      if (signal.aborted) return;
      log.error(
        { process: i, pid: w.process.pid, code, signal: sig },
        "controller process ended: starting it again in 1 s",
      );
      setTimeout(() => {
        if (!signal.aborted) start(i);
      }, 1000);
    });
  };
  for (let i = 1; i <= o.n; i++) start(i);
  if (!signal.aborted)
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          const kill = setTimeout(() => w.process.kill("SIGKILL"), 10_000);
          w.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          w.process.kill("SIGTERM");
        }),
    ),
  );
  return 0;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** `outpost controller init-admin --user NAME`: the first admin (of team "default"), on the same
 * store the controller uses; refused once any admin exists. */
async function initAdmin(argv: string[]): Promise<number> {
  const cmd = new Command("controller init-admin")
    .description('create the first admin user (admin of team "default"); refused when an admin exists')
    .requiredOption("--user <name>", "the admin's user name")
    .option(
      "--password-file <file>",
      "the password, from a file only its owner may read (else asked on the terminal)",
    )
    .addOption(new Option("--root <dir>", "the controller's root").env("OUTPOST_ROOT").default("/"))
    .option("--data-dir <dir>", "the controller's data dir (default <root>/persist/controller)")
    .option("--store <lmdb|postgres://user@host:port/db>", "the controller's store", "lmdb")
    .option("--store-password-file <file>", "the PostgreSQL password (a file only its owner may read)")
    .exitOverride();
  let store: ControllerStore | undefined;
  try {
    cmd.parse(argv, { from: "user" });
    const o = cmd.opts<{
      user: string;
      passwordFile?: string;
      root: string;
      dataDir?: string;
      store: string;
      storePasswordFile?: string;
    }>();
    if (!NAME.test(o.user))
      throw new Error("--user: expected 1-64 lower case letters, digits, . _ - (first a letter or digit)");
    const dataDir = o.dataDir ?? rootLayout(o.root).agentPersist("controller");
    const flag = parseStoreFlag(o.store);
    if (flag.kind === "lmdb") ensurePrivateDir(dataDir);
    store = await openStore(
      flag.kind === "lmdb"
        ? { kind: "lmdb", dir: join(dataDir, DATA_FILES.db) }
        : {
            kind: "postgres",
            url: flag.url,
            ...(o.storePasswordFile ? { password: readPasswordFile(o.storePasswordFile) } : {}),
          },
    );
    const admins = (await store.listRoles()).filter((g) => g.role === "admin");
    if (admins.length)
      throw new Error(
        `an admin exists already (${admins[0]?.user}); add users with \`ctl user add\` as an admin`,
      );
    if (await store.getUser(o.user)) throw new Error(`user ${o.user} exists`);
    const password = await readSecret({
      file: o.passwordFile,
      flag: "--password-file",
      prompt: `password for ${o.user}: `,
      confirm: true,
    });
    const weak = checkNewPassword(password);
    if (weak) throw new Error(weak);
    const now = new Date().toISOString();
    if (!(await store.getTeam(DEFAULT_TEAM))) await store.putTeam({ name: DEFAULT_TEAM, createdAt: now });
    await store.putUser({
      name: o.user,
      passwordHash: await hashPassword(password),
      disabled: false,
      createdAt: now,
    });
    await store.setRole(o.user, DEFAULT_TEAM, "admin");
    await new AuditTrail(store, {}).record(
      { user: o.user, remote: "local" },
      { action: "user.init-admin", object: `user/${o.user}`, team: DEFAULT_TEAM },
    );
    process.stdout.write(
      `admin ${o.user} created (admin of team "${DEFAULT_TEAM}"); log in with: outpost ctl login --user ${o.user}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    process.stderr.write(`controller init-admin: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}

export function run(argv: string[]): Promise<number> {
  if (argv[0] === "init-admin") return initAdmin(argv.slice(1));
  return runAgent<ControllerOptions>(
    {
      name: "controller",
      description: "reference EVE API v2 controller: device API, admin API, HTTP datastore",
      options: (cmd) =>
        cmd
          .option(
            "--listen <host:port>",
            "address of the HTTPS server (port 0: any free port)",
            "127.0.0.1:8443",
          )
          .option(
            "--data-dir <dir>",
            "PKI, database, datastore and admin token (default <root>/persist/controller)",
          )
          .option("--datastore-listen <host:port>", "also serve /datastore/ over plain HTTP here")
          .option(
            "--logs-budget <size>",
            "log lines kept per device (suffix K, M, G); the oldest go first",
            parseBytes("--logs-budget"),
            DEFAULT_LOGS_BUDGET,
          )
          .option("--newlogs-rate <n>", "newlogs uploads per second per device; more get 429 + Retry-After")
          .option(
            "--store <lmdb|postgres://user@host:port/db>",
            "where devices, configs and reports are kept: the data dir's LMDB, or a PostgreSQL database (password: PGPASSWORD or --store-password-file)",
            "lmdb",
          )
          .option("--store-password-file <file>", "the PostgreSQL password (a file only its owner may read)")
          .option(
            "--tls-names <names>",
            "more names or addresses (comma-separated) in the TLS server certificate, e.g. a load balancer's",
          )
          .option(
            "--processes <n>",
            "controller processes serving the listening port (more than 1 needs --store postgres://...)",
            "1",
          )
          .option(
            "--insecure-single-token",
            "accept the one shared token in <data-dir>/admin-token (created 0600), admin of every team, instead of users' tokens (demos, tests)",
            false,
          )
          .option(
            "--audit-keep <n>",
            "audit entries kept (the newest); older ones are removed and counted",
            "100000",
          )
          .option(
            "--audit-max-age <age>",
            "audit entries older than this (e.g. 365d) are removed and counted",
          )
          .addOption(
            new Option("--rollout-tick-ms <ms>", "how often rollouts are driven (test knob)")
              .default(String(ROLLOUT_TICK_MS))
              .hideHelp(),
          )
          .addOption(
            new Option(
              "--last-seen-every-ms <ms>",
              "how often a process on a shared store writes when devices were last seen (test knob)",
            )
              .default(String(LAST_SEEN_EVERY_MS))
              .hideHelp(),
          ),
      agentName: () =>
        cluster.isWorker ? `controller-${process.env[WORKER_ENV] ?? cluster.worker?.id}` : "controller",
      parse: (raw) => {
        const processes = Number(raw.processes);
        if (!Number.isInteger(processes) || processes < 1 || processes > 64)
          throw new Error(`--processes: expected a whole number 1..64, got "${String(raw.processes)}"`);
        const o: ControllerOptions = {
          listen: String(raw.listen),
          logsBudget: raw.logsBudget as number,
          store: parseStoreFlag(String(raw.store)),
          processes,
          singleToken: raw.insecureSingleToken === true,
          auditKeep: intFlag(raw.auditKeep, "--audit-keep", 1),
          rolloutTickMs: intFlag(raw.rolloutTickMs, "--rollout-tick-ms", 50),
          lastSeenEveryMs: intFlag(raw.lastSeenEveryMs, "--last-seen-every-ms", 100),
          tlsNames:
            typeof raw.tlsNames === "string"
              ? raw.tlsNames
                  .split(",")
                  .map((n) => n.trim())
                  .filter(Boolean)
              : [],
        };
        if (processes > 1 && o.store.kind !== "postgres")
          throw new Error(
            "--processes: more than one process needs a store they can share: --store postgres://...",
          );
        if (typeof raw.auditMaxAge === "string")
          o.auditMaxAgeMs = parseAge("--audit-max-age", raw.auditMaxAge);
        if (typeof raw.storePasswordFile === "string") o.storePasswordFile = raw.storePasswordFile;
        if (raw.newlogsRate !== undefined) {
          const n = Number(raw.newlogsRate);
          if (!(n > 0) || !Number.isFinite(n))
            throw new Error(`--newlogs-rate: expected a positive number, got "${String(raw.newlogsRate)}"`);
          o.newlogsRate = n;
        }
        if (typeof raw.dataDir === "string") o.dataDir = raw.dataDir;
        if (typeof raw.datastoreListen === "string") o.datastoreListen = raw.datastoreListen;
        for (const a of [o.listen, o.datastoreListen]) {
          if (a === undefined) continue;
          const { host, port } = parseServer(a);
          if (!host || !Number.isInteger(port) || port < 0 || port > 65535)
            throw new Error(`bad address "${a}"`);
        }
        return o;
      },
      remoteLogLevel: false,
      main: async ({ options, layout, log, signal }) => {
        const dataDir = options.dataDir ?? layout.agentPersist("controller");
        // Keys, the admin token and the database (configs carry datastore credentials) are the
        // owner's only, also when the dir was made by an older version or under a loose umask.
        ensurePrivateDir(dataDir);
        const listenAt = parseServer(options.listen);
        const pki = ensurePki(dataDir, listenAt.host, options.tlsNames);
        if (pki.created.length) log.info({ created: pki.created, dir: join(dataDir, "pki") }, "PKI created");
        const datastoreDir = join(dataDir, DATA_FILES.datastore);
        mkdirSync(datastoreDir, { recursive: true });
        const tokenFile = join(dataDir, DATA_FILES.token);
        const token = options.singleToken ? readOrCreateToken(tokenFile) : undefined;
        if (token)
          log.warn(
            { file: tokenFile },
            "admin API: the single shared token (--insecure-single-token) is admin of every team",
          );
        else if (existsSync(tokenFile))
          log.warn(
            { file: tokenFile },
            "admin API: this admin-token file is not accepted without --insecure-single-token (users log in: ctl login)",
          );
        let spec: StoreSpec;
        let store: ControllerStore;
        try {
          spec =
            options.store.kind === "lmdb"
              ? { kind: "lmdb", dir: join(dataDir, DATA_FILES.db) }
              : {
                  kind: "postgres",
                  url: options.store.url,
                  ...(options.storePasswordFile
                    ? { password: readPasswordFile(options.storePasswordFile) }
                    : {}),
                };
          // With --processes, the first open (here, before any process is started) applies migrations.
          store = await openStore(spec, { logsBudget: options.logsBudget });
        } catch (err) {
          const where =
            options.store.kind === "lmdb" ? join(dataDir, DATA_FILES.db) : redact(options.store.url);
          log.error({ err, store: where }, "cannot open the store");
          process.stderr.write(`controller: cannot open the store ${where}: ${(err as Error).message}\n`);
          return 1;
        }
        const tightened = [
          join(dataDir, "pki"),
          join(dataDir, DATA_FILES.db),
          join(dataDir, DATA_FILES.token),
        ].flatMap(restrictTree);
        if (tightened.length)
          log.warn({ paths: tightened }, "took group and other permissions off the controller's secrets");
        const storeName = options.store.kind === "lmdb" ? "lmdb" : redact(options.store.url);
        if (cluster.isPrimary && options.processes > 1) {
          const devices = await store.countDevices();
          await store.close();
          return supervise({ n: options.processes, dataDir, log, signal, store: storeName, devices });
        }
        const feed = new Feed(store);
        const rate = options.newlogsRate ? new UploadRate(options.newlogsRate) : undefined;
        const deviceApi = new DeviceApi(store, pki, log, rate);
        let address = "";
        const admin = new AdminApi({
          store,
          pki,
          deviceApi,
          feed,
          log,
          ...(token ? { token } : {}),
          audit: {
            maxEntries: options.auditKeep,
            ...(options.auditMaxAgeMs ? { maxAgeMs: options.auditMaxAgeMs } : {}),
          },
          serverAddress: () => address,
          rolloutTickMs: options.rolloutTickMs,
        });
        if (!token && !(await store.listRoles()).some((g) => g.role === "admin"))
          log.warn(
            "admin API: no admin yet; create the first one with `outpost controller init-admin --user NAME`",
          );
        // The retention also applies to a trail that grew under an older, larger budget.
        await admin.audit.trim();
        const routes = { deviceApi, admin, datastoreDir, log };
        admin.rollouts.start();
        const server = createApiServer(pki, routes);
        const servers: Server[] = [server];
        try {
          address = hostPort(await listen(server, listenAt.host, listenAt.port));
          let datastoreUrl: string | undefined;
          if (options.datastoreListen) {
            const ds = parseServer(options.datastoreListen);
            const plain = createDatastoreServer(routes);
            servers.push(plain);
            datastoreUrl = `http://${hostPort(await listen(plain, ds.host, ds.port))}/datastore/`;
          }
          if (cluster.isWorker) {
            // The first process of --processes writes the files; all tell the supervisor.
            process.send?.({ listening: { address, datastoreUrl } });
            log.info(
              { server: address, store: storeName, process: process.env[WORKER_ENV] },
              "controller process listening",
            );
          } else {
            writeListenFiles(dataDir, address, datastoreUrl);
            log.info(
              {
                server: address,
                dataDir,
                store: storeName,
                devices: await store.countDevices(),
                datastoreUrl,
              },
              "controller listening",
            );
          }
          // Polls do not write; with a shared store, when devices were last seen goes out in batches.
          // (It returns at once with an LMDB store, at the stop with a shared one.)
          await deviceApi.shareLastSeen(options.lastSeenEveryMs, signal);
          if (!signal.aborted)
            await new Promise<void>((resolve) =>
              signal.addEventListener("abort", () => resolve(), { once: true }),
            );
        } catch (err) {
          log.error({ err, listen: options.listen }, "cannot listen");
          return 1;
        } finally {
          await admin.rollouts.stop();
          await Promise.all(servers.map(close));
          await store.close();
        }
        return 0;
      },
    },
    argv,
  );
}
