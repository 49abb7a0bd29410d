// ledmanager: plays the device's blink count on an LED. The smallest agent, and the worked example
// of docs/agent-anatomy.md: flags -> composition root (main) -> events -> pure planner (update.ts)
// -> executors; timers post events onto the main loop, the directory listing runs in the worker pool.
import { mkdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type AgentContext, type Executors, runAgent, runStep } from "@outpost/agentbase";
import { sleep, writeFileDurable } from "@outpost/primitives";
import { LED_BLINK_KEY, LED_BLINK_TOPIC, type LedBlinkCounter, LedBlinkCounterCodec } from "@outpost/types";
import { Option } from "commander";
import { type ChosenCount, DEFAULT_TIMING } from "./blink.js";
import { type LedSink, recordingLed, sysfsLed } from "./led-sink.js";
import { initialState, type LedAction, type LedEvent, type LedState, update } from "./update.js";

export { blinkPattern, blinksPerCycle, chooseBlinkCount } from "./blink.js";
export { LedTransitionCodec } from "./led-sink.js";
export { initialState, type LedAction, type LedEvent, type LedState, update } from "./update.js";

interface LedOptions {
  led?: string;
  sysfs: string;
  discoverMs: number;
}

// Publishers appear as sockets run/pubsub/<agent>.sock; a new one is found within this period.
const DISCOVER_MS = 2000;

export function run(argv: string[]): Promise<number> {
  return runAgent<LedOptions>(
    {
      name: "ledmanager",
      description: "Plays the device's blink count (LedBlinkCounter) on an LED",
      options: (cmd) =>
        cmd
          .option(
            "--led <name>",
            "LED under <sysfs>/class/leds/ (default: record transitions in run/ledmanager/)",
          )
          .addOption(new Option("--sysfs <dir>", "sysfs mount point").default("/sys"))
          .addOption(
            new Option("--discover-ms <ms>", "publisher discovery period")
              .default(String(DISCOVER_MS))
              .hideHelp(),
          ),
      parse: (raw) => ({
        led: typeof raw.led === "string" ? raw.led : undefined,
        sysfs: String(raw.sysfs),
        discoverMs: Number(raw.discoverMs) || DISCOVER_MS,
      }),
      main,
    },
    argv,
  );
}

// The composition root: builds the LED sink, the state, the executors and the two timers, and wires
// them together. Every change of state goes through `update` (update.ts), on the main loop.
async function main(ctx: AgentContext<LedOptions>): Promise<void> {
  const { log, loop, pubsub, signal, options } = ctx;
  const dir = ctx.layout.agentRun(ctx.name);
  mkdirSync(dir, { recursive: true });
  const led = showOnce(
    options.led ? sysfsLed(options.sysfs, options.led) : recordingLed(join(dir, "transitions")),
    (err) => log.warn({ err }, "cannot set LED"),
  );
  const statePath = join(dir, "state.json");
  // state.json is what diag and tests read: the count being played, who set it, and when.
  const writeState = (playing: ChosenCount) =>
    writeFileDurable(statePath, `${JSON.stringify({ ...playing, updatedAt: Date.now() })}\n`);

  // Loop-owned: changed only by `apply`, which runs on the main loop.
  let state: LedState = initialState;
  const apply = (event: LedEvent): LedAction[] => {
    const r = update(state, event);
    state = r.state;
    for (const action of r.actions) runStep(executors, action);
    return r.actions;
  };

  const executors: Executors<LedAction> = {
    subscribe: ({ agent }) => {
      log.debug({ publisher: agent }, "watching publisher for LedBlinkCounter");
      // Kept even when the socket goes away: the bus reconnects when that agent restarts, and
      // sweeps its setting if the restarted agent no longer publishes one.
      const set = (key: string, value: LedBlinkCounter) => {
        if (key === LED_BLINK_KEY) apply({ kind: "set", agent, value });
      };
      pubsub.subscribe({
        agent,
        topic: LED_BLINK_TOPIC,
        codec: LedBlinkCounterCodec,
        handlers: {
          create: set,
          modify: set,
          delete: (key) => {
            if (key === LED_BLINK_KEY) apply({ kind: "unset", agent });
          },
        },
      });
    },
    announce: ({ playing }) => {
      log.info(
        {
          blinkCount: playing.blinkCount,
          source: playing.source,
          setBy: playing.agent,
          setAt: playing.setAt,
        },
        "blink count",
      );
      writeState(playing);
    },
    show: ({ step, count }) => led.show(step.on, count),
  };

  writeState(state.playing);
  log.info({ led: led.describe }, "playing blink count");

  // Timer 1, discovery: lists run/pubsub/ off the main loop; the listing is an event on the loop.
  const discovering = (async () => {
    while (!signal.aborted) {
      ctx.work(
        () => readdir(ctx.layout.pubsubRun),
        (r) => {
          if (r.ok) apply({ kind: "sockets", names: r.value });
          else log.debug({ err: r.error }, "cannot list publishers");
        },
      );
      await sleep(options.discoverMs, signal);
    }
  })();

  // Timer 2, the player: each tick is an event on the loop; it waits as long as the step shown says.
  while (!signal.aborted) {
    const actions = await loop.run(() => apply({ kind: "tick" }));
    const shown = actions.find((a) => a.kind === "show");
    await sleep(shown?.kind === "show" ? shown.step.ms : DEFAULT_TIMING.pauseMs, signal);
  }
  led.show(false, state.playing.blinkCount);
  await discovering;
}

/** The sink, written only when the LED is to change (a pattern of one off step, count 0, writes once),
 * and never throwing: a failed write is reported and the next step tries again. */
function showOnce(sink: LedSink, onError: (err: unknown) => void) {
  let lit: boolean | undefined;
  return {
    describe: sink.describe,
    show(on: boolean, count: number) {
      if (on === lit) return;
      try {
        sink.set(on, count);
        lit = on;
      } catch (err) {
        onError(err);
      }
    },
  };
}
