#!/bin/sh
# CI nginx image: what the official image's entrypoint does for docker-compose.yml's proxy —
# each /etc/nginx/templates/*.template rendered into /etc/nginx/conf.d/<name> with envsubst,
# substituting only the variables whose names match NGINX_ENVSUBST_FILTER (so nginx's own
# $variables stay) — then nginx in the foreground.
set -eu
awk '/^nameserver/ {print "resolver " $2 " valid=5s ipv6=off;"; exit}' /etc/resolv.conf \
  >/etc/nginx/resolver.conf
if [ -d /etc/nginx/templates ]; then
  vars=$(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' |
    grep -E "${NGINX_ENVSUBST_FILTER:-.}" | sed 's/^/$/' | tr '\n' ' ')
  for t in /etc/nginx/templates/*.template; do
    [ -e "$t" ] || continue
    out="/etc/nginx/conf.d/$(basename "$t" .template)"
    envsubst "$vars" <"$t" >"$out"
    echo "nginx: $t -> $out"
  done
fi
exec nginx -g 'daemon off;'
