// The device side of the EVE API v2: every call signed like EVE's device does, every answer checked
// against the controller's signing certificate (itself checked against the root) before its payload
// is looked at.
import { X509Certificate } from "node:crypto";
import { EnvelopeError, openEnvelope, sealEnvelope } from "./envelope.js";
import type { HttpClient, HttpResponse } from "./http-client.js";
import type { DeviceIdentity } from "./identity.js";
import { deviceCertHash, signingCertHash, verifyChain } from "./pki.js";
import { eve } from "./proto.js";

export interface SigningCert {
  cert: X509Certificate;
  pem: string;
  /** sha256 of the PEM text: what the controller puts in senderCertHash. */
  hash: Buffer;
}

/** An answer that is not what the API promises (wrong status, bad envelope, bad protobuf). */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** A decoded ConfigResponse: decode() fills every repeated field, so they are not optional here. */
export type DecodedConfigResponse = Omit<eve.config.ConfigResponse, "config"> & {
  config?: eve.config.EdgeDevConfig;
};

export class DeviceSession {
  private signing: SigningCert | undefined;

  constructor(
    readonly http: HttpClient,
    private readonly root: X509Certificate,
    readonly device: DeviceIdentity,
  ) {}

  get signingCert(): SigningCert | undefined {
    return this.signing;
  }

  /** Adopts a signing certificate kept from an earlier `certs` (e.g. persisted with a config
   * checkpoint, to re-verify it while the controller is unreachable). It must chain to the root. */
  useSigningCert(pem: string, intermediatePems: string[] = []): SigningCert {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      throw new ApiError(0, `signing certificate unreadable: ${(e as Error).message}`, "malformed");
    }
    try {
      verifyChain(
        cert,
        this.root,
        intermediatePems.map((p) => new X509Certificate(p)),
      );
    } catch (e) {
      throw new ApiError(0, `signing certificate: ${(e as Error).message}`, "chain");
    }
    this.signing = { cert, pem, hash: signingCertHash(pem) };
    return this.signing;
  }

  /** GET certs: picks the SIGNING certificate, checks it chains to the root, and checks the
   * envelope the list came in was signed by it. */
  async fetchCerts(): Promise<SigningCert> {
    const res = await this.http.send("GET", "certs");
    if (res.status !== 200) throw new ApiError(res.status, `certs: HTTP ${res.status}`);
    let list: eve.certs.ZControllerCert;
    let env: ReturnType<typeof eve.auth.AuthContainer.decode>;
    try {
      env = eve.auth.AuthContainer.decode(res.body);
      list = eve.certs.ZControllerCert.decode(env.protectedPayload?.payload ?? new Uint8Array());
    } catch (e) {
      throw new ApiError(200, `certs: malformed answer: ${(e as Error).message}`, "malformed");
    }
    const T = eve.certs.ZCertType;
    const pemOf = (c: eve.certs.ZCert.$Properties) => Buffer.from(c.cert ?? new Uint8Array()).toString();
    const signing = list.certs.find((c) => c.type === T.CERT_TYPE_CONTROLLER_SIGNING);
    if (!signing) throw new ApiError(200, "certs: no signing certificate in the answer", "malformed");
    const pem = pemOf(signing);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      throw new ApiError(200, `certs: signing certificate unreadable: ${(e as Error).message}`, "malformed");
    }
    const intermediates = list.certs
      .filter((c) => c.type === T.CERT_TYPE_CONTROLLER_INTERMEDIATE)
      .map((c) => new X509Certificate(pemOf(c)));
    try {
      verifyChain(cert, this.root, intermediates);
    } catch (e) {
      throw new ApiError(200, `certs: ${(e as Error).message}`, "chain");
    }
    const hash = signingCertHash(pem);
    try {
      openEnvelope(res.body, hash, cert.publicKey);
    } catch (e) {
      throw new ApiError(200, `certs: ${(e as Error).message}`, (e as EnvelopeError).reason);
    }
    this.signing = { cert, pem, hash };
    return this.signing;
  }

  /** Verifies a signed answer; an unknown sender hash refetches `certs` once (the controller may
   * have rotated its signing certificate). Returns the payload bytes. */
  async open(body: Uint8Array, what: string): Promise<Uint8Array> {
    const signing = this.signing ?? (await this.fetchCerts());
    try {
      return openEnvelope(body, signing.hash, signing.cert.publicKey);
    } catch (e) {
      if (!(e instanceof EnvelopeError)) throw e;
      if (e.reason === "unknown-sender") {
        const fresh = await this.fetchCerts();
        try {
          return openEnvelope(body, fresh.hash, fresh.cert.publicKey);
        } catch (e2) {
          throw new ApiError(
            200,
            `${what}: rejected answer: ${(e2 as Error).message}`,
            (e2 as EnvelopeError).reason,
          );
        }
      }
      throw new ApiError(200, `${what}: rejected answer: ${e.message}`, e.reason);
    }
  }

  /** Signs `payload` with the device key and POSTs it. */
  post(path: string, payload: Uint8Array, withSerial = false, signal?: AbortSignal): Promise<HttpResponse> {
    const body = sealEnvelope(payload, {
      key: this.device.key,
      senderCertHash: deviceCertHash(this.device.cert),
    });
    return this.http.send("POST", path, body, { withSerial, signal });
  }

  /** POST register, signed with the onboarding key. Returns the status (201, 409, 403, 401, 400) and
   * the controller's reason, if it gave one in text. */
  async register(
    onboarding: DeviceIdentity,
    serial: string,
    softSerial: string,
  ): Promise<{ status: number; reason: string }> {
    const msg = eve.register.ZRegisterMsg.encode({
      pemCert: Buffer.from(Buffer.from(this.device.certPem).toString("base64")),
      serial,
      softSerial,
    }).finish();
    const body = sealEnvelope(msg, {
      key: onboarding.key,
      senderCertHash: deviceCertHash(onboarding.cert),
      senderCert: Buffer.from(Buffer.from(onboarding.certPem).toString("base64")),
    });
    const res = await this.http.send("POST", "register", body, { withSerial: true });
    return { status: res.status, reason: detail(res).replace(/^: /, "") };
  }

  /** POST uuid: the UUID the controller knows this device by. */
  async getUuid(): Promise<eve.uuid.UuidResponse> {
    const res = await this.post("uuid", eve.uuid.UuidRequest.encode({}).finish(), true);
    if (res.status !== 200) throw new ApiError(res.status, `uuid: HTTP ${res.status}${detail(res)}`);
    const payload = await this.open(res.body, "uuid");
    return decodeOr(eve.uuid.UuidResponse, payload, "uuid");
  }

  /** Attestation without a TPM: a QUOTE with no PCRs earns the integrity token. */
  async attest(uuid: string): Promise<Uint8Array> {
    const req = eve.attest.ZAttestReq.encode({
      reqType: eve.attest.ZAttestReqType.ATTEST_REQ_QUOTE,
      quote: { attestData: new Uint8Array(), signature: new Uint8Array() },
    }).finish();
    const res = await this.post(`id/${uuid}/attest`, req);
    if (res.status !== 200 && res.status !== 201)
      throw new ApiError(res.status, `attest: HTTP ${res.status}${detail(res)}`);
    const r = decodeOr(eve.attest.ZAttestResponse, await this.open(res.body, "attest"), "attest");
    const token = r.quoteResp?.integrity_token;
    if (!token?.length)
      throw new ApiError(res.status, "attest: no integrity token in the answer", "malformed");
    return token;
  }

  /** POST config. `status` 304: unchanged; 200: `response` verified and decoded, `raw` is the signed
   * envelope as received (what a checkpoint keeps). */
  async config(
    uuid: string,
    configHash: string,
    integrityToken?: Uint8Array,
    signal?: AbortSignal,
  ): Promise<{ status: number; response?: DecodedConfigResponse; raw?: Buffer }> {
    const req = eve.config.ConfigRequest.encode({
      configHash,
      integrity_token: integrityToken ?? new Uint8Array(),
    }).finish();
    const res = await this.post(`id/${uuid}/config`, req, false, signal);
    if (res.status === 304) return { status: 304 };
    if (res.status !== 200) return { status: res.status };
    const payload = await this.open(res.body, "config");
    return { status: 200, response: decodeConfigResponse(payload), raw: res.body };
  }

  /** Re-verifies a kept (checkpointed) config answer and decodes it; throws ApiError. */
  async openConfigResponse(raw: Uint8Array): Promise<DecodedConfigResponse> {
    return decodeConfigResponse(await this.open(raw, "checkpoint"));
  }
}

/** Decodes a ConfigResponse payload (already verified); a malformed one is an ApiError. */
export function decodeConfigResponse(payload: Uint8Array): DecodedConfigResponse {
  return decodeOr(eve.config.ConfigResponse, payload, "config") as DecodedConfigResponse;
}

function detail(res: HttpResponse): string {
  const text = res.body.toString("utf8").trim();
  return text && /^[\x20-\x7e]+$/.test(text) ? `: ${text.slice(0, 200)}` : "";
}

/** Decodes a payload; a truncated or garbled protobuf is an ApiError, never a crash. */
export function decodeOr<T>(type: { decode(b: Uint8Array): T }, payload: Uint8Array, what: string): T {
  try {
    return type.decode(payload);
  } catch (e) {
    throw new ApiError(200, `${what}: malformed payload: ${(e as Error).message}`, "malformed");
  }
}
