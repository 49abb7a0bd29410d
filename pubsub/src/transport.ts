// A transport moves multipart messages between one publisher process (server, one per agent) and
// the processes subscribing to it (clients). It may drop messages on disconnect; the pubsub protocol
// above it (sequence numbers, credits, resync) turns that into convergence, never loss.

export type Frames = Buffer[];

export interface ServerEndpoint {
  /** Messages from clients; `peer` is an opaque address valid until that client goes away. */
  onMessage(handler: (peer: Buffer, frames: Frames) => void): void;
  /** Queued and sent in order. Silently dropped when the peer is gone. */
  send(peer: Buffer, frames: Frames): void;
  close(): Promise<void>;
}

export interface ClientEndpoint {
  onMessage(handler: (frames: Frames) => void): void;
  /** Fires on every (re)connection to the server: the client must resubscribe. */
  onConnect(handler: () => void): void;
  send(frames: Frames): void;
  close(): Promise<void>;
}

export interface Transport {
  /** Becomes the server for `agent`'s tables. */
  listen(agent: string): Promise<ServerEndpoint>;
  /** Connects (and keeps reconnecting) to `agent`'s server, which may not exist yet. */
  connect(agent: string): ClientEndpoint;
  /** Where the server for `agent` listens, for error messages ("no publisher at ..."). */
  describe(agent: string): string;
}
