#!/usr/bin/env bash
# make-image.sh OUT.tar [NAME]: pack the busybox-static rootfs (scripts/make-rootfs.sh) as an OCI
# image archive that `ctr image import` accepts, named NAME (default localhost/runcs-busybox:latest),
# with `sh` as the default command (scripts/make-oci-image.sh makes the archive). No registry, no
# network: tests and the README's walkthrough use it because nothing can be pulled here.
set -euo pipefail

usage() { echo "usage: ${0##*/} OUT.tar [NAME]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
out=$1
name=${2:-localhost/runcs-busybox:latest}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/runcs-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$here/make-rootfs.sh" "$work/rootfs"
"$here/make-oci-image.sh" "$work/rootfs" "$out" "$name" '["sh"]'
echo "$out: $name"
