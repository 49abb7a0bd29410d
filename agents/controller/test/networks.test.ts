// The device's network instances as the admin API shows them (ctl networks, devices get), from the
// ZInfoNetworkInstance records the device sent (decoded as the device API stores them).
import { eve } from "@outpost/evecloud";
import { describe, expect, it } from "vitest";
import { networkInstancesOf } from "../src/admin-api.js";

const JSON_OPTS = { longs: Number, enums: String, bytes: String, defaults: false, oneofs: true } as const;

function stored(msg: eve.info.ZInfoMsg.$Properties) {
  const decoded = eve.info.ZInfoMsg.decode(eve.info.ZInfoMsg.encode(msg).finish());
  return eve.info.ZInfoMsg.toObject(decoded, JSON_OPTS);
}

describe("networkInstancesOf", () => {
  it("one entry per reported instance with its apps and their IPs; gone instances and other objects left out", () => {
    const info = [
      {
        key: "networkInstance/ni-1",
        value: stored({
          ztype: eve.info.ZInfoTypes.ZiNetworkInstance,
          niinfo: {
            networkID: "ni-1",
            displayname: "lan",
            instType: 2,
            state: eve.info.ZNetworkInstanceState.ZNETINST_STATE_ONLINE,
            bridgeName: "bn1",
            bridgeIPAddr: "10.1.0.1",
            CurrentUplinkIntf: "eth0",
            ipAssignments: [{ macAddress: "02:00:00:00:00:0a", ipAddress: ["10.1.0.10"] }],
            vifs: [{ vifName: "web", macAddress: "02:00:00:00:00:0a", appID: "app-1" }],
          },
        }),
      },
      {
        key: "networkInstance/ni-2",
        value: stored({
          ztype: eve.info.ZInfoTypes.ZiNetworkInstance,
          niinfo: {
            networkID: "ni-2",
            displayname: "plant",
            instType: 1,
            state: eve.info.ZNetworkInstanceState.ZNETINST_STATE_ERROR,
            networkErr: [{ description: "parent eth9 not found" }],
          },
        }),
      },
      { key: "networkInstance/ni-3", value: stored({ niinfo: { networkID: "ni-3" } }) },
      { key: "app/app-1", value: stored({ ainfo: { AppID: "app-1", AppName: "web" } }) },
    ];
    expect(networkInstancesOf(info)).toEqual([
      {
        id: "ni-1",
        name: "lan",
        type: "local",
        state: "ONLINE",
        bridge: "bn1",
        bridgeIp: "10.1.0.1",
        uplink: "eth0",
        apps: [{ app: "app-1", vif: "web", mac: "02:00:00:00:00:0a", ips: ["10.1.0.10"] }],
      },
      {
        id: "ni-2",
        name: "plant",
        type: "switch",
        state: "ERROR",
        bridge: "",
        bridgeIp: "",
        uplink: "",
        apps: [],
        error: "parent eth9 not found",
      },
    ]);
  });
});
