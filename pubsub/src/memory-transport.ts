// In-process transport with the same contract as the ZeroMQ one, for unit tests: asynchronous,
// ordered delivery; messages to a peer that is not connected are dropped (the protocol must cope);
// a client (re)connects whenever a server for its agent appears.
import type { ClientEndpoint, Frames, ServerEndpoint, Transport } from "./transport.js";

type Handler<A extends unknown[]> = ((...a: A) => void) | undefined;

class MemoryServer implements ServerEndpoint {
  handler: Handler<[Buffer, Frames]>;
  open = true;
  constructor(
    private readonly net: MemoryTransport,
    readonly agent: string,
  ) {}
  onMessage(h: (peer: Buffer, frames: Frames) => void): void {
    this.handler = h;
  }
  send(peer: Buffer, frames: Frames): void {
    const client = this.net.clientById(peer.toString());
    if (!this.open || !client || client.server !== this) return;
    setImmediate(() => {
      if (client.server === this && !client.closed) client.handler?.(frames);
    });
  }
  async close(): Promise<void> {
    this.open = false;
    this.net.unlisten(this);
  }
}

class MemoryClient implements ClientEndpoint {
  handler: Handler<[Frames]>;
  connectHandler: Handler<[]>;
  server: MemoryServer | undefined;
  closed = false;
  constructor(
    private readonly net: MemoryTransport,
    readonly id: string,
    readonly agent: string,
  ) {}
  onMessage(h: (frames: Frames) => void): void {
    this.handler = h;
  }
  onConnect(h: () => void): void {
    this.connectHandler = h;
  }
  send(frames: Frames): void {
    const server = this.server;
    if (!server || this.closed) return;
    const peer = Buffer.from(this.id);
    setImmediate(() => {
      if (server.open && this.server === server) server.handler?.(peer, frames);
    });
  }
  attach(server: MemoryServer | undefined): void {
    this.server = server;
    if (server) setImmediate(() => !this.closed && this.server === server && this.connectHandler?.());
  }
  async close(): Promise<void> {
    this.closed = true;
    this.server = undefined;
    this.net.forget(this);
  }
}

export class MemoryTransport implements Transport {
  private readonly servers = new Map<string, MemoryServer>();
  private readonly clients = new Map<string, MemoryClient>();
  private nextId = 0;

  async listen(agent: string): Promise<ServerEndpoint> {
    if (this.servers.has(agent)) throw new Error(`memory transport: ${agent} is already listening`);
    const server = new MemoryServer(this, agent);
    this.servers.set(agent, server);
    for (const c of this.clients.values()) if (c.agent === agent) c.attach(server);
    return server;
  }

  connect(agent: string): ClientEndpoint {
    const client = new MemoryClient(this, `c${++this.nextId}`, agent);
    this.clients.set(client.id, client);
    client.attach(this.servers.get(agent));
    return client;
  }

  describe(agent: string): string {
    return `memory:${agent}`;
  }

  /** Test hook: cut every connection to `agent` (its server keeps running); they reconnect at once. */
  bounce(agent: string): void {
    const server = this.servers.get(agent);
    for (const c of this.clients.values()) if (c.agent === agent) c.attach(server);
  }

  clientById(id: string): MemoryClient | undefined {
    return this.clients.get(id);
  }
  unlisten(server: MemoryServer): void {
    if (this.servers.get(server.agent) === server) this.servers.delete(server.agent);
    for (const c of this.clients.values()) if (c.server === server) c.server = undefined;
  }
  forget(client: MemoryClient): void {
    this.clients.delete(client.id);
  }
}
