// The pure readers behind the audit's uid (ss -xpn, /proc/net/tcp) and the app logs (Docker's framed
// log stream).
import { describe, expect, it } from "vitest";
import { FrameSplitter } from "../src/docker-logs.js";
import { parseSs, uidFromProcNetTcp } from "../src/peer.js";

describe("peer lookup parsers", () => {
  it("ss -xpn: each socket's peer inode and holder pid", () => {
    const out = [
      "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process",
      'u_str ESTAB 0      0      /r/run/localapi/api.sock 5001   * 5000   users:(("node",pid=42,fd=20))',
      'u_str ESTAB 0      0      * 5000   * 5001   users:(("curl",pid=77,fd=5))',
      "u_str ESTAB 0      0      * 563    * 562",
    ].join("\n");
    const t = parseSs(out);
    expect(t.get(5001)).toEqual({ peer: 5000, pid: 42 });
    expect(t.get(t.get(5001)?.peer ?? 0)).toEqual({ peer: 5001, pid: 77 });
    expect(t.get(563)).toEqual({ peer: 562 });
  });

  it("/proc/net/tcp: the uid of the socket bound to a port", () => {
    const text = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1",
      "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 222 1",
    ].join("\n");
    expect(uidFromProcNetTcp(text, 0xc350)).toBe(1000);
    expect(uidFromProcNetTcp(text, 0x1f90)).toBe(0);
    expect(uidFromProcNetTcp(text, 1)).toBeUndefined();
  });
});

describe("Docker log frames", () => {
  const frame = (stream: number, text: string) => {
    const payload = Buffer.from(text);
    const h = Buffer.alloc(8);
    h[0] = stream;
    h.writeUInt32BE(payload.length, 4);
    return Buffer.concat([h, payload]);
  };

  it("splits frames into lines across chunk boundaries, stdout and stderr alike", () => {
    const lines: string[] = [];
    const s = new FrameSplitter(false, (l) => lines.push(l));
    const all = Buffer.concat([frame(1, "one\ntw"), frame(2, "o\nthree\n"), frame(1, "four")]);
    for (let i = 0; i < all.length; i += 5) s.push(all.subarray(i, i + 5));
    s.end();
    expect(lines).toEqual(["one", "two", "three", "four"]);
  });

  it("a TTY container's stream is plain text", () => {
    const lines: string[] = [];
    const s = new FrameSplitter(true, (l) => lines.push(l));
    s.push(Buffer.from("a\r\nb\n"));
    expect(lines).toEqual(["a", "b"]);
  });
});
