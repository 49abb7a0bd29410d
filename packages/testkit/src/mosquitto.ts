// A throwaway MQTT broker for tests: Debian's mosquitto on 127.0.0.1, a free port, a config file and
// its log in a temp dir; optional password file (users refused otherwise) and TLS listener. `stop()`
// kills it (SIGTERM, then SIGKILL) and removes the dir; `restart()` brings it back on the same port.
// Test-only: never imported by an agent.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./registry.js";
import { waitFor } from "./wait.js";

export const MOSQUITTO_BIN = "/usr/sbin/mosquitto";

export interface MosquittoOptions {
  /** Only these users may connect (mosquitto_passwd file made with the bundled tool). */
  users?: Record<string, string>;
  /** A TLS listener (mqtts) with this server certificate and key (PEM) instead of plain mqtt. */
  tls?: { cert: string; key: string };
}

export class TestMosquitto {
  private proc: ChildProcess | undefined;
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly opts: MosquittoOptions,
  ) {}

  static async start(opts: MosquittoOptions = {}): Promise<TestMosquitto> {
    const dir = mkdtempSync(join(tmpdir(), "op-mqtt-"));
    const m = new TestMosquitto(dir, await freePort(), opts);
    const conf = [
      `listener ${m.port} 127.0.0.1`,
      "persistence false",
      `log_dest file ${join(dir, "mosquitto.log")}`,
      "log_type all",
      "connection_messages true",
    ];
    if (opts.users) {
      const pw = join(dir, "passwd");
      writeFileSync(pw, "");
      chmodSync(pw, 0o600);
      for (const [u, p] of Object.entries(opts.users)) execFileSync("mosquitto_passwd", ["-b", pw, u, p]);
      conf.push(`password_file ${pw}`, "allow_anonymous false");
    } else conf.push("allow_anonymous true");
    if (opts.tls) {
      writeFileSync(join(dir, "server.pem"), opts.tls.cert);
      writeFileSync(join(dir, "server.key"), opts.tls.key, { mode: 0o600 });
      conf.push(`certfile ${join(dir, "server.pem")}`, `keyfile ${join(dir, "server.key")}`);
    }
    writeFileSync(join(dir, "mosquitto.conf"), `${conf.join("\n")}\n`);
    // Started as root, mosquitto drops to its own user: let it read its files (and write its log).
    if (process.getuid?.() === 0) execFileSync("chown", ["-R", "mosquitto:", dir]);
    await m.launch();
    return m;
  }

  get url(): string {
    return `${this.opts.tls ? "mqtts" : "mqtt"}://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const p = spawn(MOSQUITTO_BIN, ["-c", join(this.dir, "mosquitto.conf")], { stdio: "ignore" });
    this.proc = p;
    await waitFor(
      async () => {
        if (p.exitCode !== null)
          throw new Error(`mosquitto exited ${p.exitCode}: ${this.log().slice(-2000)}`);
        return await new Promise<boolean>((resolve) => {
          const s = connect(this.port, "127.0.0.1");
          s.once("connect", () => {
            s.destroy();
            resolve(true);
          });
          s.once("error", () => resolve(false));
        });
      },
      10_000,
      "mosquitto listening",
    );
  }

  /** The broker's log (connections, refusals, subscriptions). */
  log(): string {
    try {
      return readFileSync(join(this.dir, "mosquitto.log"), "utf8");
    } catch {
      return "";
    }
  }

  /** Kills the broker (SIGKILL: no goodbye to clients) and waits until it is gone. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => p.once("exit", () => resolve()));
    p.kill("SIGKILL");
    await gone;
  }

  /** Starts it again on the same port (after kill). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const gone = new Promise<void>((resolve) => p.once("exit", () => resolve()));
      p.kill("SIGTERM");
      const t = setTimeout(() => p.kill("SIGKILL"), 3000);
      await gone;
      clearTimeout(t);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
