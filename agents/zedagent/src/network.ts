// nim's view of the ports, as zedagent uses it: DeviceNetworkStatus (addresses, DNS, proxy) and the
// DevicePortConfigList (for ZInfoDevice.systemAdapter). When the management addresses or the proxy
// change, connections to the controller are reset (made from an address the device no longer has,
// they would hang until their deadline).
import type { PubSub, Subscription } from "@outpost/pubsub";
import {
  connectionFingerprint,
  DEVICE_NETWORK_KEY,
  type DeviceNetworkStatus,
  DeviceNetworkStatusCodec,
  type DevicePortConfigList,
  DevicePortConfigListCodec,
  DPC_LIST_KEY,
  DPC_TOPICS,
  NIM_TOPICS,
} from "@outpost/types";

export class NetworkView {
  private readonly statusSub: Subscription<DeviceNetworkStatus>;
  private readonly listSub: Subscription<DevicePortConfigList>;
  private fingerprint = "";

  constructor(
    pubsub: PubSub,
    o: {
      /** The management addresses or a proxy changed. */
      onConnectionChange: () => void;
      /** Anything nim reports changed (device info is due). */
      onChange: () => void;
    },
  ) {
    const changed = () => {
      const fp = connectionFingerprint(this.status);
      if (this.fingerprint && fp !== this.fingerprint) o.onConnectionChange();
      this.fingerprint = fp;
      o.onChange();
    };
    this.statusSub = pubsub.subscribe({
      agent: "nim",
      topic: NIM_TOPICS.deviceNetworkStatus,
      codec: DeviceNetworkStatusCodec,
      handlers: { create: changed, modify: changed, delete: changed },
    });
    this.listSub = pubsub.subscribe({
      agent: "nim",
      topic: DPC_TOPICS.devicePortConfigList,
      codec: DevicePortConfigListCodec,
      persistent: true,
      handlers: { create: () => o.onChange(), modify: () => o.onChange(), delete: () => o.onChange() },
    });
  }

  get status(): DeviceNetworkStatus | undefined {
    return this.statusSub.get(DEVICE_NETWORK_KEY);
  }

  get list(): DevicePortConfigList | undefined {
    return this.listSub.get(DPC_LIST_KEY);
  }
}
