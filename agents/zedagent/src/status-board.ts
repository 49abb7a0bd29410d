// zedagent's own status tables: ZedAgentStatus (how the controller connection and the config stand)
// and its LedBlinkCounter. Every unit writes its part through here, on the main loop.
import type { Publication } from "@outpost/pubsub";
import {
  LED_BLINK_KEY,
  type LedBlinkCounter,
  ZEDAGENT_STATUS_KEY,
  type ZedAgentStatus,
  ZedAgentStatusCodec,
} from "@outpost/types";

export class StatusBoard {
  private status: ZedAgentStatus = ZedAgentStatusCodec.decode({ state: "waiting-onboarding" });
  private ledCount = -1;

  constructor(
    private readonly pub: Publication<ZedAgentStatus>,
    private readonly ledPub: Publication<LedBlinkCounter>,
    /** Info reports waiting in the queue, shown with every status change. */
    private readonly pending: () => number,
  ) {}

  get current(): ZedAgentStatus {
    return this.status;
  }

  async set(patch: Partial<ZedAgentStatus>): Promise<void> {
    this.status = { ...this.status, ...patch, pendingReports: this.pending() };
    await this.pub.set(ZEDAGENT_STATUS_KEY, this.status);
  }

  async led(count: number, why: string): Promise<void> {
    if (count === this.ledCount) return;
    this.ledCount = count;
    await this.ledPub.set(LED_BLINK_KEY, {
      blinkCount: count,
      source: `zedagent: ${why}`,
      setAt: Date.now(),
    });
  }

  /** Both tables hold their one key from the start: complete (pubsub's restart barrier). */
  signalRestarted(): void {
    this.pub.signalRestarted();
    this.ledPub.signalRestarted();
  }
}
