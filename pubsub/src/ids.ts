// Ids of publisher instances and subscription sessions. They must differ between the processes of
// one node and between two runs of one agent; they are not secrets (any local process of the user may
// read the bus). The process id, its start time and random bits, then a counter: no node:crypto, which
// would cost every agent ~2 ms of its start (bench/README.md, "Cold start").
const prefix = `${process.pid.toString(36)}-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
let next = 0;

export function newId(): string {
  return `${prefix}-${(next++).toString(36)}`;
}
