#!/usr/bin/env bash
# Brings this host up to what `make demo` and `make test` need, and does nothing when it is all there:
#   1. Node.js 20 or later (checked only: Debian 12's nodejs is too old to install from here);
#   2. the Debian packages the demo and the tests run (docker.io, docker-registry, busybox-static, ...);
#   3. a Docker engine that answers (starts dockerd in the background when none does);
#   4. node_modules/ installed with `npm ci` from package-lock.json (again only when the lock changed).
# As root it installs what is missing. As another user it changes nothing it would need root for: it
# prints what to run as root and exits 1. `make demo`, `make test` and .ci/run all start here.
#
# Environment: OUTPOST_DOCKERD_WAIT (seconds to wait for a dockerd it started, default 60),
# OUTPOST_DOCKERD_LOG (its log, default /tmp/dockerd.log).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'host-setup: %s\n' "$*"; }
# The first line says what is wrong; any further lines (commands to copy, a log tail) come as they are.
fail() {
  printf 'host-setup: %s\n' "$1" >&2
  shift
  [[ $# -eq 0 ]] || printf '%s\n' "$@" >&2
  exit 1
}

is_root=false
[[ $(id -u) -eq 0 ]] && is_root=true

# --- 1. Node.js -------------------------------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [[ $node_major -lt 20 ]]; then
  fail "Node.js 20 or later is required (found: $(node -v 2>/dev/null || echo none)); install it, e.g. from https://nodejs.org/ or NodeSource"
fi

# --- 2. Debian packages -----------------------------------------------------------------------------
# What each package gives, checked by the file or command the code actually runs, so a host that got
# the tool some other way (docker-ce instead of docker.io, say) is not asked to install a second copy.
#   docker.io        docker, dockerd: the engine the agents drive and the test images are imported into
#   docker-registry  /usr/bin/docker-registry: the local OCI registry datastore tests (testkit/registry.ts)
#   busybox-static   /bin/busybox, static: the one binary in the demo's and the tests' images
#   iproute2         ip: network namespaces
#   strace           strace: syscall traces when a native module misbehaves
#   mount            mount, umount: the tmpfs disk-full tests
#   openssl          openssl: self-signed certificates for the HTTPS datastore tests
#   python3          python3: bcrypt htpasswd lines for the registry auth tests (crypt module)
#   grub-common      grub-editenv: baseosmgr's GRUB boot-selector backend and its test on a real grubenv
#   iptables         iptables: nim's proxy test refuses direct traffic inside its upstream namespace
#   postgresql       initdb, pg_ctl, postgres (/usr/lib/postgresql/<v>/bin): the controller's PostgreSQL
#                    store tests and bench start their own server in a temp dir (testkit/postgres.ts)
#   mosquitto        /usr/sbin/mosquitto: the MQTT broker mqttagent's tests and README demo run on loopback
#   (nim's DHCP client and the tests' DHCP server are busybox's udhcpc/udhcpd: busybox-static above)
missing=()
need_cmd() { # package command...
  local pkg=$1 c
  shift
  for c in "$@"; do
    if ! command -v "$c" >/dev/null 2>&1; then
      missing+=("$pkg")
      return
    fi
  done
}
need_cmd docker.io docker dockerd
[[ -x /usr/bin/docker-registry ]] || missing+=(docker-registry)
# A dynamically linked /bin/busybox (Debian's plain `busybox`) cannot run inside an image with no libc.
if [[ ! -x /bin/busybox ]] || ldd /bin/busybox >/dev/null 2>&1; then missing+=(busybox-static); fi
need_cmd iproute2 ip
need_cmd strace strace
need_cmd mount mount umount
need_cmd openssl openssl
need_cmd python3 python3
need_cmd grub-common grub-editenv
need_cmd iptables iptables
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[[ -x /usr/sbin/mosquitto ]] || missing+=(mosquitto)

engine_answers() { timeout 20 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

# As another user none of it can be fixed from here: say at once everything to run as root.
if ! $is_root; then
  user=$(id -un)
  problems=() todo=()
  if [[ ${#missing[@]} -gt 0 ]]; then
    problems+=("missing Debian packages: ${missing[*]}")
    todo+=("  apt-get update && apt-get install -y ${missing[*]}")
  fi
  if ! engine_answers; then
    problems+=("no Docker engine answers to $user")
    todo+=("  systemctl start docker   (without systemd: dockerd >/tmp/dockerd.log 2>&1 &)"
      "  usermod -aG docker $user   (if the engine runs but $user may not use it; then log in again)")
  fi
  if [[ ${#problems[@]} -gt 0 ]]; then
    fail "this host is not ready and $user is not root:" "${problems[@]/#/  }" \
      "run as root, then run this again:" "${todo[@]}"
  fi
elif [[ ${#missing[@]} -gt 0 ]]; then
  command -v apt-get >/dev/null 2>&1 || fail "missing: ${missing[*]}, and no apt-get to install them with (this script installs Debian packages)"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update </dev/null
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
fi

# --- 3. A Docker engine -----------------------------------------------------------------------------
if ! engine_answers; then
  dlog=${OUTPOST_DOCKERD_LOG:-/tmp/dockerd.log}
  wait_s=${OUTPOST_DOCKERD_WAIT:-60}
  log "no Docker engine answers; starting dockerd in the background (log: $dlog)"
  # setsid: the engine outlives this script and the make that ran it, and ignores their Ctrl-C.
  setsid dockerd >>"$dlog" 2>&1 </dev/null &
  dockerd_pid=$!
  deadline=$((SECONDS + wait_s))
  until engine_answers; do
    if ! kill -0 "$dockerd_pid" 2>/dev/null; then
      fail "dockerd exited before answering; last lines of $dlog:" "$(tail -n 30 "$dlog" 2>/dev/null)"
    fi
    if ((SECONDS >= deadline)); then
      fail "dockerd (pid $dockerd_pid) did not answer within ${wait_s} s; last lines of $dlog:" \
        "$(tail -n 30 "$dlog" 2>/dev/null)"
    fi
    sleep 1
  done
  log "Docker engine up (dockerd pid $dockerd_pid)"
fi

# --- 4. node_modules --------------------------------------------------------------------------------
# The stamp records what the last `npm ci` here installed from; anything else in node_modules (no
# stamp, another lock, another Node major for the native addons) is replaced by a clean `npm ci`.
stamp=node_modules/.outpost-host-setup
want="$(sha256sum package.json package-lock.json | cut -d' ' -f1 | tr '\n' ' ')node$node_major"
if [[ ! -d node_modules || $(cat "$stamp" 2>/dev/null) != "$want" ]]; then
  log "npm ci (node_modules from package-lock.json)"
  npm ci --no-audit --no-fund </dev/null
  printf '%s\n' "$want" >"$stamp"
fi
