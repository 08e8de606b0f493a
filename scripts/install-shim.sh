#!/usr/bin/env bash
# install-shim.sh [DIR]: install out/containerd-shim-runcs-v2 next to containerd, so containerd
# finds runtime io.containerd.runcs.v2 (it looks for containerd-shim-runcs-v2 beside its own
# binary and on its PATH). DIR defaults to the directory of `containerd` on PATH.
#
# Run scripts/bootstrap.sh first (it publishes the shim). As root. containerd needs no restart
# for `ctr run --runtime io.containerd.runcs.v2`; CRI users add the runtime to containerd's
# config (see scripts/containerd/config.toml) and restart containerd.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shim=$repo/out/containerd-shim-runcs-v2
die() { echo "${0##*/}: $*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "run as root"
[[ -x $shim ]] || die "$shim is missing: run scripts/bootstrap.sh first"
if [[ $# -ge 1 ]]; then
    dir=$1
else
    containerd=$(command -v containerd) || die "containerd is not on PATH (apt-get install -y containerd), or name a DIR"
    dir=$(dirname "$(readlink -f "$containerd")")
fi
# install writes a new file and renames it: running shims keep their (old) binary.
install -m 0755 "$shim" "$dir/containerd-shim-runcs-v2"
echo "installed $dir/containerd-shim-runcs-v2 ($("$dir/containerd-shim-runcs-v2" -v | sed -n 's/ *Version: *//p'))"
echo "try: ctr run --rm --runtime io.containerd.runcs.v2 IMAGE hello echo hello"
