// Rollouts, the pure part: waves from a spec, a config fragment merged into a device's document, and
// whether a device is healthy with the fragment (README.md beside this file).
import { idToUuid } from "../config-doc.js";

export class RolloutError extends Error {}

/** What a rollout sets on each device: parts of a config document. */
export interface Fragment {
  datastores?: { id: string }[];
  contentTrees?: { id: string }[];
  volumes?: { id: string }[];
  apps?: { id: string }[];
  networkInstances?: { id: string }[];
  configItems?: Record<string, string>;
  baseos?: { contentTree: string; version: string; activate?: boolean; retryUpdate?: number };
}

const LISTS = ["datastores", "contentTrees", "volumes", "apps", "networkInstances"] as const;
const KEYS = [...LISTS, "configItems", "baseos"];

/** Checks the shape of a fragment (the full document check comes when it is merged and set). */
export function decodeFragment(input: unknown): Fragment {
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw new RolloutError("fragment: expected an object with apps, configItems, baseos, ...");
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!KEYS.includes(k))
      throw new RolloutError(`fragment.${k}: not something a rollout sets (${KEYS.join(", ")})`);
  for (const k of LISTS) {
    const v = o[k];
    if (v === undefined) continue;
    if (
      !Array.isArray(v) ||
      !v.every((x) => x && typeof x === "object" && typeof (x as { id?: unknown }).id === "string")
    )
      throw new RolloutError(`fragment.${k}: expected a list of objects with an id`);
  }
  if (o.configItems !== undefined) {
    const c = o.configItems;
    if (
      !c ||
      typeof c !== "object" ||
      Array.isArray(c) ||
      !Object.values(c).every((v) => typeof v === "string")
    )
      throw new RolloutError("fragment.configItems: expected a map of strings");
  }
  if (o.baseos !== undefined) {
    const b = o.baseos as Record<string, unknown>;
    if (!b || typeof b.version !== "string" || typeof b.contentTree !== "string")
      throw new RolloutError("fragment.baseos: expected {contentTree, version}");
  }
  if (!Object.keys(o).length) throw new RolloutError("fragment: empty; give apps, configItems or baseos");
  return o as Fragment;
}

/** The device's document with the fragment in it: list entries replace those with the same id (or
 * are added), config items are merged, baseos replaces. */
export function mergeFragment(doc: Record<string, unknown>, f: Fragment): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  for (const k of LISTS) {
    const add = f[k];
    if (!add) continue;
    const ids = new Set(add.map((x) => x.id));
    out[k] = [...((doc[k] as { id: string }[] | undefined) ?? []).filter((x) => !ids.has(x.id)), ...add];
  }
  if (f.configItems)
    out.configItems = { ...((doc.configItems as Record<string, string>) ?? {}), ...f.configItems };
  if (f.baseos) out.baseos = { activate: true, retryUpdate: 0, ...f.baseos };
  return out;
}

/** Wave sizes for `n` devices from a spec such as "1,10%,rest": counts, percentages of n (rounded
 * up, at least 1) and "rest"; empty waves are dropped and what no wave takes goes into the last. */
export function waveSizes(spec: string, n: number): number[] {
  const parts = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) throw new RolloutError("waves: empty");
  const sizes: number[] = [];
  let left = n;
  for (const [i, p] of parts.entries()) {
    let k: number;
    if (p === "rest") {
      if (i !== parts.length - 1) throw new RolloutError('waves: "rest" must be the last wave');
      k = left;
    } else if (/^\d+(\.\d+)?%$/.test(p)) k = Math.max(1, Math.ceil((Number.parseFloat(p) / 100) * n));
    else if (/^\d+$/.test(p) && Number(p) > 0) k = Number(p);
    else throw new RolloutError(`waves: expected counts, percentages or "rest", got "${p}"`);
    k = Math.min(k, left);
    if (k > 0) sizes.push(k);
    left -= k;
  }
  if (left > 0) {
    if (sizes.length) sizes[sizes.length - 1] = (sizes.at(-1) as number) + left;
    else sizes.push(left);
  }
  return sizes;
}

export type Health =
  | { state: "healthy" }
  | { state: "pending"; waiting: string }
  | { state: "failed"; reason: string };

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec => (v && typeof v === "object" ? (v as Rec) : {});

/** Is a device healthy with the fragment, from its info records: every app of the fragment RUNNING
 * (reported after `since`, unless its config did not change), the base OS version committed (the
 * activated slot runs it, partition active), every config item in force. An app in ERROR or the
 * version FAILED is a failure at once. */
export function deviceHealth(
  f: Fragment,
  info: { at: string; key: string; value: unknown }[],
  since: string,
  configChanged: boolean,
): Health {
  for (const a of f.apps ?? []) {
    const uuid = idToUuid(a.id);
    const rec = info.find((r) => r.key === `app/${uuid}`);
    const ai = obj(obj(rec?.value).ainfo);
    const state = String(ai.state ?? "");
    const fresh = rec && (!configChanged || rec.at >= since);
    const errs = ((ai.appErr as { description?: string }[] | undefined) ?? [])
      .map((e) => e.description)
      .filter(Boolean);
    if (fresh && state === "ERROR")
      return { state: "failed", reason: `app ${a.id}: ERROR${errs.length ? `: ${errs[0]}` : ""}` };
    if (!fresh || state !== "RUNNING")
      return {
        state: "pending",
        waiting: `app ${a.id} RUNNING (now ${fresh ? state || "unknown" : "not reported since the config was set"})`,
      };
  }
  const dinfo = obj(obj(info.find((r) => r.key === "device")?.value).dinfo);
  if (f.baseos) {
    const slots = ((dinfo.swList as Rec[] | undefined) ?? []).filter((s) => s.partitionLabel);
    const v = f.baseos.version;
    const failed = slots.find((s) => s.shortVersion === v && (s.userStatus === "FAILED" || s.swErr));
    if (failed)
      return {
        state: "failed",
        reason: `base OS ${v}: ${String(obj(failed.swErr).description ?? "") || "update failed"} (slot ${String(failed.partitionLabel)})`,
      };
    const active = slots.find((s) => s.activated);
    if (!active || active.shortVersion !== v || active.partitionState !== "active")
      return {
        state: "pending",
        waiting: `base OS ${v} committed (now ${active ? `${String(active.shortVersion)} ${String(active.partitionState ?? "")}` : "no slot reported"})`,
      };
  }
  const items = obj(obj(dinfo.configItemStatus).configItems);
  for (const [k, v] of Object.entries(f.configItems ?? {})) {
    const it = obj(items[k]);
    if (it.error) return { state: "failed", reason: `config item ${k}=${v}: ${String(it.error)}` };
    if (it.value !== v)
      return {
        state: "pending",
        waiting: `config item ${k}=${v} in force (now ${String(it.value ?? "default")})`,
      };
  }
  return { state: "healthy" };
}
