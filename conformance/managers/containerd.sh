# containerd with its own runc shim (io.containerd.runc.v2), told to use the runtime under test as
# its runc: `ctr run --runc-binary PATH` puts BinaryName in the task's runc options, the same
# option CRI users set in containerd's config (runtimes.NAME.options.BinaryName) and docker
# passes for --add-runtime. Sourced by managers/run.sh.
#
# containerd runs privately: root, state, socket and config under $M; the CRI plugin is off (it
# would want CNI and a pause image). Containers go in namespace "smoke" and in cgroups below
# ctd_cg, the runtime's state in $M/runc (--runc-root).

if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null; then
    skip_all "containerd is not installed"
    return 0
fi

ctd_cg=runcs-smoke-containerd-$$
cat >"$M/config.toml" <<EOF
version = 2
root = "$M/root"
state = "$M/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$M/containerd.sock"
[ttrpc]
  address = "$M/containerd.sock.ttrpc"
EOF

"$WORK/clean" containerd --config "$M/config.toml" --log-level warn </dev/null >"$M/containerd.log" 2>&1 &
ctd_pid=$!

# ctr ARGS...: ctr on the private daemon; ctr_run: ctr run on runcs (scripts on PATH, for `timeout`).
cat >"$M/ctr" <<EOF
#!/bin/sh
exec /usr/bin/ctr --address "$M/containerd.sock" --namespace smoke "\$@"
EOF
cat >"$M/ctr_run" <<EOF
#!/bin/sh
# ctr_run [OPTIONS...] IMAGE ID [ARGS...]: the shim calls the runtime with --root $M/runc.
exec "$M/ctr" run --snapshotter native --runtime io.containerd.runc.v2 --runc-binary "$M/runtime" --runc-root "$M/runc" "\$@"
EOF
chmod 0755 "$M/ctr" "$M/ctr_run"
PATH=$M:$PATH

containerd_teardown() {
    local id
    for id in $(ctr tasks ls -q 2>/dev/null); do
        ctr tasks kill --signal KILL "$id"
        ctr tasks delete --force "$id"
    done
    for id in $(ctr containers ls -q 2>/dev/null); do ctr containers delete "$id"; done
    ctr images rm "$IMAGE" "$BAD_IMAGE"
    kill "$ctd_pid" && timeout 20 tail --pid="$ctd_pid" -f /dev/null
    # A shim outlives containerd only if a task could not be deleted: end ours, by pid.
    for id in $(pgrep -f "containerd-shim-runc-v2 .*-address $M/containerd.sock"); do kill -KILL "$id"; done
    find /sys/fs/cgroup -mindepth 1 -maxdepth 5 -depth -type d -path "*/${ctd_cg}*" -exec rmdir {} \;
}
on_exit containerd_teardown

t "containerd starts" wait_until test -S "$M/containerd.sock"

t "import the busybox OCI images (one whose command does not exist)" eval '
    "$repo/scripts/make-oci-image.sh" "$WORK/rootfs" "$M/image.tar" "$IMAGE" "[\"sh\"]" &&
    "$repo/scripts/make-oci-image.sh" "$WORK/rootfs" "$M/bad.tar" "$BAD_IMAGE" "[\"$BAD_PROGRAM\"]" &&
    ctr images import "$M/image.tar" >/dev/null && ctr images import "$M/bad.tar" >/dev/null'

t "run: output streamed, exit status" eval '
    expect_output $'"'"'hello\n0'"'"' ctr_run --rm --cgroup "$ctd_cg/one" "$IMAGE" one sh -c "echo hello; id -u" &&
    { ctr_run --rm --cgroup "$ctd_cg/two" "$IMAGE" two sh -c "exit 3"; [[ $? -eq 3 ]]; }'

t "run -d, then exec into it" eval '
    ctr_run -d --cgroup "$ctd_cg/smoke" "$IMAGE" smoke sh -c "trap \"exit 0\" TERM; while :; do sleep 0.1; done" &&
    wait_until eval "ctr tasks ls | grep -q \"^smoke .*RUNNING\"" &&
    expect_output "in exec: pid 1 is sh" ctr tasks exec --exec-id e1 smoke sh -c "echo in exec: pid 1 is \$(cat /proc/1/comm)"'

# ctr may log that it could not resize the terminal of a process that already exited (with runc too).
t "exec -t: a terminal" eval '
    expect_output /dev/pts/0 sh -c "script -qec \"ctr tasks exec -t --exec-id e2 smoke tty\" /dev/null | grep -v \"resize pty\""'

t "kill (SIGTERM) stops it; delete removes the task and its runtime state" eval '
    ctr tasks kill smoke &&
    wait_until eval "ctr tasks ls | grep -q \"^smoke .*STOPPED\"" &&
    ctr tasks delete smoke >/dev/null && ctr containers delete smoke &&
    [[ -z $(ctr tasks ls -q) ]] &&
    [[ -z $("$RUNTIME" --root "$M/runc/smoke" list -q) ]]'

t "run -t: a terminal" eval '
    expect_output /dev/pts/0 script -qec "ctr_run --rm -t --cgroup $ctd_cg/tty $IMAGE tty tty" /dev/null'

t "an image whose command does not exist: the runtime's error reaches the user, no hang" \
    expect_error "stat $BAD_PROGRAM: no such file or directory" ctr_run --rm --cgroup "$ctd_cg/bad" "$BAD_IMAGE" bad

t "a working directory that is a file: the runtime's error reaches the user" \
    expect_error "set in config.json: not a directory" ctr_run --rm --cgroup "$ctd_cg/cwd" --cwd /etc/passwd "$IMAGE" cwd true

t "nothing is left: tasks, containers, cgroups" eval '
    [[ -z $(ctr tasks ls -q) && -z $(ctr containers ls -q) ]] &&
    [[ -z $(find /sys/fs/cgroup -mindepth 2 -maxdepth 5 -type d -path "*/${ctd_cg}/*") ]]'

containerd_teardown >/dev/null 2>&1
