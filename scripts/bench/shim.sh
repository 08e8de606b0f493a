#!/usr/bin/env bash
# shim.sh: containerd-shim-runcs-v2 against containerd-shim-runc-v2 (with runc), side by side in
# one run through one private containerd:
#   1. `ctr run --rm IMAGE ID /bin/true` (shim start, create, start, wait, delete, shutdown), median
#      over interleaved rounds in rotating order;
#   2. the shim's memory with one sleeping container: RSS; anon (heap, stacks: what each more
#      shim adds, since the binary's file pages are shared between shims); PSS and private.
#
# containerd (Debian's) runs with its own root, state and socket in a temp dir, the repository's
# out/ first on its PATH, and is stopped by pid at the end. The image is the busybox-static
# rootfs packed by scripts/make-image.sh. Runs as root.
#
# usage: shim.sh [-n ROUNDS] [--warmup K] [--shim PATH]  (-h: help)
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat >&2 <<'EOF2'
usage: shim.sh [-n ROUNDS] [--warmup K] [--shim PATH]
  -n ROUNDS    measured rounds, each shim once per round (default 40)
  --warmup K   rounds run first and not counted (default 3)
  --shim PATH  containerd-shim-runcs-v2 (default: the repository's out/containerd-shim-runcs-v2)
EOF2
    exit 2
}

rounds=40
warmup=3
shim=$BENCH_REPO_ROOT/out/containerd-shim-runcs-v2
while [[ $# -gt 0 ]]; do
    case $1 in
        -n) rounds=${2:?-n needs a number}; shift 2 ;;
        --warmup) warmup=${2:?--warmup needs a number}; shift 2 ;;
        --shim) shim=${2:?--shim needs a path}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "${0##*/}: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || bench_die "-n: expected a positive number, got '$rounds'"
[[ $warmup =~ ^[0-9]+$ ]] || bench_die "--warmup: expected a number, got '$warmup'"
command -v containerd >/dev/null && command -v ctr >/dev/null || bench_die "containerd and ctr are needed (apt-get install -y containerd)"
runc_shim=$(command -v containerd-shim-runc-v2) || bench_die "containerd-shim-runc-v2 not found"

bench_require_root
bench_setup
bench_add_runtime runcs "$shim"
bench_add_runtime runc "$runc_shim"
declare -A RUNTIME=([runcs]=io.containerd.runcs.v2 [runc]=io.containerd.runc.v2)

# A private containerd; stopped (by pid) before lib.sh's cleanup removes the temp dir.
ctd=$BENCH_TMP/containerd
ns=bench
image=localhost/runcs-busybox:latest
mkdir -p "$ctd"
cat > "$ctd/config.toml" <<EOF2
version = 2
root = "$ctd/root"
state = "$ctd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ctd/containerd.sock"
EOF2
PATH=$(dirname "$shim"):$PATH containerd --config "$ctd/config.toml" >"$ctd/log" 2>&1 </dev/null &
ctd_pid=$!
stop_containerd() {
    local id
    for id in $(ctr_ containers ls -q 2>/dev/null); do
        ctr_ task kill -s SIGKILL "$id" >/dev/null 2>&1 || true
        sleep 0.2
        ctr_ task delete "$id" >/dev/null 2>&1 || true
        ctr_ containers rm "$id" >/dev/null 2>&1 || true
    done
    kill "$ctd_pid" 2>/dev/null && wait "$ctd_pid" 2>/dev/null || true
    # ctr puts containers in /NAMESPACE/ID of every hierarchy and never removes the namespace's own cgroup.
    local dir
    for dir in /sys/fs/cgroup/"$ns" /sys/fs/cgroup/*/"$ns"; do
        [[ -d $dir ]] && { rmdir "$dir" 2>/dev/null || true; }
    done
    bench_cleanup
}
trap stop_containerd EXIT
ctr_() { ctr --address "$ctd/containerd.sock" --namespace "$ns" "$@"; }
for _ in $(seq 100); do ctr_ version >/dev/null 2>&1 && break; sleep 0.1; done
ctr_ version >/dev/null 2>&1 || { cat "$ctd/log" >&2; bench_die "containerd did not start"; }
"$BENCH_REPO_ROOT/scripts/make-image.sh" "$BENCH_TMP/busybox.tar" "$image" >/dev/null
ctr_ image import "$BENCH_TMP/busybox.tar" >/dev/null

echo "shim: 'ctr run --rm $image ID /bin/true', $rounds rounds (+$warmup warm-up), interleaved"
echo "host: $(uname -r), $(nproc) CPUs, cgroup fs: $(stat -f -c %T /sys/fs/cgroup), $(containerd --version | cut -d' ' -f3)"
echo "  runcs  $shim (runtime library in-process)"
echo "  runc   $runc_shim with $(command -v runc) ($(runc --version | head -1))"
echo

# time_run NAME ID: one `ctr run --rm` through NAME's shim, timed like lib.sh's bench_time.
time_run() {
    local name=$1 id=$2 result=$BENCH_TMP/result
    rm -f "$result"
    "$BENCH_TIMEIT" "$result" ctr --address "$ctd/containerd.sock" --namespace "$ns" \
        run --rm --runtime "${RUNTIME[$name]}" "$image" "$id" /bin/true \
        </dev/null >"$BENCH_TMP/$name.log" 2>&1 || true
    if [[ -s $result ]]; then read -r BENCH_NS BENCH_RC < "$result"; else BENCH_NS=0; BENCH_RC=125; fi
}

if [[ $warmup -gt 0 ]]; then
    bench_rounds "$warmup" warmup time_run
    bench_abort_if_dead
    bench_reset
fi
bench_rounds "$rounds" run time_run
bench_report runcs

# Memory: one sleeping container per shim, measured once it has settled.
echo
printf '%-8s %10s %10s %10s %14s %8s\n' shim "RSS KiB" "anon KiB" "PSS KiB" "private KiB" threads
declare -A rss=()
for name in "${BENCH_NAMES[@]}"; do
    ctr_ run -d --runtime "${RUNTIME[$name]}" "$image" "mem-$name" sleep 1000 >/dev/null
done
sleep 8 # an idle shim trims itself 0.2 s and again 5 s after the last call
for name in "${BENCH_NAMES[@]}"; do
    pid=$(pgrep -f -- "$(basename "${BENCH_PATH[$name]}") -namespace $ns -id mem-$name " | head -1)
    [[ -n $pid ]] || bench_die "no shim process for mem-$name"
    rss[$name]=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status")
    pss=$(awk '/^Pss:/ {s += $2} END {print s}' "/proc/$pid/smaps")
    private=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s}' "/proc/$pid/smaps")
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
    printf '%-8s %10s %10s %10s %14s %8s\n' "$name" "${rss[$name]}" "$anon" "$pss" "$private" "$threads"
done
echo "runcs' shim RSS is $(bench_ratio "${rss[runcs]}" "${rss[runc]}")x runc's"
