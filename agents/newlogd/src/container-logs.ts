// Source: every app container's stdout/stderr, through the Docker engine. A poll lists the node's
// running containers (labels org.outpost.node = the root, org.outpost.app = the app instance UUID, as
// domainmgr sets them); each app has one follow (`docker logs --follow --timestamps`) at a time, a
// KeyedJobs job keyed by app: a new container for the app supersedes the old follow. A follow resumes
// from the engine timestamp saved for the app, so a restart of newlogd or of the container neither
// repeats nor loses lines (the timestamp is saved with the lines, like the agents' offsets).
import { PassThrough, type Readable } from "node:stream";
import { type AgentContext, KeyedJobs, type RunWork } from "@outpost/agentbase";
import type { DockerClient } from "@outpost/docker";
import { OutpostLabels } from "@outpost/types";
import type { Collector } from "./collector.js";
import { appStream, dockerLineIsNew } from "./plan.js";

interface Session {
  containerId: string;
  /** The saved position when the follow started, and how many lines at exactly that time it replayed. */
  resume: { tsNs: bigint; same: number } | undefined;
  replayed: number;
}

type Line = { stream: "stdout" | "stderr"; text: string };

export class ContainerLogs {
  private readonly follows: KeyedJobs<string>;
  private readonly sessions = new Map<string, Session>();
  private polling = false;
  lastError: string | undefined;

  constructor(
    private readonly ctx: Pick<AgentContext<unknown>, "work" | "log" | "loop">,
    private readonly docker: DockerClient,
    private readonly node: string,
    private readonly collector: Collector,
  ) {
    // A follow lasts as long as its container runs: it must not hold one of the worker pool's slots,
    // so it runs as its own task and only its end comes back through the main loop.
    const longRunning: RunWork = (fn, onDone) => {
      const abort = new AbortController();
      fn(abort.signal).then(
        (value) => ctx.loop.post(() => onDone({ ok: true, value })),
        (error: unknown) => ctx.loop.post(() => onDone({ ok: false, error })),
      );
    };
    this.follows = new KeyedJobs(longRunning);
  }

  /** Lists the running containers and starts a follow for each app without one (timer-driven). */
  poll(): void {
    if (this.polling) return;
    this.polling = true;
    this.ctx.work(
      () => this.docker.listContainers({ [OutpostLabels.owner]: "outpost", [OutpostLabels.node]: this.node }),
      (r) => {
        this.polling = false;
        if (!r.ok) {
          const msg = r.error instanceof Error ? r.error.message : String(r.error);
          if (this.lastError !== msg)
            this.ctx.log.warn({ err: msg }, "cannot list containers: app logs wait");
          this.lastError = msg;
          return;
        }
        this.lastError = undefined;
        for (const c of r.value) {
          const app = c.Labels?.[OutpostLabels.app];
          if (!app || c.State !== "running") continue;
          if (this.follows.running(app) === c.Id) continue;
          this.follow(app, c.Id, (c.Names?.[0] ?? c.Id).replace(/^\//, ""));
        }
      },
    );
  }

  private follow(app: string, id: string, name: string): void {
    const saved = this.collector.state.docker[app];
    const session: Session = {
      containerId: id,
      resume: saved ? { tsNs: BigInt(saved.tsNs), same: saved.same } : undefined,
      replayed: 0,
    };
    this.sessions.set(app, session);
    const since = session.resume ? Number(session.resume.tsNs / 1_000_000_000n) : 0;
    this.ctx.log.info({ app, container: id.slice(0, 12), since }, "following container logs");
    this.follows.start(
      app,
      id,
      async (signal, current) => {
        const c = this.docker.docker.getContainer(id);
        const info = await c.inspect();
        const raw = (await c.logs({
          follow: true,
          stdout: true,
          stderr: true,
          timestamps: true,
          since,
          abortSignal: signal,
        })) as unknown as Readable;
        signal.addEventListener("abort", () => raw.destroy(), { once: true });
        const deliver = (lines: Line[]) =>
          this.ctx.loop.post(() => {
            if (current() && this.sessions.get(app) === session) this.take(app, name, session, lines);
          });
        const ends: Promise<void>[] = [];
        const split = (src: Readable, stream: Line["stream"]) => {
          let tail = "";
          src.setEncoding("utf8");
          src.on("data", (chunk: string) => {
            const parts = (tail + chunk).split("\n");
            tail = parts.pop() ?? "";
            if (parts.length > 0) deliver(parts.map((text) => ({ stream, text })));
          });
          ends.push(
            new Promise<void>((resolve) => {
              src.on("end", () => {
                if (tail) deliver([{ stream, text: tail }]);
                resolve();
              });
              src.on("close", () => resolve());
              src.on("error", () => resolve());
            }),
          );
        };
        if (info.Config?.Tty) split(raw, "stdout");
        else {
          const out = new PassThrough();
          const err = new PassThrough();
          this.docker.docker.modem.demuxStream(raw, out, err);
          raw.on("end", () => {
            out.end();
            err.end();
          });
          raw.on("close", () => {
            out.end();
            err.end();
          });
          split(out, "stdout");
          split(err, "stderr");
        }
        await Promise.all(ends);
      },
      (end) => {
        if (this.sessions.get(app) === session) this.sessions.delete(app);
        if (!end.result.ok && !end.aborted)
          this.ctx.log.warn(
            { app, container: id.slice(0, 12), err: String(end.result.error) },
            "container log follow ended",
          );
      },
    );
  }

  /** Lines from a follow, on the main loop: the ones already taken (a resumed follow starts at the
   * saved second) are skipped, the others offered and the saved position moved on. */
  private take(app: string, name: string, s: Session, lines: Line[]): void {
    for (const l of lines) {
      const sp = l.text.indexOf(" ");
      const ts = sp > 0 ? parseEngineTime(l.text.slice(0, sp)) : undefined;
      if (ts === undefined) {
        this.collector.malformed("app");
        continue;
      }
      if (!dockerLineIsNew(ts.ns, s.resume, s.replayed)) {
        if (s.resume && ts.ns === s.resume.tsNs) s.replayed++;
        continue;
      }
      if (s.resume && ts.ns === s.resume.tsNs) s.replayed++;
      const saved = this.collector.state.docker[app];
      const same = saved && BigInt(saved.tsNs) === ts.ns ? saved.same + 1 : 1;
      this.collector.state.docker[app] = { tsNs: ts.ns.toString(), same };
      this.collector.offer({
        kind: "app",
        stream: appStream(app),
        entry: {
          severity: l.stream === "stderr" ? "error" : "info",
          source: name,
          iid: app,
          content: l.text.slice(sp + 1).replace(/\r$/, ""),
          timeMs: ts.ms,
          subMsNanos: ts.subMsNanos,
          tags: { stream: l.stream, container: s.containerId.slice(0, 12) },
        },
        limiterMs: ts.ms,
      });
    }
  }

  close(): void {
    this.follows.abortAll();
  }
}

/** The engine's RFC 3339 timestamp with up to 9 fraction digits, to ns (exact) and ms. */
export function parseEngineTime(s: string): { ns: bigint; ms: number; subMsNanos: number } | undefined {
  const m =
    /^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})$/.exec(
      s,
    );
  if (!m) return undefined;
  const secMs = Date.parse(`${m[1]}${m[3]}`);
  if (!Number.isFinite(secMs)) return undefined;
  const frac = Number((m[2] ?? "").padEnd(9, "0"));
  return {
    ns: BigInt(secMs) * 1_000_000n + BigInt(frac),
    ms: secMs + Math.floor(frac / 1e6),
    subMsNanos: frac % 1e6,
  };
}
