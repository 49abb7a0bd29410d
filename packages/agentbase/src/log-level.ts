// What each agent logs, set live by the controller through zedagent's ConfigItemValueMap, with EVE's
// item names: `debug.default.loglevel` for every agent, `agent.<agent>.debug.loglevel` (and EVE's
// legacy `debug.<agent>.loglevel`) for one. The `...remote.loglevel` items say what is uploaded;
// newlogd applies those, not the agents. Values are logrus's names (EVE's agents) or syslog's.
import type { Level } from "pino";

const LEVELS: Record<string, Level> = {
  panic: "fatal",
  fatal: "fatal",
  emerg: "fatal",
  alert: "fatal",
  crit: "fatal",
  error: "error",
  err: "error",
  warning: "warn",
  warn: "warn",
  notice: "info",
  info: "info",
  debug: "debug",
  trace: "trace",
};

export const LOG_LEVEL_NAMES = Object.keys(LEVELS);

/** The pino level for a config value, or undefined when it names none. */
export function parseLogLevel(value: string): Level | undefined {
  return LEVELS[value.trim().toLowerCase()];
}

const ITEM =
  /^(?:debug\.[a-z0-9_-]+(?:\.remote)?\.loglevel|agent\.[a-z0-9_-]+\.debug(?:\.remote)?\.loglevel)$/;

/** A config item that sets a log level (local or remote, default or one agent's). */
export function isLogLevelItem(key: string): boolean {
  return ITEM.test(key);
}

/** Where an agent's level comes from, most specific first. */
export function logLevelItems(agent: string): string[] {
  return [`agent.${agent}.debug.loglevel`, `debug.${agent}.loglevel`, "debug.default.loglevel"];
}

/** A config item as zedagent publishes it (ConfigItemValueMap). */
export interface LevelItem {
  value: string;
  source: string;
}

/** The agent's level from the items the controller set, or a local operator through localapi (source
 * "local"); a default filled in by zedagent does not count: the agent's own --debug stays in force
 * until someone says something. */
export function logLevelFromItems(
  agent: string,
  items: Record<string, LevelItem> | undefined,
  local: Level,
): { level: Level; item?: string } {
  for (const key of logLevelItems(agent)) {
    const it = items?.[key];
    if (it?.source !== "controller" && it?.source !== "local") continue;
    const level = parseLogLevel(it.value);
    if (level) return { level, item: key };
  }
  return { level: local };
}
