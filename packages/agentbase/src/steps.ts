// One way from a planner's action list to the code that carries it out. A planner returns a union of
// actions tagged by `kind`; an agent writes one executor per kind in an `Executors` table. A kind with
// no executor, or an executor that takes the wrong action, does not compile.

/** The action of `A` whose `kind` is `K`. */
export type ActionOf<A extends { kind: string }, K extends A["kind"]> = Extract<A, { kind: K }>;

/** One executor per action kind. `C` is the context every executor gets after the action (the app's
 * uuid, a record, ...); `R` is what each returns (void, or a Promise, or "did it change anything"). */
export type Executors<A extends { kind: string }, C extends unknown[] = [], R = void> = {
  [K in A["kind"]]: (action: ActionOf<A, K>, ...context: C) => R;
};

/** Runs the executor for one action. `K` is the action's own kind: indexing the table by it is how
 * TypeScript knows that `executors[action.kind]` takes `action`, so there is no cast anywhere. */
export function runStep<A extends { kind: string }, K extends A["kind"], C extends unknown[], R>(
  executors: Executors<A, C, R>,
  action: ActionOf<A, K> & { kind: K },
  ...context: C
): R {
  const run: Executors<A, C, R>[K] = executors[action.kind];
  return run(action, ...context);
}

/** Runs the executors for every action in order, each after the previous one finished. */
export async function runSteps<A extends { kind: string }, K extends A["kind"], C extends unknown[], R>(
  executors: Executors<A, C, R | Promise<R>>,
  actions: readonly (ActionOf<A, K> & { kind: K })[],
  ...context: C
): Promise<R[]> {
  const out: R[] = [];
  for (const a of actions) out.push(await runStep(executors, a, ...context));
  return out;
}
