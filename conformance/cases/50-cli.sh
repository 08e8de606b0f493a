# runc's command line as container managers use it (docs/compatibility.md): the forms podman,
# conmon, containerd's runc shim and docker pass, the outputs they parse, and runc's
# hidden and legacy flags. Not in the runtime spec; a runc replacement must still accept them.

cli_run_exit_status() {
    local status
    lifecycle_bundle 'exit 7' || return 1
    status=0
    rt run --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 || status=$?
    [[ $status -eq 7 ]] || fail "run of \"exit 7\" exited $status" || return 1
    lifecycle_bundle 'kill -KILL $$' '.linux.namespaces |= map(select(.type != "pid"))' || return 1
    status=0
    rt run --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 || status=$?
    [[ $status -eq 137 ]] || fail "run of a process killed by SIGKILL exited $status, not 137"
}
register cli "run in the foreground exits with the process's status (128+N for signal N)" cli_run_exit_status

cli_log_json() {
    local log=$WORK/runtime-log.json
    new_id nosuch
    rt --log "$log" --log-format json state "$ID" >/dev/null 2>&1 && { fail "state of an unknown id succeeded"; return 1; }
    jq -e 'select(.level == "error") | .msg | test("does not exist")' "$log" >/dev/null 2>&1 \
        || fail "--log --log-format json: the log has no JSON error line saying \"does not exist\": $(head -c 300 "$log")"
}
register cli "--log FILE --log-format json: errors are JSON lines in FILE (containerd's shim reads them)" cli_log_json

cli_legacy_flags() {
    lifecycle_bundle "$WAITER" || return 1
    # Single-dash long flags, booleans with values, and flags runc hides or keeps for old callers.
    expect_ok "global flags: -root, --criu, --rootless=false, --systemd-cgroup=false, -log-format" \
        "$RUNTIME" -root "$STATE" --criu /usr/sbin/criu --rootless=false --systemd-cgroup=false -log-format text \
        create -bundle "$B" -pid-file "$B/pid" --no-new-keyring=false "$ID" || return 1
    expect_ok "start with -root" "$RUNTIME" -root "$STATE" start "$ID" || return 1
    expect_ok "kill --all" rt kill --all "$ID" KILL || return 1
    wait_for status_is "$ID" stopped || fail "kill --all did not stop the container" || return 1
    expect_ok "kill -a of a stopped container (runc: no error)" rt kill -a "$ID" KILL || return 1
    expect_ok "delete -f" rt delete -f "$ID" || return 1
    expect_gone "$ID"
}
register cli "hidden and legacy flags: -root, --criu, --rootless=false, --systemd-cgroup=false, kill --all/-a, delete -f" \
    cli_legacy_flags

cli_kill_all() {
    # No pid namespace: killing the init alone would leave its children running.
    lifecycle_bundle 'sleep 1000 & sleep 1000 & touch /out/started; wait' \
        '.linux.namespaces |= map(select(.type != "pid"))' || return 1
    expect_ok "run --detach" rt run --detach --bundle "$B" "$ID" || return 1
    wait_for test -e "$B/out/started" || fail "the program did not start" || return 1
    local dir procs
    dir=$(host_cgroup_dirs "$ID" | grep -m1 /pids/)
    [[ -n $dir ]] || fail "no pids cgroup of the container" || return 1
    [[ $(wc -l <"$dir/cgroup.procs") -eq 3 ]] || fail "expected 3 processes in $dir, found $(wc -l <"$dir/cgroup.procs")" || return 1
    expect_ok "kill --all KILL" rt kill --all "$ID" KILL || return 1
    wait_for test ! -s "$dir/cgroup.procs" || { procs=$(tr '\n' ' ' <"$dir/cgroup.procs"); fail "processes left after kill --all: $procs"; }
}
register cli "kill --all signals every process of the container (no pid namespace)" cli_kill_all

cli_list_ps() {
    running_container || return 1
    local pid
    pid=$(state_field "$ID" pid)
    rt list --format json | jq -e --arg id "$ID" --argjson pid "$pid" \
        'map(select(.id == $id and .status == "running" and .pid == $pid)) | length == 1' >/dev/null \
        || fail "list --format json does not show $ID running with pid $pid: $(rt list --format json)" || return 1
    rt list -q | grep -qx "$ID" || fail "list -q does not print $ID" || return 1
    rt ps --format json "$ID" | jq -e --argjson pid "$pid" 'index($pid) != null' >/dev/null \
        || fail "ps --format json does not list the init pid $pid: $(rt ps --format json "$ID")"
}
register cli "list --format json, list -q and ps --format json show the container and its pid" cli_list_ps

cli_preserve_fds() {
    lifecycle_bundle 'read line <&3; echo "fd 3: $line" > /out/fd3; [ ! -e /proc/self/fd/4 ] || echo "fd 4 leaked" >> /out/fd3' || return 1
    echo "from the caller" >"$B/extra"
    rt run --preserve-fds 1 --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 3<"$B/extra" 4<"$B/extra"
    [[ $(cat "$B/out/fd3" 2>/dev/null) == "fd 3: from the caller" ]] \
        || fail "--preserve-fds 1: the process saw \"$(cat "$B/out/fd3" 2>/dev/null)\""
}
register cli "--preserve-fds N passes descriptors 3..N+2 and no others" cli_preserve_fds

cli_detach_stdio() {
    # run -d / create hand the caller's descriptors to the process (conmon and the shim give pipes).
    lifecycle_bundle 'echo to-stdout; echo to-stderr >&2' || return 1
    rt run --detach --bundle "$B" "$ID" </dev/null >"$B/stdout" 2>"$B/stderr" || { fail "run --detach failed"; return 1; }
    wait_for status_is "$ID" stopped || fail "the container did not stop" || return 1
    grep -qx to-stdout "$B/stdout" && grep -qx to-stderr "$B/stderr" \
        || fail "run --detach: stdout \"$(cat "$B/stdout")\", stderr \"$(cat "$B/stderr")\""
}
register cli "run --detach hands the caller's stdout and stderr to the process" cli_detach_stdio

cli_features() {
    rt features | jq -e '.ociVersionMin != null and .ociVersionMax != null and (.linux.namespaces | index("pid") != null)' >/dev/null \
        || fail "features: not the runtime-spec features document: $(rt features 2>&1 | head -c 300)"
}
register cli "features prints the runtime-spec features document" cli_features
