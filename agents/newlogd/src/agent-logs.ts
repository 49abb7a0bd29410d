// Source: the Outpost agents' own log files under persist/log/ (README, Sources: why files and not a
// socket). Each round lists the files, and reads, in the worker pool, from the offset reached; the
// lines are offered on the main loop and the offset advances there, so it is saved only with them.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { AgentContext } from "@outpost/agentbase";
import { parseAgentLine } from "./agentlog.js";
import type { Collector } from "./collector.js";
import { agentLogFiles, DEV_STREAM, type LogFile, planAgentRead } from "./plan.js";

/** Bytes read per agent per round: a large backlog is taken in steps, and the loop stays responsive. */
const CHUNK = 256 * 1024;

interface Chunk {
  agent: string;
  ino: number;
  /** The offset the read started at, and where the next one starts (after the last whole line). */
  from: number;
  to: number;
  lines: string[];
  gap: boolean;
  /** The position this read planned from: a result is applied only when the position is unchanged. */
  planned: { ino: number; offset: number } | undefined;
}

export class AgentLogs {
  private running = false;

  constructor(
    private readonly ctx: Pick<AgentContext<unknown>, "work" | "log">,
    private readonly dir: string,
    private readonly collector: Collector,
  ) {}

  /** One round (called by a timer); a round still running makes this a no-op. */
  poll(): void {
    if (this.running) return;
    this.running = true;
    const positions = structuredClone(this.collector.state.agents);
    const dir = this.dir;
    this.ctx.work(
      async () => readRound(dir, positions),
      (r) => {
        this.running = false;
        if (!r.ok) {
          this.ctx.log.warn({ err: r.error }, "cannot read the agents' logs");
          return;
        }
        let more = false;
        for (const c of r.value) {
          const now = this.collector.state.agents[c.agent];
          if (JSON.stringify(now) !== JSON.stringify(c.planned)) continue;
          if (c.gap) this.collector.state.counters.agentLogGaps++;
          for (const line of c.lines) {
            const e = parseAgentLine(line, c.agent);
            if (!e) {
              this.collector.malformed("agent");
              continue;
            }
            this.collector.offer({ kind: "agent", stream: DEV_STREAM, entry: e, limiterMs: e.timeMs });
          }
          this.collector.state.agents[c.agent] = { ino: c.ino, offset: c.to };
          if (c.to - c.from >= CHUNK / 2) more = true;
        }
        // A (nearly) full chunk: a backlog; go on at once rather than at the next tick.
        if (more) setImmediate(() => this.poll());
      },
    );
  }
}

function readRound(dir: string, positions: Record<string, { ino: number; offset: number }>): Chunk[] {
  const out: Chunk[] = [];
  for (const [agent, names] of agentLogFiles(readdirSync(dir))) {
    const files: LogFile[] = [];
    for (const { name } of names) {
      try {
        const st = statSync(join(dir, name));
        files.push({ name, ino: st.ino, size: st.size });
      } catch {
        // rotated or pruned meanwhile: seen next round
      }
    }
    const at = positions[agent];
    const plan = planAgentRead(files, at);
    if (plan.kind === "idle") continue;
    const c = readLines(join(dir, plan.file.name), plan.file.ino, plan.offset);
    if (!c) continue;
    out.push({ agent, ino: plan.file.ino, gap: plan.gap, planned: at, ...c });
  }
  return out;
}

/** Whole lines from `offset` (at most CHUNK bytes); undefined when the file changed under us. */
function readLines(
  path: string,
  ino: number,
  offset: number,
): Omit<Chunk, "agent" | "ino" | "gap" | "planned"> | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    if (fstatSync(fd).ino !== ino) return undefined;
    const buf = Buffer.alloc(CHUNK);
    const n = readSync(fd, buf, 0, CHUNK, offset);
    const end = buf.subarray(0, n).lastIndexOf(10);
    if (end < 0) {
      // No whole line yet; a line longer than CHUNK is cut into CHUNK-sized pieces (counted malformed).
      if (n < CHUNK) return { from: offset, to: offset, lines: [] };
      return { from: offset, to: offset + n, lines: [buf.subarray(0, n).toString()] };
    }
    const text = buf.subarray(0, end).toString();
    return { from: offset, to: offset + end + 1, lines: text.split("\n").filter((l) => l.length > 0) };
  } finally {
    closeSync(fd);
  }
}
