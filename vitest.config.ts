import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**"],
    // Integration tests start real processes, Docker containers and TLS servers.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native addons (zeromq, lmdb) and process-wide state (signals, cwd) are safest in child processes.
    pool: "forks",
    reporters: ["default", "./build/summary-reporter.ts"],
  },
});
