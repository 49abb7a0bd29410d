// A bad controller in the middle: an HTTPS proxy (with the controller's own server certificate, so
// TLS is fine) that forwards everything to the real controller and, when told to, spoils the config
// answers: bad signature, wrong sender hash, a signing certificate not chaining to the root (served by
// `certs` too), a truncated protobuf (re-signed with the real key, so only decoding can catch it).
// Each is rejected as a whole: the app keeps running its old config, the reason is in ZedAgentStatus
// (read with ipcmonitor) and in zedagent's log. Off again -> the new config applies.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import { join } from "node:path";
import { idToUuid } from "@outpost/controller";
import {
  createCertificate,
  eve,
  generateEcKey,
  loadPrivateKey,
  publicOf,
  sealEnvelope,
  signingCertHash,
} from "@outpost/evecloud";
import { appDoc, freePort, idleApp, Rig } from "@outpost/testkit";
import { afterEach, describe, expect, it } from "vitest";

type Mode = "off" | "bad-signature" | "wrong-hash" | "bad-chain" | "truncated";

async function startMitm(rig: Rig, port: number) {
  const pki = join(rig.dataDir, "pki");
  const rootCa = readFileSync(join(pki, "root.cert.pem"));
  const signingPem = readFileSync(join(pki, "signing.cert.pem"), "utf8");
  const signingKey = loadPrivateKey(readFileSync(join(pki, "signing.key.pem")));
  const rogueKey = generateEcKey();
  const roguePem = createCertificate({
    subject: { commonName: "rogue signing" },
    publicKey: publicOf(rogueKey),
    selfKey: rogueKey,
    validDays: 10,
    keyUsage: ["digitalSignature"],
  });
  const rogueHash = signingCertHash(roguePem);
  const state = { mode: "off" as Mode };

  const payloadOf = (body: Buffer) =>
    eve.auth.AuthContainer.decode(body).protectedPayload?.payload ?? new Uint8Array();
  const spoil = (body: Buffer, path: string): Buffer => {
    if (state.mode === "bad-chain" && path.endsWith("/certs")) {
      const certs = eve.certs.ZControllerCert.encode({
        certs: [
          {
            type: eve.certs.ZCertType.CERT_TYPE_CONTROLLER_SIGNING,
            cert: Buffer.from(roguePem),
            certHash: rogueHash.subarray(0, 16),
            hashAlgo: eve.common.HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES,
          },
        ],
      }).finish();
      return Buffer.from(sealEnvelope(certs, { key: rogueKey, senderCertHash: rogueHash }));
    }
    if (!path.endsWith("/config")) return body;
    const env = eve.auth.AuthContainer.decode(body);
    switch (state.mode) {
      case "bad-signature": {
        const sig = Buffer.from(env.signatureHash);
        sig[5] = (sig[5] ?? 0) ^ 0xff;
        env.signatureHash = sig;
        return Buffer.from(eve.auth.AuthContainer.encode(env).finish());
      }
      case "wrong-hash":
        env.senderCertHash = randomBytes(32);
        return Buffer.from(eve.auth.AuthContainer.encode(env).finish());
      case "bad-chain":
        return Buffer.from(sealEnvelope(payloadOf(body), { key: rogueKey, senderCertHash: rogueHash }));
      case "truncated": {
        const p = payloadOf(body);
        return Buffer.from(
          sealEnvelope(p.subarray(0, Math.floor(p.length / 2)), {
            key: signingKey,
            senderCertHash: signingCertHash(signingPem),
          }),
        );
      }
      default:
        return body;
    }
  };

  const server: Server = createServer(
    {
      cert: readFileSync(join(pki, "server.cert.pem")),
      key: readFileSync(join(pki, "server.key.pem")),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers: Record<string, string> = {};
        for (const h of ["content-type", "x-request-id", "x-serial-number", "x-soft-serial"]) {
          const v = req.headers[h];
          if (typeof v === "string") headers[h] = v;
        }
        const up = request(
          { host: "127.0.0.1", port: rig.port, path: req.url, method: req.method, headers, ca: rootCa },
          (ur) => {
            const back: Uint8Array[] = [];
            ur.on("data", (c: Uint8Array) => back.push(c));
            ur.on("end", () => {
              let body: Buffer = Buffer.from(Buffer.concat(back));
              const status = ur.statusCode ?? 502;
              if (state.mode !== "off" && status === 200) body = spoil(body, req.url ?? "");
              res.writeHead(status, {
                "content-type": String(ur.headers["content-type"] ?? "application/x-proto-binary"),
              });
              res.end(body);
            });
          },
        );
        up.on("error", () => {
          res.writeHead(502);
          res.end();
        });
        up.end(Buffer.concat(chunks));
      });
    },
  );
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return {
    state,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe("zedagent refuses tampered config answers", () => {
  let rig: Rig | undefined;
  let mitm: Awaited<ReturnType<typeof startMitm>> | undefined;
  afterEach(async () => {
    // The node and its containers first: they must go even if closing the proxy misbehaves.
    await rig?.cleanup();
    await mitm?.close();
    rig = undefined;
    mitm = undefined;
  });

  it("bad signature, wrong sender hash, unchained signing cert, truncated protobuf: rejected, old config kept", async () => {
    rig = new Rig();
    await rig.startController();
    const mitmPort = await freePort();
    mitm = await startMitm(rig, mitmPort);
    await rig.onboard(`127.0.0.1:${mitmPort}`);
    const server = `127.0.0.1:${rig.port}`;
    const image = rig.image("tamper", idleApp());
    const app = idToUuid("guarded");
    rig.setConfig(appDoc({ server, image, apps: [{ id: "guarded", env: { V: "1" } }] }));
    rig.startAgents();
    const before = await rig.waitApp(app, (s) => s.state === "RUNNING", "app RUNNING");
    const good = await rig.waitZedagent((s) => s.configSource === "controller", "config applied");

    const next = rig.setConfig(appDoc({ server, image, apps: [{ id: "guarded", env: { V: "2" } }] }));
    const cases: [Mode, string, RegExp][] = [
      ["bad-signature", "bad-signature", /signature/i],
      ["wrong-hash", "unknown-sender", /sender|hash/i],
      ["bad-chain", "chain", /chain|certificate|issuer/i],
      ["truncated", "malformed", /malformed|invalid|range|index/i],
    ];
    let count = 0;
    for (const [mode, code, reason] of cases) {
      mitm.state.mode = mode;
      const s = await rig.waitZedagent(
        (z) => z.lastRejectedCode === code && z.rejectedCount > count,
        `${mode} rejected`,
      );
      count = s.rejectedCount;
      expect(s.configHash, mode).toBe(good.configHash);
      expect(s.lastRejectedReason, mode).toMatch(reason);
      const now = rig.app(app);
      expect(now, mode).toMatchObject({ state: "RUNNING", containerId: before.containerId, env: { V: "1" } });
    }
    expect(rig.log("zedagent", 400)).toContain("config rejected");

    mitm.state.mode = "off";
    await rig.waitZedagent((z) => z.configHash === next.configHash, "the new config applied once untampered");
    const v2 = await rig.waitApp(app, (s) => s.state === "RUNNING" && s.env?.V === "2", "app with V=2");

    // Verified but not applicable (an S3 datastore): refused as a whole too, nothing disturbed.
    const s3 = appDoc({ server, image, apps: [{ id: "guarded", env: { V: "3" } }] }).replace(
      "datastores:\n",
      'datastores:\n  - { id: bucket, type: s3, fqdn: "s3.example" }\n',
    );
    rig.setConfig(s3);
    const inv = await rig.waitZedagent(
      (z) => z.lastRejectedCode === "invalid",
      "unsupported config rejected",
    );
    expect(inv.lastRejectedReason).toMatch(/not supported/);
    expect(inv.configHash).toBe(next.configHash);
    expect(rig.app(app)).toMatchObject({ state: "RUNNING", containerId: v2.containerId, env: { V: "2" } });
  }, 300_000);
});
