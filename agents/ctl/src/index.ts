// outpost ctl: the command line of the reference controller, over its admin REST API
// (agents/controller/README.md). Runs inline and exits; loads no LMDB, no pubsub, no protobuf.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { readSecret, writeFileDurable } from "@outpost/primitives";
import { Command, CommanderError, Option } from "commander";
import { parse as parseYaml } from "yaml";

interface Conn {
  /** The controller's data dir and the address it serves (its datastore too). */
  dir: string;
  server: string;
  host: string;
  port: number;
  /** The bearer token ("" when none was found: only login works). */
  token: string;
  /** Where the token came from, for error messages. */
  tokenFrom: string;
  ca: string;
}

class CtlError extends Error {}

/** Tokens of `ctl login`, one per controller address, in a file only the user may read. */
export function credentialsFile(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "outpost", "ctl-credentials.json");
}

interface Credential {
  user: string;
  token: string;
  id: string;
  expiresAt: string;
}

function readCredentials(): Record<string, Credential> {
  const f = credentialsFile();
  if (!existsSync(f)) return {};
  try {
    return JSON.parse(readFileSync(f, "utf8")) as Record<string, Credential>;
  } catch (e) {
    throw new CtlError(`${f}: not readable as JSON (${(e as Error).message}); remove it and log in again`);
  }
}

function writeCredentials(all: Record<string, Credential>): void {
  const f = credentialsFile();
  mkdirSync(join(f, ".."), { recursive: true, mode: 0o700 });
  writeFileDurable(f, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  chmodSync(f, 0o600);
}

/** The bearer token: OUTPOST_TOKEN (scripts), else `ctl login`'s for this controller, else the data
 * dir's single shared admin-token (a controller run with --insecure-single-token). */
function findToken(dir: string, server: string): { token: string; from: string } {
  const env = process.env.OUTPOST_TOKEN?.trim();
  if (env) return { token: env, from: "OUTPOST_TOKEN" };
  const cred = readCredentials()[server];
  if (cred) return { token: cred.token, from: `the login of ${cred.user} (${credentialsFile()})` };
  const single = join(dir, "admin-token");
  if (existsSync(single)) {
    try {
      return { token: readFileSync(single, "utf8").trim(), from: single };
    } catch {
      // not ours to read: the user logs in instead
    }
  }
  return { token: "", from: "" };
}

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CtlError(
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** Where the root came from: commander's option value source ("cli", "env", "default"). */
type Source = string | undefined;

function connection(o: { root: string; dataDir?: string }, from: { root: Source; dataDir: Source }): Conn {
  const dir = resolve(o.dataDir ?? join(o.root, "persist/controller"));
  // A missing address file almost always means the wrong data dir, not a broken controller: say which
  // dir was tried and how it was chosen, so the fix (--root / OUTPOST_ROOT) is in the message.
  if (!existsSync(join(dir, "server"))) {
    const chosen = o.dataDir
      ? from.dataDir === "env"
        ? `OUTPOST_CONTROLLER_DIR=${o.dataDir}`
        : `--data-dir ${o.dataDir}`
      : from.root === "env"
        ? `OUTPOST_ROOT=${o.root}`
        : from.root === "cli"
          ? `--root ${o.root}`
          : `the default root ${o.root}: no --root given and OUTPOST_ROOT is not set`;
    const hint =
      o.dataDir || from.root !== "default"
        ? "is a controller running with that root? It writes its address there when it starts"
        : "pass --root <dir> or set OUTPOST_ROOT to the root the controller runs with";
    throw new CtlError(`no controller at ${dir} (${chosen}); ${hint}`);
  }
  const server = readFile(join(dir, "server"), "controller address (is the controller running?)").trim();
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(server);
  const [host, port] = v6
    ? [v6[1] ?? "", Number(v6[2])]
    : [server.slice(0, server.lastIndexOf(":")), Number(server.slice(server.lastIndexOf(":") + 1))];
  const { token, from: tokenFrom } = findToken(dir, server);
  return {
    dir,
    server,
    host,
    port,
    token,
    tokenFrom,
    ca: readFile(join(dir, "pki/root.cert.pem"), "root certificate"),
  };
}

/** One admin API request: the answer's status and body; a connection failure as a CtlError. */
function exchange(
  c: Conn,
  method: string,
  path: string,
  data?: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: c.host,
        port: c.port,
        method,
        path: `/admin/v1/${path}`,
        ca: c.ca,
        minVersion: "TLSv1.2",
        agent: new Agent({ ca: c.ca }),
        headers: {
          ...(c.token ? { Authorization: `Bearer ${c.token}` } : {}),
          ...(data ? { "Content-Type": "application/json", "Content-Length": data.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () =>
          resolvePromise({ status: res.statusCode ?? 500, text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) =>
      reject(new CtlError(`cannot reach the controller at ${c.host}:${c.port}: ${e.code ?? e.message}`)),
    );
    req.end(data);
  });
}

/** What an error answer says: its JSON `error`, else the body as is. */
function errorText(text: string): string {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === "object" && v && "error" in v) return String((v as { error: unknown }).error);
  } catch {
    // not JSON: the text is the message
  }
  return text;
}

/** An admin call with a JSON answer (the text when it is not JSON); an HTTP error as a CtlError. */
async function call(c: Conn, method: string, path: string, body?: unknown): Promise<unknown> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const { status, text } = await exchange(c, method, path, data);
  if (status === 401 && path !== "login")
    throw new CtlError(
      c.token
        ? `${method} ${path}: HTTP 401: ${errorText(text)} (token from ${c.tokenFrom}; ctl login again)`
        : `${method} ${path}: HTTP 401: not logged in: ctl login --user NAME (or OUTPOST_TOKEN=<token>)`,
    );
  if (status >= 300) throw new CtlError(`${method} ${path}: HTTP ${status}: ${errorText(text)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** GET of an admin path whose answer is text (CSV): the body as is; errors as call() words them. */
async function getText(c: Conn, path: string): Promise<string> {
  const { status, text } = await exchange(c, "GET", path);
  if (status >= 300) throw new CtlError(`GET ${path.split("?")[0]}: HTTP ${status}: ${errorText(text)}`);
  return text;
}

/** Server-sent events of the admin API, one callback per event, until `signal` aborts. */
function follow(
  c: Conn,
  path: string,
  onEvent: (kind: string, data: string) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: c.host,
        port: c.port,
        path: `/admin/v1/${path}`,
        ca: c.ca,
        minVersion: "TLSv1.2",
        headers: { Authorization: `Bearer ${c.token}`, Accept: "text/event-stream" },
        signal,
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new CtlError(`follow: HTTP ${res.statusCode}`));
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          buf += d;
          let i = buf.indexOf("\n\n");
          while (i >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let kind = "message";
            const data: string[] = [];
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) kind = line.slice(7);
              else if (line.startsWith("data: ")) data.push(line.slice(6));
            }
            if (data.length) onEvent(kind, data.join("\n"));
            i = buf.indexOf("\n\n");
          }
        });
        res.on("end", () => resolvePromise());
        res.on("error", () => resolvePromise());
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) =>
      signal.aborted ? resolvePromise() : reject(new CtlError(`follow: ${e.message}`)),
    );
    req.end();
  });
}

function table(rows: Record<string, unknown>[], cols: string[]): string {
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? "")));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(cols.map((c) => c.toUpperCase())), ...cells.map(line)].join("\n");
}

/** One stored log record as a line: time, severity, source, app (short), content. */
export function logLine(r: unknown): string {
  const rec = (r ?? {}) as { key?: string; value?: Record<string, unknown> };
  const v = rec.value ?? {};
  let ts = "";
  if (typeof v.timestamp === "string") ts = v.timestamp;
  else if (v.timestamp && typeof v.timestamp === "object") {
    const t = v.timestamp as { seconds?: number; nanos?: number };
    ts = new Date(Number(t.seconds ?? 0) * 1000 + Math.floor(Number(t.nanos ?? 0) / 1e6)).toISOString();
  }
  const app = rec.key?.startsWith("app/") ? ` app=${rec.key.slice(4)}` : "";
  const sev = String(v.severity ?? "").padEnd(7);
  return `${ts} ${sev} ${String(v.source ?? "")}${app}: ${String(v.content ?? "")}`;
}

/** Reads a config document: YAML or JSON (JSON is YAML), from a file or "-" for stdin. */
export function readDocument(path: string): unknown {
  const text = path === "-" ? readFileSync(0, "utf8") : readFile(path, "config document");
  try {
    return parseYaml(text);
  } catch (e) {
    throw new CtlError(`${path}: not valid YAML/JSON: ${(e as Error).message}`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const out = (s: string): void => {
    process.stdout.write(`${s}\n`);
  };
  const json = (v: unknown): void => out(JSON.stringify(v, null, 2));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const program = new Command("ctl")
    .description("manage the reference controller: onboarding certificates, devices, configs, reports")
    .addOption(
      new Option("--root <dir>", "root whose persist/controller is the data dir")
        .env("OUTPOST_ROOT")
        .default("/"),
    )
    .addOption(new Option("--data-dir <dir>", "the controller's data dir").env("OUTPOST_CONTROLLER_DIR"))
    .option("--json", "JSON output for lists too", false)
    .exitOverride()
    .showHelpAfterError();
  const conn = () =>
    connection(program.opts<{ root: string; dataDir?: string }>(), {
      root: program.getOptionValueSource("root"),
      dataDir: program.getOptionValueSource("dataDir"),
    });
  const asJson = () => program.opts<{ json: boolean }>().json;
  const collect = (v: string, prev: string[]) => [...prev, v];

  const onboarding = program
    .command("onboarding")
    .description("onboarding certificates devices register with");
  onboarding.command("list").action(async () => {
    const list = (await call(conn(), "GET", "onboarding")) as Record<string, unknown>[];
    if (asJson()) return json(list);
    out(
      table(
        list.map((o) => ({
          ...o,
          id: String(o.id).slice(0, 16),
          serials: (o.serials as string[]).join(","),
        })),
        ["id", "serials", "subject", "addedAt"],
      ),
    );
  });
  onboarding
    .command("add <cert.pem>")
    .option("--serial <serial>", 'allowed serial (repeat; "*" = any)', collect, [])
    .option("--team <team>", 'the team owning it and the devices registering with it (default "default")')
    .action(async (file: string, o: { serial: string[]; team?: string }) => {
      json(
        await call(conn(), "POST", "onboarding", {
          cert: readFile(file, "certificate"),
          serials: o.serial.length ? o.serial : ["*"],
          ...(o.team !== undefined ? { team: o.team } : {}),
        }),
      );
    });
  onboarding
    .command("remove <id>")
    .description("id or a unique prefix of it")
    .action(async (id: string) => {
      json(await call(conn(), "DELETE", `onboarding/${encodeURIComponent(id)}`));
    });

  program
    .command("node-config <node-root>")
    .description(
      "create an onboarding cert+key and write server, root-certificate.pem and them into <node-root>/config/",
    )
    .option(
      "--serial <serial>",
      "allowed serial (repeat; default any); one serial is also written to config/serial",
      collect,
      [],
    )
    .option("--team <team>", 'the team owning the node (default "default")')
    .action(async (nodeRoot: string, o: { serial: string[]; team?: string }) => {
      const r = (await call(conn(), "POST", "node-config", {
        serials: o.serial.length ? o.serial : ["*"],
        ...(o.team !== undefined ? { team: o.team } : {}),
      })) as Record<string, string>;
      const dir = join(resolve(nodeRoot), "config");
      mkdirSync(dir, { recursive: true });
      writeFileDurable(join(dir, "server"), `${r.server}\n`);
      writeFileDurable(join(dir, "root-certificate.pem"), r.rootCertificate ?? "");
      writeFileDurable(join(dir, "onboard.cert.pem"), r.onboardCert ?? "");
      writeFileDurable(join(dir, "onboard.key.pem"), r.onboardKey ?? "", 0o600);
      chmodSync(join(dir, "onboard.key.pem"), 0o600);
      if (o.serial.length === 1 && o.serial[0] !== "*")
        writeFileDurable(join(dir, "serial"), `${o.serial[0]}\n`);
      out(`wrote server (${r.server}), root-certificate.pem, onboard.cert.pem, onboard.key.pem to ${dir}`);
    });

  const devices = program.command("devices").alias("device").description("registered devices");
  devices.command("list").action(async () => {
    const list = (await call(conn(), "GET", "devices")) as Record<string, unknown>[];
    if (asJson()) return json(list);
    out(table(list, ["uuid", "serial", "team", "registeredAt", "attested", "lastSeenAt"]));
  });
  devices
    .command("set-team <device> <team>")
    .description("move the device to another team (admin of both)")
    .action(async (d: string, team: string) => {
      json(await call(conn(), "PUT", `devices/${encodeURIComponent(d)}/team`, { team }));
    });
  devices
    .command("get <device>")
    .description("uuid, uuid prefix or serial")
    .action(async (d: string) => {
      json(await call(conn(), "GET", `devices/${encodeURIComponent(d)}`));
    });
  devices.command("remove <device>").action(async (d: string) => {
    json(await call(conn(), "DELETE", `devices/${encodeURIComponent(d)}`));
  });

  program
    .command("networks <device>")
    .description("the device's network instances as it last reported them: state, bridge, apps and their IPs")
    .action(async (d: string) => {
      const list = (await call(conn(), "GET", `devices/${encodeURIComponent(d)}/networks`)) as Record<
        string,
        unknown
      >[];
      if (asJson()) return json(list);
      const rows = list.flatMap((n) => {
        const apps = (n.apps as Record<string, unknown>[]) ?? [];
        const base = { ...n, error: n.error ?? "" };
        if (!apps.length) return [{ ...base, app: "", ips: "" }];
        return apps.map((a) => ({ ...base, app: a.app, ips: ((a.ips as string[]) ?? []).join(",") }));
      });
      out(table(rows, ["name", "type", "state", "bridge", "bridgeIp", "uplink", "app", "ips", "error"]));
    });

  for (const op of ["reboot", "shutdown"] as const)
    program
      .command(`${op} <device>`)
      .description(`bumps the ${op} counter in the device's config: the device does it once`)
      .action(async (d: string) => {
        json(await call(conn(), "POST", `devices/${encodeURIComponent(d)}/${op}`));
      });

  const config = program.command("config").description("a device's configuration");
  config
    .command("set <device> <file>")
    .description('set from a YAML or JSON document ("-" = stdin); prints the new version and config hash')
    .action(async (d: string, file: string) => {
      json(await call(conn(), "PUT", `devices/${encodeURIComponent(d)}/config`, readDocument(file)));
    });
  config.command("get <device>").action(async (d: string) => {
    json(await call(conn(), "GET", `devices/${encodeURIComponent(d)}/config`));
  });

  program
    .command("logs <device>")
    .description("the device's log lines (newest last): time, severity, source, app, content")
    .option("--app <uuid>", "only this app's lines (uuid or a prefix)")
    .option("--source <source>", "only lines of this source (agent, syslog tag, ...)")
    .option("--severity <[>=|=]level>", "e.g. >=warning (default >=), =info; syslog or logrus names")
    .option("--since <time|age>", "RFC 3339 time, or an age: 90s, 15m, 2h, 1d")
    .option("--grep <regexp>", "only lines whose content matches")
    .option("--limit <n>", "how many lines at most", "100")
    .option("-f, --follow", "then print every new matching line until interrupted", false)
    .action(
      async (
        d: string,
        o: {
          app?: string;
          source?: string;
          severity?: string;
          since?: string;
          grep?: string;
          limit: string;
          follow: boolean;
        },
      ) => {
        const c = conn();
        const dev = encodeURIComponent(d);
        const q = new URLSearchParams();
        for (const k of ["app", "source", "severity", "since", "grep"] as const) {
          const v = o[k];
          if (v !== undefined) q.set(k, v);
        }
        const show = (r: unknown) => out(asJson() ? JSON.stringify(r) : logLine(r));
        const list = (await call(
          c,
          "GET",
          `devices/${dev}/logs?limit=${Number(o.limit) || 100}&${q}`,
        )) as unknown[];
        if (!o.follow && asJson()) return json(list);
        for (const r of list) show(r);
        if (!o.follow) return;
        await follow(
          c,
          `devices/${dev}/follow?kinds=logs&${q}`,
          (_k, data) => show(JSON.parse(data)),
          stop.signal,
        );
      },
    );

  const baseos = program.command("baseos").description("the Outpost release a device runs (its A/B slots)");
  baseos
    .command("set <device> <release>")
    .description(
      "publish a release tarball (a file, or an http(s) URL fetched once) into the controller's datastore and make it the device's base OS",
    )
    .requiredOption("--version <v>", "the release's version (what its `outpost --version` prints)")
    .option("--retry", "bump retry_update: try again a version that failed on the device", false)
    .action(async (d: string, release: string, o: { version: string; retry: boolean }) => {
      if (!/^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/.test(o.version))
        throw new CtlError(`--version: expected letters, digits, . _ + - (got "${o.version}")`);
      const c = conn();
      let bytes: Buffer;
      if (/^https?:\/\//.test(release)) {
        const res = await fetch(release).catch((e: Error) => {
          throw new CtlError(`cannot fetch ${release}: ${e.message}`);
        });
        if (!res.ok) throw new CtlError(`cannot fetch ${release}: HTTP ${res.status}`);
        bytes = Buffer.from(await res.arrayBuffer());
      } else {
        try {
          bytes = readFileSync(release);
        } catch (e) {
          throw new CtlError(`cannot read release ${release}: ${(e as NodeJS.ErrnoException).code ?? e}`);
        }
      }
      const url = `baseos/outpost-${o.version}.tar.gz`;
      const file = join(c.dir, "datastore", url);
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(`${file}.tmp`, bytes);
      renameSync(`${file}.tmp`, file);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      let doc: Record<string, unknown> = {};
      try {
        doc = (
          (await call(c, "GET", `devices/${encodeURIComponent(d)}/config`)) as {
            doc: Record<string, unknown>;
          }
        ).doc;
      } catch (e) {
        if (!(e instanceof CtlError && e.message.includes("HTTP 404"))) throw e;
      }
      type Named = { id: string };
      const others = <T extends Named>(list: unknown, id: string) =>
        ((list as T[] | undefined) ?? []).filter((x) => x.id !== id);
      const dsId = "outpost-releases";
      const ctId = `outpost-${o.version}`;
      const prev = doc.baseos as { retryUpdate?: number } | undefined;
      doc.datastores = [
        ...others(doc.datastores, dsId),
        { id: dsId, type: "https", fqdn: `https://${c.server}`, path: "datastore" },
      ];
      // The release set before this one is no longer wanted: only the new one stays in the document.
      doc.contentTrees = [
        ...others<Named & { datastore?: string }>(doc.contentTrees, ctId).filter((t) => t.datastore !== dsId),
        { id: ctId, datastore: dsId, url, format: "raw", sha256 },
      ];
      doc.baseos = {
        contentTree: ctId,
        version: o.version,
        activate: true,
        retryUpdate: (prev?.retryUpdate ?? 0) + (o.retry ? 1 : 0),
      };
      const r = (await call(c, "PUT", `devices/${encodeURIComponent(d)}/config`, doc)) as Record<
        string,
        unknown
      >;
      json({ ...r, release: { version: o.version, url, sha256, bytes: bytes.length } });
    });

  for (const kind of ["info", "metrics"] as const) {
    program
      .command(`${kind} <device>`)
      .description(
        `the device's ${kind === "info" ? "latest info per object" : `latest ${kind}`} (decoded, JSON)`,
      )
      .option("-f, --follow", "then print every new report as one JSON line until interrupted", false)
      .option("--limit <n>", "how many (metrics, logs)", "20")
      .action(async (d: string, o: { follow: boolean; limit: string }) => {
        const c = conn();
        const dev = encodeURIComponent(d);
        const list = await call(c, "GET", `devices/${dev}/${kind}?limit=${Number(o.limit) || 20}`);
        if (!o.follow) return json(list);
        for (const r of list as unknown[]) out(JSON.stringify(r));
        await follow(c, `devices/${dev}/follow?kinds=${kind}`, (_k, data) => out(data), stop.signal);
      });
  }

  // --- inventory and reports (agents/controller/src/inventory/README.md) ---
  const cell = (v: unknown) => (Array.isArray(v) ? v.join(" ") : v);
  const showRows = (rows: Record<string, unknown>[], cols: string[]) =>
    out(
      table(
        rows.map((r) => Object.fromEntries(cols.map((c) => [c, cell(r[c])]))),
        cols,
      ),
    );
  const formatOpt = () =>
    new Option("--format <format>", "table, json or csv (RFC 4180)")
      .choices(["table", "json", "csv"])
      .default("table");
  const query = (
    o: { filter?: string; tag?: string; sort?: string; format?: string },
    extra = new URLSearchParams(),
  ) => {
    for (const k of ["filter", "tag", "sort"] as const) {
      const v = o[k];
      if (v !== undefined) extra.set(k, v);
    }
    if (o.format === "csv") extra.set("format", "csv");
    return extra.toString();
  };
  const inventory = program
    .command("inventory")
    .description("the fleet as the devices report it: hardware, versions, network, apps, warnings");
  const LIST_COLUMNS = {
    devices: [
      "serial",
      "name",
      "team",
      "tags",
      "state",
      "version",
      "arch",
      "cpus",
      "memoryMB",
      "ips",
      "lastSeen",
      "warnings",
    ],
    apps: ["serial", "team", "name", "uuid", "state", "version", "ips", "error"],
    volumes: ["serial", "team", "name", "uuid", "state", "progressPct", "sizeMB", "error"],
  };
  for (const kind of ["devices", "apps", "volumes"] as const)
    inventory
      .command(kind)
      .description(`every ${kind.slice(0, -1)}, one row each (--json: every field)`)
      .option(
        "--filter <expr>",
        "e.g. 'state=online and version<0.2.0' (fields, = != < <= > >= ~ !~, and/or/not)",
      )
      .option("--tag <tag>", "only devices with this tag")
      .option("--sort <fields>", "comma-separated fields, -field descending")
      .addOption(formatOpt())
      .action(async (o: { filter?: string; tag?: string; sort?: string; format: string }) => {
        const c = conn();
        const q = query(o);
        if (o.format === "csv") return void process.stdout.write(await getText(c, `inventory/${kind}?${q}`));
        const rows = (await call(c, "GET", `inventory/${kind}?${q}`)) as Record<string, unknown>[];
        if (asJson() || o.format === "json") return json(rows);
        showRows(rows, LIST_COLUMNS[kind]);
      });
  inventory
    .command("get <device>")
    .description("one device's inventory row, its apps, warnings and labels (JSON)")
    .action(async (d: string) =>
      json(await call(conn(), "GET", `inventory/devices/${encodeURIComponent(d)}`)),
    );
  inventory
    .command("warnings")
    .description("what looks wrong: devices not seen, the same IP twice in a team, apps in error, ...")
    .option("--filter <expr>", "only for devices matching this filter")
    .option("--tag <tag>", "only for devices with this tag")
    .action(async (o: { filter?: string; tag?: string }) => {
      const rows = (await call(conn(), "GET", `inventory/warnings?${query(o)}`)) as Record<string, unknown>[];
      if (asJson()) return json(rows);
      showRows(rows, ["serial", "team", "kind", "message"]);
    });
  inventory
    .command("label <device>")
    .description("set a device's tags, team and location (what is not given is kept)")
    .option("--tag <tag>", "the device's tags: replaces them all (repeat)", collect, [])
    .option("--add-tag <tag>", "add a tag (repeat)", collect, [])
    .option("--remove-tag <tag>", "remove a tag (repeat)", collect, [])
    .option("--no-tags", "remove every tag")
    .option("--team <team>", 'the team owning the device ("" = none)')
    .option("--location <text>", 'where the device is ("" = unknown)')
    .action(
      async (
        d: string,
        o: {
          tag: string[];
          addTag: string[];
          removeTag: string[];
          tags: boolean;
          team?: string;
          location?: string;
        },
      ) => {
        const c = conn();
        const dev = encodeURIComponent(d);
        const body: Record<string, unknown> = {};
        if (!o.tags) body.tags = [];
        else if (o.tag.length || o.addTag.length || o.removeTag.length) {
          let tags = o.tag;
          if (!tags.length) {
            const cur = (await call(c, "GET", `inventory/devices/${dev}`)) as { labels: { tags: string[] } };
            tags = cur.labels.tags;
          }
          body.tags = [...tags, ...o.addTag].filter((t) => !o.removeTag.includes(t));
        }
        if (o.team !== undefined) body.team = o.team;
        if (o.location !== undefined) body.location = o.location;
        json(await call(c, "PUT", `inventory/devices/${dev}/labels`, body));
      },
    );

  const report = program.command("report").description("saved, parameterised queries over the inventory");
  report.command("list").action(async () => {
    const list = (await call(conn(), "GET", "reports")) as Record<string, unknown>[];
    if (asJson()) return json(list);
    showRows(
      list.map((r) => ({
        ...r,
        kind: r.builtin ? "built-in" : "saved",
        params: (r.params as { name: string; default?: string }[])
          .map((p) => (p.default !== undefined ? `${p.name}=${p.default}` : p.name))
          .join(" "),
      })),
      ["name", "kind", "rows", "params", "description"],
    );
  });
  report
    .command("show <name>")
    .action(async (n: string) => json(await call(conn(), "GET", `reports/${encodeURIComponent(n)}`)));
  report
    .command("save <file>")
    .description(
      'save a report from a YAML or JSON document ("-" = stdin): name, description, rows, filter, params, sort, columns, groupBy',
    )
    .action(async (file: string) => json(await call(conn(), "POST", "reports", readDocument(file))));
  report
    .command("delete <name>")
    .action(async (n: string) => json(await call(conn(), "DELETE", `reports/${encodeURIComponent(n)}`)));
  report
    .command("run <name>")
    .description("run a report: rows as a table, JSON or CSV")
    .option("--param <k=v>", "a parameter of the report (repeat)", collect, [])
    .option("--filter <expr>", "and also this filter")
    .option("--tag <tag>", "only devices with this tag")
    .option("--sort <fields>", "instead of the report's sort")
    .addOption(formatOpt())
    .action(
      async (
        n: string,
        o: { param: string[]; filter?: string; tag?: string; sort?: string; format: string },
      ) => {
        const c = conn();
        const q = new URLSearchParams();
        for (const p of o.param) {
          const i = p.indexOf("=");
          if (i <= 0) throw new CtlError(`--param: expected k=v, got "${p}"`);
          q.set(p.slice(0, i), p.slice(i + 1));
        }
        const path = `reports/${encodeURIComponent(n)}/run?${query(o, q)}`;
        if (o.format === "csv") return void process.stdout.write(await getText(c, path));
        const rows = (await call(c, "GET", path)) as Record<string, unknown>[];
        if (asJson() || o.format === "json") return json(rows);
        showRows(rows, Object.keys(rows[0] ?? {}));
      },
    );

  const rollout = program
    .command("rollout")
    .description(
      "set a config fragment on many devices in waves, each gated on the devices reporting healthy",
    );
  const seconds = (v: string): number => {
    const m = /^(\d+)(s|m|h)?$/.exec(v);
    if (!m) throw new CtlError(`--deadline: expected seconds or 90s, 10m, 1h; got "${v}"`);
    return Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[m[2] ?? "s"] ?? 1);
  };
  const showRollout = (r: Record<string, unknown>) => {
    if (asJson()) return json(r);
    const waves = r.waves as number[];
    out(
      `rollout ${r.id}: ${r.state}, wave ${Math.min(Number(r.wave) + 1, waves.length)} of ${waves.length} (${waves.join(", ")} devices), deadline ${r.deadlineS} s per wave`,
    );
    const f = r.failure as { serial: string; device: string; wave: number; reason: string } | undefined;
    if (f) out(`failed: device ${f.serial} (${f.device}) in wave ${f.wave + 1}: ${f.reason}`);
    showRows(
      (r.devices as Record<string, unknown>[]).map((d) => ({
        ...d,
        wave: Number(d.wave) + 1,
        detail: d.reason ?? d.waiting ?? "",
      })),
      ["wave", "serial", "uuid", "state", "configVersion", "detail"],
    );
  };
  rollout
    .command("create")
    .description("plan and start a rollout to the devices matching now")
    .requiredOption(
      "--fragment <file>",
      'YAML/JSON: apps (+ their volumes, contentTrees, datastores), configItems, baseos ("-" = stdin)',
    )
    .option("--filter <expr>", "devices matching this inventory filter (default all)")
    .option("--tag <tag>", "only devices with this tag")
    .option("--waves <spec>", "wave sizes: counts, percentages and rest", "1,10%,rest")
    .option(
      "--deadline <time>",
      "how long a wave's devices have to report healthy (s, or 90s, 10m, 1h)",
      "10m",
    )
    .action(
      async (o: { fragment: string; filter?: string; tag?: string; waves: string; deadline: string }) => {
        const r = (await call(conn(), "POST", "rollouts", {
          fragment: readDocument(o.fragment),
          waves: o.waves,
          deadlineS: seconds(o.deadline),
          ...(o.filter !== undefined ? { filter: o.filter } : {}),
          ...(o.tag !== undefined ? { tag: o.tag } : {}),
        })) as Record<string, unknown>;
        showRollout(r);
      },
    );
  rollout.command("list").action(async () => {
    const list = (await call(conn(), "GET", "rollouts")) as Record<string, unknown>[];
    if (asJson()) return json(list);
    showRows(
      list.map((r) => ({
        ...r,
        devices: (r.devices as unknown[]).length,
        waves: (r.waves as number[]).join(","),
        failed: (r.failure as { serial?: string } | undefined)?.serial ?? "",
      })),
      ["id", "state", "createdAt", "filter", "tag", "devices", "waves", "failed"],
    );
  });
  rollout
    .command("status <id>")
    .description("the rollout's state, each device's wave and state, and which device failed and why")
    .option("--wait", "wait until it is done, failed or aborted; exit 1 unless done", false)
    .action(async (id: string, o: { wait: boolean }) => {
      const c = conn();
      let r = (await call(c, "GET", `rollouts/${encodeURIComponent(id)}`)) as Record<string, unknown>;
      while (o.wait && (r.state === "running" || r.state === "paused") && !stop.signal.aborted) {
        await new Promise((res) => setTimeout(res, 1000));
        r = (await call(c, "GET", `rollouts/${encodeURIComponent(id)}`)) as Record<string, unknown>;
      }
      showRollout(r);
      if (o.wait && r.state !== "done") throw new CtlError(`rollout ${id} ${r.state}`);
    });
  for (const op of ["pause", "resume", "abort"] as const)
    rollout
      .command(`${op} <id>`)
      .description(
        op === "pause"
          ? "start no further wave (the current one is still judged when resumed)"
          : op === "resume"
            ? "carry on; the current wave gets its whole deadline again"
            : "stop for good; configs already set stay set",
      )
      .action(async (id: string) => {
        showRollout(
          (await call(conn(), "POST", `rollouts/${encodeURIComponent(id)}/${op}`)) as Record<string, unknown>,
        );
      });
  // --- end inventory, reports and rollouts ---

  // --- users, teams, roles, tokens, audit (agents/controller/README.md: Users, teams and roles) ---
  const ttlSeconds = (flag: string, v: string): number => {
    const m = /^(\d+)(s|m|h|d)?$/.exec(v);
    if (!m) throw new CtlError(`${flag}: expected seconds or 45m, 12h, 90d; got "${v}"`);
    return Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? "s"] ?? 1);
  };
  program
    .command("login")
    .description("log in to the controller: stores a personal token (0600) for this controller")
    .requiredOption("--user <name>", "your user name")
    .option(
      "--password-file <file>",
      "the password, from a file only you may read (else asked on the terminal)",
    )
    .option("--ttl <time>", "how long the token lives (e.g. 12h, 30d; default the controller's: 30d)")
    .action(async (o: { user: string; passwordFile?: string; ttl?: string }) => {
      const c = conn();
      const password = await readSecret({
        file: o.passwordFile,
        flag: "--password-file",
        prompt: `password for ${o.user}: `,
      });
      const r = (await call({ ...c, token: "" }, "POST", "login", {
        user: o.user,
        password,
        ...(o.ttl ? { ttlS: ttlSeconds("--ttl", o.ttl) } : {}),
      })) as { token: string; id: string; user: string; expiresAt: string };
      const all = readCredentials();
      all[c.server] = { user: r.user, token: r.token, id: r.id, expiresAt: r.expiresAt };
      writeCredentials(all);
      out(
        `logged in to ${c.server} as ${r.user} (token ${r.id}, expires ${r.expiresAt}; kept in ${credentialsFile()})`,
      );
    });
  program
    .command("logout")
    .description("revoke this controller's login token and forget it")
    .action(async () => {
      const c = conn();
      const all = readCredentials();
      const cred = all[c.server];
      if (!cred) throw new CtlError(`not logged in to ${c.server}`);
      try {
        await call({ ...c, token: cred.token }, "DELETE", `tokens/${encodeURIComponent(cred.id)}`);
      } catch (e) {
        // An expired or revoked token cannot revoke itself: forgetting it is all that is left.
        if (!(e instanceof CtlError && e.message.includes("HTTP 401"))) throw e;
      }
      delete all[c.server];
      writeCredentials(all);
      out(`logged out of ${c.server} (token ${cred.id} revoked)`);
    });
  program
    .command("whoami")
    .description("who the controller takes you for, and your role in each team")
    .action(async () => {
      const r = (await call(conn(), "GET", "whoami")) as {
        user: string;
        tokenId?: string;
        superuser: boolean;
        roles: Record<string, string>;
      };
      if (asJson()) return json(r);
      out(
        `${r.user}${r.tokenId ? ` (token ${r.tokenId})` : ""}${r.superuser ? " (single shared token: admin of every team)" : ""}`,
      );
      for (const [team, role] of Object.entries(r.roles)) out(`  ${team}: ${role}`);
    });

  const user = program.command("user").description("users of the admin API (admin)");
  user
    .command("add <name>")
    .option("--password-file <file>", "the password, from a file only you may read (else asked twice)")
    .action(async (name: string, o: { passwordFile?: string }) => {
      const password = await readSecret({
        file: o.passwordFile,
        flag: "--password-file",
        prompt: `password for ${name}: `,
        confirm: true,
      });
      json(await call(conn(), "POST", "users", { name, password }));
    });
  user.command("list").action(async () => {
    const list = (await call(conn(), "GET", "users")) as Record<string, unknown>[];
    if (asJson()) return json(list);
    showRows(
      list.map((u) => ({
        ...u,
        roles: Object.entries(u.roles as Record<string, string>)
          .map(([t, r]) => `${t}:${r}`)
          .join(" "),
      })),
      ["name", "disabled", "roles", "createdAt"],
    );
  });
  user
    .command("passwd <name>")
    .description("set a user's password (your own: your current one is asked unless you are an admin)")
    .option("--password-file <file>", "the new password (else asked twice)")
    .option("--current-password-file <file>", "your current password (else asked when needed)")
    .action(async (name: string, o: { passwordFile?: string; currentPasswordFile?: string }) => {
      const c = conn();
      const me = (await call(c, "GET", "whoami")) as {
        user: string;
        superuser: boolean;
        roles: Record<string, string>;
      };
      const admin = me.superuser || Object.values(me.roles).includes("admin");
      const current =
        me.user === name && !admin
          ? await readSecret({
              file: o.currentPasswordFile,
              flag: "--current-password-file",
              prompt: "current password: ",
            })
          : undefined;
      const password = await readSecret({
        file: o.passwordFile,
        flag: "--password-file",
        prompt: `new password for ${name}: `,
        confirm: true,
      });
      json(
        await call(c, "PUT", `users/${encodeURIComponent(name)}/password`, {
          password,
          ...(current !== undefined ? { current } : {}),
        }),
      );
    });
  for (const op of ["disable", "enable"] as const)
    user
      .command(`${op} <name>`)
      .description(op === "disable" ? "refuse the user's logins and tokens" : "allow them again")
      .action(async (name: string) =>
        json(await call(conn(), "POST", `users/${encodeURIComponent(name)}/${op}`)),
      );

  const team = program.command("team").description("teams own devices and onboarding certificates");
  team
    .command("add <name>")
    .description("a new team; you become its admin")
    .action(async (name: string) => json(await call(conn(), "POST", "teams", { name })));
  team.command("list").action(async () => {
    const list = (await call(conn(), "GET", "teams")) as Record<string, unknown>[];
    if (asJson()) return json(list);
    showRows(list, ["name", "role", "createdAt"]);
  });

  const role = program.command("role").description("a user's role in a team: viewer, operator or admin");
  role
    .command("grant <user> <team> <role>")
    .description(
      "viewer: read; operator: configs, reboots, updates, rollouts; admin: users, onboarding, teams",
    )
    .action(async (u: string, t: string, r: string) =>
      json(
        await call(conn(), "PUT", `teams/${encodeURIComponent(t)}/roles/${encodeURIComponent(u)}`, {
          role: r,
        }),
      ),
    );
  role
    .command("revoke <user> <team> [role]")
    .action(async (u: string, t: string) =>
      json(await call(conn(), "DELETE", `teams/${encodeURIComponent(t)}/roles/${encodeURIComponent(u)}`)),
    );
  role.command("list").action(async () => {
    const list = (await call(conn(), "GET", "roles")) as Record<string, unknown>[];
    if (asJson()) return json(list);
    showRows(list, ["user", "team", "role"]);
  });

  const token = program
    .command("token")
    .description("personal API tokens (Authorization: Bearer, OUTPOST_TOKEN)");
  token
    .command("create")
    .description("a new token, printed once (only its sha256 is kept)")
    .requiredOption("--name <text>", "what it is for")
    .option("--ttl <time>", "how long it lives (e.g. 12h, 90d)", "90d")
    .action(async (o: { name: string; ttl: string }) => {
      const r = (await call(conn(), "POST", "tokens", {
        name: o.name,
        ttlS: ttlSeconds("--ttl", o.ttl),
      })) as Record<string, unknown>;
      if (asJson()) return json(r);
      out(String(r.token));
      process.stderr.write(`token ${r.id} (${r.name}) expires ${r.expiresAt}; it is not shown again\n`);
    });
  token
    .command("list")
    .option("--user <name>", "another user's (admin)")
    .action(async (o: { user?: string }) => {
      const list = (await call(
        conn(),
        "GET",
        `tokens${o.user ? `?user=${encodeURIComponent(o.user)}` : ""}`,
      )) as Record<string, unknown>[];
      if (asJson()) return json(list);
      showRows(list, ["id", "user", "name", "createdAt", "expiresAt", "revokedAt"]);
    });
  token
    .command("revoke <id>")
    .action(async (id: string) => json(await call(conn(), "DELETE", `tokens/${encodeURIComponent(id)}`)));

  program
    .command("audit")
    .description("the audit trail, newest first: who changed what, when, from where (admin)")
    .option("--user <name>", "only this user's changes")
    .option("--device <d>", "only changes to this device (uuid, prefix or serial)")
    .option("--since <time|age>", "RFC 3339 time, or an age: 90s, 15m, 2h, 1d")
    .option("--limit <n>", "how many at most", "100")
    .action(async (o: { user?: string; device?: string; since?: string; limit: string }) => {
      const q = new URLSearchParams({ limit: String(Number(o.limit) || 100) });
      if (o.user) q.set("user", o.user);
      if (o.device) q.set("device", o.device);
      if (o.since) q.set("since", o.since);
      const r = (await call(conn(), "GET", `audit?${q}`)) as {
        entries: Record<string, unknown>[];
        kept: number;
        removedByRetention: number;
      };
      if (asJson()) return json(r);
      showRows(
        r.entries.map((e) => ({
          ...e,
          token: e.tokenId ?? "",
          detail: e.detail ? JSON.stringify(e.detail) : "",
        })),
        ["at", "actor", "token", "remote", "action", "object", "team", "detail"],
      );
      process.stderr.write(`${r.kept} entries kept, ${r.removedByRetention} removed by retention\n`);
    });
  // --- end users, teams, roles, tokens, audit ---

  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    process.stderr.write(`ctl: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
