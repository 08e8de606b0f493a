#!/usr/bin/env bash
# lifecycle.sh: how long `RUNTIME run` of /bin/true takes (create, start, wait, delete: one whole
# container life cycle) for runcs, runc and crun, side by side in one interleaved run.
#
# Each round runs every runtime once, in an order that rotates from round to round, each with its
# own --root state dir and a fresh container id, on one shared busybox bundle (runcs spec
# defaults: pid, network, ipc, uts and mount namespaces; no cgroupsPath). Runs as root, inside a
# private mount namespace (see bench_enter_private_mntns in lib.sh); the host is left untouched.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_parse_args "usage: lifecycle.sh [-n ROUNDS] [--warmup K] [--runcs PATH] [--runc PATH] [--crun PATH]
  -n ROUNDS      measured rounds, each runtime once per round (default 200)
  --warmup K     rounds run first and not counted (default 10)
  --runcs PATH   runcs binary (default: the repository's out/runcs)
  --runc PATH    runc binary (default: runc on PATH; an empty PATH leaves runc out)
  --crun PATH    crun binary (default: crun on PATH; an empty PATH leaves crun out)" "$@"

bench_require_root
bench_enter_private_mntns "${BENCH_ARGS[@]}"
bench_setup
bench_add_runtimes

bundle=$BENCH_TMP/bundle
bench_make_bundle "$BENCH_RUNCS" "$bundle" '["/bin/true"]'

bench_header "lifecycle: '<runtime> run' of /bin/true, $BENCH_ROUNDS rounds (+$BENCH_WARMUP warm-up), interleaved"

# run_once NAME ID: one whole life cycle with that runtime.
run_once() { bench_time "$1" run --bundle "$bundle" "$2"; }

bench_measure run_once run
