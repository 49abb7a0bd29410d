import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Appends one line so that once this returns it survives a crash or power loss: write with
 * O_APPEND, fsync the file, and fsync the directory when the file was just created (otherwise the
 * new directory entry itself may be lost). Lines from concurrent appenders never interleave
 * within a line as long as each line is written by one write() (O_APPEND is atomic for that). */
export function appendLineDurable(path: string, line: string, mode = 0o644): void {
  const text = line.endsWith("\n") ? line : `${line}\n`;
  let created = false;
  let fd: number;
  try {
    fd = openSync(path, "ax", mode);
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    fd = openSync(path, "a", mode);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) {
    const dfd = openSync(dirname(path), "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}
