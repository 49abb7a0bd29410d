// Files that can hold secrets (keys, datastore credentials in config tables and checkpoints) are for
// the owner only: directories 0700, files without group or other bits. mkdir and open apply the
// process umask, and ignore the mode for what already exists, so modes are set explicitly, and trees
// made by an older version or under a permissive umask are tightened when an agent starts.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ENOENT = (e: unknown) => (e as NodeJS.ErrnoException).code === "ENOENT";

/** Creates `dir` (and missing parents, 0700) if needed and makes it 0700 whatever it was. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Takes group and other permissions off everything under `path` (the path itself included):
 * directories become 0700, files keep only their owner bits (0644 -> 0600). Symbolic links are not
 * followed. A missing path, or an entry that vanishes meanwhile (a temp file renamed by a writer),
 * is skipped. Returns the paths whose mode changed. */
export function restrictTree(path: string): string[] {
  const changed: string[] = [];
  const visit = (p: string) => {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(p);
    } catch (e) {
      if (ENOENT(e)) return;
      throw e;
    }
    if (st.isSymbolicLink()) return;
    const mode = st.mode & 0o7777;
    const want = st.isDirectory() ? 0o700 : mode & 0o700;
    try {
      if (mode !== want) {
        chmodSync(p, want);
        changed.push(p);
      }
      if (st.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
    } catch (e) {
      if (!ENOENT(e)) throw e;
    }
  };
  visit(path);
  return changed;
}
