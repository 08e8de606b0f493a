# shellcheck shell=bash
# Shared parts of the runcs benchmarks (scripts/bench/*.sh). Source it; do not run it.
#
# A benchmark runs several runtimes side by side in one interleaved run and reports each one's
# times relative to a baseline (runcs). Typical use:
#
#   source "$(dirname "$0")/lib.sh"
#   bench_require_root
#   bench_enter_private_mntns "$@"        # re-execs the script once, inside unshare -m
#   bench_setup                           # temp dir, cleanup trap, timer binary
#   bench_add_runtime runcs /path/to/runcs
#   bench_add_runtime runc "$(command -v runc)"
#   bench_make_bundle /path/to/runcs "$BENCH_TMP/bundle" '["/bin/true"]'
#   for round ...; do
#       bench_rotate "$round"; for rt in "${BENCH_ORDER[@]}"; do
#           bench_time "$rt" run -b "$BENCH_TMP/bundle" "id-$rt-$round"; bench_record "$rt"
#       done
#   done
#   bench_report runcs
#
# Globals it sets: BENCH_TMP, BENCH_TIMEIT, BENCH_NAMES, BENCH_PATH, BENCH_ROOT, BENCH_ORDER,
# BENCH_NS, BENCH_RC, BENCH_OK, BENCH_FAIL, BENCH_CGROUP_NOTE.

BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_REPO_ROOT=$(cd "$BENCH_LIB_DIR/../.." && pwd)

BENCH_TMP=
BENCH_TIMEIT=
BENCH_CGROUP_NOTE=
BENCH_NAMES=()          # runtime names in registration order; the first is the rotation's start
BENCH_ORDER=()          # this round's order, set by bench_rotate
declare -A BENCH_PATH=() BENCH_ROOT=() BENCH_OK=() BENCH_FAIL=()
BENCH_NS=0              # duration of the last bench_time, in nanoseconds
BENCH_RC=0              # exit status of the last bench_time

bench_die() { echo "${0##*/}: $*" >&2; exit 1; }
bench_note() { echo "$*" >&2; }

# bench_parse_args USAGE ARG...: the options every benchmark shares, into
#   BENCH_ROUNDS (-n, default 200), BENCH_WARMUP (--warmup, default 10), BENCH_RUNCS (--runcs,
#   default the repository's out/runcs), BENCH_RUNC and BENCH_CRUN (--runc/--crun, default the ones
#   on PATH; an empty path leaves that runtime out). -h prints USAGE. Any other option and its value
#   go to BENCH_EXTRA_ARGS for the script; BENCH_ARGS keeps them all for bench_enter_private_mntns.
bench_parse_args() {
    local usage=$1
    shift
    BENCH_ARGS=("$@")
    BENCH_ROUNDS=200
    BENCH_WARMUP=10
    BENCH_RUNCS=$BENCH_REPO_ROOT/out/runcs
    BENCH_RUNC=$(command -v runc || true)
    BENCH_CRUN=$(command -v crun || true)
    BENCH_EXTRA_ARGS=()
    while [[ $# -gt 0 ]]; do
        case $1 in
            -n) BENCH_ROUNDS=${2:?-n needs a number}; shift 2 ;;
            --warmup) BENCH_WARMUP=${2:?--warmup needs a number}; shift 2 ;;
            --runcs) BENCH_RUNCS=${2:?--runcs needs a path}; shift 2 ;;
            --runc) BENCH_RUNC=${2?--runc needs a path}; shift 2 ;;
            --crun) BENCH_CRUN=${2?--crun needs a path}; shift 2 ;;
            -h|--help) echo "$usage" >&2; exit 2 ;;
            --*) BENCH_EXTRA_ARGS+=("$1" "${2?$1 needs a value}"); shift 2 ;;
            *) echo "${0##*/}: unknown argument: $1" >&2; echo "$usage" >&2; exit 2 ;;
        esac
    done
    [[ $BENCH_ROUNDS =~ ^[1-9][0-9]*$ ]] || bench_die "-n: expected a positive number, got '$BENCH_ROUNDS'"
    [[ $BENCH_WARMUP =~ ^[0-9]+$ ]] || bench_die "--warmup: expected a number, got '$BENCH_WARMUP'"
}

# bench_add_runtimes: registers runcs, then runc and crun unless left out (after bench_setup).
bench_add_runtimes() {
    bench_add_runtime runcs "$BENCH_RUNCS"
    [[ -n $BENCH_RUNC ]] && bench_add_runtime runc "$BENCH_RUNC"
    [[ -n $BENCH_CRUN ]] && bench_add_runtime crun "$BENCH_CRUN"
    return 0
}

# bench_measure FUNC LABEL: the warm-up rounds (then a runtime that never succeeded aborts the run),
# then BENCH_ROUNDS measured rounds of FUNC (see bench_rounds), then the report against runcs.
bench_measure() {
    local func=$1 label=$2
    if [[ $BENCH_WARMUP -gt 0 ]]; then
        bench_rounds "$BENCH_WARMUP" warmup "$func"
        bench_abort_if_dead     # no point timing a runtime that cannot run this bundle at all
        bench_reset
    fi
    bench_rounds "$BENCH_ROUNDS" "$label" "$func"
    bench_report runcs
}

bench_require_root() {
    [[ $EUID -eq 0 ]] || bench_die "must run as root (containers, mount namespaces, cgroups)"
}

# Re-exec the calling script inside a private mount namespace, then, on a cgroup v1+v2 hybrid
# host, unmount /sys/fs/cgroup/unified there. crun 1.8 refuses hybrid hosts ("cgroups in hybrid
# mode not supported"); unmounting the v2 part makes the host look like plain v1 to every
# runtime alike, so all of them are measured under the same conditions. Only this namespace
# loses the mount: the host and its other processes keep theirs. Pass the script's arguments.
bench_enter_private_mntns() {
    if [[ ${BENCH_IN_PRIVATE_MNTNS:-} != 1 ]]; then
        command -v unshare >/dev/null || bench_die "unshare (util-linux) not found"
        export BENCH_IN_PRIVATE_MNTNS=1
        exec unshare --mount --propagation private -- "$BASH" "$0" "$@"
    fi
    unset BENCH_IN_PRIVATE_MNTNS
    if mountpoint -q /sys/fs/cgroup/unified; then
        umount /sys/fs/cgroup/unified
        BENCH_CGROUP_NOTE="cgroup v1+v2 hybrid host: /sys/fs/cgroup/unified unmounted in the benchmark's private mount namespace (all runtimes see plain v1)"
    fi
}

# Make the temp dir, install the cleanup trap and build the timer.
bench_setup() {
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/runcs-bench.XXXXXX")
    trap bench_cleanup EXIT
    # Turn signals into an ordinary exit so the EXIT trap runs once, with a meaningful status.
    trap 'exit 130' INT
    trap 'exit 143' TERM
    bench_build_timer
}

# Delete any container a runtime left behind (a failed or interrupted run), then the temp dir.
bench_cleanup() {
    local status=$? name dir
    trap - EXIT
    for name in "${BENCH_NAMES[@]}"; do
        [[ -d ${BENCH_ROOT[$name]} ]] || continue
        for dir in "${BENCH_ROOT[$name]}"/*/; do
            [[ -d $dir ]] || continue
            "${BENCH_PATH[$name]}" --root "${BENCH_ROOT[$name]}" delete --force \
                "$(basename "$dir")" >/dev/null 2>&1 || true
        done
    done
    [[ -n $BENCH_TMP ]] && rm -rf "$BENCH_TMP"
    exit "$status"
}

# The timer: a few lines of C that read CLOCK_MONOTONIC (nanoseconds) right before fork() and
# right after waitpid(). Timing from bash would need either $EPOCHREALTIME (wall clock,
# microseconds) or a `date` process on each side, whose own start-up lands inside the interval.
# It writes "NANOSECONDS EXIT_STATUS" to RESULT_FILE and exits with the command's status.
bench_build_timer() {
    local cc=${CC:-cc}
    command -v "$cc" >/dev/null || bench_die "a C compiler ($cc) is needed for the timer (apt-get install -y gcc)"
    BENCH_TIMEIT=$BENCH_TMP/timeit
    "$cc" -O2 -Wall -Wextra -Werror -o "$BENCH_TIMEIT" -x c - <<'EOF' || bench_die "could not build the timer"
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* timeit RESULT_FILE COMMAND [ARG...] */
int main(int argc, char **argv)
{
    struct timespec start, end;
    int status;
    pid_t pid;

    if (argc < 3) {
        fprintf(stderr, "usage: timeit RESULT_FILE COMMAND [ARG...]\n");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid = fork();
    if (pid < 0) {
        perror("timeit: fork");
        return 125;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "timeit: exec %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("timeit: waitpid");
            return 125;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);

    long long ns = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL
                   + (end.tv_nsec - start.tv_nsec);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *out = fopen(argv[1], "we");
    if (out == NULL || fprintf(out, "%lld %d\n", ns, rc) < 0 || fclose(out) != 0) {
        perror("timeit: write result");
        return 125;
    }
    return rc;
}
EOF
}

# bench_add_runtime NAME PATH: register a runtime with its own state dir (--root).
bench_add_runtime() {
    local name=$1 path=$2
    [[ -x $path && ! -d $path ]] || bench_die "$name: $path is not an executable file"
    BENCH_NAMES+=("$name")
    BENCH_PATH[$name]=$path
    BENCH_ROOT[$name]=$BENCH_TMP/state-$name
    BENCH_OK[$name]=0
    BENCH_FAIL[$name]=0
    mkdir -p "${BENCH_ROOT[$name]}"
    : > "$BENCH_TMP/times.$name"
}

# bench_version PATH: the first line of PATH --version.
bench_version() {
    "$1" --version 2>&1 | awk 'NR == 1'
}

# bench_make_bundle RUNCS DIR ARGS_JSON: a busybox bundle in DIR whose process runs ARGS_JSON
# (a JSON array). config.json is `runcs spec` with terminal off and the default namespaces
# (including network, as runc's default has).
bench_make_bundle() {
    local runcs=$1 dir=$2 args=$3
    mkdir -p "$dir"
    "$BENCH_REPO_ROOT/scripts/make-rootfs.sh" "$dir/rootfs"
    rm -f "$dir/config.json"
    "$runcs" spec --bundle "$dir" || bench_die "$runcs spec --bundle $dir failed"
    # ociVersion: runcs writes 1.3.0, which crun 1.8 rejects ("unknown version specified").
    # 1.0.2 is what runc 1.1 writes and every runtime here accepts; nothing in this config
    # needs a newer version.
    jq --argjson args "$args" \
        '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = $args' \
        "$dir/config.json" > "$dir/config.json.new"
    mv "$dir/config.json.new" "$dir/config.json"
}

# bench_rotate ROUND: set BENCH_ORDER to the runtimes rotated by ROUND, so each runtime goes
# first, second, ... equally often and none always runs on a cache warmed by the same neighbour.
bench_rotate() {
    local round=$1 count=${#BENCH_NAMES[@]} i
    BENCH_ORDER=()
    for ((i = 0; i < count; i++)); do
        BENCH_ORDER+=("${BENCH_NAMES[(round + i) % count]}")
    done
}

# bench_time NAME ARG...: run `RUNTIME --root STATE ARG...` once, stdin from /dev/null, output to
# $BENCH_TMP/NAME.log. Sets BENCH_NS and BENCH_RC; always returns 0 (the caller decides).
bench_time() {
    local name=$1
    shift
    local result=$BENCH_TMP/result
    rm -f "$result"
    "$BENCH_TIMEIT" "$result" "${BENCH_PATH[$name]}" --root "${BENCH_ROOT[$name]}" "$@" \
        </dev/null >"$BENCH_TMP/$name.log" 2>&1 || true
    if [[ -s $result ]]; then
        read -r BENCH_NS BENCH_RC < "$result"
    else
        BENCH_NS=0
        BENCH_RC=125
    fi
}

# bench_record NAME: count the last bench_time as a success (its time kept) or a failure (the
# first failure's output kept in $BENCH_TMP/NAME.firstfail for the report).
bench_record() {
    local name=$1
    if [[ $BENCH_RC -eq 0 ]]; then
        echo "$BENCH_NS" >> "$BENCH_TMP/times.$name"
        BENCH_OK[$name]=$((BENCH_OK[$name] + 1))
    else
        if [[ ${BENCH_FAIL[$name]} -eq 0 ]]; then
            { echo "exit status $BENCH_RC"; cat "$BENCH_TMP/$name.log"; } > "$BENCH_TMP/$name.firstfail"
        fi
        BENCH_FAIL[$name]=$((BENCH_FAIL[$name] + 1))
    fi
}

# bench_rounds COUNT LABEL FUNC: COUNT rounds, each runtime once per round in rotating order;
# FUNC NAME ROUND_ID times one run (setting BENCH_NS and BENCH_RC, as bench_time does) and the
# result is recorded. The counter shows on a terminal only, so logs and pasted tables stay clean.
bench_rounds() {
    local count=$1 label=$2 func=$3 round name
    for ((round = 0; round < count; round++)); do
        bench_rotate "$round"
        for name in "${BENCH_ORDER[@]}"; do
            "$func" "$name" "$label-$round-$name"
            bench_record "$name"
        done
        [[ -t 2 ]] && printf '\r%s %d/%d' "$label" $((round + 1)) "$count" >&2
    done
    [[ -t 2 ]] && printf '\r\033[K' >&2
    return 0
}

# bench_reset: forget recorded times and counts (e.g. after warm-up rounds).
bench_reset() {
    local name
    for name in "${BENCH_NAMES[@]}"; do
        : > "$BENCH_TMP/times.$name"
        BENCH_OK[$name]=0
        BENCH_FAIL[$name]=0
        rm -f "$BENCH_TMP/$name.firstfail"
    done
}

# bench_abort_if_dead: die, showing its output, if a runtime has failed every attempt so far.
bench_abort_if_dead() {
    local name
    for name in "${BENCH_NAMES[@]}"; do
        if [[ ${BENCH_OK[$name]} -eq 0 && ${BENCH_FAIL[$name]} -gt 0 ]]; then
            bench_note "$name failed all ${BENCH_FAIL[$name]} attempts; its first failure:"
            sed 's/^/    /' "$BENCH_TMP/$name.firstfail" >&2
            bench_die "aborting: $name does not work with this bundle"
        fi
    done
}

# bench_stats FILE: "count median p90 mean" in milliseconds from FILE's nanosecond lines.
# Median of an even count is the mean of the middle two; p90 is the nearest-rank percentile.
bench_stats() {
    sort -n "$1" | awk '
        { v[NR] = $1; sum += $1 }
        END {
            if (NR == 0) { print "0 - - -"; exit }
            med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            r = int(0.9 * NR); if (r < 0.9 * NR) r++
            printf "%d %.2f %.2f %.2f\n", NR, med / 1e6, v[r] / 1e6, sum / NR / 1e6
        }'
}

# bench_report BASELINE: the table, then one line per other runtime comparing medians with the
# baseline's. Reports failures, and fails if a runtime never succeeded.
bench_report() {
    local base=$1 name count med p90 mean
    declare -A stats=() medians=()
    for name in "${BENCH_NAMES[@]}"; do
        stats[$name]=$(bench_stats "$BENCH_TMP/times.$name")
        read -r count med p90 mean <<< "${stats[$name]}"
        medians[$name]=$med
    done
    printf '%-8s %6s %6s %10s %10s %10s %14s\n' runtime ok failed "median ms" "p90 ms" "mean ms" "median/$base"
    for name in "${BENCH_NAMES[@]}"; do
        read -r count med p90 mean <<< "${stats[$name]}"
        printf '%-8s %6d %6d %10s %10s %10s %14s\n' "$name" "${BENCH_OK[$name]}" \
            "${BENCH_FAIL[$name]}" "$med" "$p90" "$mean" "$(bench_ratio "$med" "${medians[$base]}")"
    done
    echo
    for name in "${BENCH_NAMES[@]}"; do
        [[ $name == "$base" ]] && continue
        bench_compare "$base" "${medians[$base]}" "$name" "${medians[$name]}"
    done
    for name in "${BENCH_NAMES[@]}"; do
        if [[ ${BENCH_FAIL[$name]} -gt 0 ]]; then
            echo
            echo "$name failed ${BENCH_FAIL[$name]} time(s); first failure:"
            sed 's/^/    /' "$BENCH_TMP/$name.firstfail"
        fi
    done
    bench_abort_if_dead
}

# bench_ratio A B: A/B with two decimals, or "-" when either is missing.
bench_ratio() {
    [[ $1 != - && $2 != - && -n $2 ]] || { echo -; return; }
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'
}

# bench_compare BASE BASE_MEDIAN OTHER OTHER_MEDIAN: "runcs is 2.10x faster than runc (...)".
bench_compare() {
    [[ $2 != - && $4 != - ]] || { echo "$1 vs $3: no successful runs to compare"; return; }
    awk -v base="$1" -v bm="$2" -v other="$3" -v om="$4" 'BEGIN {
        if (om >= bm) printf "%s is %.2fx faster than %s (median %.2f ms vs %.2f ms)\n", base, om / bm, other, bm, om
        else          printf "%s is %.2fx slower than %s (median %.2f ms vs %.2f ms)\n", base, bm / om, other, bm, om
    }'
}

# bench_header TITLE: what was measured and where, so a pasted table carries its context.
bench_header() {
    local name
    echo "$1"
    echo "host: $(uname -r), $(nproc) CPUs, cgroup fs: $(stat -f -c %T /sys/fs/cgroup)"
    [[ -n $BENCH_CGROUP_NOTE ]] && echo "note: $BENCH_CGROUP_NOTE"
    for name in "${BENCH_NAMES[@]}"; do
        printf '  %-6s %s (%s)\n' "$name" "${BENCH_PATH[$name]}" "$(bench_version "${BENCH_PATH[$name]}")"
    done
    echo
}
