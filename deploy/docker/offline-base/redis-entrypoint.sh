#!/bin/sh
# Entrypoint of the offline redis stand-in, like the official image's: /data owned by
# redis, root dropped, and protected mode off (the official image compiles it off: on a
# container network every client is "remote", and compose's redis has no password).
set -eu

if [ "${1:-}" = redis-server ]; then
  case " $* " in
    *" --protected-mode "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi

exec "$@"
