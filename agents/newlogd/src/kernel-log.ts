// Source: the kernel log (/dev/kmsg), where readable. Opened non-blocking and drained by a timer: each
// read() returns one record; EAGAIN means none left. The sequence number reached is saved (with the
// boot id) so a restart of newlogd does not take the ring buffer's records a second time.
import { closeSync, constants, openSync, readFileSync, readSync } from "node:fs";
import { uptime } from "node:os";
import type { Collector } from "./collector.js";
import { parseKmsg } from "./kmsg.js";
import { DEV_STREAM } from "./plan.js";

export class KernelLog {
  private fd: number | undefined;
  private readonly buf = Buffer.alloc(16 * 1024);
  private readonly bootId: string;

  constructor(
    private readonly collector: Collector,
    path: string,
  ) {
    this.bootId = readBootId();
    // Throws when unreadable: the caller logs it and goes on without the kernel log.
    this.fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  }

  /** Reads every record available now (on the main loop; reads never block). */
  drain(): void {
    if (this.fd === undefined) return;
    const bootMs = Date.now() - uptime() * 1000;
    const saved = this.collector.state.kmsg;
    const after = saved?.bootId === this.bootId ? saved.seq : -1;
    for (let i = 0; i < 10_000; i++) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EPIPE") continue; // records overwritten before we read them: go on with the next
        if (code === "EAGAIN") return;
        throw e;
      }
      if (n === 0) return;
      const rec = parseKmsg(this.buf.subarray(0, n).toString(), bootMs);
      if (!rec) {
        this.collector.malformed("kernel");
        continue;
      }
      if (rec.seq <= after) continue;
      this.collector.offer({ kind: "kernel", stream: DEV_STREAM, entry: rec.entry, limiterMs: Date.now() });
      this.collector.state.kmsg = { bootId: this.bootId, seq: rec.seq };
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function readBootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "unknown";
  }
}
