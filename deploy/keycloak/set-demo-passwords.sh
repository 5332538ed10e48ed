#!/usr/bin/env bash
# Give the demo users of realm "congvu" a password (none is stored in the repository).
#   KEYCLOAK_ADMIN_PASSWORD=... DEMO_USER_PASSWORD=... deploy/keycloak/set-demo-passwords.sh
# Runs kcadm.sh inside the keycloak container of docker-compose.yml.
set -euo pipefail
: "${KEYCLOAK_ADMIN_PASSWORD:?set KEYCLOAK_ADMIN_PASSWORD}"
: "${DEMO_USER_PASSWORD:?set DEMO_USER_PASSWORD}"
kc() { docker compose exec -T keycloak /opt/keycloak/bin/kcadm.sh "$@"; }
kc config credentials --server http://localhost:8080 --realm master --user admin \
  --password "$KEYCLOAK_ADMIN_PASSWORD"
for user in snv.tonghop syt.lanhdao snv.vanthu pct.vanxa bcsd.thuky chu-tich kiemtoan to-chuc-phieu \
  syt.thutruong sgddt.vanthu thanhtra syt.canbo syt.vienchuc syt.tccb; do
  kc set-password -r congvu --username "$user" --new-password "$DEMO_USER_PASSWORD"
done
echo "ok: token with  curl -d grant_type=password -d client_id=congvu-web -d username=snv.tonghop \
-d password=\$DEMO_USER_PASSWORD http://localhost:8080/realms/congvu/protocol/openid-connect/token"
