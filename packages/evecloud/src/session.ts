// A signed session with the controller: the device's requests sealed in an AuthContainer, the
// controller's answers checked against its signing certificate (itself checked against the root)
// before their payload is looked at. Only the envelope subset of the EVE API code is loaded here
// (proto-auth.ts); DeviceSession (device.ts) adds the calls that need the rest.
import { X509Certificate } from "node:crypto";
import { EnvelopeError, openEnvelope, sealEnvelope } from "./envelope.js";
import type { HttpClient, HttpResponse } from "./http-client.js";
import type { DeviceIdentity } from "./identity.js";
import { deviceCertHash, signingCertHash, verifyChain } from "./pki.js";
import { eveAuth as eve } from "./proto-auth.js";

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

export class SignedSession {
  protected signing: SigningCert | undefined;

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
}
