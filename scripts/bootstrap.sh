#!/usr/bin/env bash
# bootstrap.sh: make a fresh Debian 12 machine ready to build, test and benchmark runcs.
#
#   1. install the Debian packages the project and its scripts need (skipped when all present)
#   2. install the .NET SDK that global.json pins (Microsoft's dotnet-install.sh), only if the
#      `dotnet` on PATH has no SDK of that feature band
#   3. publish out/runcs and out/containerd-shim-runcs-v2 (each skipped when newer than its sources)
#   4. build the example bundle examples/busybox (skipped when it exists), runnable with
#        out/runcs run --bundle examples/busybox hello
#
# Run as root; needs no stdin. Prints one line per step; a failing step shows its log's tail.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# Packages, and who needs them:
#   busybox-static          rootfs for tests, examples and benchmarks (scripts/make-rootfs.sh)
#   runc crun               reference behaviour and benchmark baselines
#   containerd              integration with a real manager (ctr), and the manager smoke tests
#   podman conmon docker.io the manager smoke tests (conformance/managers): podman --runtime with
#                           conmon, dockerd --add-runtime; each is started privately by the tests
#   hyperfine               ad-hoc timing
#   gcc libc6-dev make      the C plan executor and NativeAOT's native link (gcc is enough;
#   zlib1g-dev              clang is not needed), as Microsoft lists for NativeAOT on Linux
#   jq                      editing config.json in scripts
#   iproute2 util-linux     ip; unshare/mountpoint used by the benchmarks
#   ca-certificates curl    fetching Microsoft's install script, when the pinned SDK is missing
#   libicu72 libssl3 ...    what the .NET SDK needs at run time on Debian 12 (Microsoft's list)
packages=(
    busybox-static runc crun containerd podman conmon docker.io hyperfine
    gcc libc6-dev make zlib1g-dev
    jq iproute2 util-linux
    ca-certificates curl
    libicu72 libssl3 libgssapi-krb5-2 libstdc++6 zlib1g
)

log=$(mktemp /tmp/runcs-bootstrap.XXXXXX.log)
trap 'rm -f "$log"' EXIT

step() { printf '==> %s\n' "$*"; }
die() { printf 'bootstrap.sh: %s\n' "$*" >&2; exit 1; }

# quietly CMD...: run CMD with its output in the log; on failure show the log's tail and stop.
quietly() {
    if ! "$@" </dev/null >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "failed: $*"
    fi
}

[[ $EUID -eq 0 ]] || die "run as root (it installs packages)"
# shellcheck source=/dev/null
[[ -r /etc/os-release ]] && . /etc/os-release
[[ ${ID:-}:${VERSION_ID:-} == debian:12 ]] \
    || echo "bootstrap.sh: warning: written for Debian 12, this is ${PRETTY_NAME:-unknown}" >&2

# The SDK global.json pins (a feature band, latest patch): `dotnet --version` run here fails when
# the dotnet on PATH has none. Distribution and Microsoft packages carry the 1xx band only.
need_dotnet=
dotnet --version >/dev/null 2>&1 || need_dotnet=1

# 1. Debian packages. dpkg-query is cheap; apt-get update only runs when something is missing,
# or when .NET is, since the SDK's dependencies (libicu, ...) come from Debian's lists.
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 && -z $need_dotnet ]]; then
    step "packages: all ${#packages[@]} present, skipped"
else
    step "packages: apt-get update; installing ${missing[*]:-nothing new}"
    quietly apt-get update
    if [[ ${#missing[@]} -gt 0 ]]; then
        # docker.io and podman ship services; the tests start their own daemons privately, so keep
        # the packages' maintainer scripts from starting system-wide ones (policy-rc.d, 101: not allowed).
        added_policy=
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
            chmod 0755 /usr/sbin/policy-rc.d
            added_policy=1
        fi
        quietly apt-get install -y --no-install-recommends "${missing[@]}"
        [[ -z $added_policy ]] || rm -f /usr/sbin/policy-rc.d
    fi
fi

# 2. .NET SDK: Microsoft's dotnet-install.sh installs the version global.json asks for into
# /usr/share/dotnet, linked from /usr/local/bin (first on root's PATH).
if [[ -z $need_dotnet ]]; then
    step "dotnet: found $(command -v dotnet) ($(dotnet --version)), skipped"
else
    sdk=$(jq -r .sdk.version global.json)
    step "dotnet: installing SDK $sdk (global.json) with dotnet-install.sh into /usr/share/dotnet"
    installer=$(mktemp /tmp/dotnet-install.XXXXXX.sh)
    quietly curl -fsSL -o "$installer" https://dot.net/v1/dotnet-install.sh
    quietly bash "$installer" --jsonfile global.json --install-dir /usr/share/dotnet
    rm -f "$installer"
    ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
    hash -r
    dotnet --version >/dev/null 2>&1 || die "dotnet-install.sh ran but dotnet has no SDK $sdk"
fi

# 3. Publish runcs and the shim. Cheap staleness check: any source, project or build file of the
# binary's projects newer than the binary.
# publish NAME PROJECT DIRS...: dotnet publish PROJECT to out/ unless out/NAME is newer than DIRS.
publish() {
    local name=$1 project=$2 binary=$repo/out/$1 stale=
    shift 2
    if [[ -x $binary ]]; then
        stale=$(find "$@" Directory.Build.props global.json \
            \( -name bin -o -name obj \) -prune -o -type f -newer "$binary" \
            \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \
               -o -name '*.c' -o -name '*.h' -o -name '*.json' -o -name '*.proto' \) -print -quit 2>/dev/null || true)
    fi
    if [[ -x $binary && -z $stale ]]; then
        step "publish: out/$name is up to date, skipped"
    else
        step "publish: dotnet publish $project -c Release -o out"
        quietly dotnet publish "$project" -c Release -o out
        [[ -x $binary ]] || die "publish succeeded but $binary is missing"
    fi
}
publish runcs Runtime/Cli/Cli.csproj Spec Runtime
publish containerd-shim-runcs-v2 Shim/Cli/ShimCli.csproj Spec Runtime Shim
runcs=$repo/out/runcs

# 4. Example bundle. Each half is skipped when present, so a hand-edited config.json survives.
bundle=examples/busybox
if [[ -x $bundle/rootfs/bin/busybox ]]; then
    step "example: $bundle/rootfs exists, skipped"
else
    step "example: building $bundle/rootfs"
    quietly "$repo/scripts/make-rootfs.sh" "$bundle/rootfs"
fi
if [[ -f $bundle/config.json ]]; then
    step "example: $bundle/config.json exists, skipped"
else
    step "example: writing $bundle/config.json"
    quietly "$runcs" spec --bundle "$bundle"
    # No cgroupsPath: the container's cgroup is then named after its id, as with runc.
    # shellcheck disable=SC2016  # $(hostname) is for the container's shell, not this one
    jq '.process.terminal = false
        | .process.args = ["sh", "-c", "echo Hello from runcs in $(hostname); id"]
        | .root.readonly = true
        | del(.linux.cgroupsPath)' "$bundle/config.json" > "$bundle/config.json.new"
    mv "$bundle/config.json.new" "$bundle/config.json"
fi

step "done: try  out/runcs run --bundle $bundle hello"
