// dockerode errors carry the engine's HTTP status and JSON body; these turn them into the plain
// sentence an operator should see on a status ("No such image: sha256:...") and into predicates.

interface DockerodeError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
  code?: string;
}

export function dockerStatusCode(err: unknown): number | undefined {
  const e = err as DockerodeError | undefined;
  return typeof e?.statusCode === "number" ? e.statusCode : undefined;
}

export const isNotFound = (err: unknown): boolean => dockerStatusCode(err) === 404;
export const isConflict = (err: unknown): boolean => dockerStatusCode(err) === 409;
/** 304: start of a running container, stop of a stopped one. */
export const isNotModified = (err: unknown): boolean => dockerStatusCode(err) === 304;

/** The engine's own message when there is one, else the transport error. */
export function dockerErrorMessage(err: unknown): string {
  const e = err as DockerodeError | undefined;
  const fromJson = e?.json && typeof e.json === "object" ? e.json.message : undefined;
  if (typeof fromJson === "string" && fromJson) return fromJson.trim();
  const msg = typeof e?.message === "string" ? e.message : String(err);
  // "(HTTP code 404) no such container - No such container: abc " -> the part after " - ".
  const m = /^\(HTTP code \d+\) [^-]*- (.+)$/s.exec(msg);
  return (m?.[1] ?? msg).trim();
}

/** No engine answered (socket missing, refused, timed out). */
export class DockerUnavailableError extends Error {
  constructor(
    readonly endpoint: string,
    cause: unknown,
  ) {
    super(
      `no Docker engine answers at ${endpoint}: ${dockerErrorMessage(cause)} (is dockerd running? set DOCKER_HOST to use another engine)`,
    );
    this.name = "DockerUnavailableError";
  }
}
