#!/usr/bin/env bash
# The whole compose topology under podman, with the CI images (docker-compose.ci.yml):
#
#   deploy/containers/stack.sh up      build what is missing, write var/containers/stack.env
#                                      (random passwords, ports), start everything, wait until
#                                      every long-running container is healthy
#   deploy/containers/stack.sh down    stop and remove the containers, volumes and network
#   deploy/containers/stack.sh ps | logs [service] | compose <podman-compose arguments>
#   deploy/containers/stack.sh health  run every container's health check once (see below)
#
# podman 4.3 (Debian bookworm) runs health checks from systemd timers; where there is no
# systemd (containers, CI) nothing runs them, so `up` starts a small loop (var/containers/
# health.pid) that calls `podman healthcheck run` for each container every few seconds:
# compose's depends_on conditions and the restart policies then behave as under Docker.
# Host ports are 2xxxx (not the defaults, which the shared development servers use).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
HERE="$REPO/deploy/containers"
STATE="$REPO/var/containers"
ENVFILE="$STATE/stack.env"
PROJECT=${CONGVU_STACK_PROJECT:-congvu-ci}
COMPOSE_BIN=${CONGVU_PODMAN_COMPOSE:-$STATE/tools/bin/podman-compose}
PODMAN_COMPOSE_VERSION=1.6.0
# shellcheck source=deploy/containers/podman.sh
source "$HERE/podman.sh"
cd "$REPO"
say() { printf '=== stack: %s\n' "$*" >&2; }

files() {
  echo docker-compose.yml
  echo docker-compose.ci.yml
}

compose() {
  local f=() p
  for p in $(files); do f+=(-f "$p"); done
  set -a
  # shellcheck disable=SC1090
  source "$ENVFILE"
  set +a
  "$COMPOSE_BIN" --podman-path "$HERE/podman-runc" -p "$PROJECT" "${f[@]}" "$@"
}

tools() {
  if [ ! -x "$COMPOSE_BIN" ]; then
    say "installing podman-compose==$PODMAN_COMPOSE_VERSION (PyPI) into $STATE/tools"
    python3.11 -m venv "$STATE/tools"
    "$STATE/tools/bin/pip" install -q --disable-pip-version-check "podman-compose==$PODMAN_COMPOSE_VERSION"
  fi
}

token() { "$REPO/.venv/bin/python" -c "import secrets; print(secrets.token_urlsafe($1))"; }

write_env() {
  mkdir -p "$STATE/secrets"
  chmod 700 "$STATE/secrets"
  [ -s "$ENVFILE" ] && return 0
  local py="$REPO/.venv/bin/python"
  local s=$STATE/secrets k
  rm -f "$s"/*
  for k in ballot-board-key audit-signing-key; do
    # (audit keygen prints the public half: the API's copy of the checkpoint key)
    "$REPO/.venv/bin/audit" keygen --out "$s/$k.pem" >"$s/$k.pub.pem"
  done
  "$py" -c 'import secrets; print(secrets.token_hex(32))' >"$s/event-tag.key"
  # readable by the app's user inside the containers (uid 10001) and nobody else
  chown 10001:10001 "$s"/*
  chmod 400 "$s"/*
  (umask 077 && cat >"$ENVFILE") <<ENV
POSTGRES_PASSWORD=$(token 18)
DB_ASSESSMENT_OWNER_PASSWORD=$(token 18)
DB_ASSESSMENT_APP_PASSWORD=$(token 18)
DB_REPORTING_APP_PASSWORD=$(token 18)
DB_BALLOT_APP_PASSWORD=$(token 18)
KEYCLOAK_ADMIN_PASSWORD=$(token 18)
DEMO_USER_PASSWORD=$(token 12)
CONGVU_WEB_SESSION_KEY=$(token 32)
BALLOT_BOARD_KEY_PATH=$s/ballot-board-key.pem
AUDIT_SIGNING_KEY_PATH=$s/audit-signing-key.pem
AUDIT_PUBLIC_KEY_PATH=$s/audit-signing-key.pub.pem
EVENT_TAG_KEY_PATH=$s/event-tag.key
HOST_POSTGRES_PORT=${HOST_POSTGRES_PORT:-25432}
HOST_KAFKA_PORT=${HOST_KAFKA_PORT:-29092}
HOST_KEYCLOAK_PORT=${HOST_KEYCLOAK_PORT:-28080}
HOST_ASSESSMENT_API_PORT=${HOST_ASSESSMENT_API_PORT:-28000}
HOST_REPORTING_API_PORT=${HOST_REPORTING_API_PORT:-28001}
HOST_BALLOT_API_PORT=${HOST_BALLOT_API_PORT:-28002}
HOST_PROXY_PORT=${HOST_PROXY_PORT:-28088}
LOG_LEVEL=INFO
ENV
}

container_of() { # service
  pm ps -a --filter "label=io.podman.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -1
}

# podman-compose 1.6 on podman 4.3 ignores depends_on conditions ("podman 4.3.1 doesn't
# support healthy"): start level by level, each service reaching its goal first.
start_in_order() {
  local -a f level levels
  local item svc goal c st deadline line
  mapfile -t f < <(files)
  # the levels first: podman, inside the loop, would read the rest of a piped stdin
  mapfile -t levels < <("$REPO/.venv/bin/python" "$HERE/start_order.py" "${f[@]}")
  [ ${#levels[@]} -gt 0 ] || { say "no start order"; exit 1; }
  for line in "${levels[@]}"; do
    read -r -a level <<<"$line"
    for item in "${level[@]}"; do
      c=$(container_of "${item%%:*}")
      [ -n "$c" ] || { say "no container for ${item%%:*}"; exit 1; }
      pm start "$c" >/dev/null 2>"$STATE/start.err" || { cat "$STATE/start.err" >&2; exit 1; }
    done
    for item in "${level[@]}"; do
      svc=${item%%:*} goal=${item#*:} c=$(container_of "${item%%:*}")
      deadline=$((SECONDS + ${CONGVU_STACK_TIMEOUT:-600}))
      while true; do
        [ "$goal" = healthy ] && pm healthcheck run "$c" >/dev/null 2>&1 || true
        st=$(pm inspect -f '{{.State.Status}} {{.State.ExitCode}} {{if .State.Healthcheck}}{{.State.Healthcheck.Status}}{{end}}' "$c")
        case "$goal:$st" in
          "healthy:running 0 healthy" | running:running* | "completed:exited 0"*) break ;;
          completed:exited*) say "$svc exited: $st"; pm logs --tail 30 "$c" >&2; exit 1 ;;
        esac
        if [ $SECONDS -gt $deadline ]; then
          say "$svc did not become $goal: $st"
          pm logs --tail 40 "$c" >&2
          exit 1
        fi
        sleep 4
      done
      say "$svc $goal after $((SECONDS - T0)) s"
    done
  done
}

containers() { pm ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}'; }

health_once() {
  local c
  for c in $(pm ps --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}'); do
    pm healthcheck run "$c" >/dev/null 2>&1 || true
  done
}

health_loop() {
  if [ -f "$STATE/health.pid" ] && kill -0 "$(cat "$STATE/health.pid")" 2>/dev/null; then return; fi
  (
    exec >/dev/null 2>&1 </dev/null
    while true; do
      health_once
      sleep "${CONGVU_HEALTH_EVERY:-10}"
    done
  ) &
  echo $! >"$STATE/health.pid"
}

stop_health_loop() {
  if [ -f "$STATE/health.pid" ]; then
    kill "$(cat "$STATE/health.pid")" 2>/dev/null || true
    rm -f "$STATE/health.pid"
  fi
}

# every long-running service healthy, the one-shots (kafka-init, assessment-migrate) exited 0
wait_healthy() {
  local deadline=$((SECONDS + ${CONGVU_STACK_TIMEOUT:-600})) c st bad
  while true; do
    bad=()
    for c in $(containers); do
      st=$(pm inspect -f '{{.State.Status}} {{if .State.Healthcheck}}{{.State.Healthcheck.Status}}{{end}} {{.State.ExitCode}}' "$c")
      case "$c" in
        *kafka-init* | *-migrate*) [[ "$st" == exited*" 0" ]] || bad+=("$c:$st") ;;
        *) [[ "$st" == running\ healthy* ]] || bad+=("$c:$st") ;;
      esac
    done
    if [ ${#bad[@]} -eq 0 ] && [ -n "$(containers)" ]; then
      say "all healthy after $((SECONDS - T0)) s"
      return 0
    fi
    if [ $SECONDS -gt $deadline ]; then
      say "not healthy: ${bad[*]}"
      return 1
    fi
    sleep 3
  done
}

T0=$SECONDS
cmd=${1:-}
shift || true
case "$cmd" in
  up)
    tools
    write_env
    "$HERE/build.sh"
    health_loop
    say "podman-compose up --no-start"
    # --no-deps: no podman --requires links (start_in_order does the order; with the links,
    # podman 4.3 cannot start a service that depends on an exited one-shot like kafka-init)
    compose up -d --no-start --no-deps "$@" >"$STATE/compose-up.log" 2>&1 ||
      { tail -30 "$STATE/compose-up.log" >&2; exit 1; }
    start_in_order
    wait_healthy
    ;;
  down)
    stop_health_loop
    [ -s "$ENVFILE" ] && compose down -v -t 10 >"$STATE/compose-down.log" 2>&1 || true
    ;;
  health) health_once ;;
  wait) wait_healthy ;;
  ps) pm ps -a --filter "label=io.podman.compose.project=$PROJECT" ;;
  logs) compose logs "$@" ;;
  compose) compose "$@" ;;
  env) cat "$ENVFILE" ;;
  *)
    sed -n '2,15p' "${BASH_SOURCE[0]}"
    exit 2
    ;;
esac
