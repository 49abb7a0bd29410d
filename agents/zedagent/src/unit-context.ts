import type { AgentContext } from "@outpost/agentbase";

/** What every zedagent unit gets from the composition root: the main loop its timers post to, the
 * worker pool its I/O runs in (results come back as loop tasks), and the log. */
export type UnitContext = Pick<AgentContext<unknown>, "loop" | "work" | "log">;
