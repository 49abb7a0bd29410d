import { type Infer, integer, object, oneOf, optional, string, withDefault } from "./codec.js";
import { ErrorInfoCodec } from "./error.js";
import { SwStateCodec } from "./swstate.js";

// downloader and verifier: the downloader has network access and never verifies; the verifier never
// touches the network and owns the verified store.
//
// How a blob's file moves between them is written in these tables, so it can be followed on the bus:
//   DownloaderStatus DOWNLOADED {path: <downloader's file>, owner: "downloader"}
//   -> VerifyImageConfig {path: that same path}   (volumemgr hands the file to the verifier)
//   -> VerifyImageStatus VERIFYING                 (the verifier has taken it: it moves or deletes it)
//   -> VerifyImageStatus VERIFIED {path: <verified file>, owner: "verifier"}   (moved into its store)
//   -> DownloaderStatus DOWNLOADED {path: <verified file>, owner: "verifier"}  (the downloader holds no copy)
// A mismatch instead: the verifier deletes the file, VerifyImageStatus INITIAL + error.

/** Who owns the file at a status's `path`: only the owner deletes or moves it. */
export const BlobOwnerCodec = oneOf(["downloader", "verifier"] as const);
export type BlobOwner = Infer<typeof BlobOwnerCodec>;

/** volumemgr -> downloader: fetch one blob. Key: sha256 hex. */
export const DownloaderConfigCodec = object(
  {
    sha256: string,
    datastoreId: string,
    /** http: path relative to the datastore; registry: "repo" (the blob is fetched by digest). */
    relativeUrl: string,
    kind: oneOf(["archive", "manifest", "index", "config", "layer"] as const),
    /** Expected size when known (OCI descriptors give it); 0 = unknown. */
    size: withDefault(integer, 0),
    /** 0 = no limit. */
    maxSizeBytes: withDefault(integer, 0),
    /** Bumped to ask for a fresh download (after a failed verification). */
    retry: withDefault(integer, 0),
  },
  "DownloaderConfig",
);
export type DownloaderConfig = Infer<typeof DownloaderConfigCodec>;

export const DownloaderStatusCodec = object(
  {
    sha256: string,
    state: SwStateCodec,
    /** Where the finished blob is once DOWNLOADED: the downloader's own file (unverified), or, once the
     * verifier has taken it, the verified file (VerifyImageStatus.path). */
    path: optional(string),
    /** Who owns the file at `path`: "downloader" (its own file; it deletes it when the config goes or
     * its retry is bumped, and the verifier may take it once a VerifyImageConfig names it), or
     * "verifier" (VerifyImageStatus says VERIFIED: the downloader holds no copy and never touches it). */
    owner: optional(BlobOwnerCodec),
    currentSize: withDefault(integer, 0),
    totalSize: withDefault(integer, 0),
    progress: withDefault(integer, 0),
    /** Bytes fetched over the network by this download (less than totalSize after a resume). */
    fetchedBytes: withDefault(integer, 0),
    retryCount: withDefault(integer, 0),
    /** echo of DownloaderConfig.retry this status answers */
    retry: withDefault(integer, 0),
    mediaType: optional(string),
    error: optional(ErrorInfoCodec),
  },
  "DownloaderStatus",
);
export type DownloaderStatus = Infer<typeof DownloaderStatusCodec>;

/** volumemgr -> downloader: resolve a registry tag to a manifest digest. Key: content tree id. */
export const ResolveConfigCodec = object(
  { contentTreeId: string, datastoreId: string, relativeUrl: string, generation: withDefault(integer, 0) },
  "ResolveConfig",
);
export type ResolveConfig = Infer<typeof ResolveConfigCodec>;

export const ResolveStatusCodec = object(
  {
    contentTreeId: string,
    generation: withDefault(integer, 0),
    /** manifest digest, hex without "sha256:" */
    sha256: withDefault(string, ""),
    size: withDefault(integer, 0),
    mediaType: optional(string),
    error: optional(ErrorInfoCodec),
  },
  "ResolveStatus",
);
export type ResolveStatus = Infer<typeof ResolveStatusCodec>;

/** volumemgr -> verifier. Key: sha256 hex. */
export const VerifyImageConfigCodec = object(
  {
    sha256: string,
    /** The file to take the blob from: the DownloaderStatus.path of the same retry. Naming it hands
     * the file to the verifier, which moves it into its store on a match and deletes it on a mismatch. */
    path: string,
    size: withDefault(integer, 0),
    /** echo of the download attempt, so a new download is verified again */
    retry: withDefault(integer, 0),
  },
  "VerifyImageConfig",
);
export type VerifyImageConfig = Infer<typeof VerifyImageConfigCodec>;

export const VerifyImageStatusCodec = object(
  {
    sha256: string,
    state: SwStateCodec,
    /** In the verified store, once VERIFIED. */
    path: optional(string),
    /** "verifier" with `path`: the verified file is the verifier's; it deletes it when the
     * VerifyImageConfig goes. */
    owner: optional(BlobOwnerCodec),
    size: withDefault(integer, 0),
    retry: withDefault(integer, 0),
    error: optional(ErrorInfoCodec),
  },
  "VerifyImageStatus",
);
export type VerifyImageStatus = Infer<typeof VerifyImageStatusCodec>;
