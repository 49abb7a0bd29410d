// update() is pure: each case is a config, a record and what the other agents report.
import { type DomainConfig, makeError } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { type AppRecord, update } from "../src/update.js";
import { APP, appConfig, b64, DATA_KEY, dataRef, deps, domain, IMG, IMG_KEY, imageRef } from "./builders.js";

const kinds = (r: { actions: { kind: string }[] }) => r.actions.map((a) => a.kind);

/** The DomainConfig a healthy app publishes. */
function runningDomain(): DomainConfig {
  const a = update(appConfig(), undefined, deps()).actions[0];
  if (a?.kind !== "publishDomain") throw new Error("expected publishDomain");
  return a.config;
}

describe("update: volume refs", () => {
  it("holds every volume ref of a new app, which waits in the least advanced volume's state", () => {
    const r = update(appConfig(), undefined, deps({ refStatus: {}, refConfig: {}, heldRefs: [] }));
    expect(r.actions).toEqual([
      { kind: "ensureVolumeRef", key: IMG_KEY, volumeId: "vol-img", generation: 1 },
      { kind: "ensureVolumeRef", key: DATA_KEY, volumeId: "vol-data", generation: 1 },
    ]);
    expect(r.app?.status.state).toBe("INITIAL");

    const downloading = update(
      appConfig(),
      r.app,
      deps({
        refStatus: {
          [IMG_KEY]: imageRef({ state: "DOWNLOADING", progress: 40, imageId: undefined }),
          [DATA_KEY]: dataRef(),
        },
      }),
    );
    expect(downloading.actions).toEqual([]);
    expect(downloading.app?.status).toMatchObject({ state: "DOWNLOADING", progress: 40 });
  });

  it("copies a volume's error naming the content tree, and publishes no domain", () => {
    const err = makeError("sha256 mismatch 3 times", {
      source: { type: "ContentTree", id: "ct-1", name: "web" },
    });
    const r = update(
      appConfig(),
      undefined,
      deps({ refStatus: { [IMG_KEY]: imageRef({ state: "INITIAL", error: err }), [DATA_KEY]: dataRef() } }),
    );
    // The source stays the content tree; the path says which volume of the app leads to it.
    const via = { ...err, path: [`Volume/${IMG_KEY}`, "ContentTree/ct-1"] };
    expect(r.app?.status.error).toEqual(via);
    expect(r.app?.status.volumeRefs[0]?.error).toEqual(via);
    expect(kinds(r)).toEqual([]);
  });

  it("releases a ref the config no longer names, once the domain stops using it", () => {
    const cfg = appConfig({ volumeRefs: [{ ...IMG }] });
    const release = { kind: "releaseVolumeRef", key: DATA_KEY };
    expect(update(cfg, undefined, deps()).actions).toContainEqual(release);
    // The published domain still mounts it: kept until the new DomainConfig (without it) is out.
    const r = update(cfg, undefined, deps({ domainConfig: runningDomain() }));
    expect(r.actions).not.toContainEqual(release);
    const next = r.actions.find((a) => a.kind === "publishDomain");
    if (next?.kind !== "publishDomain") throw new Error("expected publishDomain");
    expect(next.config.mounts).toEqual([]);
    expect(update(cfg, r.app, deps({ domainConfig: next.config })).actions).toContainEqual(release);
  });
});

describe("update: domain", () => {
  it("publishes the DomainConfig once every volume is ready: image, mounts, env, limits", () => {
    const r = update(appConfig(), undefined, deps());
    expect(r.actions).toEqual([
      {
        kind: "publishDomain",
        config: {
          uuid: APP,
          version: "0",
          displayName: "web",
          activate: true,
          image: "sha256:abc",
          env: { GREETING: "hello", MODE: "test" },
          mounts: [{ volume: "outpost-vol-data-1", target: "/data", readOnly: false }],
          memoryBytes: 64 * 1024 * 1024,
          cpus: 1,
          restartCounter: 0,
        },
      },
    ]);
    expect(r.app?.status.state).toBe("BOOTING");
  });

  it("passes the app's host devices on to its domain", () => {
    const devices = [{ hostPath: "/dev/ttyUSB0", containerPath: "/dev/ttyS1", permissions: "rw" }];
    const a = update(appConfig({ devices }), undefined, deps()).actions[0];
    expect(a?.kind === "publishDomain" && a.config.devices).toEqual(devices);
    expect(runningDomain().devices).toBeUndefined();
  });

  it("shows the domain's state once it reports, and its error naming the domain", () => {
    const config = appConfig();
    const d = deps();
    const published = update(config, undefined, d).actions[0];
    const dc = published?.kind === "publishDomain" ? published.config : undefined;
    const running = update(config, undefined, { ...d, domainConfig: dc, domainStatus: domain() });
    expect(running.app?.status).toMatchObject({ state: "RUNNING", activated: true, containerId: "c0ffee" });

    const broken = update(config, running.app, {
      ...d,
      domainConfig: dc,
      domainStatus: domain({ state: "BROKEN", exitCode: 3, error: makeError("exited with code 3") }),
    });
    expect(broken.app?.status).toMatchObject({ state: "BROKEN", exitCode: 3 });
    expect(broken.app?.status.error?.source).toEqual({ type: "Domain", id: APP, name: "web" });
  });

  it("malformed userData: a clear error naming the app, and no domain", () => {
    const r = update(appConfig({ userData: b64("GOOD=1\nBAD LINE") }), undefined, deps());
    expect(kinds(r)).toEqual([]);
    expect(r.app?.status.state).toBe("INSTALLED");
    expect(r.app?.status.error?.description).toBe('userData line 2 has no "=": "BAD LINE"');
    expect(r.app?.status.error?.source).toEqual({ type: "AppInstance", id: APP, name: "web" });
  });

  it("an unchanged error keeps its time, so the status is not republished", () => {
    const config = appConfig({ userData: "%%%" });
    const first = update(config, undefined, deps());
    const later = update(config, first.app, deps({ now: Date.parse("2026-01-01T01:00:00Z") }));
    expect(later.app?.status).toEqual(first.app?.status);
  });

  it("activate=false halts a started domain and keeps its volumes; never started: HALTED, no domain", () => {
    const config = appConfig({ activate: false });
    const dc = runningDomain();
    const halting = update(config, undefined, deps({ domainConfig: dc, domainStatus: domain() }));
    expect(halting.actions).toEqual([{ kind: "publishDomain", config: { ...dc, activate: false } }]);
    expect(halting.app?.status.state).toBe("HALTING");
    const halted = update(
      config,
      halting.app,
      deps({ domainConfig: dc, domainStatus: domain({ state: "HALTED", activated: false }) }),
    );
    expect(halted.app?.status.state).toBe("HALTED");
    expect(kinds(halted)).not.toContain("releaseVolumeRef");

    const never = update(config, undefined, deps());
    expect(never.actions).toEqual([]);
    expect(never.app?.status.state).toBe("HALTED");
  });

  it("a bumped restart counter goes to the domain and is recorded once the domain did it", () => {
    const config = appConfig({ restart: { counter: 2 } });
    const r = update(config, undefined, deps({ domainStatus: domain({ restartCounter: 1 }) }));
    expect(r.actions[0]).toMatchObject({ kind: "publishDomain", config: { restartCounter: 2 } });
    expect(r.app?.status.restartCounter).toBe(0);
    const done = update(config, r.app, deps({ domainStatus: domain({ restartCounter: 2 }) }));
    expect(done.app?.status.restartCounter).toBe(2);
  });

  it("the start delay holds the domain back until it runs out, then starts it", () => {
    const config = appConfig({ startDelaySeconds: 30 });
    const d = deps();
    const waiting = update(config, undefined, d);
    expect(waiting.actions).toEqual([{ kind: "wakeAt", atMs: d.now + 30_000 }]);
    expect(waiting.app?.status).toMatchObject({
      state: "INSTALLED",
      startAfter: new Date(d.now + 30_000).toISOString(),
    });
    const still = update(config, waiting.app, { ...d, now: d.now + 10_000 });
    expect(kinds(still)).toEqual(["wakeAt"]);
    const go = update(config, still.app, { ...d, now: d.now + 30_000 });
    expect(kinds(go)).toEqual(["publishDomain"]);
  });
});

describe("update: purge", () => {
  it("removes the domain, bumps the data volumes' localGeneration, waits for them, starts again", () => {
    const config = appConfig({ purge: { counter: 1 } });
    const dc = runningDomain();
    const running: AppRecord = { status: update(appConfig(), undefined, deps()).app?.status as never };

    const stopping = update(config, running, deps({ domainConfig: dc, domainStatus: domain() }));
    expect(stopping.actions).toEqual([{ kind: "deleteDomain" }]);
    expect(stopping.app?.status.state).toBe("HALTING");

    const gone = update(config, stopping.app, deps());
    expect(gone.actions).toEqual([{ kind: "bumpVolumeRef", key: DATA_KEY, localGeneration: 1 }]);
    expect(gone.app?.status.state).toBe("CREATING_VOLUME");
    expect(gone.app?.status.purgeCounter).toBe(0);

    const bumped = deps({
      refConfig: {
        ...deps().refConfig,
        [DATA_KEY]: { volumeId: "vol-data", generation: 1, apps: [APP], localGeneration: 1 },
      },
    });
    const recreating = update(config, gone.app, bumped);
    expect(recreating.actions).toEqual([]);

    const recreated = update(config, recreating.app, {
      ...bumped,
      refStatus: { [IMG_KEY]: imageRef(), [DATA_KEY]: dataRef({ localGeneration: 1 }) },
    });
    expect(kinds(recreated)).toEqual(["publishDomain"]);
    expect(recreated.app?.status.purgeCounter).toBe(1);
  });
});

describe("update: delete", () => {
  it("removes the domain first, then releases the volumes, then the status goes", () => {
    const app: AppRecord = { status: update(appConfig(), undefined, deps()).app?.status as never };
    const dc = runningDomain();
    const first = update(undefined, app, deps({ domainConfig: dc, domainStatus: domain() }));
    expect(first.actions).toEqual([{ kind: "deleteDomain" }]);
    expect(first.app?.status.state).toBe("HALTING");
    const containerGone = update(undefined, first.app, deps());
    expect(containerGone.actions).toEqual([
      { kind: "releaseVolumeRef", key: IMG_KEY },
      { kind: "releaseVolumeRef", key: DATA_KEY },
    ]);
    expect(containerGone.app).toBeUndefined();
  });
});
