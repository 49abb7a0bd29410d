// The rollouts' admin routes (under /admin/v1/, the admin token checked before):
//   GET rollouts, POST rollouts {filter?, tag?, fragment, waves?, deadlineS?}, GET rollouts/<id>,
//   POST rollouts/<id>/{pause,resume,abort}
import type { ServerResponse } from "node:http";
import { FilterError } from "../inventory/filter.js";
import type { Snapshot } from "../inventory/index.js";
import { InventoryError } from "../inventory/index.js";
import type { Rollout, RolloutDriver } from "./driver.js";
import { RolloutError } from "./plan.js";

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** What the caller may do (the admin API's roles): rollouts they cannot see are 404, those they may
 * not control 403; a new rollout only targets devices of `snapshot`. */
export interface RolloutAccess {
  sees(r: Rollout): boolean;
  mayControl(r: Rollout): boolean;
  mayCreate: boolean;
  snapshot: () => Promise<Snapshot>;
  /** Told of each change (audit). */
  changed(action: "create" | "pause" | "resume" | "abort", r: Rollout): Promise<void>;
}

export async function handleRollouts(
  driver: RolloutDriver,
  method: string,
  parts: string[],
  body: () => unknown,
  res: ServerResponse,
  access?: RolloutAccess,
): Promise<void> {
  const [, id, op, ...rest] = parts;
  try {
    if (rest.length) throw new InventoryError(404, "no such admin endpoint");
    if (!id && method === "GET")
      return sendJson(
        res,
        200,
        (await driver.list()).filter((r) => !access || access.sees(r)),
      );
    if (!id && method === "POST") {
      if (access && !access.mayCreate)
        throw new InventoryError(403, "creating a rollout needs the operator role in a team");
      const b = (body() ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(b))
        if (!["filter", "tag", "fragment", "waves", "deadlineS"].includes(k))
          throw new RolloutError(`${k}: unknown field (filter, tag, fragment, waves, deadlineS)`);
      for (const k of ["filter", "tag", "waves"] as const)
        if (b[k] !== undefined && typeof b[k] !== "string") throw new RolloutError(`${k}: expected a string`);
      if (b.deadlineS !== undefined && typeof b.deadlineS !== "number")
        throw new RolloutError("deadlineS: expected a number of seconds");
      const r = await driver.create(
        {
          fragment: b.fragment,
          ...(b.filter !== undefined ? { filter: b.filter as string } : {}),
          ...(b.tag !== undefined ? { tag: b.tag as string } : {}),
          ...(b.waves !== undefined ? { waves: b.waves as string } : {}),
          ...(b.deadlineS !== undefined ? { deadlineS: b.deadlineS as number } : {}),
        },
        ...(access ? [access.snapshot] : []),
      );
      await access?.changed("create", r);
      return sendJson(res, 201, r);
    }
    if (id && !op && method === "GET") {
      const r = await driver.get(id);
      if (!r || (access && !access.sees(r))) throw new InventoryError(404, `no rollout ${id}`);
      return sendJson(res, 200, r);
    }
    if (id && (op === "pause" || op === "resume" || op === "abort") && method === "POST") {
      const cur = await driver.get(id);
      if (!cur || (access && !access.sees(cur))) throw new InventoryError(404, `no rollout ${id}`);
      if (access && !access.mayControl(cur))
        throw new InventoryError(403, `${op} needs the operator role in every team of the rollout's devices`);
      const r = await driver.control(id, op);
      await access?.changed(op, r);
      return sendJson(res, 200, r);
    }
    throw new InventoryError(404, "no such admin endpoint");
  } catch (e) {
    if (e instanceof RolloutError || e instanceof FilterError)
      throw new InventoryError(e.message.startsWith("cannot ") ? 409 : 400, e.message);
    throw e;
  }
}
