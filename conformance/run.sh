#!/usr/bin/env bash
# run.sh: the runcs project's OCI runtime conformance suite, for any runc-compatible binary.
#
#   conformance/run.sh --runtime PATH [--filter REGEX] [--skip GROUP]... [--list] [--keep] [--verbose]
#
#   --runtime PATH   the runtime to test (runc's command line: create, start, state, kill, delete, run, exec)
#   --filter REGEX   only the cases whose "group: name" matches REGEX (grep -E)
#   --skip GROUP     report the cases of GROUP as skipped (repeatable)
#   --list           print the cases and exit
#   --keep           keep the work directory (bundles, checker reports) for a look afterwards
#   --verbose        show the checker's report of passing cases too
#
# Prints TAP (version 13) and ends with "N passed, N failed, N skipped". Exits 0 when nothing
# failed. Needs root, gcc (the checker is built static from conformance/checker), jq, and
# Debian's busybox-static (the rootfs, made by scripts/make-rootfs.sh).
#
# Each case makes a bundle from conformance/base-config.json plus a jq edit, and most run
# conformance/checker as the container's process: it reads the same config.json and compares
# it with what it sees from inside. Cases live in conformance/cases/*.sh, one file per area.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() {
    sed -n '3,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

RUNTIME= FILTER= KEEP= VERBOSE= LIST=
SKIP_GROUPS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --runtime) RUNTIME=${2:?}; shift 2 ;;
        --runtime=*) RUNTIME=${1#*=}; shift ;;
        --filter) FILTER=${2:?}; shift 2 ;;
        --skip) SKIP_GROUPS+=("${2:?}"); shift 2 ;;
        --list) LIST=1; shift ;;
        --keep) KEEP=1; shift ;;
        --verbose) VERBOSE=1; shift ;;
        *) usage ;;
    esac
done

# shellcheck source=conformance/lib.sh
source "$here/lib.sh"

# The case registry: register GROUP NAME FUNCTION [ARG] [TODO_REASON].
CASE_GROUPS=() CASE_NAMES=() CASE_FUNCS=() CASE_ARGS=() CASE_TODOS=()
register() {
    CASE_GROUPS+=("$1") CASE_NAMES+=("$2") CASE_FUNCS+=("$3") CASE_ARGS+=("${4:-}") CASE_TODOS+=("${5:-}")
}
# config_case NAME JQ_FILTER: a config variant the checker verifies from inside.
config_case() {
    register config "$1" check_config "$2"
}
for file in "$here"/cases/*.sh; do
    # shellcheck source=/dev/null
    source "$file"
done

selected=()
for i in "${!CASE_NAMES[@]}"; do
    if [[ -z $FILTER ]] || grep -Eq -- "$FILTER" <<<"${CASE_GROUPS[i]}: ${CASE_NAMES[i]}"; then
        selected+=("$i")
    fi
done
if [[ -n $LIST ]]; then
    for i in "${selected[@]}"; do
        printf '%s: %s%s\n' "${CASE_GROUPS[i]}" "${CASE_NAMES[i]}" "${CASE_TODOS[i]:+ (TODO: ${CASE_TODOS[i]})}"
    done
    exit 0
fi

[[ -n $RUNTIME ]] || usage
[[ $EUID -eq 0 ]] || { echo "run.sh: run as root" >&2; exit 2; }
RUNTIME=$(realpath -e "$(command -v "$RUNTIME")") || { echo "run.sh: no runtime at $RUNTIME" >&2; exit 2; }
for tool in gcc jq timeout script; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/runcs-conformance.XXXXXX)
# Traversable by the ids of a user namespace (the rootfs is below it).
chmod 0755 "$WORK"
STATE=$WORK/state
BIN=$WORK/bin
TEMPLATE=$WORK/rootfs
BASE_CONFIG=$here/base-config.json
# Every container's cgroup goes below this relative parent (below the suite's own cgroup), removed at exit.
CG_PARENT=runcs-conformance-$$
ID_SEQ=0
mkdir -p "$STATE" "$BIN" "$WORK/bundles"

# Cleanup at exit, even after a failure or ^C: containers, mounts under WORK, cgroups, WORK.
ALL_IDS=()
cleanup_all() {
    local id mnt dir
    for id in "${ALL_IDS[@]}"; do
        timeout -k 5 30 "$RUNTIME" --root "$STATE" delete --force "$id" >/dev/null 2>&1 || true
    done
    # Deepest mounts first, so nothing under WORK is left mounted.
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v w="$WORK" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    while read -r dir; do
        rmdir "$dir" 2>/dev/null || true
    done < <(find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -depth -type d -path "*/$CG_PARENT*" 2>/dev/null)
    if [[ -n $KEEP ]]; then
        echo "# kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup_all EXIT
trap 'exit 130' INT TERM

echo "# runtime: $RUNTIME ($("$RUNTIME" --version 2>/dev/null | head -n 1))"
if ! gcc -static -O2 -Wall -Wextra -Werror -o "$BIN/checker" "$here"/checker/*.c >"$WORK/gcc.log" 2>&1 \
    || ! gcc -static -O2 -Wall -Wextra -Werror -o "$BIN/recvtty" "$here/tools/recvtty.c" >>"$WORK/gcc.log" 2>&1; then
    cat "$WORK/gcc.log" >&2
    echo "Bail out! the checker does not build"
    exit 1
fi
if ! "$repo/scripts/make-rootfs.sh" "$TEMPLATE" >"$WORK/rootfs.log" 2>&1; then
    cat "$WORK/rootfs.log" >&2
    echo "Bail out! the rootfs cannot be made"
    exit 1
fi

echo "TAP version 13"
echo "1..${#selected[@]}"
passed=0 failed=0 skipped=0 n=0
for i in "${selected[@]}"; do
    n=$((n + 1))
    title="${CASE_GROUPS[i]}: ${CASE_NAMES[i]}"
    skip_reason=
    for group in "${SKIP_GROUPS[@]}"; do
        [[ ${CASE_GROUPS[i]} == "$group" ]] && skip_reason="group $group skipped (--skip)"
    done
    if [[ -n $skip_reason ]]; then
        echo "ok $n - $title # SKIP $skip_reason"
        skipped=$((skipped + 1))
        continue
    fi

    CASE_LOG=$WORK/case-$n.log
    : >"$CASE_LOG"
    CASE_IDS=() CASE_CLEANUPS=()
    status=0
    # Each case runs in this shell (so new_id and on_cleanup reach the arrays) with errexit off.
    "${CASE_FUNCS[i]}" "${CASE_ARGS[i]}" || status=$?
    ALL_IDS+=("${CASE_IDS[@]}")
    for id in "${CASE_IDS[@]}"; do
        timeout -k 5 30 "$RUNTIME" --root "$STATE" delete --force "$id" >/dev/null 2>&1 || true
    done
    for command in "${CASE_CLEANUPS[@]}"; do
        eval "$command" >/dev/null 2>&1 || true
    done

    todo=${CASE_TODOS[i]}
    if [[ $status -eq 0 ]]; then
        echo "ok $n - $title${todo:+ # TODO $todo}"
        passed=$((passed + 1))
    else
        echo "not ok $n - $title${todo:+ # TODO $todo}"
        if [[ -n $todo ]]; then
            skipped=$((skipped + 1))
        else
            failed=$((failed + 1))
        fi
    fi
    if [[ $status -ne 0 || -n $VERBOSE ]]; then
        sed 's/^/# /' "$CASE_LOG"
    fi
done

echo "# TODO cases that did not pass count as skipped: they describe where the spec and runc part ways"
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
