# lib.sh: the helpers every conformance case uses. Sourced by run.sh.
#
# A case is a shell function that returns 0 when the runtime behaved as the
# spec says. It makes bundles with make_bundle, calls the runtime through rt,
# and explains a failure with fail (or diag), whose lines become TAP
# diagnostics. Everything a case makes lives under $WORK and is removed at
# exit; every container id it asks for (new_id) is deleted after the case.
#
# Globals set by run.sh: RUNTIME, WORK, STATE, BIN, TEMPLATE, BASE_CONFIG, CG_PARENT.

# rt ARGS...: the runtime under test with the suite's private state root.
# A call that hangs is killed after RT_TIMEOUT seconds (a hang is a failure too).
rt() {
    timeout -k 5 "${RT_TIMEOUT:-60}" "$RUNTIME" --root "$STATE" "$@"
}

# diag TEXT...: a line of explanation, shown under the case's TAP line when it fails.
diag() {
    printf '%s\n' "$*" >>"$CASE_LOG"
}

# fail TEXT...: explain, and return 1 so a case can end with `|| fail ...` or `return $(fail ...)`.
fail() {
    diag "$*"
    return 1
}

# diag_file FILE [LABEL]: the file's lines as diagnostics (runtime output, checker report).
diag_file() {
    [[ -s $1 ]] || return 0
    [[ -n ${2:-} ]] && diag "$2:"
    sed 's/^/  /' "$1" | head -n 60 >>"$CASE_LOG"
}

# new_id [PREFIX]: sets ID to a fresh container id, deleted when the case ends.
new_id() {
    ID="${1:-c}-$((++ID_SEQ))-$$"
    CASE_IDS+=("$ID")
}

# on_cleanup COMMAND...: run when the case ends, last registered first (unmounts, host namespaces).
on_cleanup() {
    CASE_CLEANUPS=("$*" "${CASE_CLEANUPS[@]}")
}

# make_bundle ID [JQ_FILTER]: sets B to a new bundle for container ID:
#   B/rootfs        a private copy of the busybox-static rootfs, with the checker in /conformance
#   B/config.json   base-config.json, cgroupsPath below the suite's own parent, then JQ_FILTER
#   B/out           a host directory cases may bind into the container to get files out
# The filter sees $id, $bundle, $work and $parent (the cgroup parent) as jq variables.
# The checker's inputs go into the rootfs: the same config.json, and facts only the host can see.
make_bundle() {
    local id=$1 filter=${2:-.}
    B=$WORK/bundles/$id
    mkdir -p "$B/out"
    cp -a "$TEMPLATE" "$B/rootfs"
    jq --arg id "$id" --arg bundle "$B" --arg work "$WORK" --arg parent "$CG_PARENT" \
        ".linux.cgroupsPath = (\$parent + \"/\" + \$id) | $filter" "$BASE_CONFIG" >"$B/config.json" \
        || { fail "jq filter failed: $filter"; return 1; }
    mkdir -p "$B/rootfs/conformance"
    cp "$BIN/checker" "$B/rootfs/conformance/checker"
    cp "$B/config.json" "$B/rootfs/conformance/config.json"
    write_facts "$id" >"$B/rootfs/conformance/facts"
}

# write_facts ID: what only the host can see, for the checker (key=value lines).
write_facts() {
    local ns index source path
    echo "id=$1"
    for ns in pid net mnt ipc uts user cgroup time; do
        echo "ns.$ns=$(stat -L -c %i "/proc/self/ns/$ns")"
    done
    # Bind mounts: the source's device and inode, which the destination must show.
    while read -r index source; do
        [[ $source == /* ]] || source=$B/$source
        echo "mount.$index.source=$(stat -L -c '%Hd:%Ld:%i' "$source" 2>/dev/null || echo missing)"
    done < <(jq -r '.mounts // [] | to_entries[]
        | select((.value.options // []) | (index("bind") != null or index("rbind") != null))
        | "\(.key) \(.value.source)"' "$B/config.json")
    # Namespaces joined by path: their inode.
    while read -r path; do
        echo "nspath.$path=$(stat -L -c %i "$path" 2>/dev/null || echo missing)"
    done < <(jq -r '.linux.namespaces // [] | .[] | select(.path) | .path' "$B/config.json")
}

# set_config JQ_FILTER: edits $B/config.json and the checker's copy of it.
set_config() {
    jq --arg bundle "$B" --arg work "$WORK" "$1" "$B/config.json" >"$B/config.json.new" \
        && mv "$B/config.json.new" "$B/config.json" \
        && cp "$B/config.json" "$B/rootfs/conformance/config.json"
}

# checker_passed FILE: whether the checker's report in FILE ends with no failed comparison.
checker_passed() {
    tr -d '\r' <"$1" | grep -Eq '^checker: [0-9]+ checks, 0 failed$'
}

# check_config [JQ_FILTER]: the config cases. Runs the checker as the container's process in
# the foreground (`run`) and passes when every comparison of config.json with what the
# container sees holds.
check_config() {
    new_id cfg
    make_bundle "$ID" "${1:-.}" || return 1
    run_checker "$ID"
}

# run_checker ID: `run` the bundle B in the foreground; report the checker's failed lines.
run_checker() {
    local out=$B/checker.out status=0
    rt run --bundle "$B" "$1" </dev/null >"$out" 2>&1 || status=$?
    if [[ $status -eq 0 ]] && checker_passed "$out"; then
        [[ -n $VERBOSE ]] && diag_file "$out"
        return 0
    fi
    diag "run exited $status"
    grep -E '^(not ok|checker:)' "$out" >"$out.failed" || true
    if [[ -s $out.failed ]]; then
        diag_file "$out.failed" "checker"
        grep -Ev '^(ok|not ok|#|checker:) ?' "$out" >"$out.other" || true
        diag_file "$out.other" "runtime"
    else
        diag_file "$out" "output"
    fi
    return 1
}

# state_field ID FIELD: one field of `state ID` (empty when state fails).
state_field() {
    rt state "$1" 2>/dev/null | jq -r ".$2 // empty" 2>/dev/null
}

# expect_status ID STATUS: the container's state says STATUS.
expect_status() {
    local got
    got=$(state_field "$1" status)
    [[ $got == "$2" ]] || fail "state of $1: expected status \"$2\", got \"${got:-no state}\""
}

# expect_gone ID: `state ID` fails: the container no longer exists.
expect_gone() {
    if rt state "$1" >/dev/null 2>&1; then
        fail "container $1 still exists: $(rt state "$1" 2>&1 | tr -d '\n')"
    fi
}

# alive PID: the process exists and is not a zombie (a killed init whose parent has not reaped it yet).
alive() {
    local state
    state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]]
}

# wait_for CONDITION_COMMAND...: polls for up to 10 s.
wait_for() {
    local i
    for ((i = 0; i < 100; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# status_is ID STATUS: for wait_for.
status_is() {
    [[ $(state_field "$1" status) == "$2" ]]
}

# expect_fails DESCRIPTION COMMAND...: COMMAND must exit non-zero and say why on stderr.
expect_fails() {
    local what=$1 err=$WORK/expect_fails.err status=0
    shift
    "$@" >/dev/null 2>"$err" || status=$?
    if [[ $status -eq 0 ]]; then
        fail "$what: expected an error, but \"$*\" succeeded"
        return 1
    fi
    if [[ $status -eq 124 || $status -eq 137 ]]; then
        fail "$what: \"$*\" hung (killed after ${RT_TIMEOUT:-60} s)"
        return 1
    fi
    if [[ ! -s $err ]]; then
        fail "$what: \"$*\" exited $status without a message on stderr"
        return 1
    fi
    [[ -n $VERBOSE ]] && diag "$what: exit $status: $(head -c 300 "$err")"
    return 0
}

# expect_ok DESCRIPTION COMMAND...: COMMAND must succeed.
expect_ok() {
    local what=$1 out=$WORK/expect_ok.out status=0
    shift
    "$@" >"$out" 2>&1 || status=$?
    [[ $status -eq 0 ]] && return 0
    fail "$what: \"$*\" exited $status"
    diag_file "$out"
    return 1
}

# start_recvtty SOCKET OUTPUT: the console-socket receiver in the background (RECEIVER is its pid),
# killed when the case ends; returns once it listens.
start_recvtty() {
    "$BIN/recvtty" "$1" "$2" >"$2.log" 2>&1 &
    RECEIVER=$!
    on_cleanup "kill $RECEIVER"
    wait_for grep -q ready "$2.log" || fail "recvtty did not start"
}

# wait_recvtty: until the receiver has copied everything (the terminal's last holder closed it).
wait_recvtty() {
    timeout 10 tail --pid="$RECEIVER" -f /dev/null
}

# host_cgroup_dirs ID: the container's directories in every cgroup hierarchy (they must go at delete).
host_cgroup_dirs() {
    find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d -path "*/$CG_PARENT/$1" 2>/dev/null
}
