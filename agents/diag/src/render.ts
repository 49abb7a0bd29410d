// The summary as text: pure, from NodeFacts to lines of at most `width` columns. A line's first word
// is its subject ("Onboarding:", "App", "Download", ...), so a reader (or a test) finds a fact by
// the line that starts with it, whatever the layout around it.
import type { NodeFacts } from "@outpost/nodefacts";
import type { ErrorInfo } from "@outpost/types";

export interface RenderOptions {
  width: number;
  /** Colour codes for a terminal (errors red, healthy green); never for a file or a pipe. */
  colour: boolean;
  /** Shown in the header. */
  root: string;
}

const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const RESET = "\x1b[0m";

type Tone = "plain" | "bad" | "good";
interface Line {
  text: string;
  tone: Tone;
}

/** The summary's lines, without the header (the header carries the time, which changes every time:
 * diag compares bodies to know whether something changed). */
export function renderBody(f: NodeFacts): Line[] {
  const out: Line[] = [];
  const say = (text: string, tone: Tone = "plain") => out.push({ text, tone });

  // Identity and onboarding.
  const uuid = f.onboarding?.deviceUuid || f.zedagent?.deviceUuid;
  if (f.onboarding) say(`Onboarding: onboarded, device ${f.onboarding.deviceUuid}`, "good");
  else if (uuid) say(`Onboarding: onboarded, device ${uuid}`, "good");
  else say("Onboarding: not onboarded yet (no OnboardingStatus from client)", "bad");
  if (f.onboarding?.server) say(`Controller: ${f.onboarding.server}`);

  // Controller connection, as zedagent sees it.
  const z = f.zedagent;
  if (!z) say("Controller link: unknown (zedagent not running)", "bad");
  else {
    const poll = z.lastPollAt
      ? `, last poll ${hhmmss(z.lastPollAt)} ${z.lastPollResult ?? ""}`.trimEnd()
      : "";
    const tone: Tone = z.state === "connected" ? "good" : z.state === "offline" ? "bad" : "plain";
    say(`Controller link: ${z.state}${poll}`, tone);
  }
  const reachable = z?.state === "connected";

  // Ports: nim's view when it runs, else the host's interfaces.
  if (f.network) {
    // nim without --ports only observes the host's links: it applies no port configuration.
    say(
      f.network.dpcKey
        ? `Network: ${f.network.state}, port config ${f.network.dpcKey} (index ${f.network.currentIndex})`
        : "Network: observed only (nim manages no port here)",
    );
    for (const p of f.network.ports) {
      const addrs = p.addrs.length ? p.addrs.join(" ") : "no address";
      const role = p.isMgmt ? "mgmt" : "app";
      const ctrl = !p.isMgmt
        ? ""
        : p.error
          ? `, controller unreachable: ${p.error}`
          : reachable
            ? ", controller reachable"
            : ", controller not reached";
      say(
        `Port ${p.ifname} (${p.logicalLabel}, ${role}) ${p.up ? "up" : "down"} ${p.dhcp}: ${addrs}${ctrl}`,
        p.error || !p.up ? "bad" : "plain",
      );
    }
  } else {
    say("Network: nim not running; ports as the host reports them");
    for (const i of f.hostInterfaces) say(`Port ${i.ifname}: ${i.addrs.join(" ")}`);
    if (f.hostInterfaces.length === 0) say("Port: none with an address", "bad");
    if (z)
      say(
        `Controller reachable: ${reachable ? "yes" : "no"} (zedagent's last poll)`,
        reachable ? "good" : "bad",
      );
  }

  // Proxy and time.
  const proxies = (f.network?.ports ?? []).filter((p) => p.proxy).map((p) => `${p.ifname} ${p.proxy?.url}`);
  if (proxies.length) say(`Proxy: ${proxies.join(", ")}`);
  else if (f.envProxy) say(`Proxy: ${f.envProxy} (from the environment)`);
  else say("Proxy: none");
  if (f.network?.ntp)
    say(
      `Time sync: synced with ${f.network.ntp.server} at ${hhmmss(f.network.ntp.syncedAt)}, offset ${f.network.ntp.offsetMs} ms`,
      "good",
    );
  else if (f.network && !f.network.dpcKey) say("Time sync: the host's (nim manages no port here)");
  else if (f.network) say("Time sync: not synced yet", "bad");
  else say("Time sync: unknown (nim not running)");

  // Config.
  if (z) {
    if (z.configSource === "none") say("Config: none received yet");
    else
      say(
        `Config: version ${z.configVersion || "?"} from ${z.configSource}, applied ${z.configAppliedAt ? when(z.configAppliedAt) : "?"}`,
      );
    if (z.lastRejectedAt)
      say(`Config rejected: ${when(z.lastRejectedAt)} ${z.lastRejectedReason ?? ""}`.trimEnd(), "bad");
  }

  // Device life cycle.
  if (f.nodeagent) {
    const n = f.nodeagent;
    const pending = n.pending ? `, ${n.pending.op} pending (${n.pending.phase}, ${n.pending.detail})` : "";
    say(`Device: ${n.state}, booted ${when(n.bootedAt)} (${n.bootReason})${pending}`);
    if (n.error) say(`Device error: ${errorText(n.error)}`, "bad");
  }

  // Apps.
  say(`Apps: ${f.apps.length}${f.apps.length ? "" : " (none configured)"}`);
  for (const a of f.apps) {
    const progress = a.progress > 0 && a.progress < 100 && !a.error ? ` ${a.progress}%` : "";
    say(
      `App ${a.displayName} ${a.state}${progress}${a.activated ? "" : " (not activated)"}`,
      a.error ? "bad" : "plain",
    );
    if (a.error) say(`  error: ${errorText(a.error)}`, "bad");
  }

  // Downloads in progress.
  for (const d of f.downloads) {
    const size = d.totalSize ? ` of ${bytes(d.totalSize)}` : "";
    say(
      `Download ${d.sha256.slice(0, 12)} ${d.state} ${d.progress}%${size}${d.error ? `: ${errorText(d.error)}` : ""}`,
      d.error ? "bad" : "plain",
    );
  }

  // Base OS.
  if (f.baseos.length === 0) say("Base OS: unknown (baseosmgr not running)");
  for (const b of f.baseos) {
    const sub = b.subStatus !== "NONE_SUBSTATUS" ? ` ${b.subStatus}` : "";
    const pct = b.progress > 0 && b.progress < 100 ? ` ${b.progress}%` : "";
    say(
      `Base OS ${b.slot}: ${b.version || "(empty)"} ${b.partitionState}${b.activated ? " (running)" : ""} ${b.userStatus}${sub}${pct}`,
      b.error ? "bad" : "plain",
    );
    if (b.error) say(`  error: ${errorText(b.error)}`, "bad");
  }

  // Agents the watchdog restarted recently, and the ones it gave up on.
  for (const w of f.watchdog)
    if (w.state !== "running")
      say(
        `Agent ${w.agent}: ${w.state}${w.lastCause ? ` (${w.lastCause})` : ""}, ${w.restarts} restarts`,
        "bad",
      );
  for (const e of f.recentRestarts)
    say(`Watchdog ${e.action} ${e.agent} at ${hhmmss(e.time)}: ${e.cause}, ${e.details}`, "bad");
  if (f.recentRestarts.length === 0) say("Watchdog: no agent restarted recently", "good");

  // Disk.
  if (f.disk) {
    const used = f.disk.totalBytes ? Math.round(100 - (100 * f.disk.freeBytes) / f.disk.totalBytes) : 0;
    say(
      `Disk persist/: ${bytes(f.disk.freeBytes)} free of ${bytes(f.disk.totalBytes)} (${used}% used)`,
      used >= 90 ? "bad" : "plain",
    );
  } else say("Disk persist/: unknown (cannot stat persist/)", "bad");
  return out;
}

/** The whole summary: header then body, each line cut to the width, coloured only when asked. */
export function renderText(f: NodeFacts, o: RenderOptions, body = renderBody(f)): string {
  const header: Line = { text: `Outpost diag ${new Date(f.at).toISOString()} root ${o.root}`, tone: "plain" };
  const rule: Line = { text: "-".repeat(Math.min(o.width, 78)), tone: "plain" };
  return `${[rule, header, ...body]
    .map((l) => {
      const text = fit(l.text, o.width);
      if (!o.colour || l.tone === "plain") return text;
      return `${l.tone === "bad" ? RED : GREEN}${text}${RESET}`;
    })
    .join("\n")}\n`;
}

/** The body as plain text, for "did anything change". */
export function bodyKey(body: Line[]): string {
  return body.map((l) => l.text).join("\n");
}

export function fit(text: string, width: number): string {
  // Control characters from a table value (a hostile display name) are not written to a console.
  let clean = "";
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    clean += c < 0x20 || c === 0x7f ? " " : ch;
  }
  return clean.length <= width ? clean : `${clean.slice(0, width - 3)}...`;
}

function errorText(e: ErrorInfo): string {
  return `${e.description}${e.retryCondition ? ` (${e.retryCondition})` : ""}`;
}

function hhmmss(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 19);
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export function bytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
