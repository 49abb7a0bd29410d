import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** persist/downloader/{pending,downloaded}: a blob is fetched into pending/<sha>.part (with
 * pending/<sha>.meta naming the URL and ETag it came from) and renamed to downloaded/<sha> when whole.
 * The verifier later takes downloaded/<sha> (moves it into its store): DownloaderStatus says where the
 * file is and who owns it, VerifyImageStatus tells us when the verifier has it. */
export class DownloadFiles {
  readonly pending: string;
  readonly downloaded: string;

  constructor(readonly dir: string) {
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

  /** Our finished file for `sha`, if it is (still) here. */
  finished(sha: string): { path: string; size: number } | undefined {
    const path = this.done(sha);
    try {
      const st = statSync(path);
      return st.isFile() ? { path, size: st.size } : undefined;
    } catch {
      return undefined; // not there
    }
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
