// The device side of the EVE API v2: every call signed like EVE's device does, every answer checked
// against the controller's signing certificate (itself checked against the root) before its payload
// is looked at. The signing and checking are SignedSession's (session.ts).
import { sealEnvelope } from "./envelope.js";
import type { HttpResponse } from "./http-client.js";
import type { DeviceIdentity } from "./identity.js";
import { deviceCertHash } from "./pki.js";
import { eve } from "./proto.js";
import { ApiError, SignedSession } from "./session.js";

/** A decoded ConfigResponse: decode() fills every repeated field, so they are not optional here. */
export type DecodedConfigResponse = Omit<eve.config.ConfigResponse, "config"> & {
  config?: eve.config.EdgeDevConfig;
};

export class DeviceSession extends SignedSession {
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
