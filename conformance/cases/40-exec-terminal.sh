# exec (runc's command, which every manager uses) and terminals (process.terminal, consoleSize,
# the --console-socket protocol that conmon and containerd's shim speak).

ex_namespaces() {
    running_container '.linux.namespaces += [{type: "cgroup"}]' || return 1
    local out=$B/exec.out status=0
    rt exec "$ID" sh -c 'for ns in pid net mnt ipc uts cgroup user; do
            [ "$(readlink /proc/self/ns/$ns)" = "$(readlink /proc/1/ns/$ns)" ] || echo "differs: $ns"
        done
        [ "$(cat /proc/self/cgroup)" = "$(cat /proc/1/cgroup)" ] || echo "differs: cgroups"
        echo done' >"$out" 2>&1 || status=$?
    [[ $status -eq 0 && $(cat "$out") == done ]] || { diag_file "$out" "exec exited $status"; return 1; }
}
register exec "exec: the process joins every namespace and cgroup of the container" ex_namespaces

ex_process_json() {
    running_container || return 1
    # The checker compares an exec'd process with exec.json: the container's config with this process.
    jq '.process = {terminal: false, user: {uid: 1000, gid: 1000, additionalGids: [1001], umask: 63},
            args: ["/conformance/checker", "--config", "/conformance/exec.json", "--only", "process",
                   "--only", "user", "--only", "capabilities", "--only", "rlimits", "--only", "scheduling"],
            env: ["PATH=/bin", "EXEC_VAR=exec value"], cwd: "/tmp",
            capabilities: {bounding: ["CAP_KILL", "CAP_NET_RAW"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"],
                           inheritable: ["CAP_KILL"], ambient: ["CAP_KILL"]},
            rlimits: [{type: "RLIMIT_NOFILE", soft: 64, hard: 128}], noNewPrivileges: true,
            execCPUAffinity: {final: "0"}}' "$B/config.json" >"$B/exec.json" || return 1
    # The rootfs is read-only inside; the host still writes to it.
    cp "$B/exec.json" "$B/rootfs/conformance/exec.json"
    jq .process "$B/exec.json" >"$B/process.json"
    local out=$B/exec.out status=0
    rt exec --process "$B/process.json" "$ID" >"$out" 2>&1 || status=$?
    [[ $status -eq 0 ]] && checker_passed "$out" && return 0
    diag_file "$out" "exec exited $status"
    return 1
}
register exec "exec --process: user, umask, env, cwd, capabilities, rlimits, execCPUAffinity as given" ex_process_json

ex_exit_status() {
    running_container || return 1
    local status=0
    rt exec "$ID" sh -c 'exit 5' >/dev/null 2>&1 || status=$?
    [[ $status -eq 5 ]] || fail "exec of \"exit 5\" exited $status"
}
register exec "exec: its exit status is the process's" ex_exit_status

ex_stopped() {
    stopped_container || return 1
    expect_fails "exec in a stopped container" rt exec "$ID" true
}
register exec "exec in a stopped container fails" ex_stopped

# The checker with process.terminal: its report comes through the terminal (CRLF line ends).
tty_console_socket() {
    new_id tty
    make_bundle "$ID" '.process.terminal = true | .process.consoleSize = {height: 33, width: 111}' || return 1
    start_recvtty "$B/console.sock" "$B/tty.out" || return 1
    expect_ok "create --console-socket" rt create --console-socket "$B/console.sock" --bundle "$B" "$ID" || return 1
    expect_ok "start" rt start "$ID" || return 1
    wait_for status_is "$ID" stopped || fail "the checker did not finish" || return 1
    wait_recvtty
    checker_passed "$B/tty.out" && return 0
    tr -d '\r' <"$B/tty.out" | grep -E '^(not ok|checker:)' >"$B/tty.failed"
    diag_file "$B/tty.failed" "checker through the terminal"
    diag_file "$B/tty.out.log"
    return 1
}
register terminal "process.terminal with create --console-socket: stdio is a terminal of consoleSize" tty_console_socket

tty_foreground() {
    new_id tty
    make_bundle "$ID" '.process.terminal = true' || return 1
    local out=$B/script.out status=0
    # script(1) gives the foreground runtime a terminal of its own, as a user's shell would.
    timeout -k 5 60 script -qec "$(printf '%q ' "$RUNTIME" --root "$STATE" run --bundle "$B" "$ID")" /dev/null \
        </dev/null >"$out" 2>&1 || status=$?
    [[ $status -eq 0 ]] && checker_passed "$out" && return 0
    tr -d '\r' <"$out" | grep -Ev '^ok' >"$out.failed"
    diag_file "$out.failed" "run exited $status"
    return 1
}
register terminal "process.terminal with run in the foreground: the runtime's terminal is passed through" tty_foreground

tty_exec() {
    running_container || return 1
    start_recvtty "$B/exec.sock" "$B/tty.out" || return 1
    expect_ok "exec --tty --detach --console-socket" \
        rt exec --tty --detach --console-socket "$B/exec.sock" "$ID" sh -c 'tty; stty size' || return 1
    wait_recvtty
    grep -q '^/dev/pts/[0-9]' <(tr -d '\r' <"$B/tty.out") \
        || fail "exec --tty: tty printed \"$(tr -d '\r' <"$B/tty.out" | head -n 2 | tr '\n' ' ')\", not /dev/pts/N"
}
register terminal "exec --tty --console-socket: the process gets a terminal of the container's devpts" tty_exec
