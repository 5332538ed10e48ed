#!/bin/bash
# The passwords of the service roles that 01-congvu.sql creates, from the environment of the
# postgres container (docker-compose.yml: DB_*_PASSWORD). Run once, on an empty data directory,
# by the image's entrypoint after 01-congvu.sql; a variable left unset keeps the development
# default (= role name, what deploy/local/infra.sh uses). psql's :'var' quoting keeps the
# password out of the command line; the server log does not record it (log_statement = none).
set -euo pipefail
for pair in assessment_owner:DB_ASSESSMENT_OWNER_PASSWORD assessment_app:DB_ASSESSMENT_APP_PASSWORD \
  reporting_app:DB_REPORTING_APP_PASSWORD ballot_app:DB_BALLOT_APP_PASSWORD; do
  role=${pair%%:*} var=${pair#*:}
  [ -n "${!var:-}" ] || continue
  printf '%s\n' "ALTER ROLE :\"role\" PASSWORD :'pw';" |
    psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres \
      -v role="$role" -v pw="${!var}"
  echo "init: password of $role set from $var"
done
