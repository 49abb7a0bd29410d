import { describe, expect, it } from "vitest";
import { blinkPattern, blinksPerCycle, chooseBlinkCount, DEFAULT_TIMING } from "../src/blink.js";

describe("blinkPattern", () => {
  it("plays N short blinks then the long pause", () => {
    expect(blinkPattern(3)).toEqual([
      { on: true, ms: 200 },
      { on: false, ms: 200 },
      { on: true, ms: 200 },
      { on: false, ms: 200 },
      { on: true, ms: 200 },
      { on: false, ms: 1400 },
    ]);
  });

  it("one cycle of count N lasts N*(on+off) + pause", () => {
    for (const n of [1, 2, 4, 10]) {
      const total = blinkPattern(n).reduce((s, x) => s + x.ms, 0);
      expect(total).toBe(n * (DEFAULT_TIMING.onMs + DEFAULT_TIMING.offMs) + DEFAULT_TIMING.pauseMs);
      expect(blinkPattern(n).filter((s) => s.on)).toHaveLength(n);
    }
  });

  it("nothing set keeps the LED off", () => {
    expect(blinkPattern(0)).toEqual([{ on: false, ms: 1200 }]);
  });
});

describe("chooseBlinkCount", () => {
  const v = (blinkCount: number, setAt: number) => ({ blinkCount, source: "x", setAt });

  it("is the latest setting across publishers", () => {
    expect(
      chooseBlinkCount([
        ["zedagent", v(4, 100)],
        ["nim", v(2, 300)],
        ["client", v(3, 200)],
      ]),
    ).toMatchObject({ blinkCount: 2, agent: "nim" });
  });

  it("on a tie the higher (error) count wins", () => {
    expect(
      chooseBlinkCount([
        ["a", v(4, 5)],
        ["b", v(10, 5)],
      ]),
    ).toMatchObject({ blinkCount: 10, agent: "b" });
  });

  it("no usable IP (1) is played over the connection stages set later, not over an error", () => {
    expect(
      chooseBlinkCount([
        ["nim", v(1, 100)],
        ["zedagent", v(2, 300)],
      ]),
    ).toMatchObject({ blinkCount: 1, agent: "nim" });
    expect(
      chooseBlinkCount([
        ["nim", v(1, 100)],
        ["zedagent", v(10, 300)],
      ]),
    ).toMatchObject({ blinkCount: 10, agent: "zedagent" });
  });

  it("nothing set plays 0", () => {
    expect(chooseBlinkCount([])).toMatchObject({ blinkCount: 0 });
  });
});

describe("blinksPerCycle", () => {
  it("reads back the count from recorded transitions", () => {
    let at = 0;
    const transitions: { at: number; on: boolean }[] = [];
    for (let cycle = 0; cycle < 3; cycle++)
      for (const step of blinkPattern(3)) {
        transitions.push({ at, on: step.on });
        at += step.ms;
      }
    expect(blinksPerCycle(transitions, 800)).toEqual([3, 3, 3]);
  });
});
