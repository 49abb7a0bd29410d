import { DecodeError, decodeJson, type Infer, t } from "@outpost/types";

// OCI / Docker distribution manifests, as volumemgr reads them from the verified store. Decoded with
// codecs where they enter (a verified file is still input from a datastore).

export const DescriptorCodec = t.object(
  {
    mediaType: t.withDefault(t.string, ""),
    digest: t.string,
    size: t.withDefault(t.integer, 0),
    platform: t.optional(
      t.object({
        os: t.withDefault(t.string, ""),
        architecture: t.withDefault(t.string, ""),
        variant: t.optional(t.string),
      }),
    ),
  },
  "Descriptor",
);
export type Descriptor = Infer<typeof DescriptorCodec>;

const ManifestDocCodec = t.object(
  {
    schemaVersion: t.withDefault(t.integer, 2),
    mediaType: t.withDefault(t.string, ""),
    config: t.optional(DescriptorCodec),
    layers: t.optional(t.array(DescriptorCodec)),
    manifests: t.optional(t.array(DescriptorCodec)),
  },
  "Manifest",
);

export interface BlobRef {
  sha256: string;
  size: number;
  mediaType: string;
}

export type ParsedManifest =
  | { kind: "index"; child: BlobRef }
  | { kind: "manifest"; config: BlobRef; layers: BlobRef[] };

/** "sha256:<64 hex>" -> the hex; anything else is refused (the only digest Outpost verifies). */
export function digestHex(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m?.[1]) throw new DecodeError("digest", "sha256:<64 hex>", digest);
  return m[1];
}

const ref = (d: Descriptor): BlobRef => ({
  sha256: digestHex(d.digest),
  size: d.size,
  mediaType: d.mediaType,
});

/** Parses a manifest or an index; from an index it picks the linux image for `arch` (OCI spelling). */
export function parseManifest(bytes: string | Uint8Array, arch: string): ParsedManifest {
  const doc = decodeJson(ManifestDocCodec, bytes);
  if (doc.manifests) {
    const pick = doc.manifests.find((m) => m.platform?.os === "linux" && m.platform.architecture === arch);
    if (!pick) {
      const have = doc.manifests.map((m) => `${m.platform?.os ?? "?"}/${m.platform?.architecture ?? "?"}`);
      throw new Error(`image index has no linux/${arch} image (it has ${have.join(", ") || "none"})`);
    }
    return { kind: "index", child: ref(pick) };
  }
  if (!doc.config || !doc.layers)
    throw new Error(
      `not an image manifest (schemaVersion ${doc.schemaVersion}, mediaType "${doc.mediaType}")`,
    );
  return { kind: "manifest", config: ref(doc.config), layers: doc.layers.map(ref) };
}

/** A registry content tree's relativeUrl: "repo:tag" or "repo@sha256:<hex>". */
export function parseImageUrl(relativeUrl: string): { repo: string; tag?: string; digest?: string } {
  const at = relativeUrl.indexOf("@");
  if (at >= 0) return { repo: relativeUrl.slice(0, at), digest: digestHex(relativeUrl.slice(at + 1)) };
  const colon = relativeUrl.lastIndexOf(":");
  if (colon > relativeUrl.lastIndexOf("/"))
    return { repo: relativeUrl.slice(0, colon), tag: relativeUrl.slice(colon + 1) };
  return { repo: relativeUrl, tag: "latest" };
}
