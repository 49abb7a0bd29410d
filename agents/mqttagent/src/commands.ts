// What an orchestration command does to the edge apps mqttagent holds. Pure: the new apps map, or a
// refusal that leaves everything as it was (running apps untouched).
import { createHash } from "node:crypto";
import type { Command } from "@outpost/mqttedge";
import type { EdgeApp } from "./plan.js";

export type CommandResult =
  | { ok: true; apps: Map<string, EdgeApp>; changed: boolean; note?: string }
  | { ok: false; error: string };

/** A /24 for a new edge app's network from the pool (a /16), away from the ones in use. */
export function allocateSubnet(pool: string, appId: string, used: ReadonlySet<string>): string | undefined {
  const m = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(pool);
  if (!m) return undefined;
  const start = createHash("sha256").update(appId).digest()[0] ?? 0;
  for (let i = 0; i < 256; i++) {
    const n = (start + i) % 256;
    const subnet = `${m[1]}.${m[2]}.${n}.0/24`;
    if (!used.has(subnet)) return subnet;
  }
  return undefined;
}

export function applyCommand(
  apps: ReadonlyMap<string, EdgeApp>,
  cmd: Command,
  subnetPool: string,
): CommandResult {
  const next = new Map(apps);
  if (cmd.command === "deploy") {
    const m = cmd.manifest;
    const cur = apps.get(m.id);
    if (cur && cur.desired !== "removed") {
      if (m.version < cur.manifest.version)
        return {
          ok: false,
          error: `deploy ${m.id}: version ${m.version} is older than the deployed version ${cur.manifest.version}`,
        };
      if (m.version === cur.manifest.version && JSON.stringify(m) !== JSON.stringify(cur.manifest))
        return {
          ok: false,
          error: `deploy ${m.id}: version ${m.version} is already deployed with other content; bump the version to update`,
        };
      const changed = m.version !== cur.manifest.version || cur.desired !== "running";
      next.set(m.id, { ...cur, manifest: m, desired: "running" });
      return { ok: true, apps: next, changed, ...(changed ? {} : { note: "already deployed" }) };
    }
    const used = new Set([...apps.values()].map((a) => a.subnet));
    const subnet = cur?.subnet ?? allocateSubnet(subnetPool, m.id, used);
    if (!subnet)
      return { ok: false, error: `deploy ${m.id}: no free /24 left in the subnet pool ${subnetPool}` };
    next.set(m.id, { manifest: m, desired: "running", subnet });
    return { ok: true, apps: next, changed: true };
  }
  const cur = apps.get(cmd.id);
  if (!cur || cur.desired === "removed") {
    if (cmd.command === "remove" || cmd.command === "undeploy")
      return { ok: true, apps: next, changed: false, note: `${cmd.id} is not deployed` };
    return { ok: false, error: `${cmd.command} ${cmd.id}: no such edge app on this node` };
  }
  const desired: EdgeApp["desired"] = {
    stop: "stopped",
    resume: "running",
    undeploy: "undeployed",
    remove: "removed",
  }[cmd.command] as EdgeApp["desired"];
  if (cur.desired === desired) return { ok: true, apps: next, changed: false, note: `already ${desired}` };
  if (cmd.command === "stop" && cur.desired === "undeployed")
    return { ok: false, error: `stop ${cmd.id}: it is undeployed (resume or deploy it first)` };
  next.set(cmd.id, { ...cur, desired });
  return { ok: true, apps: next, changed: true };
}
