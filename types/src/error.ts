import { array, type Infer, object, oneOf, optional, string } from "./codec.js";

/** The object an error is about, so a parent status can say which part failed. */
export const ErrorSourceCodec = object({
  /** e.g. "ContentTree", "Volume", "Blob", "Domain", "Datastore" */
  type: string,
  id: string,
  /** human name when there is one (content tree display name, ...) */
  name: optional(string),
});
export type ErrorSource = Infer<typeof ErrorSourceCodec>;

/** An error as every status carries it (EVE's ErrorDescription): what, when, how bad, when it will be
 * retried, and which object caused it. Errors propagate upward: a parent copies its failing part's
 * error, keeping the source. */
export const ErrorInfoCodec = object(
  {
    description: string,
    /** ISO 8601 UTC */
    time: string,
    severity: oneOf(["notice", "warning", "error"] as const),
    /** When/why it is retried, e.g. "retrying in 30 s" or "fix the datastore and bump the config". */
    retryCondition: optional(string),
    source: optional(ErrorSourceCodec),
    /** The chain of objects from the top-level status down to the source. */
    path: optional(array(string)),
  },
  "ErrorInfo",
);
export type ErrorInfo = Infer<typeof ErrorInfoCodec>;

export function makeError(
  description: string,
  opts: { severity?: ErrorInfo["severity"]; retryCondition?: string; source?: ErrorSource; now?: Date } = {},
): ErrorInfo {
  return {
    description,
    time: (opts.now ?? new Date()).toISOString(),
    severity: opts.severity ?? "error",
    ...(opts.retryCondition ? { retryCondition: opts.retryCondition } : {}),
    ...(opts.source ? { source: opts.source, path: [sourceRef(opts.source)] } : {}),
  };
}

/** How a path names an object: `<type>/<id>`, e.g. `ContentTree/6f1c...`. */
export function sourceRef(s: Pick<ErrorSource, "type" | "id">): string {
  return `${s.type}/${s.id}`;
}

/** A part's error as its parent status carries it: the part is prepended to the path (the error's own
 * source, the object that failed, stays at the end) and becomes the source when the error had none. */
export function viaPart(e: ErrorInfo, part: ErrorSource): ErrorInfo {
  const below = e.path ?? (e.source ? [sourceRef(e.source)] : []);
  const ref = sourceRef(part);
  return { ...e, source: e.source ?? part, path: below[0] === ref ? below : [ref, ...below] };
}

/** The one "same error" rule: two errors are the same when everything but their time agrees — what
 * happened, how bad, which object, through which parts, and when/why it is retried (a changed retry
 * condition is news to the user). */
export function sameError(a: ErrorInfo | undefined, b: ErrorInfo | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.description === b.description &&
    a.severity === b.severity &&
    a.retryCondition === b.retryCondition &&
    JSON.stringify(a.source) === JSON.stringify(b.source) &&
    JSON.stringify(a.path ?? []) === JSON.stringify(b.path ?? [])
  );
}

/** A recomputed status keeps its previous error (and so that error's time) while it is the same
 * error: the status does not change on every pass just because the clock moved. */
export function stableError(prev: ErrorInfo | undefined, next: ErrorInfo | undefined): ErrorInfo | undefined {
  if (!next) return undefined;
  return prev && sameError(prev, next) ? prev : next;
}
