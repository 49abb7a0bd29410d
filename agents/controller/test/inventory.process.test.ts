// Inventory and reports end to end: a real controller process, one real node (zedagent from dist/,
// onboarded by the client) and 40 simulated devices that register and post signed info and metrics
// over the real device API. What `ctl inventory` and `ctl report` print must be what the devices
// reported; a report's CSV must parse (RFC 4180) and hold exactly the rows its filter selects.
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { Rig, removeRoot, tempRoot, waitFor } from "@outpost/testkit";
import { appInfoMsg, deviceInfoMsg, eve, type SimDevice, SimFleet } from "@outpost/testkit/sim-fleet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold both and "" is a
 * quote. Returns the records as arrays of strings. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
      i++;
    } else if (c === ",") {
      rec.push(field);
      field = "";
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      rec.push(field);
      out.push(rec);
      rec = [];
      field = "";
      i += 2;
    } else if (c === '"' || c === "\n" || c === "\r") {
      throw new Error(`CSV: bare ${JSON.stringify(c)} at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (quoted || field || rec.length) throw new Error("CSV: the last record does not end with CRLF");
  return out;
}

type Row = Record<string, unknown>;

const SIMS = 40;
/** Simulated device i: its team, version, address and apps. */
const team = (i: number) => (i % 3 === 0 ? "red" : i % 3 === 1 ? "blue" : "");
const version = (i: number) => ["0.1.0", "0.1.9", "0.2.0", "0.10.1"][i % 4] as string;
// sim-1 and sim-4 (both blue) report the same address; sim-2 / sim-5 (no team) do too.
const ip = (i: number) => (i === 4 ? "10.9.0.1" : i === 5 ? "10.9.0.2" : `10.9.0.${i}`);

describe("inventory and reports over a real node and simulated devices", () => {
  const rig = new Rig();
  const simDir = tempRoot("opz-sim-");
  let fleet: SimFleet;
  const sims: SimDevice[] = [];
  let nodeInfo: Record<string, unknown> = {};

  beforeAll(async () => {
    await rig.startController();
    await rig.onboard();
    rig.setConfig(`configItems:\n  timer.config.interval: "5"\n  timer.metric.interval: "2"\n`);
    rig.startAgents(["zedagent"]);

    rig.ctl("node-config", simDir);
    fleet = new SimFleet(join(simDir, "config"));
    for (let i = 0; i < SIMS; i++) {
      const d = await fleet.add(`sim-${i}`);
      sims.push(d);
      await d.info(
        deviceInfoMsg({
          version: version(i),
          ips: [ip(i)],
          macs: [`02:00:00:09:00:${i.toString(16).padStart(2, "0")}`],
          ncpu: 1 + (i % 4),
          memoryMB: 1024 * (1 + (i % 2)),
          hostname: `host-${i}`,
          // sim-7 polls every second, so it is offline a few seconds after its last report.
          pollIntervalS: i === 7 ? 1 : 3600,
        }),
      );
      await d.info(appInfoMsg({ id: `app-${i}-a`, name: "web", state: "RUNNING", ips: [`10.1.${i}.10`] }));
      if (i % 10 === 3)
        await d.info(
          appInfoMsg({ id: `app-${i}-b`, name: "db", state: "ERROR", error: `db ${i}: "disk", full` }),
        );
      await d.info({
        ztype: eve.info.ZInfoTypes.ZiVolume,
        vinfo: {
          uuid: `vol-${i}`,
          displayName: "web-root",
          state: eve.info.ZSwState.CREATED_VOLUME,
          progressPercentage: 100,
          resources: { curSizeBytes: (i + 1) * 2 ** 20 },
        },
      });
      await d.metrics({ dm: { memory: { usedMem: 100 + i, availMem: 900 - i } } });
      if (team(i))
        rig.ctl("inventory", "label", d.serial, "--team", team(i), "--tag", i % 2 ? "odd" : "even");
    }
    const info = await rig.waitInfo((r) => r.some((x) => x.key === "device"), "the real node's device info");
    const dev = info.find((x) => x.key === "device")?.value as
      | { dinfo?: Record<string, unknown> }
      | undefined;
    nodeInfo = dev?.dinfo ?? {};
  }, 120_000);

  afterAll(async () => {
    fleet?.close();
    await rig.cleanup();
    removeRoot(simDir);
  });

  const devices = (...args: string[]) => rig.ctlJson<Row[]>("inventory", "devices", ...args);

  it("the real node's row holds what it reported: hardware, version, network", () => {
    const row = devices().find((r) => r.serial === rig.serial);
    expect(row).toBeDefined();
    // Without nim (not run here: it would manage the host's ports) the node reports no ports.
    const net = (nodeInfo.network ?? []) as { IPAddrs?: string[]; macAddr?: string }[];
    const sw = (nodeInfo.swList as { shortVersion?: string }[])[0];
    expect(row).toMatchObject({
      state: "online",
      arch: nodeInfo.machineArch,
      cpus: cpus().length,
      memoryMB: nodeInfo.memory,
      storageMB: nodeInfo.storage,
      version: sw?.shortVersion,
      name: nodeInfo.HostName,
      pollIntervalS: 5,
    });
    expect(row?.ips).toEqual(net.flatMap((n) => n.IPAddrs ?? []));
    expect(row?.macs).toEqual(net.map((n) => n.macAddr).filter(Boolean));
    expect(Date.now() - Date.parse(String(row?.lastSeen))).toBeLessThan(60_000);
  });

  it("each simulated device's row matches what it posted and the labels set for it", () => {
    const rows = new Map(devices().map((r) => [r.serial, r]));
    expect(rows.size).toBe(SIMS + 1);
    for (const [i, d] of sims.entries()) {
      const r = rows.get(d.serial);
      expect(r, d.serial).toMatchObject({
        uuid: d.uuid,
        version: version(i),
        ips: [ip(i)],
        macs: [`02:00:00:09:00:${i.toString(16).padStart(2, "0")}`],
        cpus: 1 + (i % 4),
        memoryMB: 1024 * (1 + (i % 2)),
        name: `host-${i}`,
        team: team(i),
        tags: team(i) ? [i % 2 ? "odd" : "even"] : [],
        slots: [`IMGA:${version(i)}:active`, "IMGB:-:unused"],
        apps: i % 10 === 3 ? 2 : 1,
        appsError: i % 10 === 3 ? 1 : 0,
        memUsedMB: 100 + i,
      });
    }
  });

  it("filters, tags and sorting select exactly the matching devices", () => {
    const want = sims
      .map((d, i) => ({ d, i }))
      .filter(({ i }) => team(i) === "red" && ["0.1.0", "0.1.9"].includes(version(i)))
      .map(({ d }) => d.serial)
      .sort();
    const got = devices("--filter", "team=red and version<0.2.0").map((r) => r.serial);
    expect([...got].sort()).toEqual(want);
    expect(want.length).toBeGreaterThan(2);
    const odd = devices("--tag", "odd").map((r) => r.serial);
    expect(odd.sort()).toEqual(
      sims
        .filter((_d, i) => team(i) && i % 2)
        .map((d) => d.serial)
        .sort(),
    );
    const sorted = devices("--filter", "serial~^sim-", "--sort", "-version,serial").map((r) => r.version);
    expect(sorted.slice(0, SIMS / 4)).toEqual(Array(SIMS / 4).fill("0.10.1"));
    expect(sorted.at(-1)).toBe("0.1.0");
    // a mistake in the filter is the user's: exit code 1 and where it is
    const bad = rig.procs.run("ctl", ["--root", rig.croot, "inventory", "devices", "--filter", "version<"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/HTTP 400: filter: expected a value after version< at the end/);
  });

  it("apps: where each runs and in which state; the ones in error", () => {
    const apps = rig.ctlJson<Row[]>("inventory", "apps", "--filter", "serial~^sim-");
    expect(apps.length).toBe(SIMS + SIMS / 10);
    const failing = rig.ctlJson<Row[]>("inventory", "apps", "--filter", "state=error");
    expect(failing.map((a) => a.serial).sort()).toEqual(
      sims
        .filter((_d, i) => i % 10 === 3)
        .map((d) => d.serial)
        .sort(),
    );
    expect(failing[0]).toMatchObject({ name: "db", state: "error" });
    expect(String(failing[0]?.error)).toMatch(/: "disk", full$/);
  });

  it("volumes: each device's, with the size it reported", () => {
    const vols = rig.ctlJson<Row[]>("inventory", "volumes", "--filter", "serial~^sim- and sizeMB>=30");
    expect(vols.map((v) => [v.serial, v.uuid, v.sizeMB, v.state]).sort()).toEqual(
      sims
        .map((d, i) => [d.serial, `vol-${i}`, i + 1, "created_volume"])
        .filter((x) => (x[2] as number) >= 30)
        .sort(),
    );
  });

  it("warnings: the same IP twice in one team, apps in error, a device silent past its poll interval", async () => {
    await waitFor(
      () => devices("--filter", "serial=sim-7")[0]?.state === "offline",
      10_000,
      "sim-7 to be offline (polls every 1 s, silent since its reports)",
    );
    const w = rig.ctlJson<Row[]>("inventory", "warnings");
    const of = (kind: string) =>
      w
        .filter((x) => x.kind === kind)
        .map((x) => x.serial)
        .sort();
    expect(of("duplicate-ip")).toEqual(["sim-1", "sim-2", "sim-4", "sim-5"]);
    expect(w.find((x) => x.serial === "sim-1" && x.kind === "duplicate-ip")?.message).toBe(
      'IP 10.9.0.1 is also used by sim-4 in team "blue"',
    );
    expect(of("app-error")).toEqual(["sim-13", "sim-23", "sim-3", "sim-33"]);
    expect(of("not-seen")).toEqual(["sim-7"]);
  });

  it("report run: CSV parses and holds exactly the rows the report's filter selects", () => {
    const csv = rig.ctl(
      "report",
      "run",
      "old-version",
      "--param",
      "version=0.2.0",
      "--filter",
      "serial~^sim-",
      "--format",
      "csv",
    );
    const [head, ...recs] = parseCsv(csv);
    expect(head).toEqual(["serial", "uuid", "name", "team", "tags", "state", "version", "slots", "lastSeen"]);
    const col = (name: string) => (head ?? []).indexOf(name);
    const want = sims.filter((_d, i) => ["0.1.0", "0.1.9"].includes(version(i))).map((d) => d.serial);
    expect(recs.map((r) => r[col("serial")]).sort()).toEqual(want.sort());
    for (const r of recs) expect(["0.1.0", "0.1.9"]).toContain(r[col("version")]);
    // sorted by version as versions, then serial
    expect(recs.map((r) => r[col("version")])).toEqual([...recs.map((r) => r[col("version")] ?? "")].sort());

    const errs = parseCsv(rig.ctl("report", "run", "apps-in-error", "--format", "csv"));
    const e = errs[0]?.indexOf("error") ?? -1;
    expect(errs.slice(1).map((r) => r[e])).toContain('db 3: "disk", full');

    const missing = rig.procs.run("ctl", [
      "--root",
      rig.croot,
      "report",
      "run",
      "old-version",
      "--format",
      "csv",
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/needs --param version=<version>/);
  });

  it("fleet usage per team, and a user's saved report with a parameter", () => {
    const usage = rig.ctlJson<Row[]>("report", "run", "fleet-usage", "--filter", "serial~^sim-");
    const byTeam = new Map(usage.map((r) => [r.team, r]));
    for (const t of ["red", "blue", ""]) {
      const idx = sims.map((_d, i) => i).filter((i) => team(i) === t);
      expect(byTeam.get(t)).toMatchObject({
        count: idx.length,
        cpus: idx.reduce((a, i) => a + 1 + (i % 4), 0),
        memoryMB: idx.reduce((a, i) => a + 1024 * (1 + (i % 2)), 0),
      });
    }

    const file = join(rig.croot, "report.yaml");
    writeFileSync(
      file,
      `name: big-in-team
description: devices of a team with at least N MB of memory
rows: devices
filter: team={team} and memoryMB>={mb}
params:
  - { name: team, type: text }
  - { name: mb, type: number, default: "2048" }
sort: serial
columns: [serial, team, memoryMB]
`,
    );
    rig.ctl("report", "save", file);
    expect(rig.ctlJson<Row[]>("report", "list").map((r) => r.name)).toContain("big-in-team");
    const rows = rig.ctlJson<Row[]>("report", "run", "big-in-team", "--param", "team=blue");
    expect(rows.map((r) => r.serial).sort()).toEqual(
      sims
        .filter((_d, i) => team(i) === "blue" && i % 2)
        .map((d) => d.serial)
        .sort(),
    );
    expect(Object.keys(rows[0] ?? {})).toEqual(["serial", "team", "memoryMB"]);
    rig.ctl("report", "delete", "big-in-team");
    expect(rig.ctlJson<Row[]>("report", "list").map((r) => r.name)).not.toContain("big-in-team");
  });

  it("labels survive a controller restart; the inventory is rebuilt from the store", async () => {
    await rig.stopController();
    await rig.startController();
    const r = devices("--filter", "serial=sim-3")[0];
    expect(r).toMatchObject({ team: "red", tags: ["odd"], version: version(3), appsError: 1 });
  });
});
