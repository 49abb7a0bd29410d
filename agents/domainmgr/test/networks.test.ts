// A DomainConfig with networks -> the container's create options: the first network at create (static
// IP, MAC), published ports, the others connected afterwards; none -> the options of before.
import type { DomainConfig } from "@outpost/types";
import { describe, expect, it } from "vitest";
import { createOptions, extraNetworks, specHash } from "../src/container-spec.js";

const base: DomainConfig = {
  uuid: "66666666-6666-4666-8666-666666666666",
  version: "1",
  displayName: "web",
  activate: true,
  image: "sha256:abc",
  env: {},
  mounts: [],
  memoryBytes: 0,
  cpus: 0,
  restartCounter: 0,
};

const withNets: DomainConfig = {
  ...base,
  networks: [
    {
      network: "outpost-n-ni-lan",
      ip: "10.1.0.10",
      mac: "02:00:00:00:00:0a",
      dns: ["10.1.0.53"],
      portMaps: [{ protocol: "tcp", hostIp: "192.0.2.5", hostPort: 8080, appPort: 80 }],
    },
    { network: "outpost-n-ni-dmz", ip: "", mac: "", dns: [], portMaps: [] },
  ],
};

describe("container networks", () => {
  it("first network at create with its IP and MAC, ports published on the uplink address", () => {
    const o = createOptions("/root", withNets);
    expect(o.HostConfig?.NetworkMode).toBe("outpost-n-ni-lan");
    expect(o.NetworkingConfig).toEqual({
      EndpointsConfig: { "outpost-n-ni-lan": { IPAMConfig: { IPv4Address: "10.1.0.10" } } },
    });
    expect(o.MacAddress).toBe("02:00:00:00:00:0a");
    expect(o.HostConfig?.Dns).toEqual(["10.1.0.53"]);
    expect(o.ExposedPorts).toEqual({ "80/tcp": {} });
    expect(o.HostConfig?.PortBindings).toEqual({ "80/tcp": [{ HostIp: "192.0.2.5", HostPort: "8080" }] });
    expect(o.HostConfig?.RestartPolicy).toEqual({ Name: "no" });
    expect(extraNetworks(withNets)).toEqual([{ network: "outpost-n-ni-dmz", ip: "", mac: "" }]);
  });

  it("no networks: Docker's default network and the same spec hash as before network instances", () => {
    const o = createOptions("/root", base);
    expect(o.NetworkingConfig).toBeUndefined();
    expect(o.HostConfig?.NetworkMode).toBeUndefined();
    expect(specHash({ ...base, networks: [] })).toBe(specHash(base));
    expect(specHash(withNets)).not.toBe(specHash(base));
  });
});

describe("container devices", () => {
  it("host devices under /dev/ with their cgroup permissions; anything else refused before the engine", () => {
    const devices = [{ hostPath: "/dev/zero", containerPath: "/dev/outpost-test", permissions: "r" }];
    const o = createOptions("/root", { ...base, devices });
    expect(o.HostConfig?.Devices).toEqual([
      { PathOnHost: "/dev/zero", PathInContainer: "/dev/outpost-test", CgroupPermissions: "r" },
    ]);
    expect(createOptions("/root", base).HostConfig?.Devices).toBeUndefined();
    expect(specHash({ ...base, devices })).not.toBe(specHash(base));
    expect(specHash({ ...base, devices: [] })).toBe(specHash(base));
    expect(() =>
      createOptions("/root", {
        ...base,
        devices: [{ hostPath: "/etc/shadow", containerPath: "/dev/x", permissions: "r" }],
      }),
    ).toThrow(/host path "\/etc\/shadow": only paths under \/dev\//);
  });
});
