// The tar streams fed to `docker load`, read back with GNU tar (the engine is exercised by the
// process tests).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ociLoadStream, retagArchiveStream } from "../src/docker-load.js";

async function collect(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Feeds `buf` in small uneven chunks, as a file or socket would. */
function chunked(buf: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let i = 0, n = 1; i < buf.length; i += n, n = (n * 7) % 1000 || 1) parts.push(buf.subarray(i, i + n));
  return Readable.from(parts);
}

describe("docker-load streams", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "opv-tar-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("assembles an OCI image as manifest.json + config + layers", async () => {
    const cfg = join(dir, "cfg");
    const layer = join(dir, "layer");
    writeFileSync(cfg, '{"architecture":"amd64"}');
    writeFileSync(layer, Buffer.alloc(1000, 7));
    const tar = await collect(
      ociLoadStream({
        repoTag: "outpost/node-x:t1",
        config: { sha256: "c".repeat(64), path: cfg, size: 24 },
        layers: [{ sha256: "d".repeat(64), path: layer, size: 1000 }],
      }),
    );
    expect(tar.length % 512).toBe(0);
    const out = join(dir, "x");
    mkdirSync(out);
    execFileSync("tar", ["-x", "-C", out], { input: tar });
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"))).toEqual([
      {
        Config: `${"c".repeat(64)}.json`,
        RepoTags: ["outpost/node-x:t1"],
        Layers: [`${"d".repeat(64)}.tar`],
      },
    ]);
    expect(readFileSync(join(out, `${"d".repeat(64)}.tar`))).toEqual(Buffer.alloc(1000, 7));
  });

  it("fails the stream when a blob is not the size its descriptor says", async () => {
    const cfg = join(dir, "cfg");
    writeFileSync(cfg, "{}");
    const s = ociLoadStream({
      repoTag: "r:t",
      config: { sha256: "c".repeat(64), path: cfg, size: 5 },
      layers: [],
    });
    await expect(collect(s)).rejects.toThrow(/is 2 bytes, expected 5/);
  });

  it("replaces a docker-save archive's RepoTags and passes every other entry through", async () => {
    const src = join(dir, "src");
    mkdirSync(join(src, "abc"), { recursive: true });
    writeFileSync(join(src, "abc", "layer.tar"), Buffer.alloc(3000, 1));
    writeFileSync(join(src, "cfg.json"), "{}");
    writeFileSync(
      join(src, "manifest.json"),
      JSON.stringify([
        { Config: "cfg.json", RepoTags: ["busybox:1", "busybox:latest"], Layers: ["abc/layer.tar"] },
      ]),
    );
    writeFileSync(join(src, "repositories"), "{}");
    const archive = execFileSync("tar", [
      "-c",
      "-C",
      src,
      "abc",
      "cfg.json",
      "manifest.json",
      "repositories",
    ]);
    const tar = await collect(retagArchiveStream(chunked(archive), "outpost/node-x:t2"));
    const out = join(dir, "out");
    mkdirSync(out);
    execFileSync("tar", ["-x", "-C", out], { input: tar });
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"))).toEqual([
      { Config: "cfg.json", RepoTags: ["outpost/node-x:t2"], Layers: ["abc/layer.tar"] },
    ]);
    expect(readFileSync(join(out, "abc", "layer.tar"))).toEqual(Buffer.alloc(3000, 1));
    expect(readFileSync(join(out, "repositories"), "utf8")).toBe("{}");
  });

  it("refuses what is not a tar archive", async () => {
    const junk = Buffer.alloc(4096, 0x41);
    await expect(collect(retagArchiveStream(chunked(junk), "r:t"))).rejects.toThrow(/not a tar archive/);
  });

  it("refuses an archive without manifest.json", async () => {
    const src = join(dir, "src");
    mkdirSync(src);
    writeFileSync(join(src, "a"), "x");
    const archive = execFileSync("tar", ["-c", "-C", src, "a"]);
    await expect(collect(retagArchiveStream(chunked(archive), "r:t"))).rejects.toThrow(/no manifest.json/);
  });
});
