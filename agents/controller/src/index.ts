// outpost controller: the reference EVE API v2 controller (README.md beside this file).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import { parseBytes, runAgent } from "@outpost/agentbase";
import { parseServer } from "@outpost/evecloud";
import { ensurePrivateDir, restrictTree, writeFileDurable } from "@outpost/primitives";
import { AdminApi } from "./admin-api.js";
import { DeviceApi, UploadRate } from "./device-api.js";
import { Feed } from "./feed.js";
import { ensurePki } from "./pki.js";
import { createApiServer, createDatastoreServer, hostPort, listen } from "./server.js";
import { DEFAULT_LOGS_BUDGET, LmdbStore } from "./store.js";

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

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export function run(argv: string[]): Promise<number> {
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
          .option("--newlogs-rate <n>", "newlogs uploads per second per device; more get 429 + Retry-After"),
      parse: (raw) => {
        const o: ControllerOptions = { listen: String(raw.listen), logsBudget: raw.logsBudget as number };
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
        const pki = ensurePki(dataDir, listenAt.host);
        if (pki.created.length) log.info({ created: pki.created, dir: join(dataDir, "pki") }, "PKI created");
        const datastoreDir = join(dataDir, DATA_FILES.datastore);
        mkdirSync(datastoreDir, { recursive: true });
        const token = readOrCreateToken(join(dataDir, DATA_FILES.token));
        const store = await LmdbStore.open(join(dataDir, DATA_FILES.db), { logsBudget: options.logsBudget });
        const tightened = [
          join(dataDir, "pki"),
          join(dataDir, DATA_FILES.db),
          join(dataDir, DATA_FILES.token),
        ].flatMap(restrictTree);
        if (tightened.length)
          log.warn({ paths: tightened }, "took group and other permissions off the controller's secrets");
        const feed = new Feed();
        const rate = options.newlogsRate ? new UploadRate(options.newlogsRate) : undefined;
        const deviceApi = new DeviceApi(store, pki, feed, log, rate);
        let address = "";
        const admin = new AdminApi({ store, pki, deviceApi, feed, log, token, serverAddress: () => address });
        const routes = { deviceApi, admin, datastoreDir, log };
        admin.rollouts.start();
        const server = createApiServer(pki, routes);
        const servers: Server[] = [server];
        try {
          address = hostPort(await listen(server, listenAt.host, listenAt.port));
          writeFileDurable(join(dataDir, DATA_FILES.server), `${address}\n`, 0o644);
          let datastoreUrl: string | undefined;
          if (options.datastoreListen) {
            const ds = parseServer(options.datastoreListen);
            const plain = createDatastoreServer(routes);
            servers.push(plain);
            datastoreUrl = `http://${hostPort(await listen(plain, ds.host, ds.port))}/datastore/`;
            writeFileDurable(join(dataDir, "datastore-url"), `${datastoreUrl}\n`, 0o644);
          }
          log.info(
            { server: address, dataDir, devices: store.listDevices().length, datastoreUrl },
            "controller listening",
          );
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
