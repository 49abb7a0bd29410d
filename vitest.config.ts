import { defineConfig } from "vitest/config";

// Two projects. `unit`: pure planners, codecs, in-process stores and the pubsub contract over the memory
// transport; no Docker, no child processes, no sockets; the whole project runs in well under a minute
// (`make test-unit`). `integration`: everything else (real processes from dist/bin, ZeroMQ, Docker,
// TLS servers). A test file belongs to `unit` only when it is listed here; a new file lands in
// `integration` until someone checks it needs none of those and lists it.
const UNIT = [
  "agents/localapi/test/parsers.test.ts",
  "agents/watchdog/test/operate.test.ts",
  "agents/diag/test/render.test.ts",
  "agents/baseosmgr/test/plan.test.ts",
  "agents/controller/test/auth.test.ts",
  "agents/controller/test/config-doc.test.ts",
  "agents/controller/test/device-api.test.ts",
  "agents/controller/test/logs.test.ts",
  "agents/controller/test/inventory-filter.test.ts",
  "agents/controller/test/inventory-model.test.ts",
  "agents/controller/test/rollout-plan.test.ts",
  "agents/controller/test/networks.test.ts",
  "agents/domainmgr/test/networks.test.ts",
  "agents/domainmgr/test/update.test.ts",
  "agents/downloader/test/retry-timer.test.ts",
  "agents/downloader/test/plan.test.ts",
  "agents/ledmanager/test/blink.test.ts",
  "agents/ledmanager/test/update.test.ts",
  "agents/loguploader/test/plan.test.ts",
  "agents/newlogd/test/parse.test.ts",
  "agents/newlogd/test/plan.test.ts",
  "agents/nim/test/sources.test.ts",
  "agents/nim/test/update.test.ts",
  "agents/nim/test/wire.test.ts",
  "agents/nodeagent/test/plan.test.ts",
  "agents/outpost/src/dispatch.test.ts",
  "agents/verifier/test/plan.test.ts",
  "agents/volumemgr/test/docker-facts.test.ts",
  "agents/volumemgr/test/jobs.test.ts",
  "agents/volumemgr/test/planner.test.ts",
  "agents/watchdog/test/policy.test.ts",
  "agents/zedagent/test/connection.test.ts",
  "agents/zedagent/test/local-items.test.ts",
  "agents/zedagent/test/metrics.test.ts",
  "agents/zedagent/test/network-instances.test.ts",
  "agents/zedagent/test/newlog-metrics.test.ts",
  "agents/zedagent/test/parse.test.ts",
  "agents/zedmanager/test/networks.test.ts",
  "agents/zedagent/test/port-config.test.ts",
  "agents/zedmanager/test/update.test.ts",
  "agents/zedmanager/test/user-data.test.ts",
  "agents/zedmanager/test/zedmanager.memory.test.ts",
  "agents/zedrouter/test/update.test.ts",
  "agents/mqttagent/test/plan.test.ts",
  "build/layers.test.ts",
  "packages/agentbase/test/keyed-jobs.test.ts",
  "packages/agentbase/test/log-level.test.ts",
  "packages/agentbase/test/steps.test.ts",
  "packages/agentbase/test/touch.test.ts",
  "packages/agentbase/test/wake-timer.test.ts",
  "packages/agentbase/test/worker-pool.test.ts",
  "packages/datastore/test/url-auth.test.ts",
  "packages/datastore/test/proxy-route.test.ts",
  "packages/primitives/test/backoff.test.ts",
  "packages/evecloud/test/envelope.test.ts",
  "packages/evecloud/test/proto-facts.test.ts",
  "packages/evecloud/test/proto-wire.test.ts",
  "pubsub/test/wire.test.ts",
  "types/test/codec.test.ts",
  "types/test/error.test.ts",
];
// The pubsub contract runs in both projects: over the memory transport in `unit`, over ZeroMQ (unix
// sockets, one per publisher) in `integration`; pubsub/test/harness.ts reads OUTPOST_TEST_TRANSPORTS.
const CONTRACT = "pubsub/test/contract.test.ts";

export default defineConfig({
  // SQL migrations are imported as their text, as esbuild's text loader does in the bundle.
  plugins: [
    {
      name: "sql-text",
      transform: (code: string, id: string) =>
        id.endsWith(".sql") ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined,
    },
  ],
  test: {
    exclude: ["**/node_modules/**", "dist/**"],
    // Native addons (zeromq, lmdb) and process-wide state (signals, cwd) are safest in child processes.
    pool: "forks",
    // One file at a time. Two at a time on two cores took make test from 10.6 to 7.5 min in vitest,
    // but it brought out timing races in tests (two found and fixed, e.g. a transient status read as
    // the final one); it comes back once the integration suite has been run that way long enough.
    maxWorkers: 1,
    reporters: ["default", "./build/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [...UNIT, CONTRACT],
          env: { OUTPOST_TEST_TRANSPORTS: "memory" },
          // Pure code, no process-wide state left behind: the files share one worker process instead
          // of a new one each (the fork and module start-up were most of this project's time).
          isolate: false,
          // Nothing here waits on a process or an engine: a test that needs longer is stuck.
          testTimeout: 10_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.test.ts"],
          exclude: ["**/node_modules/**", "dist/**", ...UNIT],
          env: { OUTPOST_TEST_TRANSPORTS: "zeromq" },
          // These start agents from dist/bin, Docker containers (image loads, container starts) and TLS
          // servers on a shared 2-core machine; the slowest single steps take tens of seconds there.
          // Tests that run longer still (end-to-end deploys) set their own timeout and say why.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
