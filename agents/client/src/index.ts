// client: onboarding (`client selfRegister getUuid`), run by the boot script. See README.md.
import { X509Certificate } from "node:crypto";
import { DeviceNetwork, runAgent } from "@outpost/agentbase";
import {
  ApiError,
  DeviceSession,
  ensureDeviceIdentity,
  HttpClient,
  hardwareSerial,
  parseServer,
  readBootstrap,
  softSerial,
  TransportError,
} from "@outpost/evecloud";
import { Backoff, sleep } from "@outpost/primitives";
import {
  ONBOARDING_STATUS_KEY,
  ONBOARDING_STATUS_TOPIC,
  type OnboardingStatus,
  OnboardingStatusCodec,
} from "@outpost/types";
import type { Logger } from "pino";

export const OPERATIONS = ["selfRegister", "getUuid", "ping"] as const;
type Operation = (typeof OPERATIONS)[number];

interface ClientOptions {
  ops: Operation[];
  retryMinMs: number;
  retryMaxMs: number;
  attempts: number;
  timeoutMs: number;
}

/** A failure that retrying may cure, with the one line that says what went wrong. */
class Failure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function explain(e: unknown): Failure {
  if (e instanceof Failure) return e;
  if (e instanceof TransportError) {
    const what = {
      refused: "connection refused: is the controller running and config/server right?",
      tls: "TLS failure: the server's certificate does not verify against config/root-certificate.pem",
      timeout: "timed out waiting for the controller",
      dns: "cannot resolve the controller's name",
      network: "network error",
    }[e.failure];
    return new Failure(e.failure, `${what} (${e.message})`);
  }
  if (e instanceof ApiError) {
    if (e.reason === "chain")
      return new Failure("certs-chain", `controller signing certificate rejected: ${e.message}`);
    if (e.reason) return new Failure(`answer-${e.reason}`, `controller answer rejected: ${e.message}`);
    return new Failure(`http-${e.status}`, e.message);
  }
  return new Failure("error", (e as Error).message ?? String(e));
}

/** Splits the operation words from the flags runAgent parses. */
function splitArgs(argv: string[]): { ops: Operation[]; rest: string[]; bad: string[] } {
  const ops: Operation[] = [];
  const rest: string[] = [];
  const bad: string[] = [];
  const takesValue = new Set([
    "--root",
    "--touch-interval-ms",
    "--workers",
    "--retry-min-ms",
    "--retry-max-ms",
    "--attempts",
    "--timeout-ms",
  ]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a.startsWith("-")) {
      rest.push(a);
      if (takesValue.has(a) && i + 1 < argv.length) rest.push(argv[++i] ?? "");
    } else if ((OPERATIONS as readonly string[]).includes(a)) ops.push(a as Operation);
    else bad.push(a);
  }
  return { ops, rest, bad };
}

const nonNegative = (name: string, v: unknown): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name}: expected a non-negative integer, got "${v}"`);
  return n;
};

export async function run(argv: string[]): Promise<number> {
  const { ops, rest, bad } = splitArgs(argv);
  const help = argv.includes("--help") || argv.includes("-h");
  if (bad.length || (!ops.length && !help)) {
    process.stderr.write(
      `client: ${bad.length ? `unknown operation ${bad.join(" ")}` : "no operation"}; use ${OPERATIONS.join(", ")} (e.g. client selfRegister getUuid)\n`,
    );
    return 2;
  }
  return runAgent<ClientOptions>(
    {
      name: "client",
      description: `onboard with the controller; operations: ${OPERATIONS.join(", ")}`,
      options: (cmd) =>
        cmd
          .usage(`[options] <${OPERATIONS.join("|")}>...`)
          .option("--retry-min-ms <ms>", "first retry delay", "1000")
          .option("--retry-max-ms <ms>", "longest retry delay", "600000")
          .option("--attempts <n>", "give up after n failed attempts (0 = never)", "0")
          .option("--timeout-ms <ms>", "deadline of each request", "30000"),
      parse: (raw) => ({
        ops,
        retryMinMs: nonNegative("--retry-min-ms", raw.retryMinMs),
        retryMaxMs: nonNegative("--retry-max-ms", raw.retryMaxMs),
        attempts: nonNegative("--attempts", raw.attempts),
        timeoutMs: nonNegative("--timeout-ms", raw.timeoutMs),
      }),
      main: async ({ options, layout, log, pubsub, signal }) => {
        const backoff = new Backoff({ minMs: options.retryMinMs, maxMs: options.retryMaxMs });
        let failures = 0;
        // nim's ports: each attempt goes through the proxy of the management port, if it has one.
        const network = new DeviceNetwork(pubsub);
        // A certificate created by this run stays "new" (register first) until register succeeds.
        const state = { certNew: false };
        while (!signal.aborted) {
          try {
            const status = await onboard(options, layout.config, log, signal, state, (host) =>
              network.proxyFor(host),
            );
            if (status) {
              const pub = await pubsub.publish({
                topic: ONBOARDING_STATUS_TOPIC,
                codec: OnboardingStatusCodec,
                persistent: true,
              });
              await pub.set(ONBOARDING_STATUS_KEY, status);
              log.info({ deviceUuid: status.deviceUuid }, `onboarded: device UUID ${status.deviceUuid}`);
            }
            return 0;
          } catch (e) {
            const f = explain(e);
            failures++;
            const give = options.attempts > 0 && failures >= options.attempts;
            const retryInMs = give ? undefined : backoff.next();
            log.warn({ cause: f.code, attempt: failures, retryInMs }, f.message);
            if (give) {
              process.stderr.write(`client: ${f.message}\n`);
              return 1;
            }
            await sleep(retryInMs ?? 0, signal);
          }
        }
        return 1;
      },
    },
    rest,
  );
}

/** The UUID the controller knows this device by; undefined when it does not know the device
 * certificate (401, 403 or 404 on uuid). */
async function fetchUuid(session: DeviceSession): Promise<string | undefined> {
  try {
    return (await session.getUuid()).uuid;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) return undefined;
    throw e;
  }
}

/** One attempt at every requested operation, in EVE's order. Returns the status to publish when the
 * UUID was fetched. */
async function onboard(
  o: ClientOptions,
  configDir: string,
  log: Logger,
  signal: AbortSignal,
  state: { certNew: boolean },
  proxy: (host: string) => string | undefined,
): Promise<OnboardingStatus | undefined> {
  let boot: ReturnType<typeof readBootstrap>;
  try {
    boot = readBootstrap(configDir);
  } catch (e) {
    throw new Failure(
      "bootstrap",
      `cannot read the node's bootstrap files in ${configDir}: ${(e as Error).message}`,
    );
  }
  const identity = ensureDeviceIdentity(configDir);
  if (identity.created) {
    state.certNew = true;
    log.info({ cert: identity.cert.fingerprint256 }, "created the device key and certificate");
  }
  const serial = hardwareSerial(configDir);
  const soft = softSerial(configDir);
  const http = new HttpClient({
    server: boot.server,
    rootCa: boot.rootCa,
    serial,
    softSerial: soft,
    timeoutMs: o.timeoutMs,
    proxy: proxy(parseServer(boot.server).host),
  });
  try {
    if (o.ops.includes("ping")) {
      const res = await http.send("GET", "ping", undefined, { signal });
      if (res.status !== 200) throw new Failure(`http-${res.status}`, `ping: HTTP ${res.status}`);
      log.info("ping: controller reachable");
    }
    const session = new DeviceSession(http, new X509Certificate(boot.rootCa), identity);
    await session.fetchCerts();
    const wantRegister = o.ops.includes("selfRegister");
    const wantUuid = o.ops.includes("getUuid");
    const register = async () => {
      if (!boot.onboarding)
        throw new Failure(
          "bootstrap",
          `no onboarding certificate and key (onboard.cert.pem, onboard.key.pem) in ${configDir}`,
        );
      const { status, reason } = await session.register(boot.onboarding, serial, soft);
      const why = reason ? ` (${reason})` : "";
      switch (status) {
        case 200:
        case 201:
          log.info({ serial, softSerial: soft, status }, "registered with the controller");
          break;
        case 409:
          // Already registered: fine if it is this device, which the uuid call proves.
          log.info({ serial }, `already registered${why}`);
          break;
        case 403:
          throw new Failure(
            "register-403",
            `register refused (403): the controller does not accept this onboarding certificate or serial "${serial}"${why}`,
          );
        case 401:
          throw new Failure("register-401", `register refused (401): bad signature${why}`);
        default:
          throw new Failure(`register-${status}`, `register failed: HTTP ${status}${why}`);
      }
      state.certNew = false;
    };
    // As EVE does: a device certificate that is not new has been registered before, so ask for the
    // UUID first and register only when the controller says it does not know this certificate. A
    // controller may refuse a repeated register (403: serial already used), and repeating it at
    // every boot would turn an onboarded device into one that retries forever.
    const registerFirst = wantRegister && (state.certNew || !wantUuid);
    if (registerFirst) await register();
    if (!wantUuid) return undefined;
    let uuid = await fetchUuid(session);
    if (uuid === undefined && wantRegister && !registerFirst) {
      log.info("the controller does not know this device certificate: registering");
      await register();
      uuid = await fetchUuid(session);
    }
    if (uuid === undefined)
      throw new Failure(
        "uuid-unknown",
        "the controller does not know this device certificate: not registered, or its serial was registered by another device",
      );
    if (!uuid) throw new Failure("uuid-empty", "the controller answered uuid without a UUID");
    return {
      deviceUuid: uuid,
      serial,
      softSerial: soft,
      server: boot.server,
      confirmedAt: new Date().toISOString(),
    };
  } finally {
    http.close();
  }
}
