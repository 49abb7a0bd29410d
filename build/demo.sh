#!/usr/bin/env bash
# make demo: a controller and one node on this machine, under a temp root. Builds a sample container
# image locally (busybox-static + docker import), puts its archive in the controller's own datastore,
# boots the node's agents with the boot script (which onboards in the background), sets a config with
# the app through `outpost ctl`, waits until the app RUNS, and shows it from both sides. Leaves both
# running and prints how to look around and how to stop (`build/demo.sh stop`).
#
#   build/demo.sh            start (OUTPOST_DEMO_ROOT picks the root; default a new /tmp/outpost-demo-XXXX)
#   build/demo.sh stop [R]   stop the node and the controller of the last demo (or of root R), remove
#                            its containers, volumes and images, and the root
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=$repo/dist/bin
boot=$here/init/outpost-boot
last=${TMPDIR:-/tmp}/outpost-demo.last
node_label=org.outpost.node

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() {
  echo "demo: $*" >&2
  exit 1
}

# Removes every container, volume and image carrying the node's label.
docker_cleanup() {
  local filter="label=$node_label=$1"
  docker ps -aq --filter "$filter" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker volume ls -q --filter "$filter" | xargs -r docker volume rm -f >/dev/null 2>&1 || true
  docker images -q --filter "$filter" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
}

stop_demo() {
  local root=${1:-}
  [[ -n $root ]] || root=$(cat "$last" 2>/dev/null || true)
  [[ -n $root && -d $root ]] || die "no demo to stop (give its root: build/demo.sh stop /tmp/outpost-demo-XXXX)"
  echo "stopping the demo under $root"
  "$boot" --root "$root/node" stop || true
  local pidf=$root/controller/run/controller.pid
  if [[ -f $pidf ]]; then
    local pid
    pid=$(cat "$pidf")
    if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -q controller; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  docker_cleanup "$root/node"
  rm -rf "$root"
  [[ $(cat "$last" 2>/dev/null || true) == "$root" ]] && rm -f "$last"
  echo "stopped; containers, volumes and images of the demo node removed"
}

if [[ ${1:-} == stop ]]; then
  stop_demo "${2:-}"
  exit 0
fi

[[ -x $bin/outpost ]] || die "no $bin/outpost: run make build first"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable (docker info failed)"
[[ -x /bin/busybox ]] || die "/bin/busybox missing (apt-get install busybox-static)"

root=${OUTPOST_DEMO_ROOT:-$(mktemp -d /tmp/outpost-demo-XXXX)}
mkdir -p "$root"
root=$(cd "$root" && pwd)
croot=$root/controller
nroot=$root/node
data=$croot/persist/controller
serial=demo-node-1
tag=outpost-demo/hello:1
echo "$root" >"$last"
mkdir -p "$croot/persist/log" "$nroot"

say "starting the controller (data in $data)"
# --insecure-single-token: this demo's ctl uses the data dir's admin-token (a real fleet has users:
# outpost controller init-admin, ctl login; agents/controller/README.md).
setsid "$bin/controller" --root "$croot" --listen 127.0.0.1:0 --insecure-single-token </dev/null >/dev/null 2>>"$croot/persist/log/controller.stderr" &
for _ in $(seq 1 100); do
  [[ -s $data/server ]] && break
  sleep 0.1
done
[[ -s $data/server ]] || die "the controller did not start; see $croot/persist/log/controller.log"
server=$(cat "$data/server")
echo "controller listening on https://$server"

say "node config files (ctl node-config: server, root certificate, onboarding cert for serial $serial)"
"$bin/ctl" --root "$croot" node-config "$nroot" --serial "$serial"

say "building the sample image $tag (busybox-static root, docker import) into the controller's datastore"
img=$(mktemp -d /tmp/outpost-demo-img-XXXX)
mkdir -p "$img/bin" "$img/etc" "$img/tmp"
cp /bin/busybox "$img/bin/busybox"
for a in sh echo sleep date cat env hostname; do ln -s busybox "$img/bin/$a"; done
echo "root:x:0:0:root:/:/bin/sh" >"$img/etc/passwd"
tar -C "$img" -c . | docker import \
  -c 'CMD ["sh","-c","echo \"$GREETING from an Outpost app\"; while true; do echo \"$GREETING $(date)\"; sleep 10; done"]' \
  -c 'ENV PATH=/bin' -c "LABEL $node_label=$nroot" -c 'LABEL org.outpost.owner=outpost' \
  - "$tag" >/dev/null
rm -rf "$img"
mkdir -p "$data/datastore"
docker save -o "$data/datastore/hello.tar" "$tag"
# Only the archive is the app's source: the node loads it back from the datastore.
docker rmi "$tag" >/dev/null
sha=$(sha256sum "$data/datastore/hello.tar" | cut -d' ' -f1)
echo "datastore/hello.tar: $(stat -c %s "$data/datastore/hello.tar") bytes, sha256 $sha"

say "booting the node's agents (build/init/outpost-boot; it onboards in the background)"
# nodeagent's node-restart backend: `ctl reboot` restarts this node's agents, not the machine.
OUTPOST_BIN=$bin OUTPOST_CLIENT_ARGS="--retry-max-ms 5000" OUTPOST_ARGS_nodeagent="--backend node-restart" "$boot" --root "$nroot" start

say "waiting for the node to onboard"
for _ in $(seq 1 120); do
  "$bin/ctl" --root "$croot" devices list | grep -q "$serial" && break
  sleep 0.5
done
"$bin/ctl" --root "$croot" devices list

cat >"$root/config.yaml" <<EOF
# The demo node's config (build/demo.sh). Edit and apply with:
#   $bin/ctl --root $croot config set $serial $root/config.yaml
datastores:
  - { id: controller, type: https, fqdn: "https://$server", path: datastore }
contentTrees:
  - { id: hello-image, datastore: controller, url: hello.tar, sha256: "$sha" }
volumes:
  - { id: hello-root, contentTree: hello-image }
apps:
  - id: hello
    name: hello
    memoryKiB: 65536
    volumes: [{ id: hello-root }]
    env: { GREETING: hello }
configItems:
  timer.config.interval: "5"
  timer.metric.interval: "15"
  newlog.batch.maxseconds: "10"
EOF
say "setting the config (ctl config set $serial $root/config.yaml)"
"$bin/ctl" --root "$croot" config set "$serial" "$root/config.yaml"

say "waiting until the app is RUNNING on the node"
state=
for _ in $(seq 1 360); do
  state=$("$bin/ipcmonitor" --root "$nroot" -a zedmanager -t AppInstanceStatus --json --wait 1000 2>/dev/null |
    grep -o '"state": *"[A-Z_]*"' | head -1 | grep -o '[A-Z_]*"$' | tr -d '"' || true)
  [[ $state == RUNNING ]] && break
  sleep 0.5
done
[[ $state == RUNNING ]] || die "the app did not reach RUNNING (last: ${state:-none}); see $nroot/persist/log/"
echo "RUNNING"

say "waiting until the controller has the app's info (ZInfoApp RUNNING)"
for _ in $(seq 1 60); do
  "$bin/ctl" --root "$croot" info "$serial" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const ok = JSON.parse(s).some((r) => r.key.startsWith("app/") && r.value?.ainfo?.state === "RUNNING");
      process.exit(ok ? 0 : 1);
    });' && break
  sleep 0.5
done

say "ctl devices get $serial"
"$bin/ctl" --root "$croot" devices get "$serial"
say "ctl info $serial (latest info per object: device, app, volume, content tree)"
"$bin/ctl" --root "$croot" info "$serial"
say "ipcmonitor -a zedmanager -t AppInstanceStatus"
"$bin/ipcmonitor" --root "$nroot" -a zedmanager -t AppInstanceStatus
say "ipcmonitor -a zedagent -t ZedAgentStatus"
"$bin/ipcmonitor" --root "$nroot" -a zedagent -t ZedAgentStatus
say "the container (docker ps, node label) and its output"
docker ps --filter "label=$node_label=$nroot" --format 'table {{.ID}}\t{{.Names}}\t{{.Status}}'
cid=$(docker ps -q --filter "label=$node_label=$nroot" | head -1)
[[ -n $cid ]] && docker logs "$cid" 2>&1 | tail -3

cat <<EOF

The controller and the node keep running. Look around:
  $bin/ctl --root $croot devices list
  $bin/ctl --root $croot info $serial --follow          # info reports as they arrive (Ctrl-C)
  $bin/ctl --root $croot metrics $serial --limit 1
  $bin/ctl --root $croot logs $serial --severity '>=info' --limit 20 # the node's logs (batches close every 10 s here)
  $bin/ctl --root $croot logs $serial --follow                    # every new line as it arrives (Ctrl-C)
  $bin/ipcmonitor --root $nroot                          # the node's publishers
  $bin/ipcmonitor --root $nroot -a zedmanager -t AppInstanceStatus -f
  $boot --root $nroot status
  tail -f $nroot/persist/log/zedagent.log
Change the app (e.g. its GREETING) and apply:
  \$EDITOR $root/config.yaml && $bin/ctl --root $croot config set $serial $root/config.yaml
Reboot the node (apps halted cleanly, agents restarted, REBOOT_CMD reported):
  $bin/ctl --root $croot reboot $serial && $bin/ctl --root $croot devices get $serial
Stop everything (agents, controller, the app's container/volume/image, the temp root):
  $here/demo.sh stop $root
EOF
