#!/usr/bin/env bash
# The production reverse proxy (Debian's nginx) in front of locally started services.
#
#   deploy/local/proxy.sh start    render var/proxy/nginx.conf from deploy/nginx/ and start nginx
#   deploy/local/proxy.sh stop     stop it (nginx -s quit, then TERM)
#   deploy/local/proxy.sh status   exit 0 when it answers
#
# Settings (environment):
#   CONGVU_PROXY_PORT         listen on 127.0.0.1:<port>                     (default 8080)
#   CONGVU_ASSESSMENT_UPSTREAM, CONGVU_REPORTING_UPSTREAM, CONGVU_BALLOT_UPSTREAM
#                             host:port of each service (defaults 127.0.0.1:8000 / 8001 / 8002)
#   CONGVU_PROXY_DIR          state directory                    (default <repo>/var/proxy)
# nginx runs as the calling user with every path (pid, logs, temp files) under that directory.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
DIR=$(realpath -m "${CONGVU_PROXY_DIR:-$REPO/var/proxy}")
export CONGVU_PROXY_LISTEN="127.0.0.1:${CONGVU_PROXY_PORT:-8080}"
export CONGVU_ASSESSMENT_UPSTREAM=${CONGVU_ASSESSMENT_UPSTREAM:-127.0.0.1:8000}
export CONGVU_REPORTING_UPSTREAM=${CONGVU_REPORTING_UPSTREAM:-127.0.0.1:8001}
export CONGVU_BALLOT_UPSTREAM=${CONGVU_BALLOT_UPSTREAM:-127.0.0.1:8002}

die() {
  printf 'proxy: ERROR: %s\n' "$*" >&2
  exit 1
}
pid() { [ -s "$DIR/nginx.pid" ] && kill -0 "$(cat "$DIR/nginx.pid")" 2>/dev/null && cat "$DIR/nginx.pid"; }

render() {
  mkdir -p "$DIR/logs" "$DIR/tmp"
  # only ${CONGVU_*} are substituted; nginx's own $variables stay
  python3 - "$REPO/deploy/nginx/congvu.conf.template" "$DIR/congvu.conf" <<'PY'
import os
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
out = re.sub(r"\$\{(CONGVU_[A-Z_]+)\}", lambda m: os.environ[m.group(1)], text)
open(sys.argv[2], "w", encoding="utf-8").write(out)
PY
  cat >"$DIR/nginx.conf" <<CONF
# Written by deploy/local/proxy.sh; edit deploy/nginx/congvu.conf.template instead.
worker_processes 1;
daemon on;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log warn;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    access_log $DIR/logs/access.log;
    client_body_temp_path $DIR/tmp/body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    include $DIR/congvu.conf;
}
CONF
}

case "${1:-}" in
  start)
    command -v nginx >/dev/null 2>&1 || die "nginx not found (Debian: apt-get install -y nginx)"
    if pid >/dev/null; then
      echo "proxy: already running (pid $(pid)) on $CONGVU_PROXY_LISTEN" >&2
      exit 0
    fi
    render
    nginx -t -q -c "$DIR/nginx.conf" -e "$DIR/logs/error.log" || die "nginx -t refused $DIR/nginx.conf"
    nginx -c "$DIR/nginx.conf" -e "$DIR/logs/error.log"
    for _ in $(seq 1 50); do pid >/dev/null && break; sleep 0.1; done
    pid >/dev/null || die "nginx did not start (log: $DIR/logs/error.log)"
    echo "proxy: nginx on http://$CONGVU_PROXY_LISTEN (pid $(pid))" >&2
    ;;
  stop)
    if p=$(pid); then
      nginx -c "$DIR/nginx.conf" -e "$DIR/logs/error.log" -s quit 2>/dev/null || kill -TERM "$p"
      for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$p" 2>/dev/null && kill -TERM "$p"
      echo "proxy: stopped" >&2
    else
      echo "proxy: not running" >&2
    fi
    ;;
  status)
    if p=$(pid); then echo "proxy: running pid $p on $CONGVU_PROXY_LISTEN"; else
      echo "proxy: stopped"
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
