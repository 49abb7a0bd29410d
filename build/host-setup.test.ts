// build/host-setup.sh as a user who is not root, on a host that is not ready: it must change nothing,
// say exactly what to run as root, and exit non-zero (so `make test` / `make demo` stop right there).
// Runs the real script as the real unprivileged user `nobody` (setpriv), with the Docker engine made
// unreachable (DOCKER_HOST at a socket that does not exist) or with docker missing from PATH.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
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
    // A PATH holding every command of this host's PATH except docker and dockerd.
    const bin = join(tmp, "bin");
    mkdirSync(bin);
    for (const dir of HOST_PATH.split(":")) {
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (name === "docker" || name === "dockerd") continue;
        try {
          symlinkSync(join(dir, name), join(bin, name));
        } catch {
          // earlier PATH entries win, as they do for the shell
        }
      }
    }
    const r = asNobody({ PATH: bin });
    expect(r.stderr).toContain("missing Debian packages: docker.io");
    expect(r.stderr).toContain("run as root, then run this again:");
    expect(r.stderr).toMatch(/^ {2}apt-get update && apt-get install -y docker\.io$/m);
    expect(r.stderr).toContain("systemctl start docker");
    expect(r.status).toBe(1);
  });
});
