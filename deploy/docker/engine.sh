#!/usr/bin/env bash
# A Docker engine for CI and local runs of the container suite (e2e/docker), on Debian:
#   deploy/docker/engine.sh install   # docker.io (dockerd 20.10), debootstrap, and the
#                                     # Compose v2 + buildx CLI plugins (idempotent)
#   deploy/docker/engine.sh start     # start dockerd unless one answers; prints "started"
#                                     # only when it started one (then `stop` stops it)
#   deploy/docker/engine.sh stop      # stop the dockerd that `start` started, by its pid
#
# Bookworm ships only Compose v1 (which rejects `name:`) and no buildx, so the plugins
# come from the newer suite's packages (trixie: docker-compose 2.26.1, docker-buildx
# 0.13.1), fetched with apt into a private cache (the system's sources are untouched) and
# unpacked into /usr/libexec/docker/cli-plugins. Both are plain binaries that run on
# bookworm's libc.
# dockerd runs as root with --iptables=false --ip-masq=false (no firewall changes on a
# shared machine; containers on its bridges reach each other, published ports go
# through docker-proxy). Its data stays in /var/lib/docker, so base images and the
# BuildKit cache are reused by the next run on the same machine.
set -euo pipefail

PLUGIN_DIR=/usr/libexec/docker/cli-plugins
NEWER_SUITE="${DOCKER_PLUGINS_SUITE:-trixie}"
STATE=/run/monkeytown-dockerd
LOG=/var/log/monkeytown-dockerd.log

log() { printf '[engine] %s\n' "$*" >&2; }

mirror() {
  local m
  m="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  [ -n "$m" ] || m="$(awk '/^deb / && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)"
  echo "${m:-http://deb.debian.org/debian}"
}

install_plugins() {
  if docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then return; fi
  local dir; dir="$(mktemp -d)"
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $NEWER_SUITE main" >"$dir/sources.list"
  local apt=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root)
  apt-get "${apt[@]}" update -qq
  (cd "$dir/debs" && apt-get "${apt[@]}" download -qq docker-compose docker-buildx)
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  install -D -m 755 -t "$PLUGIN_DIR" "$dir/root$PLUGIN_DIR/docker-compose" "$dir/root$PLUGIN_DIR/docker-buildx"
  rm -rf "$dir"
}

cmd_install() {
  local need=()
  command -v dockerd >/dev/null || need+=(docker.io)
  command -v docker >/dev/null || need+=(docker.io)
  command -v debootstrap >/dev/null || need+=(debootstrap)
  if [ "${#need[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  install_plugins
  log "$(dockerd --version); $(docker compose version); buildx $(docker buildx version | awk '{print $2}')"
}

cmd_start() {
  if docker info >/dev/null 2>&1; then log "an engine already answers"; return; fi
  mkdir -p "$STATE"
  # setsid: its own process group, so `stop` ends dockerd and its containerd together.
  setsid dockerd --iptables=false --ip-masq=false --pidfile "$STATE/dockerd.pid" >"$LOG" 2>&1 &
  echo $! >"$STATE/started.pid"
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then log "dockerd started (log: $LOG)"; echo started; return; fi
    sleep 1
  done
  tail -20 "$LOG" >&2
  log "dockerd did not answer within 60 s"
  exit 1
}

cmd_stop() {
  [ -f "$STATE/started.pid" ] || return 0
  local pid; pid="$(cat "$STATE/started.pid")"
  rm -f "$STATE/started.pid"
  # Only the process we started, and only while it is still dockerd.
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    log "dockerd stopped"
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
