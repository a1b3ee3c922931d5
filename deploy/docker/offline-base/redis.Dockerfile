# Offline stand-in for redis:7-alpine (see build.sh): Debian's Redis 7, data in /data (the
# volume; AOF files land there), run as `redis`, redis-cli on PATH for the health check.
FROM monkeytown-offline/debian:bookworm
RUN apt-get update \
 && apt-get install -y redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data \
 && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 6379
CMD ["redis-server"]
