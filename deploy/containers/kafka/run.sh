#!/bin/bash
# server.properties from the environment (KAFKA_LOG_DIRS -> log.dirs; KAFKA_HEAP_OPTS and
# CLUSTER_ID are not properties), format the log dir on first start, exec the broker.
set -euo pipefail
conf=/opt/kafka/config/server.properties
: >"$conf"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_OPTS) continue ;;
    KAFKA_*)
      key=${name#KAFKA_}
      key=${key,,}
      printf '%s=%s\n' "${key//_/.}" "$value" >>"$conf"
      ;;
  esac
done < <(env)
log_dir=$(sed -n 's/^log\.dirs=//p' "$conf")
: "${log_dir:=/var/lib/kafka/data}"
cp=(-cp "/opt/kafka/libs/*" -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties)
if [ ! -f "$log_dir/meta.properties" ]; then
  java "${cp[@]}" kafka.tools.StorageTool format --ignore-formatted \
    -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$conf"
fi
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -Djava.awt.headless=true "${cp[@]}" ${KAFKA_OPTS:-} kafka.Kafka "$conf"
