import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** persist/downloader/{pending,downloaded}: a blob is fetched into pending/<sha>.part (with
 * pending/<sha>.meta naming the URL and ETag it came from) and renamed to downloaded/<sha> when whole.
 * The verifier later moves downloaded/<sha> into its own verified store. */
export class DownloadFiles {
  readonly pending: string;
  readonly downloaded: string;

  constructor(
    readonly dir: string,
    /** The verifier's store: a blob already there need not be fetched again. */
    readonly verified: string,
  ) {
    this.pending = join(dir, "pending");
    this.downloaded = join(dir, "downloaded");
    mkdirSync(this.pending, { recursive: true });
    mkdirSync(this.downloaded, { recursive: true });
  }

  part(sha: string): string {
    return join(this.pending, `${sha}.part`);
  }

  meta(sha: string): string {
    return join(this.pending, `${sha}.meta`);
  }

  done(sha: string): string {
    return join(this.downloaded, sha);
  }

  /** The finished file for `sha`: ours, or already in the verified store. */
  finished(sha: string): { path: string; size: number } | undefined {
    for (const path of [this.done(sha), join(this.verified, sha)]) {
      try {
        const st = statSync(path);
        if (st.isFile()) return { path, size: st.size };
      } catch {
        // not there
      }
    }
    return undefined;
  }

  /** Every sha256 with a file in pending/ or downloaded/. */
  shas(): Set<string> {
    const out = new Set<string>();
    for (const dir of [this.pending, this.downloaded]) {
      for (const f of readdirSync(dir)) {
        const m = /^([0-9a-f]{64})(\.part|\.meta)?$/.exec(f);
        if (m) out.add(m[1] as string);
      }
    }
    return out;
  }
}
