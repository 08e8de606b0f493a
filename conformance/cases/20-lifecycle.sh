# Lifecycle cases: the operations of the runtime spec's runtime.md (state, create, start, kill,
# delete) and the errors it asks for. The container's process leaves marks in /out, a bind of
# the bundle's out/ directory, so the host sees when it ran.

# lifecycle_bundle SCRIPT [JQ_FILTER]: sets ID and B; the process is `sh -c SCRIPT` with /out writable.
lifecycle_bundle() {
    new_id lc
    make_bundle "$ID" ".process.args = [\"sh\", \"-c\", $(jq -Rn --arg s "$1" '$s')]
        | .mounts += [{destination: \"/out\", type: \"bind\", source: (\$bundle + \"/out\"), options: [\"rbind\", \"rw\"]}]
        | ${2:-.}"
}

# stopped_container [JQ_FILTER]: sets ID and B to a container whose program (true) already exited.
stopped_container() {
    lifecycle_bundle 'true' "${1:-.}" || return 1
    expect_ok "run --detach" rt run --detach --bundle "$B" "$ID" || return 1
    wait_for status_is "$ID" stopped || fail "the container did not stop"
}

# The process marks that it started, then waits to be killed.
readonly WAITER='touch /out/started; exec sleep 1000'

# running_container [JQ_FILTER]: sets ID and B to a running container (run --detach) of WAITER.
running_container() {
    lifecycle_bundle "$WAITER" "${1:-.}" || return 1
    expect_ok "run --detach" rt run --detach --bundle "$B" "$ID"
}

lc_create() {
    lifecycle_bundle "$WAITER" '.annotations = {"org.example.conformance": "yes", "b.second": "2"}' || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    local state
    state=$(rt state "$ID") || return "$(fail "state after create failed")"
    jq -e --arg id "$ID" --arg bundle "$B" '.ociVersion != null and .id == $id and .status == "created"
        and .pid > 0 and .bundle == $bundle
        and .annotations == {"org.example.conformance": "yes", "b.second": "2"}' <<<"$state" >/dev/null \
        || fail "state after create is not {ociVersion, id: $ID, status: created, pid > 0, bundle: $B, annotations}: $state" \
        || return 1
    local pid
    pid=$(jq -r .pid <<<"$state")
    alive "$pid" || fail "state pid $pid is not a live process" || return 1
    sleep 0.3
    [[ ! -e $B/out/started ]] || fail "the user's program ran before start"
}
register lifecycle "create: state is created, with the pid, bundle and annotations; the program waits for start" lc_create

lc_start() {
    lifecycle_bundle "$WAITER" || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    local pid
    pid=$(state_field "$ID" pid)
    expect_ok "start" rt start "$ID" || return 1
    wait_for test -e "$B/out/started" || fail "the program did not run after start" || return 1
    expect_status "$ID" running || return 1
    [[ $(state_field "$ID" pid) == "$pid" ]] || fail "the pid changed at start: $pid, then $(state_field "$ID" pid)"
}
register lifecycle "start: the program runs in the created process; state is running" lc_start

lc_exit() {
    lifecycle_bundle 'touch /out/started' || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    expect_ok "start" rt start "$ID" || return 1
    wait_for status_is "$ID" stopped || fail "state after the program exited: $(state_field "$ID" status), not stopped"
}
register lifecycle "the program exits: state is stopped" lc_exit

lc_duplicate() {
    lifecycle_bundle "$WAITER" || return 1
    local first=$ID pid
    expect_ok "create" rt create --bundle "$B" "$first" || return 1
    pid=$(state_field "$first" pid)
    expect_fails "create with the same id" rt create --bundle "$B" "$first" || return 1
    expect_status "$first" created || return 1
    [[ $(state_field "$first" pid) == "$pid" ]] || fail "the first container's pid changed"
}
register lifecycle "create with an id in use fails and leaves the first container as it was" lc_duplicate

lc_start_twice() {
    lifecycle_bundle "$WAITER" || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    expect_ok "start" rt start "$ID" || return 1
    expect_fails "start of a running container" rt start "$ID" || return 1
    expect_status "$ID" running
}
register lifecycle "start of a running container fails" lc_start_twice

lc_start_stopped() {
    lifecycle_bundle 'true' || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    expect_ok "start" rt start "$ID" || return 1
    wait_for status_is "$ID" stopped || fail "the container did not stop" || return 1
    expect_fails "start of a stopped container" rt start "$ID"
}
register lifecycle "start of a stopped container fails" lc_start_stopped

lc_kill_signal() {
    lifecycle_bundle 'trap "touch /out/got-usr1; exit 0" USR1; touch /out/started; while :; do sleep 0.1; done' || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    expect_ok "start" rt start "$ID" || return 1
    wait_for test -e "$B/out/started" || fail "the program did not start" || return 1
    expect_ok "kill USR1" rt kill "$ID" USR1 || return 1
    wait_for test -e "$B/out/got-usr1" || fail "the program did not get SIGUSR1" || return 1
    wait_for status_is "$ID" stopped || fail "the container did not stop after its program exited"
}
register lifecycle "kill: the signal reaches the program" lc_kill_signal

lc_kill_created() {
    lifecycle_bundle "$WAITER" || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    expect_ok "kill KILL of a created container" rt kill "$ID" KILL || return 1
    wait_for status_is "$ID" stopped || fail "state after kill: $(state_field "$ID" status), not stopped" || return 1
    [[ ! -e $B/out/started ]] || fail "the program ran"
}
register lifecycle "kill of a created container stops it" lc_kill_created

lc_kill_stopped() {
    stopped_container || return 1
    expect_fails "kill of a stopped container" rt kill "$ID" KILL
}
register lifecycle "kill of a stopped container fails" lc_kill_stopped

lc_delete_running() {
    running_container || return 1
    expect_fails "delete of a running container" rt delete "$ID" || return 1
    expect_status "$ID" running
}
register lifecycle "delete of a running container fails and leaves it running" lc_delete_running

lc_delete_stopped() {
    stopped_container || return 1
    [[ -n $(host_cgroup_dirs "$ID") ]] || fail "no cgroup directory of the container was found before delete" || return 1
    expect_ok "delete" rt delete "$ID" || return 1
    expect_gone "$ID" || return 1
    [[ -z $(host_cgroup_dirs "$ID") ]] || fail "cgroup directories left after delete: $(host_cgroup_dirs "$ID" | tr '\n' ' ')"
}
register lifecycle "delete of a stopped container removes it and its cgroups" lc_delete_stopped

lc_delete_force() {
    running_container || return 1
    local pid
    pid=$(state_field "$ID" pid)
    expect_ok "delete --force" rt delete --force "$ID" || return 1
    expect_gone "$ID" || return 1
    ! alive "$pid" || fail "the process $pid still lives"
}
register lifecycle "delete --force of a running container kills and removes it" lc_delete_force

lc_delete_created() {
    lifecycle_bundle "$WAITER" || return 1
    expect_ok "create" rt create --bundle "$B" "$ID" || return 1
    expect_fails "delete of a created container" rt delete "$ID" || return 1
    expect_status "$ID" created
}
register lifecycle "delete of a created container fails (runtime.md: not stopped)" lc_delete_created "" \
    "runc 1.1.5 deletes a created container (killing it), and runcs does as runc"

lc_unknown() {
    local err=$WORK/unknown.err
    new_id nosuch
    if rt state "$ID" >/dev/null 2>"$err"; then
        fail "state of an unknown id succeeded"
        return 1
    fi
    grep -q "does not exist" "$err" || fail "state of an unknown id: expected \"does not exist\", got: $(cat "$err")" || return 1
    expect_fails "start of an unknown id" rt start "$ID" || return 1
    expect_fails "kill of an unknown id" rt kill "$ID" KILL || return 1
    expect_fails "delete of an unknown id" rt delete "$ID"
}
register lifecycle "state, start, kill and delete of an unknown id fail (\"does not exist\")" lc_unknown

lc_pid_file() {
    lifecycle_bundle "$WAITER" || return 1
    expect_ok "create --pid-file" rt create --pid-file "$B/init.pid" --bundle "$B" "$ID" || return 1
    local pid
    pid=$(cat "$B/init.pid" 2>/dev/null)
    [[ -n $pid && $pid == "$(state_field "$ID" pid)" ]] \
        || fail "pid file says \"$pid\", state says $(state_field "$ID" pid)"
}
register lifecycle "create --pid-file writes the process's pid" lc_pid_file

# expect_nothing_left ID: after a failed create: no container, no cgroup, no state directory.
expect_nothing_left() {
    expect_gone "$1" || return 1
    [[ ! -e $STATE/$1 ]] || fail "state directory $STATE/$1 left behind" || return 1
    [[ -z $(host_cgroup_dirs "$1") ]] || fail "cgroups left behind: $(host_cgroup_dirs "$1" | tr '\n' ' ')"
}

lc_missing_command() {
    lifecycle_bundle 'true' '.process.args = ["/no/such/program"]' || return 1
    expect_fails "create with a missing program" rt create --bundle "$B" "$ID" || return 1
    expect_nothing_left "$ID"
}
register lifecycle "create fails for a missing program and leaves nothing behind" lc_missing_command

lc_bad_config() {
    lifecycle_bundle 'true' '.linux.namespaces += [{type: "no-such-namespace"}]' || return 1
    expect_fails "create with an unknown namespace type" rt create --bundle "$B" "$ID" || return 1
    expect_nothing_left "$ID"
}
register lifecycle "create fails for an invalid config and leaves nothing behind" lc_bad_config

lc_bad_mount() {
    lifecycle_bundle 'true' '.mounts += [{destination: "/x", type: "bind", source: "/no/such/source", options: ["bind"]}]' || return 1
    expect_fails "create with a bind mount of a missing source" rt create --bundle "$B" "$ID" || return 1
    expect_nothing_left "$ID"
}
register lifecycle "create fails for a mount it cannot make and leaves nothing behind" lc_bad_mount
