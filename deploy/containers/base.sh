#!/usr/bin/env bash
# A minimal Debian bookworm base image built from Debian's packages, for machines that cannot
# pull images from a public registry (CI here). Cached: the root filesystem tarball is kept at
# var/containers/bookworm-min.tar and imported again only when podman lacks the image.
#
#   deploy/containers/base.sh [image name, default localhost/congvu-bookworm-min]
#
# The mirror is the one apt already uses on this machine (CONGVU_DEBIAN_MIRROR overrides it).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
IMAGE=${1:-localhost/congvu-bookworm-min}
CACHE="$REPO/var/containers"
TAR="$CACHE/bookworm-min.tar"
# shellcheck source=deploy/containers/podman.sh
source "$REPO/deploy/containers/podman.sh"

mirror() {
  if [ -n "${CONGVU_DEBIAN_MIRROR:-}" ]; then echo "$CONGVU_DEBIAN_MIRROR"; return; fi
  local m
  m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1)
  [ -n "$m" ] || m=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' | head -1)
  echo "${m:-http://deb.debian.org/debian}"
}

if pm image exists "$IMAGE"; then
  echo "base: $IMAGE present" >&2
  exit 0
fi
mkdir -p "$CACHE"
if [ ! -s "$TAR" ]; then
  root="$CACHE/bookworm-min.root"
  rm -rf "$root"
  echo "base: debootstrap --variant=minbase bookworm from $(mirror)" >&2
  debootstrap --variant=minbase bookworm "$root" "$(mirror)" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
  # the mirror apt uses inside the images too; no package lists kept in the base
  echo "deb $(mirror) bookworm main" >"$root/etc/apt/sources.list"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -cf "$TAR.tmp" . && mv "$TAR.tmp" "$TAR"
  rm -rf "$root"
fi
echo "base: podman import $TAR -> $IMAGE" >&2
pm import "$TAR" "$IMAGE" >/dev/null
