#!/bin/bash
# What the compose health check calls (as in the apache/kafka image).
exec java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "/opt/kafka/libs/*" \
  -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties \
  kafka.admin.BrokerApiVersionsCommand "$@"
