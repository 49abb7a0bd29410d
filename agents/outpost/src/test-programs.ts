// Programs for tests only. They are not in `registry`: the shipped bundle's entry (main.ts) never
// imports this file, so none of their code is in dist/. The test bundle's entry (main-test.ts, built
// by `node build/bundle.mjs --test` into dist-test/) adds them; testkit builds it when a test needs it.
import type { RegistryEntry } from "./registry.js";

export const testPrograms: readonly RegistryEntry[] = [
  {
    name: "fixture",
    kind: "agent",
    summary: "test agent that publishes and subscribes on demand, for end-to-end tests",
    testOnly: true,
    load: () => import("@outpost/fixture"),
  },
];
