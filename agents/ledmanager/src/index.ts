import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type AgentContext, runAgent } from "@outpost/agentbase";
import { sleep, writeFileDurable } from "@outpost/primitives";
import { LED_BLINK_KEY, LED_BLINK_TOPIC, type LedBlinkCounter, LedBlinkCounterCodec } from "@outpost/types";
import { Option } from "commander";
import { blinkPattern, type ChosenCount, chooseBlinkCount, NOTHING_SET } from "./blink.js";
import { type LedSink, recordingLed, sysfsLed } from "./led-sink.js";

export { blinkPattern, blinksPerCycle, chooseBlinkCount } from "./blink.js";
export { LedTransitionCodec } from "./led-sink.js";

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

async function main(ctx: AgentContext<LedOptions>): Promise<void> {
  const { log, loop, pubsub, signal, options } = ctx;
  const dir = ctx.layout.agentRun(ctx.name);
  mkdirSync(dir, { recursive: true });
  const sink: LedSink = options.led
    ? sysfsLed(options.sysfs, options.led)
    : recordingLed(join(dir, "transitions"));
  const statePath = join(dir, "state.json");

  // Loop-owned state: each publisher's setting, and what is being played.
  const settings = new Map<string, LedBlinkCounter>();
  const subscribed = new Set<string>();
  let playing: ChosenCount = NOTHING_SET;

  const recompute = () => {
    const next = chooseBlinkCount(settings);
    if (
      next.blinkCount === playing.blinkCount &&
      next.agent === playing.agent &&
      next.setAt === playing.setAt
    )
      return;
    playing = next;
    log.info(
      { blinkCount: playing.blinkCount, source: playing.source, setBy: playing.agent, setAt: playing.setAt },
      "blink count",
    );
    writeState();
  };
  // state.json is what diag and tests read: the count being played, who set it, and when.
  const writeState = () =>
    writeFileDurable(statePath, `${JSON.stringify({ ...playing, updatedAt: Date.now() })}\n`);
  writeState();

  const discover = () => {
    let names: string[];
    try {
      names = readdirSync(ctx.layout.pubsubRun);
    } catch {
      return;
    }
    for (const f of names) {
      if (!f.endsWith(".sock")) continue;
      const agent = f.slice(0, -".sock".length);
      if (subscribed.has(agent)) continue;
      subscribed.add(agent);
      log.debug({ publisher: agent }, "watching publisher for LedBlinkCounter");
      // Kept even when the socket goes away: the bus reconnects when that agent restarts, and
      // sweeps its setting if the restarted agent no longer publishes one.
      pubsub.subscribe({
        agent,
        topic: LED_BLINK_TOPIC,
        codec: LedBlinkCounterCodec,
        handlers: {
          create: (key, v) => {
            if (key !== LED_BLINK_KEY) return;
            settings.set(agent, v);
            recompute();
          },
          modify: (key, v) => {
            if (key !== LED_BLINK_KEY) return;
            settings.set(agent, v);
            recompute();
          },
          delete: (key) => {
            if (key !== LED_BLINK_KEY) return;
            settings.delete(agent);
            recompute();
          },
        },
      });
    }
  };

  const discovering = (async () => {
    while (!signal.aborted) {
      await loop.run(discover);
      await sleep(options.discoverMs, signal);
    }
  })();

  log.info({ led: sink.describe }, "playing blink count");
  let lit: boolean | undefined;
  const set = (on: boolean, count: number) => {
    if (on === lit) return;
    lit = on;
    try {
      sink.set(on, count);
    } catch (err) {
      log.warn({ err }, "cannot set LED");
    }
  };
  // The pattern restarts from its first blink when the count changes, so a person counting sees
  // only whole cycles of one count.
  while (!signal.aborted) {
    const count = playing.blinkCount;
    for (const step of blinkPattern(count)) {
      if (signal.aborted || playing.blinkCount !== count) break;
      set(step.on, count);
      await sleep(step.ms, signal);
    }
  }
  set(false, playing.blinkCount);
  await discovering;
}
