// The verifier's decision for one blob, from plain facts. Pure; verifications.ts runs the actions.
import { makeError, type VerifyImageConfig, type VerifyImageStatus } from "@outpost/types";

export interface VerifyFacts {
  config: VerifyImageConfig | undefined;
  status: VerifyImageStatus | undefined;
  /** The blob is in the verified store (size), put there only after a matching hash. */
  stored: { path: string; size: number } | undefined;
  /** The store could not be read for this blob (anything but "no such file", e.g. EACCES): whether
   * it is verified is unknown, so nothing is decided and the status says why. */
  storeError?: string | undefined;
  /** A hash in flight, for this config (JSON). */
  running: { for: string } | undefined;
  /** The config (JSON) the last finished attempt answered, if any. */
  attemptedFor: string | undefined;
}

export type VerifyAction =
  | { kind: "abort" }
  /** Delete the verified file and the status (the config was removed). */
  | { kind: "remove" }
  | { kind: "verify" }
  | { kind: "publish"; status: VerifyImageStatus };

export function configKey(c: VerifyImageConfig): string {
  return JSON.stringify([c.sha256, c.path, c.size, c.retry]);
}

export function decideVerify(f: VerifyFacts): VerifyAction[] {
  const c = f.config;
  if (!c) return f.running ? [{ kind: "abort" }] : [{ kind: "remove" }];
  const want = configKey(c);
  if (f.storeError !== undefined) {
    if (f.running) return [{ kind: "abort" }];
    const s = f.status;
    if (s?.error?.description === f.storeError) return [];
    const { error: _old, ...rest } = s ?? {
      sha256: c.sha256,
      state: "INITIAL" as const,
      size: c.size,
      retry: c.retry,
    };
    return [
      {
        kind: "publish",
        status: {
          ...rest,
          error: makeError(f.storeError, {
            source: { type: "Blob", id: c.sha256 },
            retryCondition: "fix the file or its permissions; checked again when the config changes",
          }),
        },
      },
    ];
  }
  if (f.stored) {
    // Already verified (by this attempt or an earlier one, or before a crash took the publish).
    const s = f.status;
    if (f.running) return [{ kind: "abort" }];
    if (
      s?.state === "VERIFIED" &&
      s.path === f.stored.path &&
      s.owner === "verifier" &&
      s.retry === c.retry &&
      s.size === f.stored.size &&
      !s.error
    )
      return [];
    return [
      {
        kind: "publish",
        status: {
          sha256: c.sha256,
          state: "VERIFIED",
          path: f.stored.path,
          owner: "verifier",
          size: f.stored.size,
          retry: c.retry,
        },
      },
    ];
  }
  if (f.running) return f.running.for === want ? [] : [{ kind: "abort" }];
  if (f.attemptedFor === want) return [];
  return [{ kind: "verify" }];
}
