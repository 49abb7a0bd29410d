import { runAgent } from "@outpost/agentbase";
import { Option } from "commander";
import { main, type NewlogdOptions } from "./newlogd.js";

export { encodeEntry, passesLevel } from "./entry.js";
export { readGzip } from "./gzip.js";
export { parseSyslog, StreamFramer } from "./syslog.js";

const int = (v: unknown, d: number) => {
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : d;
};

export function run(argv: string[]): Promise<number> {
  return runAgent<NewlogdOptions>(
    {
      name: "newlogd",
      description:
        "Collects agent, syslog, kernel and app container logs into gzip batches under persist/newlog/",
      options: (cmd) =>
        cmd
          .option(
            "--syslog-socket <path>",
            "syslog unix datagram socket (default <root>/dev/log; 'none': no socket)",
          )
          .option(
            "--syslog-stream-socket <path>",
            "also take syslog on a unix stream socket (RFC 6587 framing), e.g. Docker's syslog driver",
          )
          .option("--dev-log", "listen on the real /dev/log (the host's syslog daemon)", false)
          .option("--syslog-udp <port>", "also take syslog over UDP on 127.0.0.1:<port>")
          .option("--syslog-tcp <port>", "also take syslog over TCP on 127.0.0.1:<port>")
          .option(
            "--syslog-dgram-qlen <n>",
            "raise net.unix.max_dgram_qlen to at least n before making /dev/log (systemd uses 512; default 0: leave it)",
          )
          .addOption(
            new Option("--kmsg <path>", "kernel log device ('none': no kernel log)").default("/dev/kmsg"),
          )
          .option("--no-app-logs", "do not follow app containers' logs (Docker)")
          .addOption(
            new Option("--image <label>", "partition label in the batches' metadata").default("IMGA"),
          )
          .addOption(
            new Option("--batch-max-bytes <n>", "close a batch at this many bytes").default("524288"),
          )
          .addOption(new Option("--batch-max-seconds <n>", "close a batch this old").default("300"))
          .addOption(
            new Option("--budget <bytes>", "disk budget of persist/newlog/").default(String(128 << 20)),
          )
          .addOption(new Option("--rate <lines>", "per-source lines per second").default("500"))
          .addOption(new Option("--rate-burst <lines>", "per-source burst").default("5000"))
          .addOption(new Option("--remote-level <level>", "default remote log level").default("info"))
          .addOption(new Option("--poll-ms <ms>", "agent log and kernel log poll period").default("250"))
          .addOption(new Option("--docker-poll-ms <ms>", "container list period").default("2000"))
          .addOption(new Option("--status-ms <ms>", "NewlogdStatus period").default("2000")),
      parse: (raw) => ({
        syslogSocket:
          raw.devLog === true
            ? "/dev/log"
            : typeof raw.syslogSocket === "string"
              ? raw.syslogSocket
              : undefined,
        syslogStreamSocket: typeof raw.syslogStreamSocket === "string" ? raw.syslogStreamSocket : undefined,
        syslogUdp: raw.syslogUdp === undefined ? undefined : int(raw.syslogUdp, 0),
        syslogTcp: raw.syslogTcp === undefined ? undefined : int(raw.syslogTcp, 0),
        syslogDgramQlen: raw.syslogDgramQlen === undefined ? 0 : int(raw.syslogDgramQlen, 0),
        kmsg: String(raw.kmsg),
        appLogs: raw.appLogs !== false,
        image: String(raw.image),
        batchMaxBytes: int(raw.batchMaxBytes, 524288),
        batchMaxMs: int(raw.batchMaxSeconds, 300) * 1000,
        budgetBytes: int(raw.budget, 128 << 20),
        rate: int(raw.rate, 500),
        rateBurst: int(raw.rateBurst, 5000),
        remoteLevel: String(raw.remoteLevel),
        pollMs: int(raw.pollMs, 250) || 250,
        dockerPollMs: int(raw.dockerPollMs, 2000) || 2000,
        statusMs: int(raw.statusMs, 2000) || 2000,
      }),
      main,
    },
    argv,
  );
}
