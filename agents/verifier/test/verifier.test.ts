// The verifier as a process from the bundle, fed VerifyImageConfig over the real bus by a test
// process publishing as "volumemgr".
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { ensureLayout, rootLayout } from "@outpost/agentbase";
import { MainLoop } from "@outpost/primitives";
import { type Publication, PubSub, type Subscription, zmqTransport } from "@outpost/pubsub";
import { Procs, randomFile, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import {
  type VerifyImageConfig,
  VerifyImageConfigCodec,
  type VerifyImageStatus,
  VerifyImageStatusCodec,
} from "@outpost/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

describe("verifier", () => {
  let root: string;
  let bus: PubSub;
  let configs: Publication<VerifyImageConfig>;
  let statuses: Subscription<VerifyImageStatus>;
  let incoming: string;
  let store: string;
  let verifier: ChildProcess & { output: () => string };
  const procs = new Procs();
  const start = (touchMs = 200) => {
    verifier = procs.start("verifier", ["--root", root, "--touch-interval-ms", String(touchMs)]);
  };
  const logLines = () =>
    readFileSync(join(root, "persist/log/verifier.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const waitStatus = (sha: string, pred: (s: VerifyImageStatus) => boolean, what: string) =>
    waitFor(
      () => {
        const s = statuses.get(sha);
        return s !== undefined && pred(s) ? s : undefined;
      },
      30_000,
      // Built at the timeout, so "now" is the value then.
      () => `${what} (now ${JSON.stringify(statuses.get(sha))}) ${verifier?.output()}`,
    );

  beforeEach(async () => {
    root = tempRoot("opv-");
    const layout = rootLayout(root);
    ensureLayout(layout);
    // Stands in for the downloader's output directory.
    incoming = join(root, "persist/downloader/downloaded");
    mkdirSync(incoming, { recursive: true });
    store = join(root, "persist/verifier/verified");
    bus = new PubSub({
      agent: "volumemgr",
      transport: zmqTransport(layout.run),
      persistDir: layout.pubsubPersist,
      loop: new MainLoop(),
    });
    configs = await bus.publish({ topic: "VerifyImageConfig", codec: VerifyImageConfigCodec });
    statuses = bus.subscribe({
      agent: "verifier",
      topic: "VerifyImageStatus",
      codec: VerifyImageStatusCodec,
    });
  });
  afterEach(async () => {
    procs.cleanup();
    await bus.close();
    removeRoot(root);
  });

  it("moves a matching file into the verified store; deletes a mismatching one and names both digests", async () => {
    const good = randomFile(join(incoming, "good"), 2 << 20);
    const badPath = join(incoming, "bad");
    const actual = randomFile(badPath, 1 << 20);
    const claimed = createHash("sha256").update("something else").digest("hex");
    start();
    await configs.set(good, { sha256: good, path: join(incoming, "good"), size: 2 << 20, retry: 0 });
    await configs.set(claimed, { sha256: claimed, path: badPath, size: 1 << 20, retry: 2 });

    const ok = await waitStatus(good, (s) => s.state === "VERIFIED", "VERIFIED");
    expect(ok).toMatchObject({ path: join(store, good), size: 2 << 20, retry: 0 });
    expect(
      createHash("sha256")
        .update(readFileSync(join(store, good)))
        .digest("hex"),
    ).toBe(good);
    expect(existsSync(join(incoming, "good"))).toBe(false);

    const bad = await waitStatus(claimed, (s) => s.error !== undefined, "mismatch error");
    expect(bad.state).toBe("INITIAL");
    expect(bad.retry).toBe(2);
    expect(bad.error?.description).toContain(`expected ${claimed}, got ${actual}`);
    expect(bad.error?.source).toEqual({ type: "Blob", id: claimed });
    expect(existsSync(badPath)).toBe(false);
    expect(existsSync(join(store, claimed))).toBe(false);

    // Never deletes a file outside persist/, whatever the config says.
    const outside = join(root, "elsewhere");
    const other = randomFile(outside, 1000);
    const wrong = createHash("sha256").update("wrong").digest("hex");
    await configs.set(wrong, { sha256: wrong, path: outside, size: 1000, retry: 0 });
    const refused = await waitStatus(wrong, (s) => s.error !== undefined, "refusal");
    expect(refused.error?.description).toContain(
      `refusing to verify ${outside}: not under ${join(root, "persist")}`,
    );
    expect(createHash("sha256").update(readFileSync(outside)).digest("hex")).toBe(other);

    // A new download of the same blob (retry bumped) is verified again.
    const again = randomFile(badPath, 1000);
    await configs.set(again, { sha256: again, path: badPath, size: 1000, retry: 3 });
    await waitStatus(again, (s) => s.state === "VERIFIED" && s.retry === 3, "re-verified");
  });

  it("keeps VERIFIED across a restart, drops an entry whose file vanished, deletes the file when the config goes", async () => {
    const a = randomFile(join(incoming, "a"), 300_000);
    const b = randomFile(join(incoming, "b"), 300_000);
    start();
    await configs.set(a, { sha256: a, path: join(incoming, "a"), size: 300_000, retry: 0 });
    await configs.set(b, { sha256: b, path: join(incoming, "b"), size: 300_000, retry: 0 });
    await waitStatus(a, (s) => s.state === "VERIFIED", "a VERIFIED");
    await waitStatus(b, (s) => s.state === "VERIFIED", "b VERIFIED");

    const exited = new Promise((r) => verifier.once("exit", r));
    verifier.kill("SIGKILL");
    await exited;
    unlinkSync(join(store, b));
    // Nothing is published while it is down; the persistent table is read back at start.
    start();
    await waitFor(
      () => logLines().some((l) => l.msg === "verified file vanished: dropping its status" && l.sha256 === b),
      15_000,
      "b dropped",
    );
    // b's config still exists but its file is gone from both places: reported, not VERIFIED.
    await waitStatus(b, (s) => s.state !== "VERIFIED", "b no longer VERIFIED");
    expect(statuses.get(a)).toMatchObject({ state: "VERIFIED", path: join(store, a) });
    expect(logLines().filter((l) => l.msg === "verified" && l.sha256 === a)).toHaveLength(1);

    await configs.delete(a);
    await waitFor(() => statuses.get(a) === undefined, 10_000, "a's status removed");
    expect(existsSync(join(store, a))).toBe(false);
  });

  it("verifies a large file without stalling the main loop: it keeps ticking while hashing", async () => {
    const sha = randomFile(join(incoming, "big"), 256 << 20);
    // The touch file is refreshed by a task on the verifier's main loop (agentbase runTouchLoop): each
    // new mtime is one turn of that loop. Count the turns whose mtime falls inside the hash, as the
    // verifier's own "verified" line dates it (its time minus its duration). VERIFYING itself is not
    // waited for: a fast hash can go to VERIFIED before a subscriber sees the intermediate value.
    start(50);
    const touch = rootLayout(root).touchFile("verifier");
    const mtime = () => (existsSync(touch) ? statSync(touch).mtimeMs : 0);
    await waitFor(() => mtime() > 0, 10_000, "the verifier's first touch");
    await configs.set(sha, { sha256: sha, path: join(incoming, "big"), size: 256 << 20, retry: 0 });
    const seen = new Set([mtime()]);
    await waitFor(
      () => {
        seen.add(mtime());
        return statuses.get(sha)?.state === "VERIFIED";
      },
      30_000,
      () => `big VERIFIED (now ${JSON.stringify(statuses.get(sha))}) ${verifier.output()}`,
      5,
    );
    const line = logLines().find((l) => l.msg === "verified" && l.sha256 === sha);
    expect(line?.size).toBe(256 << 20);
    const hashEnd = line?.time as number;
    const hashStart = hashEnd - (line?.ms as number);
    const turns = [...seen].filter((t) => t > hashStart && t < hashEnd).length;
    // A hash run on the loop itself would leave the file untouched until it is done (0 turns inside).
    // Off the loop there is one turn per 50 ms of hashing; this test process samples the mtime every
    // 5 ms and on a busy machine misses some, so at least half of them must be seen (and never fewer
    // than one): 256 MiB takes several 50 ms intervals to hash even on a fast machine.
    const ms = line?.ms as number;
    expect(turns, `main-loop turns during a ${String(ms)} ms hash`).toBeGreaterThanOrEqual(
      Math.max(1, Math.floor(ms / 100)),
    );
    // The figure itself is measured by bench/apps-download.bench.ts; here: it is reported.
    expect(typeof line?.lagP99Ms).toBe("number");
    expect(typeof line?.lagMaxMs).toBe("number");
  });
});
