// build/host-setup.sh on a host that is not ready. As a user who is not root it must change nothing,
// say exactly what to run as root, and exit non-zero (so `make test` / `make demo` stop right there):
// run as the real unprivileged user `nobody` (setpriv), with the Docker engine made unreachable
// (DOCKER_HOST at a socket that does not exist) or with docker missing from PATH. As root, a dockerd
// that fails or never answers must end in a clear error with its log's tail; a second real dockerd
// cannot run beside the shared engine, so a stand-in script plays that dockerd.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "@outpost/testkit";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = join(REPO, "build/host-setup.sh");
const HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function asNobody(env: Record<string, string>) {
  return spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", SCRIPT], {
    env: { HOME: "/nonexistent", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

/** A directory holding every command of this host's PATH except `leaveOut`. */
function pathWithout(dir: string, leaveOut: string[]): string {
  mkdirSync(dir);
  for (const from of HOST_PATH.split(":")) {
    let names: string[] = [];
    try {
      names = readdirSync(from);
    } catch {
      continue;
    }
    for (const name of names) {
      if (leaveOut.includes(name)) continue;
      try {
        symlinkSync(join(from, name), join(dir, name));
      } catch {
        // earlier PATH entries win, as they do for the shell
      }
    }
  }
  return dir;
}

describe("host-setup.sh as a user who is not root", () => {
  const tmp = mkdtempSync(join(tmpdir(), "op-host-setup-"));
  chmodSync(tmp, 0o755); // nobody runs the commands linked in here
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("with no Docker engine answering: names the commands to run as root and exits 1", () => {
    const r = asNobody({ PATH: HOST_PATH, DOCKER_HOST: `unix://${join(tmp, "no-such-docker.sock")}` });
    expect(r.stderr).toContain("host-setup: this host is not ready and nobody is not root:");
    expect(r.stderr).toContain("no Docker engine answers to nobody");
    expect(r.stderr).toContain("systemctl start docker");
    expect(r.stderr).toContain("usermod -aG docker nobody");
    // Every package is installed on this host, so it must not ask for one.
    expect(r.stderr).not.toContain("apt-get install");
    expect(r.status).toBe(1);
  });

  it("with docker missing from PATH: asks for docker.io and the engine, and exits 1", () => {
    const bin = pathWithout(join(tmp, "bin"), ["docker", "dockerd"]);
    const r = asNobody({ PATH: bin });
    expect(r.stderr).toContain("missing Debian packages: docker.io");
    expect(r.stderr).toContain("run as root, then run this again:");
    expect(r.stderr).toMatch(/^ {2}apt-get update && apt-get install -y docker\.io$/m);
    expect(r.stderr).toContain("systemctl start docker");
    expect(r.status).toBe(1);
  });
});

// The script's own bound on dockerd (2 s here) plus a few probes of the engine.
describe("host-setup.sh as root (as the suite runs), when dockerd does not come up", {
  timeout: 30_000,
}, () => {
  const tmp = mkdtempSync(join(tmpdir(), "op-host-setup-root-"));
  const pidFile = join(tmp, "dockerd.pid");
  afterAll(() => {
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the script with `dockerd` replaced by `body` and no engine reachable. */
  function withDockerd(name: string, body: string, env: Record<string, string> = {}) {
    const bin = pathWithout(join(tmp, name), ["dockerd"]);
    writeFileSync(join(bin, "dockerd"), `#!/bin/sh\necho $$ >${pidFile}\n${body}\n`, { mode: 0o755 });
    const log = join(tmp, `${name}.log`);
    const r = spawnSync("bash", [SCRIPT], {
      env: {
        PATH: bin,
        HOME: tmp,
        DOCKER_HOST: `unix://${join(tmp, "no-such-docker.sock")}`,
        OUTPOST_DOCKERD_LOG: log,
        ...env,
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { ...r, log };
  }

  it("dockerd exits: says so with the last lines of its log, exits 1", () => {
    const r = withDockerd("exits", 'echo "failed to start daemon: stand-in refuses"; exit 1');
    expect(r.stdout).toContain(`starting dockerd in the background (log: ${r.log})`);
    expect(r.stderr).toContain(`host-setup: dockerd exited before answering; last lines of ${r.log}:`);
    expect(r.stderr).toContain("failed to start daemon: stand-in refuses");
    expect(r.status).toBe(1);
  });

  it("dockerd never answers: gives up after OUTPOST_DOCKERD_WAIT seconds with its log, exits 1", () => {
    const r = withDockerd("hangs", 'echo "stand-in listening nowhere"; exec sleep 600', {
      OUTPOST_DOCKERD_WAIT: "2",
    });
    expect(r.stderr).toMatch(/host-setup: dockerd \(pid \d+\) did not answer within 2 s; last lines of/);
    expect(r.stderr).toContain("stand-in listening nowhere");
    expect(r.status).toBe(1);
  });
});
