// Onboarding end to end from the built bundle, over real TLS: controller, `ctl node-config`, then
// `client selfRegister getUuid`, with the failures an operator must be able to tell apart.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createCertificate, generateEcKey, privateKeyPem, publicOf } from "@outpost/evecloud";
import {
  Procs,
  readOnboardingStatus,
  removeRoot,
  startController,
  tempRoot,
  waitFor,
} from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

describe("client selfRegister getUuid", () => {
  const procs = new Procs();
  const roots: string[] = [];
  const root = () => {
    const r = tempRoot("op-onb-");
    roots.push(r);
    return r;
  };
  afterEach(() => {
    procs.cleanup();
    for (const r of roots.splice(0)) removeRoot(r);
  });
  const client = (nodeRoot: string, ...extra: string[]) =>
    procs.run("client", ["--root", nodeRoot, "selfRegister", "getUuid", "--attempts", "1", ...extra], 30_000);
  // When the other end lives in this test process (the proxy below), the client must not block it.
  const clientAsync = (nodeRoot: string) => {
    const c = procs.start("client", ["--root", nodeRoot, "selfRegister", "getUuid", "--attempts", "1"]);
    return new Promise<{ status: number | null; output: string }>((r) =>
      c.once("exit", (status) => r({ status, output: c.output() })),
    );
  };

  it("onboards, publishes a persistent OnboardingStatus, and a second register is fine", async () => {
    const ctl = await startController(procs, root());
    const node = root();
    expect(ctl.ctl("node-config", node, "--serial", "SN-1").status).toBe(0);
    expect(readFileSync(join(node, "config/server"), "utf8").trim()).toBe(ctl.server);
    expect(statSync(join(node, "config/onboard.key.pem")).mode & 0o777).toBe(0o600);

    const first = client(node);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain("registered with the controller");
    expect(statSync(join(node, "config/device.key.pem")).mode & 0o777).toBe(0o600);
    const devices = ctl.ctlJson<{ uuid: string; serial: string }[]>("devices", "list");
    expect(devices).toHaveLength(1);
    expect(devices[0]?.serial).toBe("SN-1");
    const status = await readOnboardingStatus(node);
    expect(status?.deviceUuid).toBe(devices[0]?.uuid);
    expect(status?.serial).toBe("SN-1");

    // A device certificate that is not new is not registered again: straight to uuid.
    const again = client(node);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).not.toContain("registered");
    expect(again.stdout).toContain(`onboarded: device UUID ${devices[0]?.uuid}`);
    expect(ctl.ctlJson<unknown[]>("devices", "list")).toHaveLength(1);
    expect((await readOnboardingStatus(node))?.deviceUuid).toBe(devices[0]?.uuid);
  });

  it("an onboarding certificate made elsewhere works once added with ctl; a removed device must re-register", async () => {
    const ctl = await startController(procs, root());
    const node = root();
    expect(ctl.ctl("node-config", node).status).toBe(0);
    // Replace the onboarding cert+key with a pair the controller never saw (self-signed, as EVE's are).
    const key = generateEcKey();
    const pem = createCertificate({
      subject: { commonName: "factory onboarding" },
      publicKey: publicOf(key),
      selfKey: key,
      validDays: 30,
      keyUsage: ["digitalSignature"],
    });
    writeFileSync(join(node, "config/onboard.cert.pem"), pem);
    writeFileSync(join(node, "config/onboard.key.pem"), privateKeyPem(key), { mode: 0o600 });
    writeFileSync(join(node, "config/serial"), "FACTORY-1\n");
    expect(client(node).stderr).toContain("403");
    expect(
      ctl.ctl("onboarding", "add", join(node, "config/onboard.cert.pem"), "--serial", "FACTORY-1").status,
    ).toBe(0);
    const ok = client(node);
    expect(ok.status, ok.stderr).toBe(0);
    const [dev] = ctl.ctlJson<{ uuid: string; serial: string }[]>("devices", "list");
    expect(dev?.serial).toBe("FACTORY-1");
    expect(ctl.ctlJson<{ serial: string }>("devices", "get", "FACTORY-1").serial).toBe("FACTORY-1");

    // Removed on the controller: getUuid alone says the controller does not know us; selfRegister fixes it.
    expect(ctl.ctl("devices", "remove", dev?.uuid ?? "").status).toBe(0);
    const only = procs.run("client", ["--root", node, "getUuid", "--attempts", "1"]);
    expect(only.status).toBe(1);
    expect(only.stderr).toContain("does not know this device certificate");
    expect(client(node).status).toBe(0);
    const [again] = ctl.ctlJson<{ uuid: string }[]>("devices", "list");
    expect(again?.uuid).not.toBe(dev?.uuid);
    expect((await readOnboardingStatus(node))?.deviceUuid).toBe(again?.uuid);
  });

  it("an unknown onboarding certificate is reported as such (403)", async () => {
    const ctl = await startController(procs, root());
    const node = root();
    expect(ctl.ctl("node-config", node).status).toBe(0);
    const [ob] = ctl.ctlJson<{ id: string }[]>("onboarding", "list");
    expect(ctl.ctl("onboarding", "remove", ob?.id.slice(0, 12) ?? "").status).toBe(0);
    const r = client(node);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/register refused \(403\).*unknown onboarding certificate/);
    expect(await readOnboardingStatus(node)).toBeUndefined();
  });

  it("a serial the onboarding certificate does not allow is refused", async () => {
    const ctl = await startController(procs, root());
    const node = root();
    expect(ctl.ctl("node-config", node, "--serial", "SN-1", "--serial", "SN-2").status).toBe(0);
    writeFileSync(join(node, "config/serial"), "SN-9\n");
    const r = client(node);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/403.*serial "SN-9" is not allowed/);
    expect(ctl.ctlJson<unknown[]>("devices", "list")).toHaveLength(0);
  });

  it("says which failure it is: TLS (wrong root certificate), connection refused", async () => {
    const a = await startController(procs, root());
    const b = await startController(procs, root());
    const node = root();
    expect(a.ctl("node-config", node).status).toBe(0);
    // b's root certificate does not vouch for a's server certificate.
    writeFileSync(
      join(node, "config/root-certificate.pem"),
      readFileSync(join(b.dataDir, "pki/root.cert.pem")),
    );
    const tls = client(node);
    expect(tls.status).toBe(1);
    expect(tls.stderr).toContain("TLS failure");

    const closed = root();
    expect(a.ctl("node-config", closed).status).toBe(0);
    writeFileSync(join(closed, "config/server"), "127.0.0.1:1\n");
    const refused = client(closed);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("connection refused");
  });

  it("a second boot makes no register call, so a controller refusing repeats (403) cannot stall it", async () => {
    const ctl = await startController(procs, root());
    const node = root();
    expect(ctl.ctl("node-config", node, "--serial", "SN-R").status).toBe(0);
    // Between the node and the controller, over the controller's own TLS certificate: counts every
    // request, and answers a repeated register with 403 "serial already used" as some controllers do.
    const proxy = await countingProxy(ctl.dataDir, ctl.server, (path, n) =>
      path.endsWith("/register") && n > 1 ? 403 : undefined,
    );
    try {
      writeFileSync(join(node, "config/server"), `${proxy.server}\n`);
      const first = await clientAsync(node);
      expect(first.status, first.output).toBe(0);
      expect(proxy.count("register")).toBe(1);
      expect(proxy.count("uuid")).toBe(1);
      const [dev] = ctl.ctlJson<{ uuid: string }[]>("devices", "list");

      // Next boot, as outpost-boot runs it: uuid only, onboarded at the first attempt.
      const second = await clientAsync(node);
      expect(second.status, second.output).toBe(0);
      expect(second.output).not.toContain("register");
      expect(proxy.count("register")).toBe(1);
      expect(proxy.count("uuid")).toBe(2);
      expect((await readOnboardingStatus(node))?.deviceUuid).toBe(dev?.uuid);
    } finally {
      await proxy.close();
    }
  });

  it("200 on register is success too", async () => {
    const ctl = await startController(procs, root());
    const node = root();
    expect(ctl.ctl("node-config", node).status).toBe(0);
    const proxy = await countingProxy(ctl.dataDir, ctl.server, (path, _n, upstream) =>
      path.endsWith("/register") && upstream === 201 ? 200 : undefined,
    );
    try {
      writeFileSync(join(node, "config/server"), `${proxy.server}\n`);
      const r = await clientAsync(node);
      expect(r.status, r.output).toBe(0);
      expect(r.output).toContain("registered with the controller");
      expect(proxy.count("register")).toBe(1);
      expect((await readOnboardingStatus(node))?.deviceUuid).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await proxy.close();
    }
  });

  it("retries with backoff until the controller appears", async () => {
    const ctlRoot = root();
    const first = await startController(procs, ctlRoot);
    const node = root();
    expect(first.ctl("node-config", node).status).toBe(0);
    procs.cleanup(); // controller gone
    const c = procs.start("client", [
      "--root",
      node,
      "selfRegister",
      "getUuid",
      "--retry-min-ms",
      "200",
      "--retry-max-ms",
      "400",
    ]);
    await waitFor(
      () => (c.output().match(/connection refused/g) ?? []).length >= 2,
      15_000,
      "two refused attempts",
    );
    // Same data dir, same port: the node's config/server stays right.
    const port = first.server.split(":")[1] ?? "";
    procs.start("controller", ["--root", ctlRoot, "--listen", `127.0.0.1:${port}`]);
    await waitFor(() => c.exitCode === 0, 20_000, `client to onboard\n${c.output()}`);
    expect((await readOnboardingStatus(node))?.deviceUuid).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/** An HTTPS proxy in front of the controller, with the controller's server certificate (so the node
 * trusts it as the controller): counts requests by their last path segment, and lets `rewrite` answer
 * a request with a bare status instead (before forwarding: the controller never sees it) or replace
 * the controller's status (after). */
async function countingProxy(
  dataDir: string,
  upstream: string,
  rewrite: (path: string, nth: number, upstreamStatus?: number) => number | undefined,
) {
  const counts = new Map<string, number>();
  const [host, port] = upstream.split(":");
  const ca = readFileSync(join(dataDir, "pki/root.cert.pem"));
  const server = createServer(
    {
      key: readFileSync(join(dataDir, "pki/server.key.pem")),
      cert: readFileSync(join(dataDir, "pki/server.cert.pem")),
    },
    (req, res) => {
      const path = req.url ?? "";
      const kind = path.split("?")[0]?.split("/").pop() ?? "";
      const nth = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, nth);
      const early = rewrite(path, nth);
      if (early !== undefined) {
        req.resume();
        res.writeHead(early, { "Content-Type": "text/plain" }).end("serial already used");
        return;
      }
      const up = request(
        { host, port: Number(port), path, method: req.method, headers: req.headers, ca },
        (ures) => {
          const status = rewrite(path, nth, ures.statusCode) ?? ures.statusCode ?? 502;
          res.writeHead(status, ures.headers);
          ures.pipe(res);
        },
      );
      up.on("error", () => res.writeHead(502).end());
      req.pipe(up);
    },
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    server: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (kind: string) => counts.get(kind) ?? 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
