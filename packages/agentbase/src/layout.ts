import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensurePrivateDir, restrictTree } from "@outpost/primitives";

// docs/architecture.md section 2: every path derives from one root, so many nodes run side by side on
// one machine and tests never touch "/". This is the only place that spells those paths.
export interface Layout {
  root: string;
  /** Identity and bootstrap (server, certificates). */
  config: string;
  /** Volatile: sockets, pid files, touch files, non-persistent state. */
  run: string;
  /** Survives reboot: persistent publications, checkpoints, logs. */
  persist: string;
  /** Pubsub sockets (one per publishing agent); 0700 so local users cannot connect. */
  pubsubRun: string;
  /** LMDB stores of persistent publications. */
  pubsubPersist: string;
  /** zedagent's last verified config and the certificate that signed it. */
  checkpoint: string;
  log: string;
  pidFile(agent: string): string;
  touchFile(agent: string): string;
  logFile(agent: string): string;
  /** run/<agent>/: an agent's own volatile files. */
  agentRun(agent: string): string;
  /** persist/<agent>/: an agent's own durable files. */
  agentPersist(agent: string): string;
}

export function rootLayout(rootDir: string): Layout {
  const root = resolve(rootDir);
  const run = join(root, "run");
  const persist = join(root, "persist");
  const log = join(persist, "log");
  return {
    root,
    config: join(root, "config"),
    run,
    persist,
    pubsubRun: join(run, "pubsub"),
    pubsubPersist: join(persist, "pubsub"),
    checkpoint: join(persist, "checkpoint"),
    log,
    pidFile: (agent) => join(run, `${agent}.pid`),
    touchFile: (agent) => join(run, `${agent}.touch`),
    logFile: (agent) => join(log, `${agent}.log`),
    agentRun: (agent) => join(run, agent),
    agentPersist: (agent) => join(persist, agent),
  };
}

/** Creates the directories every agent needs. Idempotent; modes are enforced even when a directory
 * already exists (mkdir's mode is filtered by the umask and ignored for existing dirs).
 * config/ (keys) and persist/ (config tables with datastore credentials, the config checkpoint) are
 * the owner's only: 0700, and the trees that hold secrets are tightened at every start, so a root
 * made by an older version or under a permissive umask is fixed too. Returns the paths whose mode
 * was tightened (for the agent to log). */
export function ensureLayout(l: Layout): string[] {
  for (const dir of [l.config, l.persist, l.pubsubPersist, l.pubsubRun]) ensurePrivateDir(dir);
  for (const dir of [l.run, l.log]) mkdirSync(dir, { recursive: true });
  return [l.config, l.pubsubPersist, l.checkpoint].flatMap(restrictTree);
}
