# podman with --runtime and conmon. Sourced by managers/run.sh (M: this manager's directory,
# $M/runtime: the logging wrapper around the runtime under test).
#
# podman keeps no daemon: each command is a process, and each container's conmon stays until the
# container is removed. Everything goes under $M: storage (vfs, no mounts of its own), run root,
# tmpdir, events, and a containers.conf that points the engine at the wrapper.

if ! command -v podman >/dev/null || ! command -v conmon >/dev/null && [[ ! -x /usr/libexec/podman/conmon ]]; then
    skip_all "podman or conmon is not installed"
    return 0
fi

# podman sets RLIMIT_NOFILE and RLIMIT_NPROC to 1048576 when root. Where the runtime lacks
# CAP_SYS_RESOURCE (this sandbox), raising a hard limit fails; runc and runcs both refuse it
# (runcs says so: "process.rlimits[0]: RLIMIT_NOFILE hard limit 1048576 is above the runtime's own").
# So the containers get limits any runtime can set.
cat >"$M/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$M/events.log"
runtime = "runcs-under-test"
[engine.runtimes]
runcs-under-test = ["$M/runtime"]
EOF

podman_cg=/runcs-smoke-podman-$$
# pm ARGS...: podman on the private store. A script in $M, put on PATH, so that `timeout` can run it.
# podman (4.3) passes no --root to the runtime, so the runtime keeps its state in its default root
# (/run/runcs, /run/runc); --runtime-flag root=... is not passed to every delete, so it cannot help.
# pm_run ARGS...: podman run with the suite's cgroup parent, so every cgroup it makes can be removed.
cat >"$M/pm" <<EOF
#!/bin/sh
exec "$WORK/clean" CONTAINERS_CONF=$M/containers.conf podman --root "$M/storage" --runroot "$M/run" --tmpdir "$M/tmp" \\
    --storage-driver vfs "\$@"
EOF
cat >"$M/pm_run" <<EOF
#!/bin/sh
exec "$M/pm" run --cgroup-parent "$podman_cg" "\$@"
EOF
chmod 0755 "$M/pm" "$M/pm_run"
PATH=$M:$PATH

podman_teardown() {
    pm rm --all --force --time 0
    pm rmi --all --force
    find /sys/fs/cgroup -mindepth 1 -maxdepth 5 -depth -type d -path "*${podman_cg}*" -exec rmdir {} \;
}
on_exit podman_teardown

t "import the busybox image (and one whose command does not exist)" eval '
    pm import --change "CMD [\"sh\"]" "$WORK/rootfs.tar" "$IMAGE" >/dev/null &&
    pm import --change "CMD [\"$BAD_PROGRAM\"]" "$WORK/rootfs.tar" "$BAD_IMAGE" >/dev/null'

t "run: output, exit status" expect_output $'hello\n0' pm_run --rm "$IMAGE" sh -c 'echo hello; id -u'

t "run: a failing command's exit status" eval '
    pm_run --rm "$IMAGE" sh -c "exit 3"; [[ $? -eq 3 ]]'

t "run -d, exec, logs" eval '
    pm_run -d --name smoke "$IMAGE" sh -c "trap \"echo got TERM; exit 0\" TERM; echo started; while :; do sleep 0.1; done" >/dev/null &&
    wait_until eval "pm logs smoke | grep -q started" &&
    expect_output "in exec: smoke-exec" pm exec --env X=smoke-exec smoke sh -c "echo in exec: \$X" &&
    expect_output started pm logs smoke'

t "exec -t: a terminal" expect_output /dev/pts/0 pm exec -t smoke tty

t "stop: SIGTERM reaches the process, which exits 0" eval '
    pm stop --time 10 smoke >/dev/null &&
    expect_output $'"'"'started\ngot TERM'"'"' pm logs smoke &&
    expect_output "0 exited" pm inspect smoke --format "{{.State.ExitCode}} {{.State.Status}}"'

t "rm: the container and its runtime state are gone" eval '
    smoke_id=$(pm inspect smoke --format "{{.Id}}") &&
    pm rm smoke >/dev/null && [[ -z $(pm ps --all --quiet) ]] &&
    ! "$RUNTIME" list -q | grep -qx "$smoke_id"'

t "run -t: a terminal, output streamed" expect_output /dev/pts/0 pm_run --rm -t "$IMAGE" tty

t "run --tmpfs /etc: the tmpfs starts with the image's files (podman asks for tmpcopyup)" \
    expect_output $'tmpfs\nroot' pm_run --rm --tmpfs /etc "$IMAGE" sh -c \
        'grep " /etc " /proc/mounts | cut -d " " -f 3; cut -d : -f 1 /etc/passwd | head -n 1'

t "an image whose command does not exist: the runtime's error reaches the user, no hang" \
    expect_error "stat $BAD_PROGRAM: no such file or directory" pm_run --rm "$BAD_IMAGE"

t "a limit the runtime cannot grant (nofile above its hard limit): its error reaches the user" \
    expect_error "RLIMIT_NOFILE hard limit 99999999 is above the runtime's own" \
    pm_run --rm --ulimit nofile=99999999:99999999 "$IMAGE" true

# podman keeps conmon in PARENT/conmon (removed at teardown); the runtime must have removed the rest.
t "nothing is left: containers, cgroups" eval '
    [[ -z $(pm ps --all --quiet) ]] &&
    left=$(find /sys/fs/cgroup -mindepth 2 -maxdepth 5 -type d -path "*${podman_cg}/*" ! -name conmon) &&
    { [[ -z $left ]] || { echo "cgroups left: $left"; false; }; }'

podman_teardown >/dev/null 2>&1
