// Throwaway local users and groups for tests that check what another user may do (useradd/groupadd as
// root). Two test files may edit /etc/passwd at the same moment; the shadow tools then refuse with
// "cannot lock": that is retried, anything else is an error.
import { spawnSync } from "node:child_process";

const LOCKED = /cannot lock|try again later/i;

function run(cmd: string, args: string[]): void {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    if (r.status === 0) return;
    if (attempt >= 20 || !LOCKED.test(r.stderr ?? ""))
      throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // another tool holds the lock
  }
}

/** A system user without home or login shell, in `groups` if given. */
export function addSystemUser(name: string, groups: string[] = []): void {
  const g = groups.length ? ["-G", groups.join(",")] : [];
  run("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ...g, name]);
}

export function addSystemGroup(name: string): void {
  run("groupadd", ["--system", name]);
}

/** Removes users, then groups; never throws (test teardown). */
export function removeUsersAndGroups(users: string[], groups: string[] = []): void {
  for (const u of users) spawnSync("userdel", [u]);
  for (const g of groups) spawnSync("groupdel", [g]);
}
