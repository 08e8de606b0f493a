#!/usr/bin/env bash
# make-oci-image.sh ROOTFS OUT.tar NAME [CMD_JSON]: an OCI image archive of ROOTFS, one layer.
#
#   ROOTFS     a directory (scripts/make-rootfs.sh makes one from busybox-static)
#   OUT.tar    the archive: oci-layout, index.json, blobs/sha256/* (image-spec "image layout", tarred)
#   NAME       the image's name, e.g. localhost/runcs-busybox:test (annotation io.containerd.image.name,
#              which `ctr images import` uses, and org.opencontainers.image.ref.name)
#   CMD_JSON   the image config's Cmd, a JSON array (default ["sh"])
#
# No registry is needed (none is reachable here): `ctr images import OUT.tar` and
# `podman load -i OUT.tar` read it. Docker 20.10 cannot load OCI archives; the smoke tests give it
# `docker import` of a plain rootfs tar instead.
set -euo pipefail

[[ $# -ge 3 && $# -le 4 ]] || { sed -n '2,12s/^# \{0,1\}//p' "$0" >&2; exit 2; }
rootfs=$1 out=$(realpath -m "$2") name=$3 cmd=${4:-'["sh"]'}
jq -e 'type == "array"' <<<"$cmd" >/dev/null || { echo "${0##*/}: CMD_JSON must be a JSON array" >&2; exit 2; }

case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
esac

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/blobs/sha256"

# blob FILE MEDIA_TYPE: moves FILE into blobs/ under its digest; prints its descriptor.
blob() {
    local digest size
    digest=$(sha256sum "$1" | cut -d' ' -f1)
    size=$(stat -c %s "$1")
    mv "$1" "$dir/blobs/sha256/$digest"
    jq -nc --arg t "$2" --arg d "sha256:$digest" --argjson s "$size" '{mediaType: $t, digest: $d, size: $s}'
}

# Numeric owners, a fixed order and fixed times, so the same rootfs makes the same layer.
tar -C "$rootfs" --numeric-owner --sort=name --mtime=@0 -cf "$dir/layer" .
diff_id=sha256:$(sha256sum "$dir/layer" | cut -d' ' -f1)
layer=$(blob "$dir/layer" application/vnd.oci.image.layer.v1.tar)

jq -nc --arg diff "$diff_id" --argjson cmd "$cmd" --arg arch "$arch" '{
    architecture: $arch, os: "linux",
    config: {Cmd: $cmd, Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], WorkingDir: "/"},
    rootfs: {type: "layers", diff_ids: [$diff]}}' >"$dir/config"
config=$(blob "$dir/config" application/vnd.oci.image.config.v1+json)

jq -nc --argjson c "$config" --argjson l "$layer" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: $c, layers: [$l]}' >"$dir/manifest"
manifest=$(blob "$dir/manifest" application/vnd.oci.image.manifest.v1+json)

jq -nc --argjson m "$manifest" --arg name "$name" --arg arch "$arch" '{
    schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [$m + {platform: {architecture: $arch, os: "linux"}, annotations: {
        "io.containerd.image.name": $name, "org.opencontainers.image.ref.name": ($name | split(":") | last)}}]}' >"$dir/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
mkdir -p "$(dirname "$out")"
tar -C "$dir" --sort=name --numeric-owner --mtime=@0 -cf "$out" oci-layout index.json blobs
