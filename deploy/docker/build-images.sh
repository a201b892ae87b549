#!/usr/bin/env bash
# Builds the rayforce-cluster image (every role: node with its native engine, coordinator,
# gateway, ZooKeeper) on this machine, with no container registry:
#   1. the base image rfc-base:bookworm, made from Debian packages with debootstrap and
#      `docker import`; built once and kept (rebuilt only when its recipe below changes);
#   2. rayforce-cluster:latest (or $RFC_IMAGE) FROM the base: the JRE from Debian packages, the native
#      engine from the pinned rayforce-py wheel (scripts/install-engine), and deploy/target/rfc.jar.
#      Docker's layer cache makes a rebuild with unchanged inputs take seconds.
# Usage: deploy/docker/build-images.sh [--if-docker] [--rebuild-base]
#   --if-docker     exit 0 with a note when no Docker engine answers (builds without Docker go on)
#   --rebuild-base  make the base image again even if its recipe did not change
# Needs root (debootstrap) the first time, Docker, and Debian's mirror (DEBIAN_MIRROR overrides it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
image="${RFC_IMAGE:-rayforce-cluster:latest}"
base_image="rfc-base:bookworm"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if_docker=false
rebuild_base=false
for a in "$@"; do
  case "$a" in
    --if-docker) if_docker=true ;;
    --rebuild-base) rebuild_base=true ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build-images: unknown argument $a" >&2; exit 2 ;;
  esac
done
log() { echo "build-images: $*"; }

if ! docker info >/dev/null 2>&1; then
  if $if_docker; then
    log "no Docker engine answers (docker info failed): images not built; the chaos tests will be skipped"
    exit 0
  fi
  echo "build-images: no Docker engine answers; start dockerd (Debian: apt-get install docker.io; dockerd &)" >&2
  exit 1
fi
started=$(date +%s)

# 1. The base image. Its recipe (suite, variant, mirror, sources) is hashed into a label, so a
#    changed recipe makes a new base and an unchanged one is reused.
recipe="debootstrap --variant=minbase bookworm $mirror; sources: bookworm bookworm-updates bookworm-security main; v1"
recipe_id="$(printf '%s' "$recipe" | sha256sum | cut -c1-16)"
have_id="$(docker image inspect -f '{{ index .Config.Labels "rfc.base.recipe" }}' "$base_image" 2>/dev/null || true)"
if $rebuild_base || [ "$have_id" != "$recipe_id" ]; then
  command -v debootstrap >/dev/null || { echo "build-images: debootstrap is missing (Debian: apt-get install debootstrap)" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "build-images: making the base image needs root (debootstrap); run once as root" >&2; exit 1; }
  rootfs="$(mktemp -d /tmp/rfc-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  log "making $base_image with debootstrap from $mirror (about a minute)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
    tail -20 "$rootfs.log" >&2; echo "build-images: debootstrap failed (log above)" >&2; exit 1; }
  rm -f "$rootfs.log"
  host="${mirror%/debian}"
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $host/debian-security bookworm-security main
SOURCES
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/*
  tar -C "$rootfs" -c . | docker import -c "LABEL rfc.base.recipe=$recipe_id" -c 'CMD ["/bin/bash"]' - "$base_image" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  log "made $base_image"
else
  log "reusing $base_image"
fi

# 2. The role image. Inputs: this folder's files, the native engine and rfc.jar.
jar="$root/deploy/target/rfc.jar"
if [ ! -f "$jar" ]; then
  log "deploy/target/rfc.jar is missing: building it (mvn package, tests skipped)"
  (cd "$root" && mvn -B -q -DskipTests -pl deploy -am package)
fi
"$root/scripts/install-engine" >/dev/null
engine="$(readlink -f "$root/.venv/engine/rayforce")"
context="$root/deploy/target/docker-context"
rm -rf "$context" && mkdir -p "$context"
cp "$here/Dockerfile" "$here/rfc" "$here/rfc-entrypoint" "$here/rfc-health" "$context/"
cp "$engine" "$context/rayforce"
cp "$jar" "$context/rfc.jar"
log "building $image"
# (The legacy builder is enough; its deprecation notice goes to the log with the rest.)
if ! DOCKER_BUILDKIT=0 docker build --build-arg "BASE_IMAGE=$base_image" -t "$image" "$context" >"$context.log" 2>&1; then
  tail -30 "$context.log" >&2; echo "build-images: docker build failed (log: $context.log)" >&2; exit 1
fi
# Earlier builds of the image that no tag names any more.
docker image prune -f --filter "label=org.opencontainers.image.title=rayforce-cluster" >/dev/null 2>&1 || true
log "built $image in $(( $(date +%s) - started )) s"
