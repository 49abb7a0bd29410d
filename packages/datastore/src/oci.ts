// The parts of the OCI distribution API the downloader needs: resolve a tag to its manifest digest,
// and the URLs and Accept headers for manifests and blobs fetched by digest.
import { createHash } from "node:crypto";
import type { DatastoreClient } from "./http-client.js";
import { DatastoreHttpError, readBody } from "./http-client.js";
import { manifestUrl, parseImageRef } from "./url.js";

export const MEDIA_TYPES = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
} as const;

/** Accept header for manifests: OCI and Docker v2 manifests and indexes. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerList,
].join(", ");

export interface Resolved {
  /** hex, without "sha256:" */
  sha256: string;
  size: number;
  mediaType?: string;
}

/** Manifests are small; anything bigger than this is not one. */
const MANIFEST_LIMIT = 4 << 20;

/** Resolves "repo:tag" (or "repo@sha256:...") to its manifest digest: HEAD first (the
 * Docker-Content-Digest header), else GET and hash the body. */
export async function resolveTag(
  client: DatastoreClient,
  relativeUrl: string,
  signal?: AbortSignal,
  timeoutMs = 30_000,
): Promise<Resolved> {
  const ref = parseImageRef(relativeUrl);
  const reference = ref.digest ?? ref.tag ?? "latest";
  const url = manifestUrl(client.ds, ref.repo, reference);
  const headers = { Accept: MANIFEST_ACCEPT };
  const scope = `repository:${ref.repo}:pull`;
  const head = await client.request(
    url,
    { method: "HEAD", headers, ...(signal ? { signal } : {}), timeoutMs },
    scope,
  );
  head.resume();
  const headDigest = String(head.headers["docker-content-digest"] ?? "");
  const mediaType =
    String(head.headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim() || undefined;
  if (head.statusCode === 200 && /^sha256:[0-9a-f]{64}$/.test(headDigest)) {
    const size = Number(head.headers["content-length"] ?? 0);
    return {
      sha256: headDigest.slice(7),
      size: Number.isFinite(size) ? size : 0,
      ...(mediaType ? { mediaType } : {}),
    };
  }
  const res = await client.request(url, { headers, ...(signal ? { signal } : {}), timeoutMs }, scope);
  if (res.statusCode !== 200) {
    res.resume();
    throw new DatastoreHttpError(
      res.statusCode ?? 0,
      url.href,
      res.statusCode === 404 ? `no manifest for ${relativeUrl}` : "",
    );
  }
  const body = await readBody(res, MANIFEST_LIMIT);
  const hex = createHash("sha256").update(body).digest("hex");
  if (ref.digest && ref.digest !== `sha256:${hex}`)
    throw new Error(`${url.href}: manifest digest is sha256:${hex}, asked for ${ref.digest}`);
  const mt =
    String(res.headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim() || undefined;
  return { sha256: hex, size: body.length, ...(mt ? { mediaType: mt } : {}) };
}
