#!/usr/bin/env bash
# exec.sh: how long `RUNTIME exec ID /bin/true` takes for runcs, runc and crun, side by side in
# one interleaved run. Each runtime first starts one long-running container (sleep) from the same
# busybox bundle; every round then execs /bin/true into each runtime's container, in an order that
# rotates from round to round. Runs as root in a private mount namespace (see lib.sh).
#
# usage: exec.sh [-n ROUNDS] [--warmup K] [--runcs PATH] [--runc PATH] [--crun PATH]  (-h: help)
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat >&2 <<'USAGE'
usage: exec.sh [-n ROUNDS] [--warmup K] [--runcs PATH] [--runc PATH] [--crun PATH]
  -n ROUNDS      measured rounds, each runtime once per round (default 200)
  --warmup K     rounds run first and not counted (default 10)
  --runcs PATH   runcs binary (default: the repository's out/runcs)
  --runc PATH    runc binary (default: runc on PATH; an empty PATH leaves runc out)
  --crun PATH    crun binary (default: crun on PATH; an empty PATH leaves crun out)
USAGE
    exit 2
}

rounds=200
warmup=10
runcs=$BENCH_REPO_ROOT/out/runcs
runc=$(command -v runc || true)
crun=$(command -v crun || true)

args=("$@")
while [[ $# -gt 0 ]]; do
    case $1 in
        -n) rounds=${2:?-n needs a number}; shift 2 ;;
        --warmup) warmup=${2:?--warmup needs a number}; shift 2 ;;
        --runcs) runcs=${2:?--runcs needs a path}; shift 2 ;;
        --runc) runc=${2?--runc needs a path}; shift 2 ;;
        --crun) crun=${2?--crun needs a path}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "${0##*/}: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || bench_die "-n: expected a positive number, got '$rounds'"
[[ $warmup =~ ^[0-9]+$ ]] || bench_die "--warmup: expected a number, got '$warmup'"

bench_require_root
bench_enter_private_mntns "${args[@]}"
bench_setup

bench_add_runtime runcs "$runcs"
[[ -n $runc ]] && bench_add_runtime runc "$runc"
[[ -n $crun ]] && bench_add_runtime crun "$crun"

bundle=$BENCH_TMP/bundle
bench_make_bundle "$runcs" "$bundle" '["sleep", "100000"]'

# One running container per runtime, the target of every exec (deleted by lib.sh's cleanup).
for name in "${BENCH_NAMES[@]}"; do
    "${BENCH_PATH[$name]}" --root "${BENCH_ROOT[$name]}" run -d --bundle "$bundle" "exec-target-$name" \
        </dev/null >"$BENCH_TMP/$name.log" 2>&1 || bench_die "$name: cannot start the target container: $(cat "$BENCH_TMP/$name.log")"
done

bench_header "exec: '<runtime> exec ID /bin/true' into a running container, $rounds rounds (+$warmup warm-up), interleaved"

run_rounds() {
    local count=$1 label=$2 round name
    for ((round = 0; round < count; round++)); do
        bench_rotate "$round"
        for name in "${BENCH_ORDER[@]}"; do
            bench_time "$name" exec "exec-target-$name" /bin/true
            bench_record "$name"
        done
        [[ -t 2 ]] && printf '\r%s %d/%d' "$label" $((round + 1)) "$count" >&2
    done
    [[ -t 2 ]] && printf '\r\033[K' >&2
    return 0
}

if [[ $warmup -gt 0 ]]; then
    run_rounds "$warmup" warmup
    bench_abort_if_dead
    bench_reset
fi
run_rounds "$rounds" run
bench_report runcs
