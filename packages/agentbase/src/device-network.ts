// nim's DeviceNetworkStatus as the agents that talk over the network read it (zedagent, client,
// downloader, loguploader): the status as it is now, the proxy for a host, and a call when the route
// to the outside changed (management addresses or proxy: connectionFingerprint). Without nim the
// status is undefined, every route is direct and the call never comes.
import type { PubSub, Subscription } from "@outpost/pubsub";
import {
  connectionFingerprint,
  DEVICE_NETWORK_KEY,
  type DeviceNetworkStatus,
  DeviceNetworkStatusCodec,
  NIM_TOPICS,
  proxyFor,
} from "@outpost/types";

export interface DeviceNetworkHandlers {
  /** The management addresses or the proxy differ from the last ones seen (not called for the first
   * status): connections made on the old route should be reset. */
  onRouteChange?: (status: DeviceNetworkStatus | undefined) => void;
  /** Anything in the status changed (also the first time). */
  onChange?: (status: DeviceNetworkStatus | undefined) => void;
}

export class DeviceNetwork {
  private readonly sub: Subscription<DeviceNetworkStatus>;
  private fingerprint: string | undefined;

  constructor(pubsub: PubSub, h: DeviceNetworkHandlers = {}) {
    const changed = () => {
      const s = this.status;
      const fp = connectionFingerprint(s);
      if (this.fingerprint !== undefined && fp !== this.fingerprint) h.onRouteChange?.(s);
      this.fingerprint = fp;
      h.onChange?.(s);
    };
    this.sub = pubsub.subscribe({
      agent: "nim",
      topic: NIM_TOPICS.deviceNetworkStatus,
      codec: DeviceNetworkStatusCodec,
      handlers: { create: changed, modify: changed, delete: changed },
    });
  }

  get status(): DeviceNetworkStatus | undefined {
    return this.sub.get(DEVICE_NETWORK_KEY);
  }

  /** The proxy URL for `host` (EVE's exceptions go direct), or undefined: direct. */
  proxyFor(host: string): string | undefined {
    return proxyFor(this.status, host);
  }
}
