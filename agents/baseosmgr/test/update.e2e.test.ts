// baseosmgr end to end up to the reboot request: the reference controller over TLS serves a release
// tarball (a RAW content tree) from its datastore; zedagent publishes BaseOsConfig; volumemgr, the
// downloader and the verifier fetch and verify it; baseosmgr installs it into slot B, sets the boot
// selector to try B once and asks nodeagent for an UPDATE reboot. A corrupt release is refused before
// anything is installed.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rig, waitFor } from "@outpost/testkit";
import type { BaseOsStatus, NodeAgentRequest } from "@outpost/types";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnvBlock } from "../src/bootselector.js";
import { releaseTarball } from "./release.js";

function baseosDoc(server: string, url: string, sha256: string, version: string): string {
  return `datastores:
  - { id: ctrl, type: https, fqdn: "https://${server}", path: datastore }
contentTrees:
  - { id: os, datastore: ctrl, url: ${url}, format: raw, sha256: "${sha256}" }
baseos: { contentTree: os, version: "${version}" }
configItems:
  timer.config.interval: "1"
`;
}

async function publishRelease(
  rig: Rig,
  file: string,
  name: string,
): Promise<{ url: string; sha256: string }> {
  const dir = join(rig.dataDir, "datastore");
  mkdirSync(dir, { recursive: true });
  const bytes = readFileSync(file);
  writeFileSync(join(dir, name), bytes);
  return { url: name, sha256: createHash("sha256").update(bytes).digest("hex") };
}

const slots = (rig: Rig) => rig.table<BaseOsStatus>("baseosmgr", "BaseOsStatus");

describe("baseosmgr with the reference controller", () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it("downloads, verifies and installs a good release into slot B, then asks for an UPDATE reboot into it", async () => {
    rig = new Rig();
    const r = rig;
    await r.startController();
    await r.onboard();
    const rel = await publishRelease(r, releaseTarball(r.croot, "9.9.9"), "outpost-9.9.9.tar.gz");
    r.setConfig(baseosDoc(`127.0.0.1:${r.port}`, rel.url, rel.sha256, "9.9.9"));
    r.startAgents();

    let b: BaseOsStatus | undefined;
    await waitFor(
      () => {
        b = slots(r).B;
        return b?.partitionState === "updating";
      },
      50_000,
      () =>
        `slot B updating (last: ${JSON.stringify(b)}; content tree: ${JSON.stringify(
          r.table("volumemgr", "ContentTreeStatus"),
        )})\n${r.log("baseosmgr")}\n${r.log("volumemgr")}\n${r.log("downloader")}`,
      500,
    );
    expect(b).toMatchObject({
      version: "9.9.9",
      userStatus: "UPDATING",
      subStatus: "UPDATE_REBOOTING",
      updateCounter: 1,
    });
    expect(slots(r).A).toMatchObject({ partitionState: "active", activated: true });
    // The slot holds a release that runs and says it is 9.9.9.
    const v = spawnSync(process.execPath, [join(r.nroot, "slots/B/bin/outpost"), "--version"], {
      encoding: "utf8",
    });
    expect(v.stdout.trim()).toBe("9.9.9");
    expect(existsSync(join(r.nroot, "slots/.unpack-B"))).toBe(false);
    // The selector boots B once; the default stays A.
    expect(parseEnvBlock(readFileSync(join(r.nroot, "slots/bootenv"), "utf8"))).toEqual({
      outpost_default: "A",
      outpost_next: "B",
      outpost_trying: "B",
    });
    const req = r.table<NodeAgentRequest>("baseosmgr", "NodeAgentRequest").baseosmgr;
    expect(req).toMatchObject({ op: "reboot", reason: "UPDATE", detail: "update to 9.9.9 (slot B)" });
  });

  it("refuses a corrupt release before anything is installed, with the reason on slot B", async () => {
    rig = new Rig();
    const r = rig;
    await r.startController();
    await r.onboard();
    const bad = join(r.croot, "bad.tar.gz");
    writeFileSync(bad, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0]), Buffer.alloc(4096, 7)]));
    const rel = await publishRelease(r, bad, "outpost-9.9.8.tar.gz");
    r.setConfig(baseosDoc(`127.0.0.1:${r.port}`, rel.url, rel.sha256, "9.9.8"));
    r.startAgents();

    let b: BaseOsStatus | undefined;
    await waitFor(
      () => {
        b = slots(r).B;
        return b?.userStatus === "FAILED";
      },
      120_000,
      () => `slot B FAILED (last: ${JSON.stringify(b)})\n${r.log("baseosmgr")}`,
      500,
    );
    expect(b?.error?.description).toMatch(
      /cannot install version 9.9.8 into slot B: corrupt release archive/,
    );
    expect(b?.error?.retryCondition).toContain("retry_update");
    expect(existsSync(join(r.nroot, "slots/B"))).toBe(false);
    expect(existsSync(join(r.nroot, "slots/.unpack-B"))).toBe(false);
    expect(parseEnvBlock(readFileSync(join(r.nroot, "slots/bootenv"), "utf8"))).toEqual({
      outpost_default: "A",
    });
    expect(r.table<NodeAgentRequest>("baseosmgr", "NodeAgentRequest").baseosmgr).toBeUndefined();
  });
});
