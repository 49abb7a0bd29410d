// ledmanager's planner: what to do about one event, as a pure function of the agent's state. It is
// the only place the state changes; the composition root (index.ts) feeds it events (the socket
// listing, a publisher's setting, the player's tick) on the main loop and runs the actions it
// returns through the executor table. Idempotent: an event that changes nothing returns no action.
import type { LedBlinkCounter } from "@outpost/types";
import { type BlinkStep, blinkPattern, type ChosenCount, chooseBlinkCount, NOTHING_SET } from "./blink.js";

export interface LedState {
  /** Each publisher's LedBlinkCounter (key `global`). */
  settings: ReadonlyMap<string, LedBlinkCounter>;
  /** Publishers already subscribed to (kept when their socket goes: the bus reconnects). */
  subscribed: ReadonlySet<string>;
  /** The count being played, and who set it. */
  playing: ChosenCount;
  /** Where the player is in the pattern of `playing.blinkCount`. */
  step: number;
}

export const initialState: LedState = {
  settings: new Map(),
  subscribed: new Set(),
  playing: NOTHING_SET,
  step: 0,
};

export type LedEvent =
  /** The names of the sockets under run/pubsub/ (discovery). */
  | { kind: "sockets"; names: readonly string[] }
  | { kind: "set"; agent: string; value: LedBlinkCounter }
  | { kind: "unset"; agent: string }
  /** The player's timer: time for the next step of the pattern. */
  | { kind: "tick" };

export type LedAction =
  /** Subscribe to `agent`'s LedBlinkCounter table. */
  | { kind: "subscribe"; agent: string }
  /** The count to play changed: log it and rewrite run/ledmanager/state.json. */
  | { kind: "announce"; playing: ChosenCount }
  /** Set the LED, then wait `step.ms` before the next tick. */
  | { kind: "show"; step: BlinkStep; count: number };

export interface UpdateResult {
  state: LedState;
  actions: LedAction[];
}

export function update(state: LedState, event: LedEvent): UpdateResult {
  switch (event.kind) {
    case "sockets": {
      const fresh = event.names
        .filter((f) => f.endsWith(".sock"))
        .map((f) => f.slice(0, -".sock".length))
        .filter((agent) => !state.subscribed.has(agent));
      if (fresh.length === 0) return { state, actions: [] };
      return {
        state: { ...state, subscribed: new Set([...state.subscribed, ...fresh]) },
        actions: fresh.map((agent) => ({ kind: "subscribe", agent })),
      };
    }
    case "set":
    case "unset": {
      const settings = new Map(state.settings);
      if (event.kind === "set") settings.set(event.agent, event.value);
      else settings.delete(event.agent);
      return choose({ ...state, settings });
    }
    case "tick": {
      // A pattern always has at least one step; `step` is reset whenever the count changes, so the
      // new pattern starts from its first blink and a person counting sees only whole cycles.
      const pattern = blinkPattern(state.playing.blinkCount);
      const step = pattern[state.step % pattern.length] as BlinkStep;
      return {
        state: { ...state, step: (state.step + 1) % pattern.length },
        actions: [{ kind: "show", step, count: state.playing.blinkCount }],
      };
    }
  }
}

/** Recomputes the count to play; a new one restarts the pattern and is announced. */
function choose(state: LedState): UpdateResult {
  const next = chooseBlinkCount(state.settings);
  const same =
    next.blinkCount === state.playing.blinkCount &&
    next.agent === state.playing.agent &&
    next.setAt === state.playing.setAt;
  if (same) return { state, actions: [] };
  const step = next.blinkCount === state.playing.blinkCount ? state.step : 0;
  return { state: { ...state, playing: next, step }, actions: [{ kind: "announce", playing: next }] };
}
