// The budget shared by every body being read: the controller's request handler in-process over plain
// HTTP (real sockets, real LMDB store, real admin token check) with a small budget, so holding it
// takes a few MiB instead of 256.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@outpost/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminApi } from "../src/admin-api.js";
import { DeviceApi } from "../src/device-api.js";
import { Feed } from "../src/feed.js";
import { ensurePki } from "../src/pki.js";
import { BodyBudget, handler, listen } from "../src/server.js";
import { LmdbStore } from "../src/store/index.js";

const MiB = 1024 * 1024;
const TOKEN = "t0ken";

describe("request body budget", () => {
  const dir = mkdtempSync(join(tmpdir(), "op-budget-"));
  const budget = new BodyBudget(8 * MiB);
  let store: LmdbStore;
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    const log = pino({ level: "silent" });
    const pki = ensurePki(dir, "127.0.0.1");
    store = await LmdbStore.open(join(dir, "db"));
    const feed = new Feed(store);
    const deviceApi = new DeviceApi(store, pki, log);
    const admin = new AdminApi({ store, pki, deviceApi, feed, log, token: TOKEN, serverAddress: () => "" });
    server = createServer(handler({ deviceApi, admin, datastoreDir: join(dir, "ds"), log, budget }));
    port = (await listen(server, "127.0.0.1", 0)).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An authenticated admin POST declaring `declared` bytes, of which `first` are sent now; the
   * returned `finish` sends the rest. */
  function upload(declared: number, first: number) {
    let status: number | undefined;
    let body = "";
    let rest = () => {};
    const answered = new Promise<void>((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/admin/v1/onboarding",
          method: "POST",
          headers: { Authorization: `Bearer ${TOKEN}`, "Content-Length": declared },
        },
        (res) => {
          status = res.statusCode;
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve());
        },
      );
      req.on("error", () => resolve());
      req.write(Buffer.alloc(first, 0x20));
      rest = () => req.end(Buffer.alloc(declared - first, 0x20));
    });
    return {
      finish: () => rest(),
      answered,
      get status() {
        return status;
      },
      get body() {
        return body;
      },
    };
  }

  it("refuses with 503 while other bodies hold the budget, and gives it back once they are done", async () => {
    const a = upload(4 * MiB, 3 * MiB);
    const b = upload(4 * MiB, 3 * MiB);
    await waitFor(() => budget.inUse >= 6 * MiB, 10_000, "two bodies of 3 MiB held");
    // 3 MiB more does not fit in the 2 MiB left: cut off when it passes the budget, what it took given back.
    const c = upload(3 * MiB, 3 * MiB);
    await c.answered;
    expect(c.status).toBe(503);
    expect(JSON.parse(c.body).error).toMatch(/too many request bodies/);
    // The two held bodies still fit (4 + 4 MiB): read whole and judged on their content.
    a.finish();
    b.finish();
    await Promise.all([a.answered, b.answered]);
    expect([a.status, b.status]).toEqual([400, 400]);
    await waitFor(() => budget.inUse === 0, 10_000, "budget given back");
    const d = upload(1000, 1000);
    await d.answered;
    expect(d.status).toBe(400);
    expect(d.body).toMatch(/not JSON/);
    expect(budget.inUse).toBe(0);
  });
});
