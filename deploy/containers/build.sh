#!/usr/bin/env bash
# Builds every image of the stack with podman, from Debian packages, PyPI, npm and Maven Central
# only (no public container registry), tagged :ci for docker-compose.ci.yml:
#   localhost/congvu-bookworm-min        debootstrap base (base.sh; cached under var/containers)
#   localhost/congvu-python-base:ci      + python3 (3.11), for the app image's Python stages
#   localhost/congvu-node-base:ci        + nodejs, npm, for the app image's Node stage
#   localhost/congvu-app:ci              deploy/docker/app.Dockerfile with those two as bases
#   localhost/congvu-postgres:ci  localhost/congvu-kafka:ci  localhost/congvu-keycloak:ci
#   localhost/congvu-nginx:ci
#
#   deploy/containers/build.sh [image ...]    (default: all; names without prefix and tag)
#
# Prints each image's build time. Layers are cached by podman: a second run takes seconds.
set -euo pipefail
umask 022 # the image contexts must stay readable by the images' users
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
HERE="$REPO/deploy/containers"
CTX="$REPO/var/containers/ctx"
TAG=${CONGVU_IMAGE_TAG:-ci}
BASE=localhost/congvu-bookworm-min
KEYCLOAK_VERSION=26.5.6
# shellcheck source=deploy/containers/podman.sh
source "$HERE/podman.sh"
cd "$REPO"

say() { printf '=== build: %s\n' "$*" >&2; }
build() { # name, context, containerfile, extra args...
  local name=$1 ctx=$2 file=$3 t0=$SECONDS
  shift 3
  say "$name"
  nice -n 10 "${CONGVU_PODMAN:-podman}" --runtime "${CONGVU_OCI_RUNTIME:-runc}" build \
    --isolation chroot --pull=never --layers -q -f "$file" -t "localhost/congvu-$name:$TAG" \
    --build-arg "BASE=$BASE" "$@" "$ctx" >/dev/null
  say "$name: $((SECONDS - t0)) s"
}

kafka_context() {
  local libs="$REPO/var/kafka/libs"
  if ! ls "$libs"/kafka_2.13-*.jar >/dev/null 2>&1; then
    say "fetching the Kafka jars (mvn -f deploy/kafka/pom.xml)"
    mvn -q -B -f deploy/kafka/pom.xml dependency:copy-dependencies -Dkafka.libs.dir="$libs"
  fi
  rm -rf "$CTX/kafka" && mkdir -p "$CTX/kafka/libs"
  cp "$HERE"/kafka/* "$CTX/kafka/"
  cp -l "$libs"/*.jar "$CTX/kafka/libs/" 2>/dev/null || cp "$libs"/*.jar "$CTX/kafka/libs/"
}

keycloak_context() {
  local dir="$CTX/keycloak" jdk
  mkdir -p "$dir"
  cp "$HERE/keycloak/Containerfile" "$dir/"
  if [ ! -x "$dir/jre/bin/java" ]; then
    jdk=${CONGVU_KEYCLOAK_JDK:-$(ls -d /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]-* 2>/dev/null | head -1)}
    [ -x "$jdk/bin/java" ] || { say "no JDK 21+ here for Keycloak (set CONGVU_KEYCLOAK_JDK)"; exit 1; }
    # (its jlink cannot make a smaller runtime: "does not contain packaged modules")
    say "copying the Java runtime of $jdk"
    rm -rf "$dir/jre" && cp -a "$jdk/." "$dir/jre/"
    rm -rf "$dir/jre/lib/src.zip" "$dir/jre/man" "$dir/jre/include" "$dir/jre/jmods"
    # Debian's JDK packages link cacerts to /etc/ssl/certs/java, absent in the image
    if [ -L "$dir/jre/lib/security/cacerts" ] || [ ! -e "$dir/jre/lib/security/cacerts" ]; then
      rm -f "$dir/jre/lib/security/cacerts"
      cp -L "$jdk/lib/security/cacerts" "$dir/jre/lib/security/cacerts"
    fi
  fi
  if [ ! -x "$dir/keycloak/bin/kc.sh" ]; then
    say "fetching org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip (Maven Central)"
    mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
      -DoutputDirectory="$CTX/dist"
    rm -rf "$dir/keycloak" "$CTX/dist/keycloak-$KEYCLOAK_VERSION"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
      "$CTX/dist/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" "$CTX/dist"
    mv "$CTX/dist/keycloak-$KEYCLOAK_VERSION" "$dir/keycloak"
    chmod +x "$dir"/keycloak/bin/*.sh
  fi
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(python-base node-base app postgres kafka keycloak nginx)
T0=$SECONDS
"$HERE/base.sh" "$BASE"
for name in "${want[@]}"; do
  case "$name" in
    python-base | node-base) build "$name" "$HERE/${name%-base}" "$HERE/${name%-base}/Containerfile" ;;
    app)
      for b in python-base node-base; do
        pm image exists "localhost/congvu-$b:$TAG" || build "$b" "$HERE/${b%-base}" "$HERE/${b%-base}/Containerfile"
      done
      ca=()
      # a TLS-inspecting proxy's CA (this machine's bundle), for npm and pip during the build
      bundle=${CONGVU_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}
      [ -s "$bundle" ] && ca=(--secret "id=build_ca,src=$bundle")
      build app "$REPO" deploy/docker/app.Dockerfile "${ca[@]}" \
        --build-arg "PYTHON_BASE=localhost/congvu-python-base:$TAG" \
        --build-arg "NODE_BASE=localhost/congvu-node-base:$TAG"
      ;;
    postgres | nginx) build "$name" "$HERE/$name" "$HERE/$name/Containerfile" ;;
    kafka)
      kafka_context || exit 1
      build kafka "$CTX/kafka" "$CTX/kafka/Containerfile"
      ;;
    keycloak)
      keycloak_context || exit 1
      build keycloak "$CTX/keycloak" "$CTX/keycloak/Containerfile"
      ;;
    *) say "unknown image $name"; exit 2 ;;
  esac
done
say "all done in $((SECONDS - T0)) s"
