// A real PostgreSQL server for tests and benchmarks: initdb in a temp dir, the server on 127.0.0.1
// and a free port (its unix socket in the same dir), password authentication (scram-sha-256) with a
// random password, stopped and removed by stop(). PostgreSQL refuses to run as root: as root, the dir
// is given to the `postgres` user and the server runs as it (runuser). Binaries: Debian's
// /usr/lib/postgresql/<v>/bin (package postgresql, build/host-setup.sh), or initdb on PATH.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./registry.js";

/** The bin dir holding initdb and pg_ctl: the newest Debian cluster version, else PATH. */
export function postgresBinDir(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], "bin");
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  const path = which.stdout.trim();
  return which.status === 0 && path ? join(path, "..") : undefined;
}

export class TestPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly password: string,
    private readonly runAs: string[],
    private readonly bin: string,
  ) {}

  /** postgres://postgres@127.0.0.1:<port>/<db>: no password in it (give `password` or `env`). */
  url(db = "postgres"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }
  /** The environment a client needs besides the URL. */
  get env(): Record<string, string> {
    return { PGPASSWORD: this.password };
  }

  /** `durable`: keep fsync and synchronous commit on (benchmarks comparing with LMDB, which syncs);
   * tests run without them. */
  static async start(o: { prefix?: string; durable?: boolean } = {}): Promise<TestPostgres> {
    const bin = postgresBinDir();
    if (!bin)
      throw new Error(
        "no PostgreSQL server binaries (initdb): install Debian's postgresql (build/host-setup.sh)",
      );
    const dir = mkdtempSync(join(tmpdir(), o.prefix ?? "op-pg-"));
    const root = process.getuid?.() === 0;
    const runAs = root ? ["runuser", "-u", "postgres", "--"] : [];
    const password = randomBytes(18).toString("base64url");
    const pwfile = join(dir, "pwfile");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (root) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(dir, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    const run = (cmd: string, args: string[]) => {
      const [exe, ...pre] = [...runAs, join(bin, cmd)];
      const r = spawnSync(exe as string, [...pre, ...args], { encoding: "utf8", cwd: dir, timeout: 60_000 });
      if (r.status !== 0)
        throw new Error(
          `${cmd} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || "").trim().slice(-2000)}`,
        );
    };
    const pg = new TestPostgres(dir, 0, password, runAs, bin);
    try {
      run("initdb", [
        "-D",
        join(dir, "data"),
        "-U",
        "postgres",
        "--auth=scram-sha-256",
        `--pwfile=${pwfile}`,
        "-E",
        "UTF8",
        "--no-sync",
      ]);
      rmSync(pwfile, { force: true });
      // A port can be taken between freePort and the server's bind: try a few.
      for (let attempt = 0; ; attempt++) {
        const port = await freePort();
        try {
          run("pg_ctl", [
            "-D",
            join(dir, "data"),
            "-l",
            join(dir, "server.log"),
            "-w",
            "-t",
            "30",
            "-o",
            // Tests do not need crash safety of the test server: no fsync makes them fast.
            `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200${o.durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"}`,
            "start",
          ]);
          return Object.assign(pg, { port }) as TestPostgres;
        } catch (e) {
          if (attempt >= 3) throw e;
        }
      }
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** A new empty database (each test suite its own). */
  createDatabase(name: string): string {
    const [exe, ...pre] = [...this.runAs, join(this.bin, "psql")];
    const r = spawnSync(
      exe as string,
      [...pre, "-h", this.dir, "-p", String(this.port), "-U", "postgres", "-c", `create database "${name}"`],
      { encoding: "utf8", env: { ...process.env, ...this.env }, cwd: this.dir },
    );
    if (r.status !== 0) throw new Error(`create database ${name}: ${r.stderr.trim()}`);
    return this.url(name);
  }

  /** The postmaster's pid (its children are the server's other processes). */
  pid(): number {
    try {
      return Number(
        execFileSync("head", ["-1", join(this.dir, "data", "postmaster.pid")], { encoding: "utf8" }).trim(),
      );
    } catch {
      return 0;
    }
  }

  /** The server's log (startup failures, errors of statements). */
  log(): string {
    try {
      return execFileSync("cat", [join(this.dir, "server.log")], { encoding: "utf8" });
    } catch {
      return "";
    }
  }

  async stop(): Promise<void> {
    const [exe, ...pre] = [...this.runAs, join(this.bin, "pg_ctl")];
    spawnSync(exe as string, [...pre, "-D", join(this.dir, "data"), "-m", "fast", "-w", "-t", "30", "stop"], {
      cwd: this.dir,
      timeout: 40_000,
    });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
