// Issue 7, item 1, on a whole node: persist/ is a 45 MB tmpfs, a ~32 MB image comes from a slow
// datastore, and the disk is filled while its .part grows. Every agent stays up, the pause and its
// reason reach AppInstanceStatus and the controller (`ctl info`), the logs say how many lines the full
// disk cost, and once space is freed the download resumes from its offset and the app runs.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootLayout } from "@outpost/agentbase";
import { idToUuid } from "@outpost/controller";
import {
  appDoc,
  buildTestImage,
  fillDisk,
  idleApp,
  NODE_AGENTS,
  Rig,
  removeImages,
  saveImage,
  TestDatastore,
  waitFor,
} from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

describe("a node whose persist/ fills up during a download", () => {
  let rig: Rig | undefined;
  let persist: string | undefined;
  let ds: TestDatastore | undefined;
  let dsDir: string | undefined;
  afterEach(async () => {
    // The agents hold files on the tmpfs: stop them, unmount, then remove the roots.
    rig?.procs.cleanup();
    if (persist) spawnSync("umount", ["-l", persist]);
    await rig?.cleanup();
    await ds?.close();
    if (dsDir) rmSync(dsDir, { recursive: true, force: true });
    rig = undefined;
    persist = undefined;
    ds = undefined;
    dsDir = undefined;
  });

  it("keeps every agent up, shows the pause in ctl info, and resumes from its offset once space is freed", async () => {
    rig = new Rig();
    const layout = rootLayout(rig.nroot);
    persist = layout.persist;
    mkdirSync(persist, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=45m", "tmpfs", persist]);

    // A ~32 MB image archive on a throttled http datastore (3 MB/s: the .part grows for ~10 s).
    dsDir = mkdtempSync(join(tmpdir(), "op-ds-"));
    const tag = `outpost-test/big-${process.pid}:1`;
    buildTestImage(tag, { cmd: idleApp(), node: rig.nodeLabel, padBytes: 30 << 20 });
    const archive = join(dsDir, "big.tar");
    saveImage(tag, archive);
    removeImages(tag);
    const size = statSync(archive).size;
    const sha256 = createHash("sha256").update(readFileSync(archive)).digest("hex");
    ds = await TestDatastore.start({ dir: dsDir });
    ds.rateBytesPerSec = 3 << 20;

    await rig.startController();
    await rig.onboard();
    const server = `127.0.0.1:${rig.port}`;
    const doc = appDoc({ server, image: { url: "big.tar", sha256 }, apps: [{ id: "big" }] }).replace(
      `{ id: ctrl, type: https, fqdn: "https://${server}", path: datastore }`,
      `{ id: ctrl, type: http, fqdn: "${ds.host}", path: "" }`,
    );
    expect(doc).toContain(ds.host);
    rig.setConfig(doc);
    rig.startAgents();
    const app = idToUuid("big");

    // Watched on disk, not through ipcmonitor: spawnSync would block this process, and with it the
    // throttled datastore serving the blob.
    const part = join(persist, "downloader/pending", `${sha256}.part`);
    const partSize = () => {
      try {
        return statSync(part).size;
      } catch {
        return 0;
      }
    };
    await waitFor(() => partSize() >= 8 << 20, 90_000, "8 MB of the .part").catch((e: Error) => {
      throw new Error(`${e.message}; .part ${partSize()} bytes\n${rig?.logs()}`);
    });
    const filler = join(persist, "filler");
    fillDisk(filler);

    const paused = await rig.waitApp(
      app,
      (s) => /paused: not enough disk space/.test(s.error?.description ?? ""),
      "the pause on AppInstanceStatus",
    );
    expect(paused.error?.description).toContain(`download of blob ${sha256} paused`);
    expect(paused.error?.retryCondition).toMatch(/resumes from there by itself once space is freed/);
    const kept = partSize();
    expect(kept).toBeGreaterThanOrEqual(8 << 20);
    expect(kept).toBeLessThan(size);
    const info = await rig.waitInfo(
      (r) =>
        r.some(
          (x) =>
            x.key === `app/${app}` &&
            JSON.stringify((x.value.ainfo as { appErr?: unknown } | undefined)?.appErr ?? []).includes(
              "paused: not enough disk space",
            ),
        ),
      "the pause in ctl info",
    );
    expect(info.find((x) => x.key === `app/${app}`)?.value.ainfo?.state).not.toBe("RUNNING");

    // Every agent is still the process it was, on the full disk.
    const pids = new Map(NODE_AGENTS.map((a) => [a, Number(readFileSync(layout.pidFile(a), "utf8"))]));
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (const [a, pid] of pids) expect(alive(pid), a).toBe(true);

    const before = ds.requestsFor("big.tar").length;
    // The throttle only had to keep the first request going until the disk was full: the resumed
    // request (after the space is back) is served at full speed.
    ds.rateBytesPerSec = undefined;
    unlinkSync(filler);
    const verified = join(persist, "verifier/verified", sha256);
    await waitFor(() => existsSync(verified), 150_000, "the blob downloaded and verified").catch(
      (e: Error) => {
        throw new Error(`${e.message}; .part ${partSize()} bytes\n${rig?.logs()}`);
      },
    );
    // The download finishes, is verified and loaded: the app's image volume is there. (Whether the
    // container then runs is domainmgr's and the Docker engine's business, not this fault's.)
    const loaded = await rig.waitApp(
      app,
      (s) => s.volumeRefs.length > 0 && s.volumeRefs.every((r) => r.state === "CREATED_VOLUME"),
      "the image volume after space is back",
      150_000,
    );
    for (const r of loaded.volumeRefs) expect(r.error).toBeUndefined();
    // Resumed from the kept bytes: one more request, a Range from where the .part stopped.
    expect(
      ds
        .requestsFor("big.tar")
        .slice(before)
        .map((r) => r.range),
    ).toEqual([`bytes=${kept}-`]);
    for (const [a, pid] of pids) {
      expect(alive(pid), a).toBe(true);
      expect(Number(readFileSync(layout.pidFile(a), "utf8")), a).toBe(pid);
    }
    // Every log is whole JSON lines (a line cut short by ENOSPC is cut off again); where lines were
    // dropped, the log says how many.
    for (const a of NODE_AGENTS) {
      const lines = readFileSync(layout.logFile(a), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg: string; dropped?: number });
      for (const n of lines.filter((l) => l.dropped !== undefined))
        expect(n.msg).toMatch(/^\d+ log lines dropped: writing the log failed \(ENOSPC\)$/);
    }
  }, 300_000);
});
