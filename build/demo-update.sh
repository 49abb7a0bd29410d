#!/usr/bin/env bash
# make demo-update: the demo's second act, an A/B update of Outpost itself on the demo node.
#   1. builds a new release from this tree with a bumped version (the bundler and packager of
#      `make dist`, into a temp dir: OUTPOST_DIST_DIR / OUTPOST_RELEASE_VERSION), rolls it out with
#      `ctl baseos set`, and prints each phase baseosmgr goes through until the update is committed;
#   2. builds a deliberately broken release (its ledmanager exits at start), rolls it out, and shows the
#      node falling back to the slot that works, with the reason.
# Uses the demo started by `make demo` (build/demo.sh; its root is in $TMPDIR/outpost-demo.last), or
# starts one first. Leaves the demo running, like make demo; stop it with `build/demo.sh stop`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=$repo/dist/bin
boot=$here/init/outpost-boot
last=${TMPDIR:-/tmp}/outpost-demo.last
serial=demo-node-1
arch=$(node -p process.arch)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() {
  echo "demo-update: $*" >&2
  exit 1
}
[[ -x $bin/outpost ]] || die "no $bin/outpost: run make build first"

# The running demo: its controller answers and its node runs; else a new demo (make demo's first act).
demo_running() {
  local r
  r=$(cat "$last" 2>/dev/null || true)
  [[ -n $r && -d $r/node ]] || return 1
  "$bin/ctl" --root "$r/controller" devices get "$serial" >/dev/null 2>&1 || return 1
  "$boot" --root "$r/node" status >/dev/null 2>&1
}
if ! demo_running; then
  say "no demo running: starting one (build/demo.sh)"
  bash "$here/demo.sh"
fi
root=$(cat "$last")
croot=$root/controller
nroot=$root/node
ctl() { "$bin/ctl" --root "$croot" "$@"; }
# The node's boot environment, as build/demo.sh boots it (a power cycle below uses the same).
node_boot() {
  OUTPOST_BIN=$bin OUTPOST_CLIENT_ARGS="--retry-max-ms 5000" OUTPOST_ARGS_nodeagent="--backend node-restart" \
    "$boot" --root "$nroot" "$@"
}

# One line per slot: "A 0.1.0 active activated NONE NONE_SUBSTATUS <text>" (empty while the node reboots).
slots() {
  "$bin/ipcmonitor" --root "$nroot" -a baseosmgr -t BaseOsStatus --json --wait 1500 2>/dev/null | head -1 |
    node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        let e = {};
        try { e = JSON.parse(s).entries ?? {}; } catch {}
        for (const k of ["A", "B"]) {
          const v = e[k];
          if (!v) continue;
          const p = v.progress ? ` ${v.progress}%` : "";
          console.log([k, v.version || "-", v.partitionState, v.activated ? "running" : "-", v.userStatus,
            v.subStatus, JSON.stringify(v.subStatusStr + p), v.error ? `error: ${v.error.description}` : ""].join(" "));
        }
      });' || true
}
# A node booted before it had slots runs its installed tree, which baseosmgr counts as slot A.
boot_slot() { cat "$nroot/run/boot-slot" 2>/dev/null || echo A; }

# Prints every change of the slots (seconds since the start) until `done_when` (a grep -E pattern over
# the slot lines) matches, or `on_stuck` (a function) reports a boot that stopped; gives up after $3 s.
watch_update() {
  local done_when=$1 on_stuck=$2 limit=$3 start=$SECONDS prev="" cur
  while ((SECONDS - start < limit)); do
    cur=$(slots)
    [[ -n $cur ]] || cur="(node rebooting; boot slot $(boot_slot))"
    if [[ $cur != "$prev" ]]; then
      printf '%4ds  boot slot %s\n' $((SECONDS - start)) "$(boot_slot)"
      sed 's/^/        /' <<<"$cur"
      prev=$cur
    fi
    grep -Eq "$done_when" <<<"$cur" && return 0
    [[ -n $on_stuck ]] && $on_stuck && prev=""
    sleep 0.5
  done
  die "not done after ${limit} s; see $nroot/persist/log/baseosmgr.log and nodeagent.log"
}

# The version the node runs now (the activated slot); the next two come after the highest version either
# slot holds (a version that failed before is not tried again without --retry).
running=$(slots | awk '$4 == "running" { print $2 }')
[[ -n $running ]] || running=$(node -p "require('$repo/package.json').version")
highest=$({
  echo "$running"
  slots | awk '$2 != "-" { print $2 }'
} | sed 's/[-+].*//' | sort -V | tail -1)
IFS=. read -r major minor patch <<<"$highest"
good=$major.$minor.$((patch + 1))
bad=$major.$minor.$((patch + 2))
work=$(mktemp -d /tmp/outpost-demo-update-XXXX)
trap 'rm -rf "$work"' EXIT

say "the node runs $running; building release $good (bundle + package, as make dist, into $work)"
release() { # release <version> <dir>: dist and tarball of this tree with that version
  OUTPOST_DIST_DIR=$2 OUTPOST_RELEASE_VERSION=$1 node "$here/bundle.mjs" >/dev/null
  OUTPOST_DIST_DIR=$2 OUTPOST_RELEASE_VERSION=$1 node "$here/package.mjs" | tail -1
}
release "$good" "$work/good"
good_tgz=$work/good/outpost-$good-linux-$arch.tar.gz
"$work/good/bin/outpost" --version

say "ctl baseos set $serial $(basename "$good_tgz") --version $good"
ctl baseos set "$serial" "$good_tgz" --version "$good"
say "watching the update (node side: ipcmonitor -a baseosmgr -t BaseOsStatus)"
watch_update " $good active running UPDATED " "" 600
say "committed: the node runs $good from slot $(boot_slot). The controller's view (ctl devices get):"
for _ in $(seq 1 40); do
  ctl devices get "$serial" | grep -q "\"$good\"" && break
  sleep 0.5
done
ctl devices get "$serial" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const d = JSON.parse(s);
    console.log(JSON.stringify({ baseos: d.baseos, lifecycle: d.lifecycle }, null, 2));
  });'

say "building release $bad with a ledmanager that exits at start"
release "$bad" "$work/bad"
unpacked=$work/bad/unpacked
mkdir -p "$unpacked"
tar -xzf "$work/bad/outpost-$bad-linux-$arch.tar.gz" -C "$unpacked"
rm "$unpacked/outpost-$bad/bin/ledmanager"
printf '#!/bin/sh\necho "ledmanager: broken on purpose (make demo-update)" >&2\nexit 1\n' >"$unpacked/outpost-$bad/bin/ledmanager"
chmod 755 "$unpacked/outpost-$bad/bin/ledmanager"
bad_tgz=$work/outpost-$bad-broken.tar.gz
tar -czf "$bad_tgz" -C "$unpacked" "outpost-$bad"

say "ctl baseos set $serial $(basename "$bad_tgz") --version $bad"
ctl baseos set "$serial" "$bad_tgz" --version "$bad"
stderr=$nroot/persist/log/ledmanager.stderr
broken_before=$(grep -c "broken on purpose" "$stderr" 2>/dev/null || true)
# The new slot's boot stops at ledmanager: nothing of the node runs but the watchdog. On a device,
# outpost.service (Restart=always) or the hardware watchdog boots it again; here the demo does it.
power_cycled=
stuck() {
  [[ -z $power_cycled ]] || return 1
  local n
  n=$(grep -c "broken on purpose" "$stderr" 2>/dev/null || true)
  ((${n:-0} > ${broken_before:-0})) || return 1
  sleep 2
  echo "        the boot of slot $(boot_slot) stopped: $(tail -1 "$stderr")"
  echo "        (a device's outpost.service, Restart=always, or its hardware watchdog boots again; here: outpost-boot stop && start)"
  node_boot stop >/dev/null 2>&1 || true
  node_boot start >/dev/null 2>&1 || true
  power_cycled=1
}
say "watching the broken update"
watch_update " $bad unused - FALLBACK " stuck 600
say "fell back: the node runs $(slots | awk '$4 == "running" { print $2 }') from slot $(boot_slot); $bad is not tried again until retry_update is bumped (ctl baseos set ... --retry)"
for _ in $(seq 1 40); do
  ctl devices get "$serial" | grep -q FALLBACK && break
  sleep 0.5
done
ctl devices get "$serial" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const d = JSON.parse(s);
    console.log(JSON.stringify({ baseos: d.baseos, lifecycle: d.lifecycle }, null, 2));
  });'

cat <<EOF

The demo keeps running. Look around:
  $bin/ctl --root $croot devices get $serial              # both slots (IMGA/IMGB), userStatus, swErr
  $bin/ipcmonitor --root $nroot -a baseosmgr -t BaseOsStatus
  cat $nroot/slots/bootenv                              # the boot selector (outpost_default, ...)
  tail $nroot/persist/log/baseosmgr.log
Run it again (newer versions each time): make demo-update
Stop everything: $here/demo.sh stop $root
EOF
