# Offline stand-in for nginx:1.27-alpine (see build.sh): Debian's nginx (1.22, with the
# realip, gzip and proxy cache modules the shipped config uses), logs to the container's
# stdout/stderr, /var/cache/nginx present, wget for the health check, run in the
# foreground like the official image.
FROM monkeytown-offline/debian:bookworm
RUN apt-get update \
 && apt-get install -y nginx wget \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && mkdir -p /var/cache/nginx \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
