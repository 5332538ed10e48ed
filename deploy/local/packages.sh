#!/usr/bin/env bash
# Installs the Debian packages the tests and servers need, only when missing (apt-get update
# only then). Used by .ci/run and by `make test` on a fresh machine. Needs root to install.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
say() { printf '\n=== packages: %s\n' "$*" >&2; }
fail() {
  printf '\n=== packages: FAILED: %s\n' "$*" >&2
  exit 1
}
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

have_pg() {
  id postgres >/dev/null 2>&1 || return 1
  compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || command -v pg_ctl >/dev/null 2>&1
}
have_libsodium() {
  dpkg-query -W -f='${Status}' libsodium23 2>/dev/null | grep -q 'ok installed' ||
    /sbin/ldconfig -p 2>/dev/null | grep -q 'libsodium\.so\.23'
}

# --stack: also what `make test-stack` needs to build and run the containers (podman with runc,
# netavark and its iptables, debootstrap for the base image). Not installed otherwise.
STACK=0
[ "${1:-}" = --stack ] && STACK=1

missing=()
if [ "$STACK" = 1 ]; then
  for tool in podman runc debootstrap iptables; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
  done
  [ -x /usr/lib/podman/netavark ] || missing+=(netavark aardvark-dns)
  dpkg-query -W -f='${Status}' uidmap 2>/dev/null | grep -q 'ok installed' || missing+=(uidmap)
fi
have_pg || missing+=(postgresql)
have_libsodium || missing+=(libsodium23)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v make >/dev/null 2>&1 || missing+=(make)
# the reverse proxy of production mode (deploy/nginx/), started for real by a test
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# Keycloak 26 needs Java 21+: the machine image ships Temurin 25 beside Java 17
[ -x "${CONGVU_KEYCLOAK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" ] ||
  echo "packages: no Java 25 JDK at /usr/lib/jvm/temurin-25-jdk-amd64 (Keycloak needs Java 21+;" \
    "set CONGVU_KEYCLOAK_JAVA_HOME)" >&2
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# headless browser for the voter-page tests (Playwright drives it; it never downloads one)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# PDF reports are looked at as PNG (pdftoppm) in the report tests
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if ! command -v python3.11 >/dev/null 2>&1; then
  missing+=(python3.11 python3.11-venv)
elif [ ! -x .venv/bin/python ] && ! python3.11 -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3.11-venv)
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || fail "missing packages (${missing[*]}) and not root"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "system packages present"
fi

