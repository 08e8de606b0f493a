#!/usr/bin/env bash
# seccomp.sh: what Docker's default seccomp profile costs, for runcs, runc and crun side by side.
#
#   1. create: `RUNTIME create` of a container whose config carries Docker's default profile
#      (Tests/Fixtures/seccomp/docker-default-oci-amd64.json), interleaved rounds; each container is
#      deleted after its timing. Compiling the profile (runcs in C#, runc and crun with libseccomp)
#      is part of create.
#   2. per call: a static program inside the container calls getppid() in a loop and reports the
#      nanoseconds per call, under each runtime's filter and, for reference, with no filter at all.
#      getppid is allowed by the profile, so the number is the cost of reaching "allow".
#
# usage: seccomp.sh [-n ROUNDS] [--calls N] [--runcs PATH] [--runc PATH] [--crun PATH]   (as root)
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_parse_args "usage: seccomp.sh [-n ROUNDS] [--warmup K] [--calls N] [--runcs PATH] [--runc PATH] [--crun PATH]" "$@"
calls=5000000
set -- "${BENCH_EXTRA_ARGS[@]}"
while [[ $# -gt 0 ]]; do
    case $1 in
        --calls) calls=$2; shift 2 ;;
        *) bench_die "unknown argument: $1" ;;
    esac
done

bench_require_root
bench_enter_private_mntns "${BENCH_ARGS[@]}"
bench_setup
bench_add_runtimes

profile=$BENCH_REPO_ROOT/Tests/Fixtures/seccomp/docker-default-oci-amd64.json
bundle=$BENCH_TMP/bundle
bench_make_bundle "$BENCH_RUNCS" "$bundle" '["/bin/getppid-loop"]'
# with_profile CONFIG: put Docker's profile into CONFIG (and the call count into the process).
with_profile() {
    jq --slurpfile p "$profile" --arg calls "$calls" '.linux.seccomp = $p[0] | .process.args += [$calls]' "$1" >"$1.new"
    mv "$1.new" "$1"
}
with_profile "$bundle/config.json"

cat >"$BENCH_TMP/getppid-loop.c" <<'C'
/* getppid-loop N: N raw getppid() calls; prints nanoseconds per call. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
C
gcc -static -O2 -o "$bundle/rootfs/bin/getppid-loop" "$BENCH_TMP/getppid-loop.c"

bench_header "seccomp: 'create' with Docker's default profile, $BENCH_ROUNDS rounds (+$BENCH_WARMUP warm-up), interleaved; getppid cost under each filter"
# create_once NAME ID: one create with the profile, timed; the container is deleted untimed.
create_once() {
    bench_time "$1" create --bundle "$bundle" "$2"
    "${BENCH_PATH[$1]}" --root "${BENCH_ROOT[$1]}" delete --force "$2" >/dev/null 2>&1 || true
}
echo "create with Docker's default seccomp profile:"
bench_measure create_once create

# Per-call cost: 3 runs per runtime, the median; and once with no filter (runcs, seccomp removed).
echo
echo "getppid() inside the container, $calls calls, median of 3 runs (ns per call):"
per_call() { # per_call NAME BUNDLE
    local name=$1 b=$2 i
    for i in 1 2 3; do
        "${BENCH_PATH[$name]}" --root "${BENCH_ROOT[$name]}" run --bundle "$b" "loop-$name-$i" 2>/dev/null
    done | sort -n | sed -n 2p
}
for name in "${BENCH_NAMES[@]}"; do
    printf '  %-8s %s\n' "$name" "$(per_call "$name" "$bundle")"
done
cp -a "$bundle" "$BENCH_TMP/nofilter"
jq 'del(.linux.seccomp)' "$BENCH_TMP/nofilter/config.json" >"$BENCH_TMP/nofilter/c.json" && mv "$BENCH_TMP/nofilter/c.json" "$BENCH_TMP/nofilter/config.json"
printf '  %-8s %s\n' "none" "$(per_call runcs "$BENCH_TMP/nofilter")"
