# Offline stand-in for rediscommander/redis-commander:latest (see build.sh): the npm
# package (the same sources the upstream image is built from) installed on the node
# stand-in and started by its own docker/entrypoint.sh, which turns REDIS_HOSTS into its
# config. Non-root (uid 10000, as upstream). The host's CA bundle is a BuildKit secret,
# needed only where TLS is intercepted, and never a layer.
FROM node:24-slim
ENV HOME=/redis-commander NODE_ENV=production
WORKDIR /redis-commander
RUN --mount=type=bind,target=/ctx --mount=type=secret,id=npm-ca \
    apt-get update \
 && apt-get install -y jq \
 && rm -rf /var/lib/apt/lists/* \
 && tar -xzf /ctx/redis-commander.tgz --strip-components=1 \
 && if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi \
 && npm install --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf /root/.npm /tmp/* \
 && useradd --uid 10000 --gid root --home-dir /redis-commander --no-create-home redis \
 && chown -R redis config && chmod g+w config
USER 10000
EXPOSE 8081
CMD ["/redis-commander/docker/entrypoint.sh"]
