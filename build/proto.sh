#!/usr/bin/env bash
# Regenerates the typed EVE API code in types/src/eve/ from types/proto/*.proto: static code (no
# reflection, no .proto parsing at run time). The output is committed; run this after editing a .proto.
#   --keep-case     EVE's field names (integrity_token, configHash) are the TypeScript property names
#   --force-number  64-bit fields are plain numbers everywhere: the bundle carries no `long` package,
#                   so leaving the choice to protobufjs gives Long objects in tests and numbers in dist
# pbts reads the JSDoc of a commented build to write eve.d.ts; the committed eve.js is the same code
# without comments (a third of the size, and it is parsed by every process that talks to a controller).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
out=${PROTO_OUT:-types/src/eve}  # PROTO_OUT: elsewhere (the freshness test compares)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
opts=(-t static-module -w esm --keep-case --force-number --no-service --no-typeurl --no-delimited --no-verify
  -p types/proto)
pbjs "${opts[@]}" -o "$tmp/eve.js" types/proto/*.proto
pbts --no-comments -o "$tmp/eve.d.ts" "$tmp/eve.js"
# 64-bit fields are numbers (--force-number): the Long import pbts always writes is dead weight.
grep -v '^import Long = require("long");$' "$tmp/eve.d.ts" >"$out/eve.d.ts"
pbjs "${opts[@]}" --no-comments -o "$out/eve.js" types/proto/*.proto
echo "build/proto.sh: wrote $out/eve.js ($(wc -c <"$out/eve.js") bytes) and $out/eve.d.ts"
# The envelope subset (AuthContainer, controller certificates, common types): a process that only signs
# uploads (loguploader) loads this tenth of the code instead of all of it. Its own protobufjs root
# (-r), so loading both modules in one process never replaces one's classes with the other's.
auth=(types/proto/auth.proto types/proto/certs.proto)
pbjs "${opts[@]}" -r eve-auth -o "$tmp/eve-auth.js" "${auth[@]}"
pbts --no-comments -o "$tmp/eve-auth.d.ts" "$tmp/eve-auth.js"
grep -v '^import Long = require("long");$' "$tmp/eve-auth.d.ts" >"$out/eve-auth.d.ts"
pbjs "${opts[@]}" -r eve-auth --no-comments -o "$out/eve-auth.js" "${auth[@]}"
echo "build/proto.sh: wrote $out/eve-auth.js ($(wc -c <"$out/eve-auth.js") bytes) and $out/eve-auth.d.ts"
