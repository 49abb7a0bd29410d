// The verifier tells "no such file" from a file it cannot reach (EACCES): an unreadable verified
// store is not a vanished blob. The verifier runs as an unprivileged user (nobody, via setpriv), since
// root is never refused; the test process (root) plays volumemgr over the real bus.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureLayout, rootLayout } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { type Publication, PubSub, type Subscription, zmqTransport } from "@outpost/pubsub";
import { distBin, randomFile, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import {
  type VerifyImageConfig,
  VerifyImageConfigCodec,
  type VerifyImageStatus,
  VerifyImageStatusCodec,
} from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";

const NOBODY = 65534;

describe("verifier: an unreachable verified store", () => {
  let root = "";
  let bus: PubSub | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    await bus?.close();
    if (root) removeRoot(root);
  });

  it("is an error on the status, never a vanished blob; a delete it cannot do keeps the status and says why", async () => {
    root = tempRoot("opvf-");
    chmodSync(root, 0o755);
    const layout = rootLayout(root);
    ensureLayout(layout);
    const incoming = join(root, "persist/downloader/downloaded");
    const store = join(root, "persist/verifier/verified");
    mkdirSync(incoming, { recursive: true });
    mkdirSync(join(layout.run, "pubsub"), { recursive: true, mode: 0o700 });
    const sha = randomFile(join(incoming, "blob"), 200_000);
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, root]);

    bus = new PubSub({
      agent: "volumemgr",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop: new MainLoop(),
    });
    const configs: Publication<VerifyImageConfig> = await bus.publish({
      topic: "VerifyImageConfig",
      codec: VerifyImageConfigCodec,
    });
    configs.signalRestarted();
    // Our socket was made by root: let the unprivileged verifier connect to it.
    chmodSync(join(layout.run, "pubsub", "volumemgr.sock"), 0o777);
    const statuses: Subscription<VerifyImageStatus> = bus.subscribe({
      agent: "verifier",
      topic: "VerifyImageStatus",
      codec: VerifyImageStatusCodec,
    });
    const start = () => {
      child = spawn(
        "setpriv",
        [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", distBin("verifier"), "--root", root],
        { stdio: "ignore", detached: true },
      );
    };
    const log = () => readFileSync(layout.logFile("verifier"), "utf8");
    const wait = async (cond: () => boolean, what: string) => {
      try {
        await waitFor(cond, 30_000, what);
      } catch (e) {
        throw new Error(`${(e as Error).message}; status ${JSON.stringify(statuses.get(sha))}\n${log()}`);
      }
    };

    start();
    await configs.set(sha, { sha256: sha, path: join(incoming, "blob"), size: 200_000, retry: 0 });
    await wait(() => statuses.get(sha)?.state === "VERIFIED", "VERIFIED");
    expect(existsSync(join(store, sha))).toBe(true);

    // The store becomes unreachable for the verifier's user, and the verifier restarts.
    const first = child as ChildProcess;
    const exited = new Promise((r) => first.once("exit", r));
    process.kill(-(first.pid as number), "SIGKILL");
    await exited;
    chmodSync(store, 0o000);
    start();
    await wait(
      () => /cannot read the verified file .*EACCES/.test(statuses.get(sha)?.error?.description ?? ""),
      "the read error on the status",
    );
    // Not taken as "vanished": the status is kept (VERIFIED, with the error), the file is there.
    expect(statuses.get(sha)).toMatchObject({ state: "VERIFIED", path: join(store, sha) });
    expect(log()).not.toMatch(/verified file vanished/);
    expect(log()).toMatch(/cannot check a verified file/);
    expect(existsSync(join(store, sha))).toBe(true);

    // volumemgr withdraws the config: the delete is refused, and that is said, not swallowed.
    await configs.delete(sha);
    await wait(
      () => /cannot delete the verified file .*EACCES/.test(statuses.get(sha)?.error?.description ?? ""),
      "the delete error on the status",
    );
    expect(statuses.get(sha)?.error?.source).toEqual({ type: "Blob", id: sha });
    expect(log()).toMatch(/verified file not deleted/);
    chmodSync(store, 0o755);
    expect(existsSync(join(store, sha))).toBe(true);
  }, 90_000);
});
