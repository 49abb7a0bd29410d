import type { DockerClient } from "./client.js";
import { isConflict, isNotFound } from "./errors.js";

// Image references for volumemgr. Docker cannot label an image once it is loaded (labels live in the
// image config, whose digest is the image id), so a node holds an image through a tag of its own:
// dropping the tag deletes the image only when no other tag and no container still hold it.

/** Tags under `repo` ("outpost/node-abc") present in the engine -> image id. */
export async function listRepoTags(client: DockerClient, repo: string): Promise<Map<string, string>> {
  const images = await client.docker.listImages({ all: false, filters: { reference: [repo] } });
  const out = new Map<string, string>();
  for (const img of images)
    for (const ref of img.RepoTags ?? [])
      if (ref.startsWith(`${repo}:`)) out.set(ref.slice(repo.length + 1), img.Id);
  return out;
}

/** Removes one tag (never forced). True when the tag is gone (or was), false when the engine refuses
 * because a container still uses the image and this is its last tag. */
export async function removeImageTag(client: DockerClient, ref: string): Promise<boolean> {
  try {
    await client.docker.getImage(ref).remove({ force: false, noprune: false });
    return true;
  } catch (e) {
    if (isNotFound(e)) return true;
    if (isConflict(e)) return false;
    throw e;
  }
}
