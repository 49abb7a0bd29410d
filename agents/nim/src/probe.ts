// Test before trust: can the device reach its controller with the ports as they are now? EVE's
// test is a GET of /api/v2/edgedevice/ping, then, once the device is onboarded, a signed request
// (here POST uuid, whose answer is verified against the controller's signing certificate).
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";

// @outpost/evecloud carries the generated EVE protobuf code, the largest module of the bundle: it is
// loaded at the first test, so a nim that only observes (no --ports) never pays for it.
type EveCloud = typeof import("@outpost/evecloud");
let evecloud: Promise<EveCloud> | undefined;
const loadEveCloud = (): Promise<EveCloud> => {
  evecloud ??= import("@outpost/evecloud");
  return evecloud;
};

export interface ProbeResult {
  ok: boolean;
  /** One line for DevicePortStatus.lastError. */
  error: string;
}

/** One attempt. Without config/server there is no controller to test against: a usable address is
 * all that can be asked (the result says so). */
export async function probeController(
  configDir: string,
  o: {
    timeoutMs: number;
    signed: boolean;
    signal?: AbortSignal;
    /** The proxy for a host, as the DPC under test says. */
    proxy?: (host: string) => string | undefined;
  },
): Promise<ProbeResult> {
  const {
    ApiError,
    CONFIG_FILES,
    DeviceSession,
    HttpClient,
    loadIdentity,
    parseServer,
    readBootstrap,
    TransportError,
  } = await loadEveCloud();
  let boot: ReturnType<EveCloud["readBootstrap"]>;
  try {
    boot = readBootstrap(configDir);
  } catch {
    return { ok: true, error: "" };
  }
  const proxy = o.proxy?.(parseServer(boot.server).host);
  const http = new HttpClient({
    server: boot.server,
    rootCa: boot.rootCa,
    timeoutMs: o.timeoutMs,
    maxSockets: 1,
    ...(proxy ? { proxy } : {}),
  });
  try {
    const res = await http.send("GET", "ping", undefined, { signal: o.signal });
    if (res.status !== 200)
      return { ok: false, error: `controller ${boot.server}: ping answered HTTP ${res.status}` };
    const keyPath = join(configDir, CONFIG_FILES.deviceKey);
    const certPath = join(configDir, CONFIG_FILES.deviceCert);
    if (o.signed && existsSync(keyPath) && existsSync(certPath)) {
      const session = new DeviceSession(
        http,
        new X509Certificate(boot.rootCa),
        loadIdentity(keyPath, certPath),
      );
      await session.getUuid();
    }
    return { ok: true, error: "" };
  } catch (e) {
    if (e instanceof TransportError) return { ok: false, error: `controller ${boot.server}: ${e.message}` };
    if (e instanceof ApiError) return { ok: false, error: `controller ${boot.server}: ${e.message}` };
    return { ok: false, error: `controller ${boot.server}: ${(e as Error).message}` };
  } finally {
    http.close();
  }
}
