// Sums self time per function (and per file) in a V8 .cpuprofile: the quick view of where a benchmark's
// process spends its time. Usage: node bench/profile-top.mjs <file.cpuprofile> [rows]
import { readFileSync } from "node:fs";

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-top.mjs <file.cpuprofile> [rows]");
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
// timeDeltas[i] is the time before samples[i]; attribute it to that sample's node.
prof.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const url = new Map();
for (const [id, us] of self) {
  const { callFrame: c } = byId.get(id);
  const short = (c.url || "(native)")
    .replace(/^file:\/\//, "")
    .replace(/.*node_modules\//, "nm/")
    .replace(/.*\/main\//, "");
  const k = `${c.functionName || "(anonymous)"}  ${short}:${c.lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + us);
  url.set(short, (url.get(short) ?? 0) + us);
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
console.log("-- by function (self time)");
for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${pct(us)}  ${k}`);
console.log("-- by file (self time)");
for (const [k, us] of [...url].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(us)}  ${k}`);
