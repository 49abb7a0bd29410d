// Log upload end to end (issue 10): newlogd-format batches already on disk -> loguploader (from
// dist/bin, default flags) -> the reference controller over TLS, each batch a signed AuthContainer,
// checked and stored. Figures: lines/s until every batch is accepted (deleted by the uploader), bytes
// per line on the wire, and loguploader's idle PSS once the backlog is gone.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deviceCertHash, loadIdentity, sealEnvelope } from "@outpost/evecloud";
import { entryAt, newlogBatch, Rig, type TestLogEntry, waitFor, writeNewlogBatch } from "@outpost/testkit";
import { fmtBytes, fmtRate, header, machineLine, spreadLine, target } from "./stats.js";

const RUNS = 3;
const BATCHES = 80;
// 250 lines of ~200 bytes: EVE's newlogd closes a batch at 50 KB, about this much.
const LINES = 250;
const SOURCES = ["zedagent", "zedmanager", "volumemgr", "kernel", "sshd", "domainmgr"];

function lines(ms: number, n: number, seq: number): TestLogEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const id = Math.floor(Math.random() * 2 ** 48).toString(16);
    return entryAt(ms + i, {
      severity: i % 17 === 0 ? "warning" : "info",
      source: SOURCES[i % SOURCES.length] ?? "x",
      content: `line ${seq + i}: handled object ${id} in state RUNNING after ${i % 97} ms, queue ${i % 13} ok`,
      msgid: seq + i,
      filename: "pkg/agent/handler.go:123",
      function: "handleModify",
    });
  });
}

function pss(pid: number): number {
  const m = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
  return Number(m?.[1] ?? 0) * 1024;
}

/** Five samples a second apart (idle: nothing queued, a directory scan every 2 s). */
async function idlePss(pid: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push(pss(pid));
  }
  return samples;
}

async function main() {
  header("log upload: newlogd batches -> loguploader -> reference controller (TLS, signed)");
  console.log(machineLine());
  const rig = new Rig();
  try {
    await rig.startController();
    await rig.onboard();
    const devID = rig.ctlJson<{ uuid: string }>("devices", "get", rig.serial).uuid;
    const meta = { devID, image: "IMGA", eveVersion: "0.1.0" };
    const identity = loadIdentity(
      join(rig.nroot, "config/device.key.pem"),
      join(rig.nroot, "config/device.cert.pem"),
    );
    const devDir = join(rig.nroot, "persist/newlog/devUpload");
    const rates: number[] = [];
    const gzPerLine: number[] = [];
    const wirePerLine: number[] = [];
    const rawPerLine: number[] = [];
    let ms = Date.now() - 86_400_000;
    let seq = 0;
    // Idle before any work: onboarded, session not yet used, nothing queued.
    const uploader = rig.procs.start("loguploader", ["--root", rig.nroot]);
    const pid = uploader.pid ?? 0;
    await waitFor(() => rig.log("loguploader").includes("onboarded"), 30_000, "onboarded", 100);
    const idleFresh = await idlePss(pid);
    for (let run = 0; run < RUNS; run++) {
      let gz = 0;
      let wire = 0;
      let raw = 0;
      for (let b = 0; b < BATCHES; b++) {
        ms += 1000;
        const entries = lines(ms, LINES, seq);
        seq += LINES;
        const bytes = newlogBatch(meta, entries);
        gz += bytes.length;
        raw += entries.reduce((s, e) => s + JSON.stringify(e).length + 1, 0);
        // The request body is the AuthContainer around the batch: sealed here the same way.
        wire += sealEnvelope(bytes, {
          key: identity.key,
          senderCertHash: deviceCertHash(identity.cert),
        }).length;
        writeNewlogBatch(rig.nroot, { ms, bytes });
      }
      const t0 = performance.now();
      await waitFor(
        () => readdirSync(devDir).filter((f) => f.endsWith(".gz")).length === 0,
        300_000,
        "drain",
        20,
      );
      const s = (performance.now() - t0) / 1000;
      rates.push((BATCHES * LINES) / s);
      gzPerLine.push(gz / (BATCHES * LINES));
      wirePerLine.push(wire / (BATCHES * LINES));
      rawPerLine.push(raw / (BATCHES * LINES));
    }
    // The newest line stored is the last one written: everything arrived, in order.
    const newest = rig.ctlJson<{ value: { content: string } }[]>("logs", rig.serial, "--limit", "1")[0];
    console.log(
      `${RUNS} runs of ${BATCHES} batches x ${LINES} lines (the uploader already running, idle); newest stored: "${newest?.value.content.slice(0, 12)}" (expected "line ${seq - 1}:")`,
    );
    console.log(spreadLine("lines/s end to end (accepted by the controller)", rates, fmtRate));
    console.log(spreadLine("JSON bytes per line (before gzip)", rawPerLine, (v) => `${v.toFixed(1)} B`));
    console.log(spreadLine("gzip bytes per line", gzPerLine, (v) => `${v.toFixed(1)} B`));
    console.log(
      spreadLine(
        "request body bytes per line (AuthContainer; HTTP headers + TLS not counted)",
        wirePerLine,
        (v) => `${v.toFixed(1)} B`,
      ),
    );
    const idleAfter = await idlePss(pid);
    const limit = 30e6;
    const line = (label: string, v: number[]) =>
      `${spreadLine(label, v, fmtBytes)} ${target([...v].sort((x, y) => x - y)[2] ?? 0, "<=", limit, (n) => `${(n / 1e6).toFixed(0)} MB`)}`;
    console.log(line("loguploader idle PSS, onboarded, before any upload", idleFresh));
    console.log(line(`loguploader idle PSS after sending ${seq} lines`, idleAfter));
  } finally {
    await rig.cleanup();
  }
}

await main();
