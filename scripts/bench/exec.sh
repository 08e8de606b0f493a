#!/usr/bin/env bash
# exec.sh: how long `RUNTIME exec ID /bin/true` takes for runcs, runc and crun, side by side in
# one interleaved run. Each runtime first starts one long-running container (sleep) from the same
# busybox bundle; every round then execs /bin/true into each runtime's container, in an order that
# rotates from round to round. Runs as root in a private mount namespace (see lib.sh).
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_parse_args "usage: exec.sh [-n ROUNDS] [--warmup K] [--runcs PATH] [--runc PATH] [--crun PATH]
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
bench_make_bundle "$BENCH_RUNCS" "$bundle" '["sleep", "100000"]'

# One running container per runtime, the target of every exec (deleted by lib.sh's cleanup).
for name in "${BENCH_NAMES[@]}"; do
    "${BENCH_PATH[$name]}" --root "${BENCH_ROOT[$name]}" run -d --bundle "$bundle" "exec-target-$name" \
        </dev/null >"$BENCH_TMP/$name.log" 2>&1 || bench_die "$name: cannot start the target container: $(cat "$BENCH_TMP/$name.log")"
done

bench_header "exec: '<runtime> exec ID /bin/true' into a running container, $BENCH_ROUNDS rounds (+$BENCH_WARMUP warm-up), interleaved"

# exec_once NAME ROUND_ID: one exec of /bin/true into that runtime's container.
exec_once() { bench_time "$1" exec "exec-target-$1" /bin/true; }

bench_measure exec_once exec
