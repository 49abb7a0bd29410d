import { defineConfig } from "vitest/config";

// Three projects, run one after another (sequence.groupOrder). `unit`: pure planners, codecs,
// in-process stores and the pubsub contract over the memory transport; no Docker, no child processes,
// no sockets; the whole project runs in well under a minute (`make test-unit`). `integration`:
// everything else (real processes from dist/bin, ZeroMQ, Docker, TLS servers), two files at a time (see below).
// `serial`: the integration files listed in SERIAL, one at a time with nothing beside them. A test file
// belongs to `unit` only when it is listed here; a new file lands in `integration` until someone checks
// it needs none of those and lists it.
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

// Integration files that run alone (the `serial` project, after the others) because what they assert
// is a matter of timing on the whole machine, or they load it far beyond one file's share: a Docker
// engine of their own inside a network namespace, restarted mid-test (dockerd with iptables, several
// containers); the watchdog's stale-touch detection (a touch file older than its limit), which a second
// busy file on two cores could make late. Nodes rebooted through outpost-boot run two at a time: their
// test windows are tens of seconds and they never share a root.
const SERIAL = [
  "agents/zedrouter/test/network-instances.process.test.ts",
  "build/init/test/watchdog.test.ts",
];
// These start agents from dist/bin, Docker containers (image loads, container starts) and TLS servers
// on a shared 2-core machine; the slowest single steps take tens of seconds there. Tests that run
// longer still (end-to-end deploys) set their own timeout and say why.
const INTEGRATION_TIMEOUTS = { testTimeout: 60_000, hookTimeout: 60_000 };

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
    // Two files at a time for `integration` (each project sets its own). One file at a time, make test
    // took 12.3 min in vitest on this 2-core machine; two at a time 6.2-6.6 min at load 1-5 and 9.0-9.3
    // min at load 3-8.5 (the machine shared with other work). Races that a loaded machine brought out were fixed where they were: a transient status
    // read as the final one (zedmanager e2e-errors), and outpost-boot's stop racing a start still under
    // way (baseosmgr power-cut e2e; outpost-boot now takes a lock).
    maxWorkers: 2,
    reporters: ["default", "./build/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [...UNIT, CONTRACT],
          // First, on its own: one worker process takes every file (isolate false below).
          sequence: { groupOrder: 0 },
          maxWorkers: 1,
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
          exclude: ["**/node_modules/**", "dist/**", ...UNIT, ...SERIAL],
          env: { OUTPOST_TEST_TRANSPORTS: "zeromq" },
          // Second, two files at a time: that nearly halves the wall time (these mostly wait on
          // processes, the engine and timers; every file has its own nodes, containers, images,
          // namespaces and temp roots). The load it adds brought out a race in the app pipeline, now
          // fixed: volumemgr withdrew a VerifyImageConfig when the downloader's "file gone" reached it
          // before the verifier's answer (agents/volumemgr/README.md).
          sequence: { groupOrder: 1 },
          maxWorkers: 2,
          ...INTEGRATION_TIMEOUTS,
        },
      },
      {
        extends: true,
        test: {
          name: "serial",
          include: SERIAL,
          env: { OUTPOST_TEST_TRANSPORTS: "zeromq" },
          // Last, one file at a time, nothing beside them (see SERIAL).
          sequence: { groupOrder: 2 },
          maxWorkers: 1,
          ...INTEGRATION_TIMEOUTS,
        },
      },
    ],
  },
});
