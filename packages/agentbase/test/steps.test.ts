import { describe, expect, it } from "vitest";
import { type Executors, runStep, runSteps } from "../src/steps.js";

type Action =
  | { kind: "create"; name: string }
  | { kind: "remove"; id: number }
  | { kind: "wait"; ms: number };

describe("runStep / runSteps", () => {
  it("calls the executor of each action's kind with the action and the context, in order", async () => {
    const calls: string[] = [];
    const executors: Executors<Action, [string], Promise<boolean>> = {
      create: async (a, app) => {
        calls.push(`${app}:create ${a.name}`);
        return true;
      },
      remove: async (a, app) => {
        calls.push(`${app}:remove ${a.id}`);
        return false;
      },
      wait: async (a, app) => {
        await new Promise((r) => setTimeout(r, a.ms));
        calls.push(`${app}:waited`);
        return true;
      },
    };
    const actions: Action[] = [
      { kind: "wait", ms: 5 },
      { kind: "create", name: "c1" },
      { kind: "remove", id: 3 },
    ];
    expect(await runSteps(executors, actions, "app1")).toEqual([true, true, false]);
    // The wait finished before the create started: steps run one after the other.
    expect(calls).toEqual(["app1:waited", "app1:create c1", "app1:remove 3"]);
  });

  it("runStep returns what the executor returns", () => {
    const executors: Executors<Action, [], number> = {
      create: (a) => a.name.length,
      remove: (a) => a.id,
      wait: (a) => a.ms,
    };
    const a: Action = { kind: "remove", id: 42 };
    expect(runStep(executors, a)).toBe(42);
  });
});
