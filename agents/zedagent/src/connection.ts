// The controller connection as a pure planner: what zedagent knows about its link to the controller
// (a state), what just happened (an event: onboarding seen, the poll timer fired, an attestation or a
// config poll answered or failed, a config applied or refused, the checkpoint read), and what to do
// about it (actions, run by controller-link.ts through its executors) plus when to poll next.
// Nothing here does I/O or reads a clock: the time comes with the call, so every path has a unit test.
import type { DecodedConfigResponse } from "@outpost/evecloud";
import { type ErrorInfo, LedCount, makeError, stableError, type ZedAgentStatus } from "@outpost/types";

export type ConfigSource = "controller" | "checkpoint";

export interface Connection {
  /** onboarding: no device UUID yet; connecting: onboarded, no answer yet; connected: the last
   * exchange was answered; offline: the last exchange failed in transport (the config in force stays;
   * with `config: "checkpoint"` it is the kept one: offline-using-checkpoint). */
  phase: "onboarding" | "connecting" | "connected" | "offline";
  /** The integrity token: none, held from an earlier round, or got in this very round (a 403 right
   * after a fresh attestation is not cured by attesting again at once: that retry backs off). */
  token: "none" | "held" | "fresh";
  /** An attestation or a poll is running: the timer firing meanwhile does not start another. */
  busy: boolean;
  /** Where the config in force came from. */
  config: "none" | ConfigSource;
  /** The kept config: not looked at (or not there yet), being read, or unusable (never tried again). */
  checkpoint: "untried" | "loading" | "unusable";
  /** The last config seen was refused and none was applied since (LED error). */
  rejected: boolean;
  /** Why the controller cannot be reached; kept, with its first time, while it stays the same error,
   * so it is logged once per cause rather than on every poll. */
  error?: ErrorInfo;
}

export const initialConnection: Connection = {
  phase: "onboarding",
  token: "none",
  busy: false,
  config: "none",
  checkpoint: "untried",
  rejected: false,
};

/** What happened. `at` times come from the caller (the link), as ISO strings. */
export type ConnEvent =
  | { kind: "onboarded"; uuid: string }
  /** The poll timer fired. */
  | { kind: "poll-due" }
  /** The attestation earned an integrity token (the link holds it). */
  | { kind: "attested" }
  /** A verified, decoded config (HTTP 200). */
  | { kind: "config"; response: DecodedConfigResponse; raw: Uint8Array }
  /** Any other HTTP answer to the config poll: 304 unchanged, 403 token refused, 404 none yet, ... */
  | { kind: "answer"; status: number }
  /** No answer: refused, TLS, timeout, DNS, network. */
  | { kind: "unreachable"; failure: string; message: string }
  /** An answer that does not verify or decode (bad signature, unknown sender, chain, malformed). */
  | { kind: "refused-answer"; code: string; message: string }
  /** An HTTP error from a call that does not say more (attest answered 403/500, certs 404, ...). */
  | { kind: "http-error"; status: number; message: string }
  /** Anything else that went wrong in a poll. */
  | { kind: "failed"; message: string }
  /** The config unit applied a config to the tables. */
  | { kind: "applied"; source: ConfigSource }
  /** The config unit refused a verified config as a whole (does not parse, other device, ...). */
  | { kind: "invalid-config"; source: ConfigSource; message: string }
  /** The checkpoint is not there (yet). */
  | { kind: "checkpoint-none" }
  /** The checkpoint re-verified and decoded. */
  | { kind: "checkpoint"; response: DecodedConfigResponse; raw: Uint8Array }
  /** The checkpoint is there but does not verify or decode. */
  | { kind: "checkpoint-unusable"; code: string; message: string };

export type StatusPatch = Partial<
  Pick<ZedAgentStatus, "state" | "deviceUuid" | "lastPollAt" | "lastPollResult">
>;

export type ConnAction =
  /** Open the session (bootstrap files, device identity) and start the reporting units. */
  | { kind: "start-session"; uuid: string }
  | { kind: "attest" }
  /** POST config with the hash in force and the token held. */
  | { kind: "poll" }
  | { kind: "drop-token" }
  | { kind: "apply"; source: ConfigSource; response: DecodedConfigResponse; raw: Uint8Array }
  | { kind: "load-checkpoint" }
  | { kind: "status"; patch: StatusPatch }
  /** Record a refused config: ZedAgentStatus lastRejected*, rejectedCount, an error log line. */
  | { kind: "reject"; code: string; reason: string; at: string }
  | { kind: "led"; count: number; why: string }
  | { kind: "log"; level: "info" | "warn" | "error"; msg: string; fields: Record<string, unknown> }
  /** The controller answers again after being unreachable: reports waiting out a retry go now. */
  | { kind: "reachable" };

/** When to poll next: at once, after the jittered `timer.config.interval`, or after the link's retry
 * backoff. Absent: this step schedules no poll (one is running, or nothing to poll yet). */
export type NextPoll = "now" | "period" | "backoff";

export interface Step {
  state: Connection;
  actions: ConnAction[];
  next?: NextPoll;
}

const UNREACHABLE_RETRY = "polled again every timer.config.interval; the config in force stays";

/** A config is in force, or the kept one was found unusable: the checkpoint is not (re)tried, and a
 * 304 means "the config in force is current". */
function settled(s: Connection): boolean {
  return s.config !== "none" || s.checkpoint === "unusable";
}

function rejection(s: Connection, code: string, reason: string, at: string): Step {
  return {
    state: { ...s, rejected: true },
    actions: [
      { kind: "reject", code, reason, at },
      { kind: "led", count: LedCount.error, why: `config rejected: ${code}` },
    ],
  };
}

/** The answer arrived (whatever it says): connected again, the unreachable error cleared. */
function answered(s: Connection, at: string, result: string): Step {
  const actions: ConnAction[] = [
    { kind: "status", patch: { state: "connected", lastPollAt: at, lastPollResult: result } },
  ];
  if (s.error)
    actions.push(
      { kind: "log", level: "info", msg: "the controller answers again", fields: {} },
      { kind: "reachable" },
    );
  return { state: { ...s, phase: "connected", busy: false, error: undefined }, actions };
}

export function step(s: Connection, e: ConnEvent, now: Date): Step {
  const at = now.toISOString();
  switch (e.kind) {
    case "onboarded":
      if (s.phase !== "onboarding") return { state: s, actions: [] };
      return {
        state: { ...s, phase: "connecting" },
        actions: [
          {
            kind: "log",
            level: "info",
            msg: "onboarded: polling the controller for config",
            fields: { deviceUuid: e.uuid },
          },
          { kind: "status", patch: { state: "connecting", deviceUuid: e.uuid } },
          { kind: "start-session", uuid: e.uuid },
        ],
        next: "now",
      };

    case "poll-due": {
      if (s.phase === "onboarding" || s.busy) return { state: s, actions: [] };
      const token = s.token === "fresh" ? "held" : s.token;
      return {
        state: { ...s, busy: true, token },
        actions: [{ kind: token === "none" ? "attest" : "poll" }],
      };
    }

    case "attested":
      return { state: { ...s, token: "fresh" }, actions: [{ kind: "poll" }] };

    case "config": {
      const r = answered(s, at, "200");
      r.actions.push({ kind: "apply", source: "controller", response: e.response, raw: e.raw });
      return { ...r, next: "period" };
    }

    case "answer": {
      const r = answered(s, at, String(e.status));
      switch (e.status) {
        case 304:
          if (settled(s))
            r.actions.push({
              kind: "led",
              count: s.rejected ? LedCount.error : LedCount.onboarded,
              why: "config in force",
            });
          return { ...r, next: "period" };
        case 403:
          r.actions.push(
            {
              kind: "log",
              level: "info",
              msg: "config: integrity token refused (403): attesting again",
              fields: {},
            },
            { kind: "drop-token" },
          );
          // A token refused right after it was issued: attesting again at once would spin.
          return {
            state: { ...r.state, token: "none" },
            actions: r.actions,
            next: s.token === "fresh" ? "backoff" : "now",
          };
        case 404:
          r.actions.push(
            {
              kind: "log",
              level: "info",
              msg: "config: the controller has no config for this device yet (404)",
              fields: {},
            },
            { kind: "led", count: LedCount.onboarded, why: "onboarded, no config yet" },
          );
          return { ...r, next: "period" };
        default:
          r.actions.push({
            kind: "log",
            level: "warn",
            msg: `config: unexpected HTTP ${e.status}`,
            fields: { status: e.status },
          });
          return { ...r, next: "period" };
      }
    }

    case "unreachable": {
      const error = stableError(
        s.error,
        makeError(`controller unreachable (${e.failure}): ${e.message}`, {
          severity: "warning",
          retryCondition: UNREACHABLE_RETRY,
          now,
        }),
      );
      const actions: ConnAction[] = [
        {
          kind: "status",
          patch: { state: "offline", lastPollAt: at, lastPollResult: `${e.failure}: ${e.message}` },
        },
      ];
      if (error !== s.error)
        actions.push({
          kind: "log",
          level: "warn",
          msg: `controller unreachable: ${e.message}; the config in force stays`,
          fields: { cause: e.failure },
        });
      actions.push({ kind: "led", count: LedCount.connecting, why: "controller unreachable" });
      let checkpoint = s.checkpoint;
      if (s.config === "none" && s.checkpoint === "untried") {
        checkpoint = "loading";
        actions.push({ kind: "load-checkpoint" });
      }
      return { state: { ...s, phase: "offline", busy: false, error, checkpoint }, actions, next: "period" };
    }

    case "refused-answer": {
      const r = answered(s, at, `rejected: ${e.code}`);
      const rej = rejection(r.state, e.code, e.message, at);
      return { state: rej.state, actions: [...r.actions, ...rej.actions], next: "period" };
    }

    case "http-error": {
      const r = answered(s, at, String(e.status));
      r.actions.push({ kind: "log", level: "warn", msg: e.message, fields: { status: e.status } });
      if (e.status === 401 || e.status === 403) {
        r.actions.push({ kind: "drop-token" });
        r.state = { ...r.state, token: "none" };
      }
      return { ...r, next: "period" };
    }

    case "failed":
      return {
        state: { ...s, busy: false },
        actions: [{ kind: "log", level: "error", msg: "config poll failed", fields: { err: e.message } }],
        next: "period",
      };

    case "applied": {
      const actions: ConnAction[] = [{ kind: "led", count: LedCount.onboarded, why: "config in force" }];
      if (e.source === "checkpoint")
        actions.unshift({
          kind: "log",
          level: "info",
          msg: "applied the checkpointed config (controller unreachable)",
          fields: {},
        });
      const checkpoint = s.checkpoint === "loading" ? "untried" : s.checkpoint;
      return { state: { ...s, config: e.source, rejected: false, checkpoint }, actions };
    }

    case "invalid-config": {
      const rej = rejection(s, "invalid", e.message, at);
      if (e.source === "checkpoint") rej.state = { ...rej.state, checkpoint: "unusable" };
      return rej;
    }

    case "checkpoint-none":
      return { state: { ...s, checkpoint: "untried" }, actions: [] };

    case "checkpoint":
      // A config from the controller may have landed while the kept one was read: it wins.
      if (s.config !== "none") return { state: { ...s, checkpoint: "untried" }, actions: [] };
      return {
        state: s,
        actions: [{ kind: "apply", source: "checkpoint", response: e.response, raw: e.raw }],
      };

    case "checkpoint-unusable": {
      const rej = rejection({ ...s, checkpoint: "unusable" }, e.code, `checkpoint: ${e.message}`, at);
      return rej;
    }
  }
}
