// ZeroMQ transport: each publishing agent binds a ROUTER on ipc://<runDir>/pubsub/<agent>.sock;
// each subscribing process connects one DEALER per publisher. ZeroMQ reconnects by itself; the
// "connect" event tells the protocol to resubscribe. zeromq.js allows one send in flight per
// socket, so sends go through a queue. (zeromq is native: only processes that import the bus load it.)
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Dealer, Router } from "zeromq";
import type { ClientEndpoint, Frames, ServerEndpoint, Transport } from "./transport.js";
import { MAX_BATCH_FRAME, MAX_CONTROL_FRAME } from "./wire.js";

/** sun_path in sockaddr_un is 108 bytes including the terminating NUL. */
const MAX_IPC_PATH = 107;

class SendQueue {
  private readonly queue: Frames[] = [];
  private busy = false;
  constructor(private readonly sock: Router | Dealer) {}
  push(frames: Frames): void {
    this.queue.push(frames);
    if (!this.busy) void this.pump();
  }
  private async pump(): Promise<void> {
    this.busy = true;
    for (let m = this.queue.shift(); m; m = this.queue.shift()) {
      try {
        await this.sock.send(m);
      } catch {
        if (this.sock.closed) break;
        // Dropped (peer gone or queue full): the protocol's acks and resync recover.
      }
    }
    this.busy = false;
  }
}

async function receiveLoop(sock: Router | Dealer, handle: (msg: Buffer[]) => void): Promise<void> {
  try {
    for await (const msg of sock) handle(msg);
  } catch (e) {
    if (!sock.closed) throw e;
  }
}

export class ZmqTransport implements Transport {
  constructor(private readonly runDir: string) {}

  path(agent: string): string {
    return join(this.runDir, "pubsub", `${agent}.sock`);
  }

  describe(agent: string): string {
    return `ipc://${this.path(agent)}`;
  }

  private endpoint(agent: string): string {
    const p = this.path(agent);
    if (p.length > MAX_IPC_PATH)
      throw new Error(`socket path too long (${p.length} > ${MAX_IPC_PATH}): ${p}`);
    return `ipc://${p}`;
  }

  async listen(agent: string): Promise<ServerEndpoint> {
    const dir = join(this.runDir, "pubsub");
    // Only this user may connect: the directory, not the socket file, is what guards ipc sockets.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    // maxMessageSize (ZMQ_MAXMSGSIZE, per frame): a peer that sends a larger frame is disconnected
    // before the frame is buffered, so a huge frame from any local process costs no memory here.
    const sock = new Router({
      linger: 0,
      sendHighWaterMark: 100_000,
      receiveHighWaterMark: 100_000,
      maxMessageSize: MAX_CONTROL_FRAME,
    });
    await sock.bind(this.endpoint(agent));
    const out = new SendQueue(sock);
    let handler: ((peer: Buffer, frames: Frames) => void) | undefined;
    void receiveLoop(sock, ([peer, ...frames]) => peer && handler?.(peer, frames));
    return {
      onMessage: (h) => {
        handler = h;
      },
      send: (peer, frames) => out.push([peer, ...frames]),
      close: async () => sock.close(),
    };
  }

  connect(agent: string): ClientEndpoint {
    const sock = new Dealer({
      linger: 0,
      reconnectInterval: 50,
      reconnectMaxInterval: 1000,
      sendHighWaterMark: 100_000,
      receiveHighWaterMark: 100_000,
      maxMessageSize: MAX_BATCH_FRAME,
    });
    sock.connect(this.endpoint(agent));
    const out = new SendQueue(sock);
    let handler: ((frames: Frames) => void) | undefined;
    void receiveLoop(sock, (frames) => handler?.(frames));
    return {
      onMessage: (h) => {
        handler = h;
      },
      onConnect: (h) => {
        sock.events.on("connect", () => h());
      },
      send: (frames) => out.push(frames),
      close: async () => sock.close(),
    };
  }
}

export function zmqTransport(runDir: string): Transport {
  return new ZmqTransport(runDir);
}
