// One gzip member (RFC 1952) with a comment, from bytes. Node's zlib writes gzip headers without
// FNAME/FCOMMENT, and the comment carries the bundle metadata (README, Gzip), so the header and trailer
// are written here around a raw deflate stream.
import { promisify } from "node:util";
import { crc32, deflateRaw, gunzipSync } from "node:zlib";

const deflateRawAsync = promisify(deflateRaw);
const FCOMMENT = 0x10;

/** The comment as ISO-8859-1: characters above U+00FF become \uXXXX, which keeps JSON valid. */
export function latin1Comment(text: string): Buffer {
  let safe = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // NUL would end the field; above U+00FF is not Latin-1: both as JSON escapes (UTF-16 units).
    safe += code === 0 || code > 0xff ? `\\u${code.toString(16).padStart(4, "0")}` : text[i];
  }
  return Buffer.from(safe, "latin1");
}

export async function gzipWithComment(body: Buffer, comment: string, mtimeMs: number): Promise<Buffer> {
  const header = Buffer.alloc(10);
  header[0] = 0x1f;
  header[1] = 0x8b;
  header[2] = 8; // deflate
  header[3] = FCOMMENT;
  header.writeUInt32LE(Math.floor(mtimeMs / 1000) >>> 0, 4);
  header[8] = 0;
  header[9] = 3; // Unix
  // One output chunk for a whole batch (about 50 KB of gzip from 512 KiB of JSON): each chunk is a
  // round trip between the thread pool and the main loop.
  const deflated = await deflateRawAsync(body, { level: 6, chunkSize: 256 * 1024 });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(body) >>> 0, 0);
  trailer.writeUInt32LE(body.length >>> 0, 4);
  return Buffer.concat([header, latin1Comment(comment), Buffer.from([0]), deflated, trailer]);
}

/** The comment and body of a gzip member (tests, and counting the lines of a removed batch). */
export function readGzip(file: Buffer): { comment: string | undefined; body: Buffer } {
  const flags = file[3] ?? 0;
  let i = 10;
  if (flags & 0x04) i += 2 + file.readUInt16LE(i);
  if (flags & 0x08) i = file.indexOf(0, i) + 1;
  let comment: string | undefined;
  if (flags & FCOMMENT) {
    const end = file.indexOf(0, i);
    comment = file.subarray(i, end).toString("latin1");
  }
  return { comment, body: gunzipSync(file) };
}
