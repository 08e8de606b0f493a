#!/usr/bin/env bash
# make-image.sh OUT.tar [NAME]: pack the busybox-static rootfs (scripts/make-rootfs.sh) as an OCI
# image archive that `ctr image import` accepts, named NAME (default localhost/runcs-busybox:latest).
#
# One uncompressed layer, a config naming linux/amd64 (or the host's architecture) with
# `sh` as the default command, a manifest, and an index.json whose manifest carries the name
# containerd imports it under (io.containerd.image.name). No registry, no network: tests and the
# README's walkthrough use it because nothing can be pulled here.
set -euo pipefail

usage() { echo "usage: ${0##*/} OUT.tar [NAME]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
out=$(realpath -m "$1")
name=${2:-localhost/runcs-busybox:latest}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/runcs-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$here/make-rootfs.sh" "$work/rootfs"
mkdir -p "$work/oci/blobs/sha256"

# blob FILE: move FILE into the blob store; prints "DIGEST SIZE".
blob() {
    local digest size
    digest=$(sha256sum "$1" | cut -d' ' -f1)
    size=$(stat -c %s "$1")
    mv "$1" "$work/oci/blobs/sha256/$digest"
    echo "$digest $size"
}

# Sorted, numeric owners, fixed times: the same rootfs always makes the same layer digest.
tar --sort=name --numeric-owner --mtime=@0 -C "$work/rootfs" -cf "$work/layer.tar" .
read -r layer layer_size < <(blob "$work/layer.tar")

jq -n --arg arch "$arch" --arg layer "sha256:$layer" '{
    architecture: $arch, os: "linux",
    config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"], WorkingDir: "/"},
    rootfs: {type: "layers", diff_ids: [$layer]}
}' > "$work/config.json"
read -r config config_size < <(blob "$work/config.json")

jq -n --arg config "sha256:$config" --argjson config_size "$config_size" \
    --arg layer "sha256:$layer" --argjson layer_size "$layer_size" '{
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $config_size},
    layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $layer, size: $layer_size}]
}' > "$work/manifest.json"
read -r manifest manifest_size < <(blob "$work/manifest.json")

jq -n --arg manifest "sha256:$manifest" --argjson size "$manifest_size" --arg arch "$arch" --arg name "$name" '{
    schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{
        mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $manifest, size: $size,
        platform: {architecture: $arch, os: "linux"},
        annotations: {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": ($name | split(":") | last)}
    }]
}' > "$work/oci/index.json"
echo '{"imageLayoutVersion": "1.0.0"}' > "$work/oci/oci-layout"

mkdir -p "$(dirname "$out")"
tar --sort=name --numeric-owner --mtime=@0 -C "$work/oci" -cf "$out" oci-layout index.json blobs
echo "$out: $name"
