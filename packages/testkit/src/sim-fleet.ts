// Simulated devices for inventory tests and benches: each has its own key and certificate, registers
// with an onboarding certificate as a node does, and posts signed ZInfoMsg / ZMetricMsg over the
// controller's real device API (HTTPS). What they report is given by the caller. Many devices share
// one keep-alive HTTPS client (a fleet of thousands cannot open a connection each on this machine).
// Not in the package index: it loads the EVE protobuf code (`@outpost/testkit/sim-fleet`).
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createCertificate,
  type DeviceIdentity,
  DeviceSession,
  deviceCertHash,
  eve,
  generateEcKey,
  HttpClient,
  loadPrivateKey,
  publicOf,
  sealEnvelope,
} from "@outpost/evecloud";

export { eve };

export interface SimDevice {
  serial: string;
  uuid: string;
  /** POSTs one signed info message; resolves to the HTTP status. */
  info(msg: eve.info.ZInfoMsg.$Properties): Promise<number>;
  metrics(msg: eve.metrics.ZMetricMsg.$Properties): Promise<number>;
  /** A signed config poll with the hash of the config it has (304 keeps it); the apps of the config
   * it has after the poll, as a device sees them (uuid, name). */
  pollConfig(): Promise<{
    status: number;
    version: string;
    apps: { uuid: string; name: string }[];
    configItems: Record<string, string>;
  }>;
}

/** An onboarding certificate and its key, as `ctl node-config` writes them or `POST node-config`
 * answers them. */
export function onboardingIdentity(certPem: string, keyPem: string): DeviceIdentity {
  return { key: loadPrivateKey(keyPem), certPem, cert: new X509Certificate(certPem) };
}

/** One simulated device registered as a node registers: its own EC P-256 key and self-signed
 * certificate, `register` signed with the onboarding key, then `uuid`. */
export interface RegisteredDevice {
  serial: string;
  uuid: string;
  key: DeviceIdentity["key"];
  /** sha256 of the certificate DER: how the controller finds the device's signed requests. */
  hash: Buffer;
  session: DeviceSession;
}

export async function registerDevice(
  http: HttpClient,
  root: X509Certificate,
  onboarding: DeviceIdentity,
  serial: string,
  o: { softSerial?: string; validDays?: number; signingPem?: string } = {},
): Promise<RegisteredDevice> {
  const key = generateEcKey();
  const certPem = createCertificate({
    subject: { commonName: serial },
    publicKey: publicOf(key),
    selfKey: key,
    validDays: o.validDays ?? 1,
    keyUsage: ["digitalSignature"],
  });
  const cert = new X509Certificate(certPem);
  const session = new DeviceSession(http, root, { key, cert, certPem });
  if (o.signingPem) session.useSigningCert(o.signingPem);
  const reg = await session.register(onboarding, serial, o.softSerial ?? `soft-${serial}`);
  if (reg.status !== 201) throw new Error(`register ${serial}: HTTP ${reg.status} ${reg.reason}`);
  const { uuid } = await session.getUuid();
  return { serial, uuid, key, hash: deviceCertHash(cert), session };
}

/** A message signed by the device (its own ECDSA P-256 signature each time). */
export function signedBy(d: Pick<RegisteredDevice, "key" | "hash">, payload: Uint8Array): Uint8Array {
  return sealEnvelope(payload, { key: d.key, senderCertHash: d.hash });
}

export class SimFleet {
  private readonly http: HttpClient;
  private readonly root: X509Certificate;
  private signingPem = "";

  /** `nodeConfigDir`: a node's config/ as `ctl node-config` writes it (server, root certificate,
   * onboarding certificate and key; its serials must allow the simulated devices' serials). */
  constructor(
    private readonly nodeConfigDir: string,
    o: { connections?: number } = {},
  ) {
    const rootCa = readFileSync(join(nodeConfigDir, "root-certificate.pem"), "utf8");
    const server = readFileSync(join(nodeConfigDir, "server"), "utf8").trim();
    this.root = new X509Certificate(rootCa);
    this.http = new HttpClient({ server, rootCa, maxSockets: o.connections ?? 8 });
  }

  /** Registers a device (register, uuid) and returns it. */
  async add(serial: string): Promise<SimDevice> {
    const onboarding = onboardingIdentity(
      readFileSync(join(this.nodeConfigDir, "onboard.cert.pem"), "utf8"),
      readFileSync(join(this.nodeConfigDir, "onboard.key.pem"), "utf8"),
    );
    const d = await registerDevice(this.http, this.root, onboarding, serial, {
      ...(this.signingPem ? { signingPem: this.signingPem } : {}),
    });
    const { uuid, session } = d;
    this.signingPem = session.signingCert?.pem ?? this.signingPem;
    const post = async (what: "info" | "metrics", payload: Uint8Array) => {
      const res = await this.http.send("POST", `id/${uuid}/${what}`, signedBy(d, payload));
      if (res.status !== 201) throw new Error(`${serial} ${what}: HTTP ${res.status} ${res.body.toString()}`);
      return res.status;
    };
    let configHash = "";
    let apps: { uuid: string; name: string }[] = [];
    let version = "";
    let configItems: Record<string, string> = {};
    const pollConfig = async () => {
      const r = await session.config(uuid, configHash);
      if (r.status === 200 && r.response) {
        configHash = r.response.configHash;
        version = r.response.config?.id?.version ?? "";
        apps = (r.response.config?.apps ?? []).map((a) => ({
          uuid: a.uuidandversion?.uuid ?? "",
          name: a.displayname ?? "",
        }));
        configItems = Object.fromEntries(
          (r.response.config?.configItems ?? []).map((c) => [c.key ?? "", c.value ?? ""]),
        );
      }
      return { status: r.status, version, apps, configItems };
    };
    return {
      serial,
      uuid,
      pollConfig,
      info: (m) => post("info", eve.info.ZInfoMsg.encode({ devId: uuid, ...m }).finish()),
      metrics: (m) => post("metrics", eve.metrics.ZMetricMsg.encode({ devID: uuid, ...m }).finish()),
    };
  }

  close(): void {
    this.http.resetConnections();
  }
}

/** A ZInfoMsg with a ZInfoDevice as an Outpost node sends it (device-facts), with the given facts. */
export function deviceInfoMsg(o: {
  version: string;
  ips: string[];
  macs?: string[];
  ncpu?: number;
  memoryMB?: number;
  storageMB?: number;
  hostname?: string;
  arch?: string;
  /** timer.config.interval as the device reports it in force. */
  pollIntervalS?: number;
  /** Other config items it reports in force. */
  configItems?: Record<string, string>;
}): eve.info.ZInfoMsg.$Properties {
  const items: Record<string, { value: string }> = Object.fromEntries(
    Object.entries(o.configItems ?? {}).map(([k, v]) => [k, { value: v }]),
  );
  if (o.pollIntervalS) items["timer.config.interval"] = { value: String(o.pollIntervalS) };
  return {
    ztype: eve.info.ZInfoTypes.ZiDevice,
    dinfo: {
      machineArch: o.arch ?? "x86_64",
      cpuArch: o.arch ?? "x86_64",
      platform: "outpost",
      ncpu: o.ncpu ?? 2,
      memory: o.memoryMB ?? 2048,
      storage: o.storageMB ?? 16384,
      HostName: o.hostname ?? "sim",
      state: eve.info.ZDeviceState.ZDEVICE_STATE_ONLINE,
      network: o.ips.map((ip, i) => ({
        devName: `eth${i}`,
        macAddr: o.macs?.[i] ?? `02:00:00:00:${String(i).padStart(2, "0")}:01`,
        IPAddrs: [ip],
        uplink: i === 0,
        ipv4_up: true,
      })),
      swList: [
        { partitionLabel: "IMGA", activated: true, partitionState: "active", shortVersion: o.version },
        { partitionLabel: "IMGB", activated: false, partitionState: "unused", shortVersion: "" },
      ],
      ...(Object.keys(items).length ? { configItemStatus: { configItems: items } } : {}),
    },
  };
}

/** A ZInfoMsg with a ZInfoApp. */
export function appInfoMsg(o: {
  id: string;
  name: string;
  state: keyof typeof eve.info.ZSwState;
  error?: string;
  ips?: string[];
}): eve.info.ZInfoMsg.$Properties {
  return {
    ztype: eve.info.ZInfoTypes.ZiApp,
    ainfo: {
      AppID: o.id,
      AppName: o.name,
      state: eve.info.ZSwState[o.state],
      ...(o.error ? { appErr: [{ description: o.error }] } : {}),
      ...(o.ips ? { network: [{ IPAddrs: o.ips }] } : {}),
    },
  };
}
