// Global settings (EVE's config items): each known key has a default and a validated range; a value
// out of range or unparsable falls back to the default and is flagged; unknown keys are kept, flagged.
import { isLogLevelItem, LOG_LEVEL_NAMES, parseLogLevel } from "@outpost/agentbase";
import { type ConfigItemValue, type ConfigItemValueMap, LOCAL_CONFIG_ITEMS } from "@outpost/types";

interface ItemSpec {
  default: number;
  min: number;
  max: number;
  what: string;
}

/** Seconds unless said otherwise. */
export const CONFIG_ITEM_SPECS: Record<string, ItemSpec> = {
  "timer.config.interval": { default: 60, min: 1, max: 3600, what: "config poll period (s)" },
  "timer.metric.interval": { default: 60, min: 1, max: 3600, what: "metrics period (s)" },
  "timer.deviceinfo.interval": { default: 600, min: 1, max: 86_400, what: "device info recheck (s)" },
  "timer.send.timeout": { default: 120, min: 1, max: 3600, what: "deadline of one controller request (s)" },
  "timer.test.baseimage.update": {
    default: 600,
    min: 1,
    max: 86_400,
    what: "test window of a new base OS slot before it is committed or falls back (s)",
  },
};

export function resolveConfigItems(items: Iterable<{ key: string; value: string }>): ConfigItemValueMap {
  const given = new Map<string, string>();
  for (const { key, value } of items) if (key) given.set(key, value);
  const out: Record<string, ConfigItemValue> = {};
  for (const [key, spec] of Object.entries(CONFIG_ITEM_SPECS)) {
    const raw = given.get(key);
    if (raw === undefined) {
      out[key] = { value: String(spec.default), source: "default" };
      continue;
    }
    const n = Number(raw.trim());
    if (raw.trim() === "" || !Number.isInteger(n) || n < spec.min || n > spec.max)
      out[key] = {
        value: String(spec.default),
        configured: raw,
        source: "invalid",
        error: `${spec.what}: expected an integer in ${spec.min}..${spec.max}, got "${raw}"; default ${spec.default} used`,
      };
    else out[key] = { value: String(n), configured: raw, source: "controller" };
  }
  // Log levels (EVE's debug.*.loglevel, agent.*.debug.loglevel): every agent reads them (agentbase).
  for (const [key, raw] of given)
    if (isLogLevelItem(key))
      out[key] = parseLogLevel(raw)
        ? { value: raw.trim().toLowerCase(), configured: raw, source: "controller" }
        : {
            value: "",
            configured: raw,
            source: "invalid",
            error: `log level: expected one of ${LOG_LEVEL_NAMES.join(", ")}, got "${raw}"; not applied`,
          };
    else if (!(key in CONFIG_ITEM_SPECS))
      out[key] = {
        value: raw,
        configured: raw,
        source: "unknown",
        error: "unknown config item: kept, not used",
      };
  return { items: out };
}

/** The numeric value in force of a known item. */
export function itemNumber(map: ConfigItemValueMap | undefined, key: keyof typeof CONFIG_ITEM_SPECS): number {
  const spec = CONFIG_ITEM_SPECS[key];
  const v = Number(map?.items[key]?.value);
  return Number.isFinite(v) && v > 0 ? v : (spec?.default ?? 60);
}

/** The controller's items with the local operator's overrides (localapi's ConfigItemOverride) put in:
 * only allow-listed items, only values the item's own rules accept; the rest are returned as
 * `refused` with the reason. The controller's value stays in `configured`. */
export function mergeLocalItems(
  controller: ConfigItemValueMap,
  overrides: Readonly<Record<string, string>>,
): { map: ConfigItemValueMap; refused: { item: string; reason: string }[] } {
  const items = { ...controller.items };
  const refused: { item: string; reason: string }[] = [];
  for (const [item, value] of Object.entries(overrides)) {
    if (!(LOCAL_CONFIG_ITEMS as readonly string[]).includes(item)) {
      refused.push({ item, reason: "not locally overridable" });
      continue;
    }
    const checked = resolveConfigItems([{ key: item, value }]).items[item];
    if (checked?.source !== "controller") {
      refused.push({ item, reason: checked?.error ?? "invalid value" });
      continue;
    }
    const configured = controller.items[item]?.configured;
    items[item] = {
      value: checked.value,
      source: "local",
      ...(configured !== undefined ? { configured } : {}),
    };
  }
  return { map: { items }, refused };
}
