// A throwaway OCI registry for tests: Debian's docker-registry bound to 127.0.0.1 on a free port, with
// its own temp storage and optional htpasswd (basic) auth, plus `push` of a local image into it.
// Docker treats 127.0.0.0/8 registries as insecure, so plain http works without daemon changes.
// Test-only: never imported by an agent.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./wait.js";

export const REGISTRY_BIN = "/usr/bin/docker-registry";

export interface RegistryOptions {
  /** Require basic auth (htpasswd, bcrypt) with these credentials. */
  auth?: { username: string; password: string };
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** An htpasswd line with a bcrypt hash (docker-registry accepts only bcrypt). Node has no bcrypt, so
 * glibc's crypt(3) through python3 makes it. */
export function htpasswdLine(username: string, password: string): string {
  const hash = execFileSync(
    "python3",
    [
      "-W",
      "ignore",
      "-c",
      "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))",
      password,
    ],
    { encoding: "utf8" },
  ).trim();
  if (!hash.startsWith("$2")) throw new Error(`python3 crypt did not produce a bcrypt hash: ${hash}`);
  return `${username}:${hash}\n`;
}

export class TestRegistry {
  private constructor(
    private readonly proc: ChildProcess,
    /** Temp dir holding the config, storage and docker client config. */
    readonly dir: string,
    readonly port: number,
    readonly opts: RegistryOptions,
    private readonly output: () => string,
  ) {}

  /** Starts docker-registry and waits until /v2/ answers (200, or 401 with auth). */
  static async start(opts: RegistryOptions = {}): Promise<TestRegistry> {
    const dir = mkdtempSync(join(tmpdir(), "op-reg-"));
    const port = await freePort();
    let auth = "";
    if (opts.auth) {
      writeFileSync(join(dir, "htpasswd"), htpasswdLine(opts.auth.username, opts.auth.password));
      auth = `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${join(dir, "htpasswd")}\n`;
    }
    const config = [
      "version: 0.1",
      "log:",
      "  level: warn",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "storage")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: 127.0.0.1:${port}`,
      auth,
    ].join("\n");
    writeFileSync(join(dir, "config.yml"), config);
    const proc = spawn(REGISTRY_BIN, ["serve", join(dir, "config.yml")], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    const reg = new TestRegistry(proc, dir, port, opts, () => out);
    try {
      await waitFor(
        async () => {
          if (proc.exitCode !== null) throw new Error(`docker-registry exited (${proc.exitCode}): ${out}`);
          try {
            const r = await fetch(`http://127.0.0.1:${port}/v2/`);
            return r.status === 200 || r.status === 401;
          } catch {
            return false; // not listening yet
          }
        },
        15_000,
        () => `docker-registry to answer on 127.0.0.1:${port}: ${out}`,
        100,
      );
    } catch (e) {
      await reg.stop();
      throw e;
    }
    return reg;
  }

  /** "127.0.0.1:<port>" — DatastoreConfig.fqdn for this registry (with insecure: true). */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get logs(): string {
    return this.output();
  }

  /** Pushes a local Docker image as `<repo>:<tag>` into this registry; returns the manifest digest
   * ("sha256:...") docker reports. The temporary registry tag is removed from the engine again. */
  push(localImage: string, repoTag: string): string {
    const ref = `${this.host}/${repoTag}`;
    const dockerConfig = join(this.dir, "docker-config");
    const docker = (args: string[], input?: string) =>
      execFileSync("docker", ["--config", dockerConfig, ...args], {
        encoding: "utf8",
        input,
        stdio: ["pipe", "pipe", "pipe"],
      });
    if (this.opts.auth)
      docker(
        ["login", "-u", this.opts.auth.username, "--password-stdin", this.host],
        this.opts.auth.password,
      );
    docker(["tag", localImage, ref]);
    try {
      const out = docker(["push", ref]);
      const m = /digest: (sha256:[0-9a-f]{64})/.exec(out);
      if (!m) throw new Error(`no digest in docker push output: ${out}`);
      return m[1] as string;
    } finally {
      docker(["rmi", ref]);
    }
  }

  /** Pushes an image made of the given bytes through the registry's HTTP API (monolithic blob
   * uploads, then a schema 2 manifest): `layers` need not be tarballs, so a test can make an image the
   * engine refuses to load. Returns the manifest digest ("sha256:..."). */
  async pushRaw(repo: string, tag: string, image: { config: Buffer; layers: Buffer[] }): Promise<string> {
    const base = `http://${this.host}/v2/${repo}`;
    const headers: Record<string, string> = this.opts.auth
      ? {
          authorization: `Basic ${Buffer.from(`${this.opts.auth.username}:${this.opts.auth.password}`).toString("base64")}`,
        }
      : {};
    const digest = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
    const upload = async (b: Buffer) => {
      const start = await fetch(`${base}/blobs/uploads/`, { method: "POST", headers });
      const location = start.headers.get("location");
      if (start.status !== 202 || !location) throw new Error(`blob upload start: HTTP ${start.status}`);
      const url = new URL(location, base);
      url.searchParams.set("digest", digest(b));
      const put = await fetch(url, {
        method: "PUT",
        headers: { ...headers, "content-type": "application/octet-stream" },
        body: b,
      });
      if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
      return { digest: digest(b), size: b.length };
    };
    const config = await upload(image.config);
    const layers = [];
    for (const l of image.layers) layers.push(await upload(l));
    const mediaType = "application/vnd.docker.distribution.manifest.v2+json";
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: { mediaType: "application/vnd.docker.container.image.v1+json", ...config },
        layers: layers.map((l) => ({ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", ...l })),
      }),
    );
    const put = await fetch(`${base}/manifests/${tag}`, {
      method: "PUT",
      headers: { ...headers, "content-type": mediaType },
      body: manifest,
    });
    if (put.status !== 201) throw new Error(`manifest upload: HTTP ${put.status} ${await put.text()}`);
    return digest(manifest);
  }

  async stop(): Promise<void> {
    if (this.proc.pid && this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise<void>((r) => this.proc.once("exit", () => r()));
      try {
        process.kill(-this.proc.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
