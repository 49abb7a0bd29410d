// The /dev/log datagram socket, through the `node-unix-socket` addon (Node has no unix datagram
// sockets), without the addon's JavaScript class.
//
// The addon's receiver drains the socket on each wake-up and calls the `emit` function of the object
// it was made with once per datagram ("_data", buffer, sender path). Its `DgramSocket` class passes
// an EventEmitter whose `_data` listener re-emits every datagram as "data" from a `process.nextTick`:
// an emitter dispatch, a closure and a tick per datagram. Here the addon's handle is made with an
// object whose `emit` hands the buffer straight to newlogd (README "Performance").
import { createRequire } from "node:module";

/** What node-unix-socket 0.2's DgramSocketWrap offers (js/addon.d.ts) that is used here. */
interface AddonWrap {
  init(self: object): void;
  startRecv(): void;
  bind(path: string): void;
  close(): void;
}

export interface DatagramReceiver {
  close(): void;
}

/** Binds a unix datagram socket at `path` and calls `onDatagram` with each datagram. `onError` once
 * on a receive error: the socket is closed then (as the addon's class does). */
export function bindDatagramSocket(
  path: string,
  onDatagram: (b: Buffer) => void,
  onError: (err: Error) => void,
): DatagramReceiver {
  const load = createRequire(import.meta.url);
  const { DgramSocketWrap } = load("node-unix-socket/js/addon.js") as {
    DgramSocketWrap: new (ee: object) => AddonWrap;
  };
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    wrap.close();
  };
  // The addon keeps this function (read once, when the handle is made) and calls it with the event
  // name first: "_data" (buffer, path), "_error" (error), "close" (after close()).
  const sink = {
    emit(event: string, a: unknown): boolean {
      if (event === "_data") onDatagram(a as Buffer);
      else if (event === "_error" && !closed) {
        close();
        onError(a instanceof Error ? a : new Error(String(a)));
      }
      return true;
    },
  };
  const wrap = new DgramSocketWrap(sink);
  wrap.init(wrap);
  wrap.startRecv();
  try {
    wrap.bind(path);
  } catch (err) {
    close();
    throw err;
  }
  return { close };
}
