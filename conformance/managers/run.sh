#!/usr/bin/env bash
# managers/run.sh: smoke tests of real container managers driving a runc-compatible runtime.
#
#   conformance/managers/run.sh --runtime PATH [--only podman|containerd|docker]... [--record DIR] [--keep]
#
#   podman      podman --runtime (with conmon): run, exec, logs, stop, rm, -t, a bad image
#   containerd  containerd's own runc shim (io.containerd.runc.v2) with BinaryName = the runtime,
#               through `ctr run --runc-binary`: run, exec, output, kill, delete, -t, a bad image
#   docker      dockerd --add-runtime NAME=PATH --default-runtime NAME: the same as podman
#
# Every manager is started privately (its own root, state, socket and cgroup parent under a temp
# dir), gets images made here from busybox-static (no registry is reachable), and is stopped by
# PID at the end; containers, images, mounts and cgroups it made are removed even on failure.
# The runtime is called through a logging wrapper: --record DIR keeps each manager's log of
# runtime calls (argv, environment, open descriptors) for docs/compatibility.md.
#
# Prints TAP and ends with "N passed, N failed, N skipped"; exits 0 when nothing failed. A manager
# whose package is missing is skipped (scripts/bootstrap.sh installs them all).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() {
    sed -n '3,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

RUNTIME= RECORD= KEEP=
ONLY=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --runtime) RUNTIME=${2:?}; shift 2 ;;
        --only) ONLY+=("${2:?}"); shift 2 ;;
        --record) RECORD=${2:?}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        *) usage ;;
    esac
done
[[ -n $RUNTIME ]] || usage
[[ $EUID -eq 0 ]] || { echo "managers/run.sh: run as root" >&2; exit 2; }
RUNTIME=$(realpath -e "$(command -v "$RUNTIME")") || { echo "managers/run.sh: no runtime at $RUNTIME" >&2; exit 2; }
[[ ${#ONLY[@]} -gt 0 ]] || ONLY=(podman containerd docker)

WORK=$(mktemp -d /tmp/runcs-managers.XXXXXX)
chmod 0755 "$WORK"
CLEANUPS=()
# on_exit COMMAND: run at exit, last registered first.
on_exit() {
    CLEANUPS=("$*" "${CLEANUPS[@]}")
}
cleanup_all() {
    local command mnt
    for command in "${CLEANUPS[@]}"; do
        eval "$command" >/dev/null 2>&1 || true
    done
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v w="$WORK" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    if [[ -n $KEEP ]]; then echo "# kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup_all EXIT
trap 'exit 130' INT TERM

# The logging wrapper (tools/logwrap.c): one block per call in $M/runtime-calls.log (argv, env, the
# descriptors the manager passed), then exec of the runtime (same pid, same descriptors).
# make_wrapper DIR: builds DIR/runtime.
make_wrapper() {
    gcc -O2 -Wall -Wextra -Werror -DREAL_RUNTIME="\"$RUNTIME\"" -DCALL_LOG="\"$1/runtime-calls.log\"" \
        -o "$1/runtime" "$here/../tools/logwrap.c"
}

# $WORK/clean: runs a command the way a service manager would start it: stdio only (no descriptor of
# this script or its caller) and a minimal environment, so what the managers pass to the runtime
# (recorded by the wrapper) is theirs alone. Usage: clean [NAME=VALUE...] COMMAND ARGS...
cat >"$WORK/clean" <<'EOF'
#!/bin/bash
for fd in /proc/$$/fd/*; do
    n=${fd##*/}
    ((n > 2 && n != 255)) && eval "exec $n>&-"
done
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
EOF
chmod 0755 "$WORK/clean"

# TAP.
n=0 passed=0 failed=0 skipped=0
# t NAME COMMAND...: one test.
t() {
    local name=$1 log=$WORK/t.log status=0
    shift
    n=$((n + 1))
    "$@" >"$log" 2>&1 || status=$?
    if [[ $status -eq 0 ]]; then
        echo "ok $n - $MANAGER: $name"
        passed=$((passed + 1))
    else
        echo "not ok $n - $MANAGER: $name"
        sed 's/^/# /' "$log" | head -n 40
        failed=$((failed + 1))
    fi
}
# skip_all REASON: the manager cannot run here.
skip_all() {
    n=$((n + 1))
    echo "ok $n - $MANAGER # SKIP $1"
    skipped=$((skipped + 1))
}

# expect_output WANT COMMAND...: COMMAND succeeds and prints exactly WANT, empty lines aside. Through a
# terminal, CR and NUL are dropped, and the "^@" that script(1) echoes around ctr -t (with runc too).
expect_output() {
    local want=$1 got status=0
    shift
    got=$(timeout -k 5 120 "$@" 2>&1 | tr -d '\r\0' | sed 's/\^@//g; /^$/d') || status=$?
    [[ $status -eq 0 && $got == "$want" ]] && return 0
    echo "\"$*\" exited $status and printed:"
    echo "$got"
    echo "expected:"
    echo "$want"
    return 1
}

# expect_error TEXT COMMAND...: COMMAND fails (within 120 s, not a hang) and its output has TEXT.
expect_error() {
    local text=$1 got status=0
    shift
    got=$(timeout -k 5 120 "$@" 2>&1) || status=$?
    if [[ $status -eq 0 ]]; then
        echo "\"$*\" succeeded; expected an error saying: $text"
        return 1
    fi
    if [[ $status -eq 124 || $status -eq 137 ]]; then
        echo "\"$*\" hung (killed after 120 s)"
        return 1
    fi
    grep -qF -- "$text" <<<"$got" && return 0
    echo "\"$*\" exited $status, but its message does not say \"$text\":"
    echo "$got"
    return 1
}

# wait_until COMMAND...: polls up to 20 s.
wait_until() {
    local i
    for ((i = 0; i < 200; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    "$@"
}

# The images: the rootfs from busybox-static, as a tar for podman/docker import and an OCI archive
# for containerd. The "bad" image's command does not exist: the runtime's error must reach the user.
IMAGE=localhost/runcs-busybox:test
BAD_IMAGE=localhost/runcs-busybox:no-such-program
BAD_PROGRAM=/no/such/program
"$repo/scripts/make-rootfs.sh" "$WORK/rootfs" >/dev/null || { echo "Bail out! cannot make the rootfs"; exit 1; }
tar -C "$WORK/rootfs" --numeric-owner -cf "$WORK/rootfs.tar" .

echo "# runtime: $RUNTIME ($("$RUNTIME" --version 2>/dev/null | head -n 1))"
echo "TAP version 13"
for MANAGER in "${ONLY[@]}"; do
    [[ -f $here/$MANAGER.sh ]] || { echo "managers/run.sh: no manager \"$MANAGER\"" >&2; exit 2; }
    M=$WORK/$MANAGER
    mkdir -p "$M"
    chmod 0755 "$M"
    make_wrapper "$M"
    # shellcheck source=/dev/null
    source "$here/$MANAGER.sh"
    if [[ -n $RECORD ]]; then
        mkdir -p "$RECORD"
        cp "$M/runtime-calls.log" "$RECORD/$MANAGER.log" 2>/dev/null || true
    fi
done
echo "1..$n"
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
