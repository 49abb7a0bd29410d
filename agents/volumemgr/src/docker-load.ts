import { createReadStream } from "node:fs";
import { Readable } from "node:stream";

// The tar streams volumemgr feeds to `docker load`, built on the fly so no second copy of an image
// ever lands on disk:
// - an OCI image (config + layer blobs from the verified store) becomes a docker-load archive:
//   manifest.json [{Config, RepoTags, Layers}] + the config blob + the layer blobs (gzip layers are
//   fine: the engine decompresses them);
// - a `docker save` archive from an http datastore is passed through with its manifest.json's
//   RepoTags replaced by the node's own tag, so loading it does not also create the tags it was
//   saved with (those would keep the image alive after Outpost removes its own reference).

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0");
}

/** A ustar header for a regular file. */
export function tarHeader(name: string, size: number, mtimeS = 0): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  if (size >= 8 ** 11) throw new Error(`tar entry too large for ustar: ${name} (${size} bytes)`);
  const h = Buffer.alloc(BLOCK, 0);
  h.write(name, 0, "utf8");
  h.write(`${octal(0o644, 8)}\0`, 100, "ascii");
  h.write(`${octal(0, 8)}\0`, 108, "ascii");
  h.write(`${octal(0, 8)}\0`, 116, "ascii");
  h.write(`${octal(size, 12)}\0`, 124, "ascii");
  h.write(`${octal(mtimeS, 12)}\0`, 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write("0", 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${octal(sum, 7)}\0 `, 148, "ascii");
  return h;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK, 0);

export interface OciLoadParts {
  /** The reference the engine tags the image with. */
  repoTag: string;
  config: { sha256: string; path: string; size: number };
  layers: { sha256: string; path: string; size: number }[];
}

/** The docker-load archive of an OCI image, streamed from its verified blob files. */
export function ociLoadStream(p: OciLoadParts): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    const files = [{ name: `${p.config.sha256}.json`, ...p.config }];
    const seen = new Set<string>();
    for (const l of p.layers) {
      if (seen.has(l.sha256)) continue;
      seen.add(l.sha256);
      files.push({ name: `${l.sha256}.tar`, ...l });
    }
    for (const f of files) {
      yield tarHeader(f.name, f.size);
      let n = 0;
      for await (const chunk of createReadStream(f.path)) {
        n += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (n !== f.size) throw new Error(`blob ${f.sha256} is ${n} bytes, expected ${f.size}`);
      yield padding(f.size);
    }
    const manifest = Buffer.from(
      JSON.stringify([
        {
          Config: `${p.config.sha256}.json`,
          RepoTags: [p.repoTag],
          Layers: p.layers.map((l) => `${l.sha256}.tar`),
        },
      ]),
    );
    yield tarHeader("manifest.json", manifest.length);
    yield manifest;
    yield padding(manifest.length);
    yield Buffer.alloc(2 * BLOCK, 0);
  }
  return Readable.from(gen(), { objectMode: false });
}

/** Pulls exact byte counts out of a chunked stream. */
class ByteReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.have < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else {
        this.chunks.push(r.value);
        this.have += r.value.length;
      }
    }
  }

  /** Exactly n bytes, or fewer at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const all = Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.have = Math.max(0, all.length - n);
    return out;
  }

  /** n bytes as they come, without gathering them. */
  async *pass(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.have === 0) await this.fill(1);
      if (this.have === 0) throw new Error("archive ends in the middle of an entry");
      const c = this.chunks.shift() as Buffer;
      this.have -= c.length;
      if (c.length > left) {
        this.chunks.unshift(c.subarray(left));
        this.have += c.length - left;
        yield c.subarray(0, left);
        left = 0;
      } else {
        left -= c.length;
        yield c;
      }
    }
  }
}

function parseOctal(b: Buffer): number {
  // base-256 (GNU) for sizes over 8 GiB
  if ((b[0] ?? 0) & 0x80) {
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + (b[i] ?? 0);
    return n;
  }
  const s = b.toString("ascii").replace(/\0.*$/s, "").trim();
  return s ? Number.parseInt(s, 8) : 0;
}

/** The header's checksum field against the sum of its bytes (the field itself counted as spaces). */
function checksumOk(h: Buffer): boolean {
  const want = parseOctal(h.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
  return sum === want;
}

function headerName(h: Buffer): string {
  const name = h.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
  const prefix = h.subarray(345, 500).toString("utf8").replace(/\0.*$/s, "");
  return prefix ? `${prefix}/${name}` : name;
}

/** Rewrites a `docker save` archive on the fly: manifest.json's RepoTags become [repoTag]. The other
 * entries pass through untouched. Throws (failing the load) when the archive has no manifest.json. */
export function retagArchiveStream(input: Readable, repoTag: string): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    const r = new ByteReader(input[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
    let sawManifest = false;
    // pax / GNU long-name entries describe the entry after them: held until we know which one it is
    let held: Buffer[] = [];
    let heldName: string | undefined;
    for (;;) {
      const h = await r.read(BLOCK);
      if (h.length === 0) break;
      if (h.length < BLOCK) throw new Error("archive is truncated");
      if (h.every((b) => b === 0)) {
        yield h;
        continue;
      }
      if (!checksumOk(h)) throw new Error("not a tar archive (bad header checksum)");
      const type = String.fromCharCode(h[156] ?? 48);
      const size = parseOctal(h.subarray(124, 136));
      if (!Number.isSafeInteger(size) || size < 0) throw new Error("not a tar archive (bad entry size)");
      const padded = size + padding(size).length;
      if (type === "x" || type === "L") {
        const body = await r.read(padded);
        if (type === "L") heldName = body.subarray(0, size).toString("utf8").replace(/\0.*$/s, "");
        else {
          const m = /\d+ path=([^\n]*)\n/.exec(body.subarray(0, size).toString("utf8"));
          if (m?.[1]) heldName = m[1];
        }
        held.push(h, body);
        continue;
      }
      const name = (heldName ?? headerName(h)).replace(/^\.\//, "");
      if (name === "manifest.json" && (type === "0" || type === "\0")) {
        const body = (await r.read(padded)).subarray(0, size);
        const doc = JSON.parse(body.toString("utf8")) as { RepoTags?: string[] }[];
        if (!Array.isArray(doc) || doc.length === 0) throw new Error("manifest.json lists no image");
        for (const img of doc) img.RepoTags = [];
        (doc[0] as { RepoTags: string[] }).RepoTags = [repoTag];
        const out = Buffer.from(JSON.stringify(doc));
        // the held pax header (if any) carried the old size: dropped, the name fits in ustar
        held = [];
        heldName = undefined;
        sawManifest = true;
        yield tarHeader("manifest.json", out.length);
        yield out;
        yield padding(out.length);
        continue;
      }
      for (const b of held) yield b;
      held = [];
      heldName = undefined;
      yield h;
      yield* r.pass(padded);
    }
    if (!sawManifest) throw new Error("not a docker save archive: no manifest.json");
  }
  return Readable.from(gen(), { objectMode: false });
}
