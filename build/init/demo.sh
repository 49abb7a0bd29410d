#!/bin/sh
# A short tour of a running node: boot it under a temp root, look inside with ipcmonitor, kill an
# agent and watch the watchdog bring it back, stop it. Needs dist/ (make build). POSIX sh.
# OUTPOST_DEMO_KEEP=1 leaves the node running (and prints how to stop it).
set -eu
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
BIN=${OUTPOST_BIN:-$here/../../dist/bin}
[ -e "$BIN/outpost" ] || { echo "demo: no $BIN/outpost; run make build first" >&2; exit 1; }
export OUTPOST_BIN=$BIN
ROOT=$(mktemp -d /tmp/outpost-demo-XXXXXX)
boot() { "$here/outpost-boot" --root "$ROOT" "$@"; }
step() { printf '\n== %s\n' "$*"; }
cleanup() { [ "${OUTPOST_DEMO_KEEP:-}" = 1 ] || { boot stop >/dev/null 2>&1 || true; rm -rf "$ROOT"; }; }
trap cleanup EXIT INT TERM

step "boot: watchdog, ledmanager and a test publisher that sets blink count 4 (root $ROOT)"
OUTPOST_AGENTS="+fixture:demo" OUTPOST_ARGS_demo="--publish Greeting --keys 3 --interval 1000 --set-led 4" \
	OUTPOST_ARGS_watchdog="--backoff-min-ms 200" boot start

step "ipcmonitor -a demo -t Greeting (a table published by another process)"
"$BIN/ipcmonitor" --root "$ROOT" -a demo -t Greeting

sleep 3
step "ledmanager plays: run/ledmanager/state.json"
cat "$ROOT/run/ledmanager/state.json"
step "last LED transitions (run/ledmanager/transitions)"
tail -n 8 "$ROOT/run/ledmanager/transitions"

pid=$(cat "$ROOT/run/demo.pid")
step "kill -9 demo (pid $pid); the watchdog restarts it"
kill -9 "$pid"
n=0
while [ "$(cat "$ROOT/run/demo.pid" 2>/dev/null || echo "$pid")" = "$pid" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
sleep 1
boot status || true
step "persist/watchdog/events.jsonl"
cat "$ROOT/persist/watchdog/events.jsonl"
step "ipcmonitor -a watchdog -t WatchdogStatus"
"$BIN/ipcmonitor" --root "$ROOT" -a watchdog -t WatchdogStatus

if [ "${OUTPOST_DEMO_KEEP:-}" = 1 ]; then
	step "left running; stop with: $here/outpost-boot --root $ROOT stop"
else
	step "stop"
	boot stop
fi
