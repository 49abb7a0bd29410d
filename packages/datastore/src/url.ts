import type { DatastoreConfig } from "@outpost/types";

// Where a datastore lives. DatastoreConfig.fqdn is "host[:port]" or a full base URL; the scheme is
// the datastore type for http/https, and for a registry https unless `insecure` (a local registry).

export function datastoreBase(ds: DatastoreConfig): URL {
  const scheme = ds.type === "registry" ? (ds.insecure ? "http" : "https") : ds.type;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(ds.fqdn) ? ds.fqdn : `${scheme}://${ds.fqdn}`;
  const u = new URL(withScheme);
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new Error(`datastore ${ds.id}: unsupported scheme ${u.protocol}`);
  if (ds.type === "registry" && ds.insecure && u.protocol === "https:") u.protocol = "http:";
  return u;
}

function joinPath(...parts: string[]): string {
  const segs = parts.flatMap((p) => p.split("/")).filter((s) => s.length > 0);
  return `/${segs.join("/")}`;
}

/** http/https datastore: <fqdn><path>/<relativeUrl>. */
export function archiveUrl(ds: DatastoreConfig, relativeUrl: string): URL {
  const base = datastoreBase(ds);
  const u = new URL(base.href);
  u.pathname = joinPath(base.pathname, ds.path, relativeUrl);
  return u;
}

/** A registry reference "repo:tag", "repo@sha256:<hex>" or "repo" (tag latest). */
export interface ImageRef {
  repo: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf("@");
  if (at >= 0) {
    const digest = ref.slice(at + 1);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`bad digest in "${ref}"`);
    return { repo: checkRepo(ref.slice(0, at), ref), digest };
  }
  const colon = ref.lastIndexOf(":");
  // A colon before the last slash belongs to a host:port, not a tag.
  if (colon > ref.lastIndexOf("/"))
    return { repo: checkRepo(ref.slice(0, colon), ref), tag: ref.slice(colon + 1) };
  return { repo: checkRepo(ref, ref), tag: "latest" };
}

const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

function checkRepo(repo: string, ref: string): string {
  if (!REPO.test(repo)) throw new Error(`bad repository name in "${ref}"`);
  return repo;
}

/** Registry: /v2/<path-prefix/><repo>/manifests/<tag|digest>. */
export function manifestUrl(ds: DatastoreConfig, repo: string, reference: string): URL {
  const base = datastoreBase(ds);
  const u = new URL(base.href);
  u.pathname = joinPath(base.pathname, "v2", ds.path, repo, "manifests", reference);
  return u;
}

/** Registry: /v2/<path-prefix/><repo>/blobs/sha256:<hex>. */
export function blobUrl(ds: DatastoreConfig, repo: string, sha256Hex: string): URL {
  const base = datastoreBase(ds);
  const u = new URL(base.href);
  u.pathname = joinPath(base.pathname, "v2", ds.path, repo, "blobs", `sha256:${sha256Hex}`);
  return u;
}
