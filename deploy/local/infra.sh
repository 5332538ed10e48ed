#!/usr/bin/env bash
# Local PostgreSQL + Kafka + Keycloak for development and tests, without Docker.
#
#   deploy/local/infra.sh start    start the servers (idempotent; fails loudly, non-zero exit)
#   deploy/local/infra.sh stop     stop them cleanly
#   deploy/local/infra.sh start|stop keycloak   only the named servers (postgres kafka keycloak)
#   deploy/local/infra.sh status   report; exit 0 only when all are up
#   deploy/local/infra.sh env      print the exports for tests:  eval "$(deploy/local/infra.sh env)"
#   deploy/local/infra.sh reset    stop, then delete the PostgreSQL cluster and Kafka data
#                                  (the downloaded Kafka jars in var/kafka/libs are kept)
#
# Settings (environment; use the same values for every call):
#   CONGVU_PG_PORT                PostgreSQL port on 127.0.0.1            (default 55432)
#   CONGVU_KAFKA_PORT             Kafka client listener on 127.0.0.1       (default 19092)
#   CONGVU_KAFKA_CONTROLLER_PORT  Kafka KRaft controller on 127.0.0.1      (default 19093)
#   CONGVU_KEYCLOAK_PORT          Keycloak HTTP on 127.0.0.1               (default 18080)
#   CONGVU_KEYCLOAK               on|off: start Keycloak too               (default on)
#   CONGVU_PG_FSYNC               on|off                                    (default on)
#   CONGVU_INFRA_TIMEOUT          seconds to wait for each server to start (default 120)
#   CONGVU_VAR_DIR                state directory (default <repo>/var). With other ports, this
#                                 runs a second, private pair of servers, e.g. for a test that
#                                 kills servers without disturbing the shared ones. The jars
#                                 stay in <repo>/var/kafka/libs.
#
# Where things live (var/ is git-ignored):
#   var/pg/data          PostgreSQL cluster (owned by the `postgres` user when run as root)
#   var/pg/run           its Unix socket directory;   var/pg/log/postgres.log  its log
#   var/kafka/libs       Kafka 3.9.1 jars from Maven Central (deploy/kafka/pom.xml)
#   var/kafka/data       Kafka log dirs (KRaft metadata + topics)
#   var/kafka/logs       server.log (log4j, WARN) and kafka.out (stdout/stderr of the JVM)
#   var/kafka/kafka.pid, var/kafka/server.properties (rendered from deploy/kafka/*.in)
#   var/keycloak/dist    keycloak-quarkus-dist 26.5.6 zip from Maven Central (shared, cached)
#   var/keycloak/server  the unzipped server (dev H2 database in server/data, reset each start)
#   var/keycloak/demo-password  the demo users' password (random, made once, mode 0600)
#   var/keycloak/logs/keycloak.out, var/keycloak/keycloak.pid
# Keycloak runs `kc.sh start-dev --import-realm` under the Java 25 JDK
# (CONGVU_KEYCLOAK_JAVA_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64), realm
# deploy/keycloak/realm-congvu.json with the demo users' password added at import.
#
# Only loopback addresses are used. PostgreSQL trusts every local connection (dev/test only);
# the role congvu/congvu (superuser: tests create and drop databases) owns database congvu.
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin" # runuser
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
VAR=$(realpath -m "${CONGVU_VAR_DIR:-$REPO/var}")

PG_PORT=${CONGVU_PG_PORT:-55432}
KAFKA_PORT=${CONGVU_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${CONGVU_KAFKA_CONTROLLER_PORT:-19093}
PG_FSYNC=${CONGVU_PG_FSYNC:-on}
TIMEOUT=${CONGVU_INFRA_TIMEOUT:-120}
KC_PORT=${CONGVU_KEYCLOAK_PORT:-18080}
KC_ENABLED=${CONGVU_KEYCLOAK:-on}
KC_JAVA_HOME=${CONGVU_KEYCLOAK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
KC_VERSION=26.5.6
KC_ZIP="$REPO/var/keycloak/dist/keycloak-quarkus-dist-$KC_VERSION.zip" # shared by every VAR
KC_ROOT="$VAR/keycloak"
KC_HOME="$KC_ROOT/server"
KC_PID="$KC_ROOT/keycloak.pid"
KC_LOGS="$KC_ROOT/logs"
KC_PASSWORD_FILE="$KC_ROOT/demo-password"

KAFKA_ROOT="$VAR/kafka"
KAFKA_LIBS="$REPO/var/kafka/libs" # shared by every CONGVU_VAR_DIR
KAFKA_DATA="$KAFKA_ROOT/data"
KAFKA_LOGS="$KAFKA_ROOT/logs"
KAFKA_PID="$KAFKA_ROOT/kafka.pid"
KAFKA_CONF="$KAFKA_ROOT/server.properties"
KAFKA_POM="$REPO/deploy/kafka/pom.xml"
KAFKA_LOG4J="$REPO/deploy/kafka/log4j.properties"

# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system
# user, which must be able to reach the data directory. When var/ sits below a directory that
# user cannot traverse (e.g. a clone under /root), the cluster goes to /tmp/congvu-pg-<hash of
# the var/ path> instead (one per clone). See resolve_pg_root.
VAR_HASH=$(printf '%s' "$VAR" | sha256sum | cut -c1-12)
PG_ALT_ROOT="/tmp/congvu-pg-$VAR_HASH"
PG_ROOT=""   # set by resolve_pg_root

log() { printf 'infra: %s\n' "$*" >&2; }
die() {
  printf 'infra: ERROR: %s\n' "$*" >&2
  exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Is PID $1 a live process? A killed server can stay a zombie for a while when nothing reaps
# it at once (e.g. a container's PID 1); kill -0 would still succeed on it.
alive() {
  local state
  state=$(sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Is something accepting TCP connections on 127.0.0.1:$1 ?
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

show_log_tail() { # file, lines
  if [ -f "$1" ]; then
    printf '\n----- last %s lines of %s -----\n' "$2" "$1" >&2
    tail -n "$2" "$1" >&2 || true
    printf -- '----- end of %s -----\n\n' "$1" >&2
  else
    log "(no log file $1)"
  fi
}

lock() { # serialise start/stop/reset of this clone's servers
  mkdir -p "$VAR"
  exec 9>"$VAR/.infra.lock"
  flock -w 600 9 || die "another infra.sh holds $VAR/.infra.lock for 10 minutes"
}
# Every server started below gets `9>&-`, or it would inherit the lock and hold it forever.

# ---------------------------------------------------------------------------- PostgreSQL --

find_pg_bin() {
  local want="" d
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/pg_ctl" ] || die "PG_BIN=$PG_BIN has no pg_ctl"
    return
  fi
  [ -n "$PG_ROOT" ] && [ -f "$PG_ROOT/data/PG_VERSION" ] && want=$(cat "$PG_ROOT/data/PG_VERSION")
  if [ -n "$want" ] && [ -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]; then
    PG_BIN="/usr/lib/postgresql/$want/bin"
    return
  fi
  # shellcheck disable=SC2012
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/pg_ctl" ]; then
    PG_BIN="$d"
  elif command -v pg_ctl >/dev/null 2>&1; then
    PG_BIN=$(dirname "$(command -v pg_ctl)")
  else
    die "PostgreSQL server binaries not found (Debian: apt-get install -y postgresql)"
  fi
  if [ -n "$want" ]; then
    local have
    have=$("$PG_BIN/pg_ctl" --version | grep -oE '[0-9]+' | head -n 1)
    [ "$have" = "$want" ] || die "cluster in $PG_ROOT/data is PostgreSQL $want but only $have \
is installed; install postgresql-$want or run: deploy/local/infra.sh reset"
  fi
}

# Run a PostgreSQL program as the cluster owner (the `postgres` user when we are root).
as_pg() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The postgres user (or we, when not root) can create files in $1 ?
pg_can_use_dir() {
  local dir=$1
  if is_root; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' system user (apt-get install -y postgresql)"
    mkdir -p "$dir" 2>/dev/null || return 1
    chown postgres:postgres "$dir" && chmod 700 "$dir"
    (cd / && runuser -u postgres -- test -w "$dir" -a -x "$dir")
  else
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]
  fi
}

# Sets PG_ROOT. $1 = "create" to decide where a new cluster goes, else only find an existing one.
resolve_pg_root() {
  if [ -e "$VAR/pg/data/PG_VERSION" ] || [ -e "$VAR/pg/.initialized" ]; then
    PG_ROOT="$VAR/pg"
  elif [ -e "$PG_ALT_ROOT/data/PG_VERSION" ] || [ -e "$PG_ALT_ROOT/.initialized" ]; then
    PG_ROOT="$PG_ALT_ROOT"
  elif [ "${1:-}" = create ]; then
    if pg_can_use_dir "$VAR/pg"; then
      PG_ROOT="$VAR/pg"
    else
      log "the postgres user cannot reach $VAR/pg; using $PG_ALT_ROOT for the cluster"
      rmdir "$VAR/pg" 2>/dev/null || true
      pg_can_use_dir "$PG_ALT_ROOT" || die "cannot create $PG_ALT_ROOT for PostgreSQL"
      PG_ROOT="$PG_ALT_ROOT"
    fi
  else
    PG_ROOT="$VAR/pg"
  fi
  PG_DATA="$PG_ROOT/data"
  PG_LOG="$PG_ROOT/log/postgres.log"
  PG_SOCK="$PG_ROOT/run"
  # A Unix socket path must fit in 107 bytes.
  if [ $((${#PG_SOCK} + 20)) -gt 107 ]; then
    PG_SOCK="/tmp/congvu-pgsock-$VAR_HASH"
  fi
}

pg_initialized() { [ -f "$PG_ROOT/.initialized" ] && [ -f "$PG_DATA/PG_VERSION" ]; }

pg_running() { # a live postmaster for our data dir (postmaster.pid names it)
  local pid
  pg_initialized || return 1
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 1
  # A PID from a killed run may have been reused by another program: check what it is.
  alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] &&
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$PG_DATA" ]
}

pg_running_port() { # 4th line of postmaster.pid
  sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true
}

pg_ready() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 2 >/dev/null 2>&1
}

# Processes of a killed cluster: a postmaster.pid whose PID is gone or belongs to some other
# program, and orphaned backends (every server process has the data dir as its cwd).
pg_cleanup_stale() {
  local pidfile="$PG_DATA/postmaster.pid" p waited=0
  # Called only when pg_running said no live postmaster owns the data dir.
  # First the orphans (they exit by themselves once they notice the postmaster died): while
  # they live, postmaster.pid must stay, its shared-memory key is what stops a new postmaster
  # from starting next to them.
  while :; do
    local orphans=()
    for p in /proc/[0-9]*; do
      [ "$(cat "$p/comm" 2>/dev/null)" = postgres ] || continue
      [ "$(readlink "$p/cwd" 2>/dev/null)" = "$PG_DATA" ] || continue
      orphans+=("${p#/proc/}")
    done
    [ ${#orphans[@]} -eq 0 ] && break
    if [ $waited -ge 10 ]; then
      log "killing leftover postgres processes of $PG_DATA: ${orphans[*]}"
      kill -9 "${orphans[@]}" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  # PostgreSQL ignores a postmaster.pid (and a socket lock file) whose PID is dead, but not one
  # whose PID was reused or is a zombie not yet reaped.
  if [ -f "$pidfile" ]; then
    log "removing stale $pidfile (PID $(head -n 1 "$pidfile" 2>/dev/null) is not our postmaster)"
    rm -f "$pidfile"
  fi
  rm -f "$PG_SOCK"/.s.PGSQL.* 2>/dev/null || true # the socket dir belongs to this cluster only
}

pg_write_conf() {
  local conf="$PG_DATA/congvu.conf"
  as_pg tee "$conf" >/dev/null <<EOF
# Written by deploy/local/infra.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
max_connections = 200
fsync = $PG_FSYNC
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

pg_init() {
  log "initialising PostgreSQL cluster in $PG_DATA"
  if [ -e "$PG_DATA" ]; then # left over from an interrupted initialisation
    rm -rf "$PG_DATA"
  fi
  as_pg mkdir -p "$PG_ROOT/log"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$PG_ROOT/initdb.log" 2>&1 || {
    show_log_tail "$PG_ROOT/initdb.log" 40
    die "initdb failed"
  }
  rm -f "$PG_ROOT/initdb.log"
  printf "\ninclude_if_exists = 'congvu.conf'\n" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
  as_pg touch "$PG_ROOT/.initialized"
}

pg_create_role_db() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'congvu') THEN
    CREATE ROLE congvu LOGIN SUPERUSER PASSWORD 'congvu';
  END IF;
END $$;
SELECT 'CREATE DATABASE congvu OWNER congvu'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'congvu')\gexec
SQL
}

# The compose layout's databases and least-privilege roles (deploy/postgres/init/), so the local
# servers look like production: database assessment owned by assessment_owner (migrations:
# `python -m assessment.entrypoints.migrate`), the service connecting as assessment_app (granted
# INSERT/SELECT on its event tables by the migration); reporting and ballot each owned by their
# service role (their read models and board are created by the service). Dev passwords = names.
pg_create_service_roles() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    >/dev/null <"$REPO/deploy/postgres/init/01-congvu.sql"
}

pg_start() {
  resolve_pg_root create
  find_pg_bin
  if pg_running; then
    local running
    running=$(pg_running_port)
    if [ -n "$running" ] && [ "$running" != "$PG_PORT" ]; then
      die "PostgreSQL ($PG_DATA) is already running on port $running, not $PG_PORT; \
run 'deploy/local/infra.sh stop' first or set CONGVU_PG_PORT=$running"
    fi
    if pg_ready; then
      log "PostgreSQL already running on 127.0.0.1:$PG_PORT ($PG_DATA)"
      pg_create_role_db
      pg_create_service_roles
      return 0
    fi
    log "PostgreSQL process exists but does not answer yet; waiting"
  else
    if port_open "$PG_PORT"; then
      die "port 127.0.0.1:$PG_PORT is taken by another process (another clone's cluster?); \
stop it or choose another port: CONGVU_PG_PORT=<port> deploy/local/infra.sh start"
    fi
    pg_initialized || pg_init
    pg_cleanup_stale
    [ -d "$PG_SOCK" ] || { mkdir -p "$PG_SOCK" && { ! is_root || chown postgres:postgres "$PG_SOCK"; }; }
    as_pg mkdir -p "$PG_ROOT/log"
    pg_write_conf
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT (fsync=$PG_FSYNC, data $PG_DATA)"
    # setsid: the postmaster must not belong to the caller's process group or session (a
    # Ctrl-C in a test run, or a CI job's cleanup, must not take it down).
    local as_owner=()
    if is_root; then as_owner=(runuser -u postgres --); fi
    if ! setsid -w bash -c 'cd / && exec "$@"' _ "${as_owner[@]}" \
      "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" start \
      >"$PG_ROOT/log/pg_ctl-start.out" 2>&1 9>&-; then
      cat "$PG_ROOT/log/pg_ctl-start.out" >&2 || true
      show_log_tail "$PG_LOG" 40
      die "PostgreSQL did not start within ${TIMEOUT}s (log: $PG_LOG)"
    fi
  fi
  local deadline=$((SECONDS + TIMEOUT))
  until pg_ready; do
    if [ $SECONDS -ge $deadline ]; then
      show_log_tail "$PG_LOG" 40
      die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"
    fi
    sleep 0.5
  done
  pg_create_role_db || {
    show_log_tail "$PG_LOG" 20
    die "could not create role/database congvu"
  }
  pg_create_service_roles || die "could not create the service databases and roles"
  log "PostgreSQL ready: postgresql://congvu:congvu@127.0.0.1:$PG_PORT/congvu"
}

pg_stop() {
  resolve_pg_root
  if ! pg_initialized; then
    log "PostgreSQL: no cluster"
    return 0
  fi
  find_pg_bin
  if ! pg_running; then
    log "PostgreSQL not running"
    pg_cleanup_stale
    return 0
  fi
  log "stopping PostgreSQL"
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 9>&-; then
    log "fast shutdown did not finish; immediate shutdown"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 9>&- || true
  fi
  pg_running && die "PostgreSQL did not stop (data $PG_DATA)"
  log "PostgreSQL stopped"
}

pg_status() {
  resolve_pg_root
  if ! pg_initialized; then
    echo "postgresql: not initialised (would live in $VAR/pg or $PG_ALT_ROOT)"
    return 1
  fi
  find_pg_bin
  if pg_running; then
    local port
    port=$(pg_running_port)
    if PG_PORT=$port pg_ready; then
      echo "postgresql: running  127.0.0.1:$port  pid $(head -n 1 "$PG_DATA/postmaster.pid")  data $PG_DATA"
      return 0
    fi
    echo "postgresql: process running but not answering on 127.0.0.1:$port  data $PG_DATA"
    return 1
  fi
  echo "postgresql: stopped  data $PG_DATA"
  return 1
}

# --------------------------------------------------------------------------------- Kafka --

kafka_pid() { # prints the PID when our broker is alive, else returns 1 (and drops a stale file)
  local pid
  [ -f "$KAFKA_PID" ] || return 1
  pid=$(cat "$KAFKA_PID" 2>/dev/null || true)
  if [ -n "$pid" ] && alive "$pid" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $KAFKA_CONF"; then
    echo "$pid"
    return 0
  fi
  return 1
}

kafka_drop_stale_pid() {
  if [ -f "$KAFKA_PID" ] && ! kafka_pid >/dev/null; then
    log "removing stale $KAFKA_PID"
    rm -f "$KAFKA_PID"
  fi
}

kafka_libs() {
  local want have=""
  want=$(sha256sum "$KAFKA_POM" | cut -c1-64)
  [ -f "$KAFKA_LIBS/.complete" ] && have=$(cat "$KAFKA_LIBS/.complete")
  [ "$want" = "$have" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "maven not found (Debian: apt-get install -y maven)"
  mkdir -p "$REPO/var"
  (
    # several CONGVU_VAR_DIRs share the jars: one download at a time
    flock -w 600 8 || die "timed out waiting for $REPO/var/.kafka-libs.lock"
    have=""
    [ -f "$KAFKA_LIBS/.complete" ] && have=$(cat "$KAFKA_LIBS/.complete")
    [ "$want" = "$have" ] && exit 0
    kafka_download_libs "$want"
  ) 8>"$REPO/var/.kafka-libs.lock"
}

kafka_download_libs() {
  local want=$1
  log "downloading Kafka jars with Maven into $KAFKA_LIBS"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_ROOT"
  if ! mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies \
    -Dkafka.libs.dir="$KAFKA_LIBS" >"$KAFKA_ROOT/mvn.log" 2>&1; then
    show_log_tail "$KAFKA_ROOT/mvn.log" 40
    die "could not fetch the Kafka jars (mvn -f $KAFKA_POM dependency:copy-dependencies)"
  fi
  ls "$KAFKA_LIBS"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar in $KAFKA_LIBS"
  echo "$want" >"$KAFKA_LIBS/.complete"
}

kafka_python() {
  local py
  if [ -x "$REPO/.venv/bin/python" ]; then py="$REPO/.venv/bin/python"; else py=python3; fi
  "$py" -c 'import aiokafka' 2>/dev/null ||
    die "$py cannot import aiokafka; create the venv first: python3.11 -m venv .venv && .venv/bin/pip install -e '.[dev]'"
  echo "$py"
}

kafka_java_opts() {
  KAFKA_LOG_OPTS=(-Dlog4j.configuration="file:$KAFKA_LOG4J" -Dkafka.logs.dir="$KAFKA_LOGS")
}

kafka_start() {
  local pid
  mkdir -p "$KAFKA_ROOT" "$KAFKA_LOGS"
  if pid=$(kafka_pid); then
    local running
    running=$(sed -n 's#^advertised.listeners=PLAINTEXT://127.0.0.1:##p' "$KAFKA_CONF" 2>/dev/null || true)
    if [ -n "$running" ] && [ "$running" != "$KAFKA_PORT" ]; then
      die "Kafka is already running on port $running, not $KAFKA_PORT; \
run 'deploy/local/infra.sh stop' first or set CONGVU_KAFKA_PORT=$running"
    fi
    log "Kafka already running on 127.0.0.1:$KAFKA_PORT (pid $pid)"
  else
    kafka_drop_stale_pid
    command -v java >/dev/null 2>&1 || die "java not found (Debian: apt-get install -y openjdk-17-jre-headless)"
    for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
      if port_open "$p"; then
        die "port 127.0.0.1:$p is taken by another process (another clone's broker?); stop it \
or choose other ports: CONGVU_KAFKA_PORT=<p> CONGVU_KAFKA_CONTROLLER_PORT=<p> deploy/local/infra.sh start"
      fi
    done
    kafka_libs
    kafka_java_opts
    sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
      -e "s#@KAFKA_CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      -e "s#@KAFKA_DATA_DIR@#$KAFKA_DATA#g" \
      "$REPO/deploy/kafka/server.properties.in" >"$KAFKA_CONF"
    if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
      # Never started without meta.properties, so a leftover directory holds no data.
      rm -rf "$KAFKA_DATA"
      local cid
      cid=$(java -cp "$KAFKA_LIBS/*" "${KAFKA_LOG_OPTS[@]}" kafka.tools.StorageTool random-uuid)
      log "formatting Kafka storage in $KAFKA_DATA (cluster id $cid)"
      java -cp "$KAFKA_LIBS/*" "${KAFKA_LOG_OPTS[@]}" kafka.tools.StorageTool format \
        -t "$cid" -c "$KAFKA_CONF" >"$KAFKA_LOGS/format.out" 2>&1 || {
        show_log_tail "$KAFKA_LOGS/format.out" 40
        die "kafka storage format failed"
      }
    fi
    log "starting Kafka on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT, data $KAFKA_DATA)"
    {
      printf '\n===== %s infra.sh start =====\n' "$(date -Is)"
    } >>"$KAFKA_LOGS/kafka.out"
    # The inner bash writes its own PID and then becomes the JVM, so the PID file is right
    # even when setsid has to fork. setsid: see pg_start.
    rm -f "$KAFKA_PID"
    # shellcheck disable=SC2016
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$KAFKA_PID" \
      java -Xms512m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true "${KAFKA_LOG_OPTS[@]}" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF" \
      </dev/null >>"$KAFKA_LOGS/kafka.out" 2>&1 9>&- &
    local deadline=$((SECONDS + TIMEOUT))
    until [ -s "$KAFKA_PID" ] || [ $SECONDS -ge $((deadline - TIMEOUT + 10)) ]; do sleep 0.1; done
    until port_open "$KAFKA_PORT"; do
      if ! kafka_pid >/dev/null; then
        show_log_tail "$KAFKA_LOGS/server.log" 40
        show_log_tail "$KAFKA_LOGS/kafka.out" 20
        die "Kafka exited during startup"
      fi
      if [ $SECONDS -ge $deadline ]; then
        show_log_tail "$KAFKA_LOGS/server.log" 40
        show_log_tail "$KAFKA_LOGS/kafka.out" 20
        die "Kafka did not open 127.0.0.1:$KAFKA_PORT within ${TIMEOUT}s (pid $(cat "$KAFKA_PID"))"
      fi
      sleep 0.5
    done
  fi
  local py
  py=$(kafka_python)
  if ! "$py" "$REPO/deploy/kafka/create_topics.py" --bootstrap "127.0.0.1:$KAFKA_PORT" \
    --timeout 60 2>"$KAFKA_LOGS/create_topics.out"; then
    cat "$KAFKA_LOGS/create_topics.out" >&2
    show_log_tail "$KAFKA_LOGS/server.log" 40
    die "Kafka is not usable: topics could not be created"
  fi
  log "Kafka ready: 127.0.0.1:$KAFKA_PORT, topics from deploy/kafka/topics.json present"
}

kafka_stop() {
  local pid i
  if ! pid=$(kafka_pid); then
    kafka_drop_stale_pid
    log "Kafka not running"
    return 0
  fi
  log "stopping Kafka (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 120; i++)); do
    alive "$pid" || break
    sleep 0.5
  done
  if alive "$pid"; then
    log "Kafka did not stop within 60s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$KAFKA_PID"
  log "Kafka stopped"
}

kafka_status() {
  local pid
  if pid=$(kafka_pid); then
    local port
    port=$(sed -n 's#^advertised.listeners=PLAINTEXT://127.0.0.1:##p' "$KAFKA_CONF")
    if port_open "$port"; then
      echo "kafka:      running  127.0.0.1:$port  pid $pid  data $KAFKA_DATA"
      return 0
    fi
    echo "kafka:      process $pid running but 127.0.0.1:$port not answering  data $KAFKA_DATA"
    return 1
  fi
  echo "kafka:      stopped  data $KAFKA_DATA"
  return 1
}

# ------------------------------------------------------------------------------ Keycloak --

kc_enabled() { [ "$KC_ENABLED" != off ] && [ "$KC_ENABLED" != 0 ] && [ "$KC_ENABLED" != false ]; }

kc_pid() { # prints the PID when our Keycloak is alive
  local pid
  [ -f "$KC_PID" ] || return 1
  pid=$(cat "$KC_PID" 2>/dev/null || true)
  if [ -n "$pid" ] && alive "$pid" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$KC_HOME/bin/"; then
    echo "$pid"
    return 0
  fi
  return 1
}

kc_zip() {
  [ -s "$KC_ZIP" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "maven not found (Debian: apt-get install -y maven)"
  mkdir -p "$REPO/var/keycloak"
  (
    flock -w 600 8 || die "timed out waiting for $REPO/var/.keycloak-dist.lock"
    [ -s "$KC_ZIP" ] && exit 0
    log "downloading org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip with Maven"
    mvn -q -B -Dstyle.color=never dependency:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
      -DoutputDirectory="$(dirname "$KC_ZIP")" >"$REPO/var/keycloak/mvn.log" 2>&1 || {
      show_log_tail "$REPO/var/keycloak/mvn.log" 40
      die "could not fetch keycloak-quarkus-dist $KC_VERSION"
    }
  ) 8>"$REPO/var/.keycloak-dist.lock"
}

kc_password() {
  if [ ! -s "$KC_PASSWORD_FILE" ]; then
    mkdir -p "$KC_ROOT"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$KC_PASSWORD_FILE")
  fi
  cat "$KC_PASSWORD_FILE"
}

kc_render_realm() { # the repository's realm plus the demo password, for this import only
  local out=$1
  (umask 077 && python3 - "$REPO/deploy/keycloak/realm-congvu.json" "$out" "$(kc_password)" <<'PY'
import json
import sys

src, out, password = sys.argv[1:4]
with open(src, encoding="utf-8") as fh:
    realm = json.load(fh)
for user in realm.get("users", []):
    user["credentials"] = [{"type": "password", "value": password, "temporary": False}]
with open(out, "w", encoding="utf-8") as fh:
    json.dump(realm, fh, ensure_ascii=False)
PY
  )
}

keycloak_start() {
  kc_enabled || { log "Keycloak disabled (CONGVU_KEYCLOAK=$KC_ENABLED)"; return 0; }
  local pid
  if pid=$(kc_pid); then
    local running
    running=$(cat "$KC_ROOT/port" 2>/dev/null || true)
    if [ -n "$running" ] && [ "$running" != "$KC_PORT" ]; then
      die "Keycloak is already running on port $running, not $KC_PORT; \
run 'deploy/local/infra.sh stop' first or set CONGVU_KEYCLOAK_PORT=$running"
    fi
    log "Keycloak already running on 127.0.0.1:$KC_PORT (pid $pid)"
    return 0
  fi
  rm -f "$KC_PID"
  [ -x "$KC_JAVA_HOME/bin/java" ] || die "no Java 25 JDK at $KC_JAVA_HOME (set CONGVU_KEYCLOAK_JAVA_HOME)"
  port_open "$KC_PORT" && die "port 127.0.0.1:$KC_PORT is taken by another process (another \
clone's Keycloak?); choose another: CONGVU_KEYCLOAK_PORT=<port> deploy/local/infra.sh start"
  kc_zip
  if [ ! -x "$KC_HOME/bin/kc.sh" ] || [ "$(cat "$KC_HOME/.zip" 2>/dev/null)" != "$KC_VERSION" ]; then
    log "unpacking Keycloak $KC_VERSION into $KC_HOME"
    rm -rf "$KC_HOME" "$KC_ROOT/unpack"
    mkdir -p "$KC_ROOT/unpack"
    (cd "$KC_ROOT/unpack" && jar_or_unzip "$KC_ZIP")
    mv "$KC_ROOT/unpack/keycloak-$KC_VERSION" "$KC_HOME"
    rmdir "$KC_ROOT/unpack"
    echo "$KC_VERSION" >"$KC_HOME/.zip"
  fi
  # dev database is disposable: every start imports the realm of the repository afresh
  rm -rf "$KC_HOME/data"
  mkdir -p "$KC_HOME/data/import" "$KC_LOGS"
  kc_render_realm "$KC_HOME/data/import/realm-congvu.json"
  echo "$KC_PORT" >"$KC_ROOT/port"
  printf '\n===== %s infra.sh start =====\n' "$(date -Is)" >>"$KC_LOGS/keycloak.out"
  log "starting Keycloak $KC_VERSION on 127.0.0.1:$KC_PORT (realm congvu)"
  # shellcheck disable=SC2016
  JAVA_HOME="$KC_JAVA_HOME" PATH="$KC_JAVA_HOME/bin:$PATH" \
    JAVA_OPTS_KC_HEAP="-Xms256m -Xmx768m" \
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$KC_PID" \
    "$KC_HOME/bin/kc.sh" start-dev --http-host 127.0.0.1 --http-port "$KC_PORT" \
    --import-realm --hostname-strict false --log-level WARN,org.keycloak.services:INFO \
    </dev/null >>"$KC_LOGS/keycloak.out" 2>&1 9>&- &
  local deadline=$((SECONDS + TIMEOUT + 240)) # Quarkus build + import: slower than the others
  until curl -fsS -o /dev/null "http://127.0.0.1:$KC_PORT/realms/congvu/.well-known/openid-configuration" 2>/dev/null; do
    if ! [ -s "$KC_PID" ] || ! alive "$(cat "$KC_PID")"; then
      show_log_tail "$KC_LOGS/keycloak.out" 40
      die "Keycloak exited during startup"
    fi
    if [ $SECONDS -ge $deadline ]; then
      show_log_tail "$KC_LOGS/keycloak.out" 40
      die "Keycloak did not serve realm congvu on 127.0.0.1:$KC_PORT in time"
    fi
    sleep 1
  done
  log "Keycloak ready: http://127.0.0.1:$KC_PORT/realms/congvu (demo password in $KC_PASSWORD_FILE)"
}

jar_or_unzip() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$1"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(".")' "$1"
    chmod +x keycloak-*/bin/*.sh
  fi
}

keycloak_stop() {
  local pid i
  if ! pid=$(kc_pid); then
    rm -f "$KC_PID"
    log "Keycloak not running"
    return 0
  fi
  log "stopping Keycloak (pid $pid)"
  # the PID is kc.sh (it forwards TERM to its JVM) or, after a re-augmentation, the JVM
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do
    alive "$pid" || break
    sleep 0.5
  done
  if alive "$pid"; then
    log "Keycloak did not stop within 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$KC_PID"
  log "Keycloak stopped"
}

keycloak_status() {
  kc_enabled || { echo "keycloak:   disabled"; return 0; }
  local pid port
  port=$(cat "$KC_ROOT/port" 2>/dev/null || echo "$KC_PORT")
  if pid=$(kc_pid); then
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/realms/congvu/.well-known/openid-configuration" 2>/dev/null; then
      echo "keycloak:   running  http://127.0.0.1:$port/realms/congvu  pid $pid"
      return 0
    fi
    echo "keycloak:   process $pid running but realm congvu not served on :$port"
    return 1
  fi
  echo "keycloak:   stopped  home $KC_HOME"
  return 1
}

# ---------------------------------------------------------------------------------- main --

cmd=${1:-}
shift || true
only=" ${*:-postgres kafka keycloak} "
for part in $only; do
  case "$part" in postgres | kafka | keycloak) ;; *) die "unknown server '$part'" ;; esac
done
wants() { [[ "$only" == *" $1 "* ]]; }
case "$cmd" in
  start)
    lock
    t0=$SECONDS
    if wants postgres; then pg_start; fi
    if wants kafka; then kafka_start; fi
    if wants keycloak; then keycloak_start; fi
    log "all servers up ($((SECONDS - t0))s). For tests: eval \"\$(deploy/local/infra.sh env)\""
    ;;
  stop)
    lock
    if wants keycloak; then keycloak_stop; fi
    if wants kafka; then kafka_stop; fi
    if wants postgres; then pg_stop; fi
    ;;
  status)
    rc=0
    pg_status || rc=1
    kafka_status || rc=1
    keycloak_status || rc=1
    exit $rc
    ;;
  env)
    echo "export TEST_DATABASE_URL=postgresql://congvu:congvu@127.0.0.1:$PG_PORT/congvu"
    echo "export TEST_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT"
    if kc_enabled; then
      echo "export TEST_KEYCLOAK_URL=http://127.0.0.1:$KC_PORT/realms/congvu"
      [ -s "$KC_PASSWORD_FILE" ] && echo "export TEST_KEYCLOAK_DEMO_PASSWORD=$(cat "$KC_PASSWORD_FILE")"
    fi
    ;;
  reset)
    lock
    keycloak_stop
    kafka_stop
    pg_stop
    log "deleting $VAR/pg $PG_ALT_ROOT $KAFKA_DATA $KAFKA_LOGS (jars in $KAFKA_LIBS are kept)"
    rm -rf "$VAR/pg" "$PG_ALT_ROOT" "/tmp/congvu-pgsock-$VAR_HASH" "$KAFKA_DATA" "$KAFKA_LOGS" \
      "$KAFKA_PID" "$KAFKA_CONF" "$KC_HOME/data"
    ;;
  *)
    echo "usage: $0 start|stop|status|env|reset [postgres kafka keycloak]" >&2
    exit 2
    ;;
esac
