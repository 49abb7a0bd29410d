// Small builders for zedmanager's unit tests: an app config, volume ref statuses, domain status.
import {
  type AppInstanceConfig,
  AppInstanceConfigCodec,
  type DomainStatus,
  type VolumeRefStatus,
  volumeKey,
} from "@outpost/types";
import type { Deps } from "../src/update.js";

export const APP = "11111111-1111-4111-8111-111111111111";
export const IMG = { volumeId: "vol-img", generation: 1 };
export const DATA = { volumeId: "vol-data", generation: 1 };
export const IMG_KEY = volumeKey(IMG.volumeId, IMG.generation);
export const DATA_KEY = volumeKey(DATA.volumeId, DATA.generation);

export function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}

export function appConfig(over: Partial<Record<keyof AppInstanceConfig, unknown>> = {}): AppInstanceConfig {
  return AppInstanceConfigCodec.decode({
    uuid: APP,
    displayName: "web",
    activate: true,
    volumeRefs: [
      { ...IMG, mountDir: "" },
      { ...DATA, mountDir: "/data" },
    ],
    userData: b64("GREETING=hello\nMODE=test\n"),
    resources: { memoryKiB: 65536, vcpus: 1 },
    ...over,
  });
}

export function imageRef(over: Partial<VolumeRefStatus> = {}): VolumeRefStatus {
  return {
    ...IMG,
    localGeneration: 0,
    state: "CREATED_VOLUME",
    progress: 100,
    kind: "image",
    imageId: "sha256:abc",
    readOnly: true,
    ...over,
  };
}

export function dataRef(over: Partial<VolumeRefStatus> = {}): VolumeRefStatus {
  return {
    ...DATA,
    localGeneration: 0,
    state: "CREATED_VOLUME",
    progress: 100,
    kind: "volume",
    dockerVolume: "outpost-vol-data-1",
    readOnly: false,
    ...over,
  };
}

export function domain(over: Partial<DomainStatus> = {}): DomainStatus {
  return {
    uuid: APP,
    version: "0",
    displayName: "web",
    state: "RUNNING",
    activated: true,
    containerId: "c0ffee",
    failedRestarts: 0,
    restartCounter: 0,
    ...over,
  };
}

/** Deps where both refs are held and ready, unless overridden. */
export function deps(over: Partial<Deps> = {}): Deps {
  return {
    now: Date.parse("2026-01-01T00:00:00Z"),
    refStatus: { [IMG_KEY]: imageRef(), [DATA_KEY]: dataRef() },
    refConfig: {
      [IMG_KEY]: { ...IMG, apps: [APP], localGeneration: 0 },
      [DATA_KEY]: { ...DATA, apps: [APP], localGeneration: 0 },
    },
    heldRefs: [IMG_KEY, DATA_KEY],
    domainConfig: undefined,
    domainStatus: undefined,
    ...over,
  };
}
