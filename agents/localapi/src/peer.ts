// Who is on the other end of a connection, for the audit log. Node has no SO_PEERCRED, so:
// - unix socket: our end's inode (readlink /proc/self/fd/<fd> = "socket:[N]"), then `ss -xpn`
//   (sock_diag over netlink, iproute2) gives that socket's peer inode and the process holding the
//   peer end (pid); the uid is that process's real uid (/proc/<pid>/status). Run once per
//   connection, off the request path; "unknown" when ss is missing or the peer is gone already.
// - loopback TCP: /proc/net/tcp{,6} lists each socket with its owner's uid; the peer's socket is the
//   one whose local port is the connection's remote port.
import { execFile } from "node:child_process";
import { readFile, readlink } from "node:fs/promises";
import type { Socket } from "node:net";

export interface Peer {
  uid?: number;
  pid?: number;
  /** How it was found, or why not. */
  via: string;
}

function fdOf(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : undefined;
}

/** `ss -xpn` lines -> local inode -> { peer inode, pid }. */
export function parseSs(out: string): Map<number, { peer: number; pid?: number }> {
  const map = new Map<number, { peer: number; pid?: number }>();
  for (const line of out.split("\n")) {
    // Netid State Recv-Q Send-Q Local(addr inode) Peer(addr inode) [users:(("name",pid=N,fd=M))]
    const m = /^u_\w+\s+\S+\s+\d+\s+\d+\s+\S+\s+(\d+)\s+\S+\s+(\d+)(.*)$/.exec(line.trim());
    if (!m) continue;
    const pid = /pid=(\d+)/.exec(m[3] ?? "");
    map.set(Number(m[1]), { peer: Number(m[2]), ...(pid ? { pid: Number(pid[1]) } : {}) });
  }
  return map;
}

async function uidOfPid(pid: number): Promise<number | undefined> {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function ss(): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("ss", ["-xpn"], { maxBuffer: 16 * 1024 * 1024, timeout: 5000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
}

export async function unixPeer(socket: Socket): Promise<Peer> {
  const fd = fdOf(socket);
  if (fd === undefined) return { via: "no fd" };
  let inode: number;
  try {
    const link = await readlink(`/proc/self/fd/${fd}`);
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (!m) return { via: `fd ${fd} is ${link}` };
    inode = Number(m[1]);
  } catch (e) {
    return { via: `cannot read fd: ${(e as Error).message}` };
  }
  let table: Map<number, { peer: number; pid?: number }>;
  try {
    table = parseSs(await ss());
  } catch (e) {
    return { via: `ss failed: ${(e as Error).message}` };
  }
  const peerInode = table.get(inode)?.peer;
  const pid = peerInode !== undefined ? table.get(peerInode)?.pid : undefined;
  if (pid === undefined) return { via: "ss: peer not found" };
  const uid = await uidOfPid(pid);
  return uid === undefined ? { pid, via: "ss: peer process gone" } : { uid, pid, via: "ss" };
}

/** /proc/net/tcp lines -> the uid owning the socket bound to `port` on loopback. */
export function uidFromProcNetTcp(text: string, port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
    if (f[1]?.endsWith(`:${hexPort}`)) return Number(f[7]);
  }
  return undefined;
}

export async function tcpPeer(socket: Socket): Promise<Peer> {
  const port = socket.remotePort;
  if (port === undefined) return { via: "no remote port" };
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    try {
      const uid = uidFromProcNetTcp(await readFile(file, "utf8"), port);
      if (uid !== undefined) return { uid, via: file };
    } catch {
      // No IPv6, say.
    }
  }
  return { via: "not in /proc/net/tcp" };
}
