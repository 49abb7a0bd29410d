// ledmanager's planner on its own: events in, state and actions out.
import { describe, expect, it } from "vitest";
import { blinkPattern } from "../src/blink.js";
import { initialState, type LedEvent, type LedState, update } from "../src/update.js";

/** Feeds events in order; returns the final state and every action, in order. */
function run(events: LedEvent[], from: LedState = initialState) {
  let state = from;
  const actions = [];
  for (const e of events) {
    const r = update(state, e);
    state = r.state;
    actions.push(...r.actions);
  }
  return { state, actions };
}

const setting = (blinkCount: number, setAt: number) => ({ blinkCount, source: `set ${blinkCount}`, setAt });
const ticks = (n: number): LedEvent[] => Array.from({ length: n }, () => ({ kind: "tick" }));

describe("ledmanager update", () => {
  it("subscribes to each new publisher socket once", () => {
    const { state, actions } = run([
      { kind: "sockets", names: ["zedagent.sock", "client.sock", "notes.txt"] },
      { kind: "sockets", names: ["zedagent.sock", "client.sock", "nim.sock"] },
      // A socket that went away stays subscribed (the bus reconnects when the agent is back).
      { kind: "sockets", names: [] },
    ]);
    expect(actions).toEqual([
      { kind: "subscribe", agent: "zedagent" },
      { kind: "subscribe", agent: "client" },
      { kind: "subscribe", agent: "nim" },
    ]);
    expect([...state.subscribed].sort()).toEqual(["client", "nim", "zedagent"]);
  });

  it("announces the latest setting across publishers, and nothing when it is unchanged", () => {
    const { state, actions } = run([
      { kind: "set", agent: "zedagent", value: setting(4, 100) },
      { kind: "set", agent: "client", value: setting(3, 50) }, // older: 4 stays
      { kind: "set", agent: "nim", value: setting(2, 300) },
      { kind: "unset", agent: "nim" }, // back to zedagent's 4
    ]);
    expect(actions.map((a) => a.kind === "announce" && [a.playing.blinkCount, a.playing.agent])).toEqual([
      [4, "zedagent"],
      [2, "nim"],
      [4, "zedagent"],
    ]);
    expect(state.playing).toMatchObject({ blinkCount: 4, agent: "zedagent", setAt: 100 });
  });

  it("plays the pattern step by step, over and over", () => {
    const { actions } = run([
      { kind: "set", agent: "a", value: setting(2, 1) },
      ...ticks(2 * blinkPattern(2).length),
    ]);
    const shown = actions.flatMap((a) => (a.kind === "show" ? [[a.step.on, a.step.ms, a.count]] : []));
    const cycle = [
      [true, 200, 2],
      [false, 200, 2],
      [true, 200, 2],
      [false, 1400, 2],
    ];
    expect(shown).toEqual([...cycle, ...cycle]);
  });

  it("starts a new count from its first blink; the same count set again goes on where it was", () => {
    const playing3 = run([{ kind: "set", agent: "a", value: setting(3, 1) }, ...ticks(3)]);
    expect(playing3.state.step).toBe(3);
    const same = update(playing3.state, { kind: "set", agent: "b", value: setting(3, 2) });
    expect(same.actions).toEqual([{ kind: "announce", playing: expect.objectContaining({ agent: "b" }) }]);
    expect(same.state.step).toBe(3);
    const other = run([{ kind: "set", agent: "b", value: setting(10, 2) }, ...ticks(1)], playing3.state);
    expect(other.state.step).toBe(1);
    expect(other.actions.at(-1)).toEqual({ kind: "show", step: { on: true, ms: 200 }, count: 10 });
  });

  it("with nothing set, keeps the LED off", () => {
    const { actions } = run(ticks(3));
    expect(actions).toEqual(ticks(3).map(() => ({ kind: "show", step: { on: false, ms: 1200 }, count: 0 })));
  });
});
