#!/usr/bin/env bash
# lifecycle.sh: how long `RUNTIME run` of /bin/true takes (create, start, wait, delete: one whole
# container life cycle) for runcs, runc and crun, side by side in one interleaved run.
#
# Each round runs every runtime once, in an order that rotates from round to round, each with its
# own --root state dir and a fresh container id, on one shared busybox bundle (runcs spec
# defaults: pid, network, ipc, uts and mount namespaces; no cgroupsPath). Runs as root, inside a
# private mount namespace (see bench_enter_private_mntns in lib.sh); the host is left untouched.
#
# usage: lifecycle.sh [-n ROUNDS] [--warmup K] [--runcs PATH] [--runc PATH] [--crun PATH]  (-h: help)
#   An empty PATH for --runc or --crun leaves that runtime out.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat >&2 <<'EOF'
usage: lifecycle.sh [-n ROUNDS] [--warmup K] [--runcs PATH] [--runc PATH] [--crun PATH]
  -n ROUNDS      measured rounds, each runtime once per round (default 200)
  --warmup K     rounds run first and not counted (default 10)
  --runcs PATH   runcs binary (default: the repository's out/runcs)
  --runc PATH    runc binary (default: runc on PATH; an empty PATH leaves runc out)
  --crun PATH    crun binary (default: crun on PATH; an empty PATH leaves crun out)
EOF
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
bench_make_bundle "$runcs" "$bundle" '["/bin/true"]'

bench_header "lifecycle: '<runtime> run' of /bin/true, $rounds rounds (+$warmup warm-up), interleaved"

# run_rounds COUNT LABEL: COUNT rounds, each runtime once per round in rotating order.
# The counter shows on a terminal only, so logs and pasted tables stay clean.
run_rounds() {
    local count=$1 label=$2 round name
    for ((round = 0; round < count; round++)); do
        bench_rotate "$round"
        for name in "${BENCH_ORDER[@]}"; do
            bench_time "$name" run --bundle "$bundle" "$label-$round-$name"
            bench_record "$name"
        done
        [[ -t 2 ]] && printf '\r%s %d/%d' "$label" $((round + 1)) "$count" >&2
    done
    [[ -t 2 ]] && printf '\r\033[K' >&2
    return 0
}

if [[ $warmup -gt 0 ]]; then
    run_rounds "$warmup" warmup
    bench_abort_if_dead     # no point timing a runtime that cannot run this bundle at all
    bench_reset
fi
run_rounds "$rounds" run
bench_report runcs
