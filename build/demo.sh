#!/usr/bin/env bash
# make demo: boots one node's agents from the bundle under a temp root with the boot script, then
# shows what runs through ipcmonitor. Leaves the node running and prints how to look around and stop.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=$repo/dist/bin
root=${OUTPOST_DEMO_ROOT:-$(mktemp -d /tmp/outpost-demo-XXXX)}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "booting a node under $root (watchdog, ledmanager, and a 'sensor' fixture agent that reports 'onboarded')"
# The fixture stands in for the agents later issues add: it publishes a table and sets the blink count.
OUTPOST_BIN=$bin OUTPOST_AGENTS="+fixture:sensor" \
  OUTPOST_ARGS_sensor="--publish Reading --keys 3 --interval 1000 --set-led 4" \
  "$here/init/outpost-boot" --root "$root" start

say "outpost-boot status"
"$here/init/outpost-boot" --root "$root" status

say "ipcmonitor: who publishes"
"$bin/ipcmonitor" --root "$root"

say "ipcmonitor -a sensor -t Reading"
"$bin/ipcmonitor" --root "$root" -a sensor -t Reading

say "ipcmonitor -a watchdog -t WatchdogStatus"
"$bin/ipcmonitor" --root "$root" -a watchdog -t WatchdogStatus

say "the blink count ledmanager plays (run/ledmanager/state.json), after a few seconds"
sleep 3
cat "$root/run/ledmanager/state.json"
echo

say "the watchdog at work: kill -9 the sensor agent (pid $(cat "$root/run/sensor.pid"))"
old=$(cat "$root/run/sensor.pid")
kill -9 "$old"
for _ in $(seq 1 80); do
  new=$(cat "$root/run/sensor.pid" 2>/dev/null || true)
  [[ -n $new && $new != "$old" && -e $root/run/sensor.touch ]] && break
  sleep 0.25
done
echo "persist/watchdog/events.jsonl:"
cat "$root/persist/watchdog/events.jsonl"
"$here/init/outpost-boot" --root "$root" status
"$bin/ipcmonitor" --root "$root" -a watchdog -t WatchdogStatus --json

cat <<EOF

The node keeps running. Look around:
  $bin/ipcmonitor --root $root                           # publishers
  $bin/ipcmonitor --root $root -a sensor -t Reading -f   # a table, then every change (Ctrl-C to stop)
  tail -f $root/persist/log/*.log                        # agents' JSON logs
  $here/init/outpost-boot --root $root status
Stop it:
  $here/init/outpost-boot --root $root stop && rm -rf $root
EOF
