import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends a run with one plain line, `N passed, N failed`, that CI logs and scripts can grep; vitest's own
 * summary (kept beside this reporter) is coloured and laid out for people. A test file that failed to
 * load counts as one failure, so a broken import can never read as "0 failed".
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let brokenFiles = 0;
    for (const testModule of testModules) {
      let failedHere = 0;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedHere++;
        else skipped++;
      }
      // Errors outside any test (import failure, a throwing beforeAll) leave the module failed.
      if (failedHere === 0 && testModule.state() === "failed") {
        brokenFiles++;
        failedHere = 1;
      }
      failed += failedHere;
    }
    failed += unhandledErrors.length;
    const notes = [
      skipped > 0 ? `${skipped} skipped` : "",
      brokenFiles > 0 ? `${brokenFiles} test file(s) failed outside a test` : "",
      unhandledErrors.length > 0 ? `${unhandledErrors.length} unhandled error(s)` : "",
    ].filter((note) => note !== "");
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
    if (notes.length > 0) process.stdout.write(`(${notes.join("; ")})\n`);
  }
}
