// The heartbeat on `nodestatus/<nodeId>`: node state, each edge app with its state and each module's
// container state, and the node's resources. Pure; the resources are sampled by the caller.
import type { EdgeAppReport, Heartbeat, ModuleReport } from "@outpost/mqttedge";
import type { AppInstanceStatus, ErrorInfo } from "@outpost/types";
import { type EdgeApp, moduleUuid } from "./plan.js";

const UP = new Set(["RUNNING"]);
/** A container that runs or is on its way up or down. */
const ACTIVE = new Set(["RUNNING", "BOOTING", "HALTING"]);
const FAILED = new Set(["BROKEN", "FAILED"]);

export function edgeAppReport(
  nodeId: string,
  id: string,
  app: EdgeApp,
  statuses: ReadonlyMap<string, AppInstanceStatus>,
  appError: string | undefined,
): EdgeAppReport {
  const modules = app.manifest.modules.map((m): ModuleReport => {
    const uuid = moduleUuid(nodeId, id, m.name);
    const s = statuses.get(uuid);
    return {
      name: m.name,
      uuid,
      state: s?.state ?? "MISSING",
      ...(s?.containerId ? { containerId: s.containerId } : {}),
      ...(s?.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
      ...(s?.error && s.error.severity !== "notice" ? { error: describe(s.error) } : {}),
    };
  });
  const states = modules.map((m) => m.state);
  const moduleError = modules.find((m) => m.error || FAILED.has(m.state));
  let state: string;
  switch (app.desired) {
    case "running":
      state = states.every((s) => UP.has(s)) ? "running" : "deploying";
      break;
    case "stopped":
      state = states.every((s) => !ACTIVE.has(s)) ? "stopped" : "stopping";
      break;
    case "undeployed":
      state = states.every((s) => s === "MISSING") ? "undeployed" : "undeploying";
      break;
    case "removed":
      state = "removing";
  }
  if (appError || (moduleError && app.desired === "running")) state = "error";
  const error =
    appError ?? (moduleError ? `${moduleError.name}: ${moduleError.error ?? moduleError.state}` : undefined);
  return {
    id,
    name: app.manifest.name,
    version: app.manifest.version,
    desired: app.desired,
    state,
    ...(error ? { error } : {}),
    modules,
  };
}

function describe(e: ErrorInfo): string {
  return e.retryCondition ? `${e.description} (${e.retryCondition})` : e.description;
}

/** What makes a heartbeat "changed" (and sent at once): everything but the time and the resources,
 * which move on every sample and ride on the periodic heartbeat. */
export function changeKey(h: Heartbeat): string {
  const { timestamp: _t, resources: _r, ...rest } = h;
  return JSON.stringify(rest);
}
