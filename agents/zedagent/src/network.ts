// nim's view of the ports, as zedagent uses it: DeviceNetworkStatus (addresses, DNS, proxy) and the
// DevicePortConfigList (for ZInfoDevice.systemAdapter). When the management addresses or the proxy
// change, connections to the controller are reset (made from an address the device no longer has,
// they would hang until their deadline).
import { DeviceNetwork } from "@outpost/agentbase";
import type { PubSub, Subscription } from "@outpost/pubsub";
import {
  type DeviceNetworkStatus,
  type DevicePortConfigList,
  DevicePortConfigListCodec,
  DPC_LIST_KEY,
  DPC_TOPICS,
} from "@outpost/types";

export class NetworkView {
  private readonly network: DeviceNetwork;
  private readonly listSub: Subscription<DevicePortConfigList>;

  constructor(
    pubsub: PubSub,
    o: {
      /** The management addresses or a proxy changed. */
      onConnectionChange: () => void;
      /** Anything nim reports changed (device info is due). */
      onChange: () => void;
    },
  ) {
    this.network = new DeviceNetwork(pubsub, {
      onRouteChange: () => o.onConnectionChange(),
      onChange: () => o.onChange(),
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
    return this.network.status;
  }

  get list(): DevicePortConfigList | undefined {
    return this.listSub.get(DPC_LIST_KEY);
  }
}
