# Offline stand-in for postgres:15-alpine (see build.sh): Debian's PostgreSQL 15 with an
# entrypoint that does what compose relies on in the official image: POSTGRES_USER /
# POSTGRES_PASSWORD / POSTGRES_DB and initdb on the first start into PGDATA (the volume),
# connections from the network with scram-sha-256, the server run as `postgres`, and
# pg_isready on PATH for the health check.
FROM monkeytown-offline/debian:bookworm
RUN mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && apt-get install -y postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/run/postgresql /var/lib/postgresql/data \
 && chown postgres:postgres /var/run/postgresql /var/lib/postgresql/data \
 && chmod 2777 /var/run/postgresql \
 && chmod 700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
# Fast shutdown, as in the official image.
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
