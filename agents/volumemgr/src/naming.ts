import { createHash } from "node:crypto";
import { outpostLabels } from "@outpost/docker";
import type { ContentTreeConfig } from "@outpost/types";

// Names volumemgr gives to what it creates in the Docker engine. Everything derives from the node
// (its root directory), so several nodes sharing one engine never touch each other's objects.

const short = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);

/** Docker name characters: [a-zA-Z0-9_.-]; anything else becomes "_". */
const sanitize = (s: string, max: number) => s.replace(/[^a-zA-Z0-9_.-]/g, "_").slice(0, max);

/** The node as it appears in Docker names: a short hash of its root. */
export function nodeId(root: string): string {
  return short(root, 12);
}

/**
 * The repository this node tags its loaded images under. Docker cannot label an image after it is
 * loaded without changing its id, so the node's reference on an image is a tag: removing the tag
 * removes the image only when no other tag (another node, another content tree) still holds it.
 */
export function imageRepo(root: string): string {
  return `outpost/node-${nodeId(root)}`;
}

/** What makes a loaded image the content of a content tree: the same id, datastore, url and digest.
 * The generation is not part of it: bumping it retries a failure but does not reload what is loaded. */
export function contentTreeIdentity(
  c: Pick<ContentTreeConfig, "id" | "datastoreId" | "relativeUrl" | "sha256">,
): string {
  return short(JSON.stringify([c.id, c.datastoreId, c.relativeUrl, c.sha256.toLowerCase()]), 16);
}

/** The tag (within imageRepo) naming a content tree's loaded image. */
export function contentTreeTag(
  c: Pick<ContentTreeConfig, "id" | "datastoreId" | "relativeUrl" | "sha256">,
): string {
  const id = sanitize(c.id.toLowerCase(), 64).replace(/^[.-]+/, "");
  return `${id || "ct"}.${contentTreeIdentity(c)}`;
}

export function imageRef(root: string, tag: string): string {
  return `${imageRepo(root)}:${tag}`;
}

/** A blank volume's Docker volume: one per (volume, generation, localGeneration), so a purge makes a
 * fresh empty one while the old one is removed once its container let go of it. */
export function dockerVolumeName(
  root: string,
  volumeId: string,
  generation: number,
  localGeneration: number,
): string {
  const id = sanitize(volumeId, 64);
  return `outpost-${nodeId(root)}-${id}-${generation}-${localGeneration}`;
}

export function volumeLabels(
  root: string,
  volumeKey: string,
  localGeneration: number,
): Record<string, string> {
  return {
    ...outpostLabels({ node: root, volume: volumeKey }),
    "org.outpost.local-generation": String(localGeneration),
  };
}

/** OCI architecture name of this process's machine. */
export function ociArch(nodeArch: string = process.arch): string {
  switch (nodeArch) {
    case "x64":
      return "amd64";
    case "ia32":
      return "386";
    default:
      return nodeArch; // arm64, arm, ppc64, s390x, riscv64 are spelled alike
  }
}
