import {
  array,
  boolean,
  type Infer,
  integer,
  object,
  oneOf,
  optional,
  string,
  withDefault,
} from "./codec.js";
import { ErrorInfoCodec } from "./error.js";
import { SwStateCodec } from "./swstate.js";

// Datastores, content trees, volumes and blobs (volumemgr's world). Published by zedagent (config) and
// volumemgr (status).

/** Key: datastore UUID. */
export const DatastoreConfigCodec = object(
  {
    id: string,
    /** http/https: image archives (`docker save` output) under fqdn+path; registry: an OCI registry. */
    type: oneOf(["http", "https", "registry"] as const),
    /** host[:port], or a full URL base ("https://host:port"). */
    fqdn: string,
    /** Path prefix on the server (EVE's dpath). */
    path: withDefault(string, ""),
    /** Basic auth (EVE's apiKey/password); empty = anonymous. */
    username: withDefault(string, ""),
    password: withDefault(string, ""),
    /** Extra CA certificates (PEM) trusted for this datastore. */
    caCertsPem: withDefault(array(string), []),
    /** registry over plain http (a local registry); https otherwise. */
    insecure: withDefault(boolean, false),
  },
  "DatastoreConfig",
);
export type DatastoreConfig = Infer<typeof DatastoreConfigCodec>;

/** Key: content tree UUID. */
export const ContentTreeConfigCodec = object(
  {
    id: string,
    datastoreId: string,
    /** http: the archive's path relative to the datastore; registry: "repo:tag" or "repo@sha256:...". */
    relativeUrl: string,
    /** CONTAINER: an image (volumemgr loads it); RAW: a plain file kept verified (a base OS release). */
    format: withDefault(oneOf(["CONTAINER", "RAW"] as const), "CONTAINER"),
    /** http: sha256 of the archive (required); registry: manifest digest (hex), empty to resolve the tag. */
    sha256: withDefault(string, ""),
    /** 0 = no limit. */
    maxSizeBytes: withDefault(integer, 0),
    displayName: withDefault(string, ""),
    generation: withDefault(integer, 0),
  },
  "ContentTreeConfig",
);
export type ContentTreeConfig = Infer<typeof ContentTreeConfigCodec>;

export const ContentTreeStatusCodec = object(
  {
    id: string,
    displayName: string,
    state: SwStateCodec,
    progress: withDefault(integer, 0),
    totalSize: withDefault(integer, 0),
    currentSize: withDefault(integer, 0),
    /** The blobs it is made of (sha256 hex), root first. */
    blobs: withDefault(array(string), []),
    /** The resolved root digest (hex). */
    sha256: withDefault(string, ""),
    /** Docker image id once loaded ("sha256:..."). */
    imageId: optional(string),
    /** RAW trees: the verified file, once VERIFIED (kept while the tree is wanted). */
    path: optional(string),
    error: optional(ErrorInfoCodec),
  },
  "ContentTreeStatus",
);
export type ContentTreeStatus = Infer<typeof ContentTreeStatusCodec>;

/** Key: `${id}#${generation}`. */
export const VolumeConfigCodec = object(
  {
    id: string,
    generation: withDefault(integer, 0),
    /** blank: an empty Docker volume; download: made from a content tree (a container image). */
    origin: oneOf(["blank", "download"] as const),
    contentTreeId: withDefault(string, ""),
    maxSizeBytes: withDefault(integer, 0),
    readOnly: withDefault(boolean, false),
    displayName: withDefault(string, ""),
  },
  "VolumeConfig",
);
export type VolumeConfig = Infer<typeof VolumeConfigCodec>;

export const VolumeStatusCodec = object(
  {
    id: string,
    generation: integer,
    localGeneration: withDefault(integer, 0),
    displayName: string,
    origin: oneOf(["blank", "download"] as const),
    state: SwStateCodec,
    progress: withDefault(integer, 0),
    contentTreeId: withDefault(string, ""),
    imageId: optional(string),
    dockerVolume: optional(string),
    sizeBytes: withDefault(integer, 0),
    error: optional(ErrorInfoCodec),
  },
  "VolumeStatus",
);
export type VolumeStatus = Infer<typeof VolumeStatusCodec>;

/** volumemgr's view of each blob. Key: sha256 hex. */
export const BlobStatusCodec = object(
  {
    sha256: string,
    /** archive: a docker-save tarball (http datastore); manifest/config/layer: OCI parts. */
    kind: oneOf(["archive", "manifest", "index", "config", "layer"] as const),
    state: SwStateCodec,
    size: withDefault(integer, 0),
    currentSize: withDefault(integer, 0),
    progress: withDefault(integer, 0),
    /** Verified file, once VERIFIED. */
    path: optional(string),
    mediaType: optional(string),
    /** Content trees using it. */
    contentTrees: withDefault(array(string), []),
    error: optional(ErrorInfoCodec),
  },
  "BlobStatus",
);
export type BlobStatus = Infer<typeof BlobStatusCodec>;
