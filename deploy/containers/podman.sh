# Sourced: `pm` runs podman with the settings a sandboxed machine needs (CI here):
#   - CONTAINERS_CONF with default_ulimits = [] (the sandbox may not raise resource limits)
#   - the runc runtime (crun refuses hybrid cgroups)
# On an ordinary host these are harmless. CONGVU_PODMAN overrides the program.
CONGVU_CONTAINERS_CONF=${CONGVU_CONTAINERS_CONF:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/containers.conf}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$CONGVU_CONTAINERS_CONF}
pm() { ${CONGVU_PODMAN:-podman} --runtime "${CONGVU_OCI_RUNTIME:-runc}" "$@"; }
