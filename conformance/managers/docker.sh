# docker (Debian's docker.io): dockerd started privately with --add-runtime NAME=PATH and
# --default-runtime NAME. dockerd starts its own containerd (under --exec-root), whose runc shim
# gets BinaryName = the runtime. Sourced by managers/run.sh.
#
# Private: data root, exec root, socket, pid file, an empty daemon.json, no iptables, no bridge
# (containers run with --network none), the vfs storage driver, and a cgroup parent of our own.

if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
    skip_all "docker.io is not installed"
    return 0
fi

docker_cg=/runcs-smoke-docker-$$
echo '{}' >"$M/daemon.json"
# The exec root's path goes into unix socket paths (containerd's shim sockets): keep it short.
docker_exec_root=$(mktemp -d /tmp/rd.XXXXXX)
"$WORK/clean" dockerd --config-file "$M/daemon.json" --data-root "$M/data" --exec-root "$docker_exec_root" \
    --pidfile "$M/dockerd.pid" --host "unix://$M/docker.sock" \
    --iptables=false --ip6tables=false --bridge=none --ip-masq=false --userland-proxy=false \
    --storage-driver vfs --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "$docker_cg" \
    --add-runtime "runcs-under-test=$M/runtime" --default-runtime runcs-under-test \
    --log-level info </dev/null >"$M/dockerd.log" 2>&1 &
dockerd_pid=$!

cat >"$M/dk" <<EOF
#!/bin/sh
DOCKER_HOST=unix://$M/docker.sock DOCKER_CONFIG=$M/cli exec docker "\$@"
EOF
chmod 0755 "$M/dk"
PATH=$M:$PATH

docker_teardown() {
    local id
    for id in $(dk ps --all --quiet 2>/dev/null); do dk rm --force "$id"; done
    dk rmi --force "$IMAGE" "$BAD_IMAGE"
    kill "$dockerd_pid" && timeout 30 tail --pid="$dockerd_pid" -f /dev/null
    while read -r mnt; do umount -l "$mnt"; done < <(awk -v w="$docker_exec_root" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    rm -rf "$docker_exec_root"
    find /sys/fs/cgroup -mindepth 1 -maxdepth 5 -depth -type d -path "*${docker_cg}*" -exec rmdir {} \;
}
on_exit docker_teardown

# Ready once it says so (the API answers a little earlier, while networking is still being set up).
t "dockerd starts" wait_until grep -q "Daemon has completed initialization" "$M/dockerd.log"

t "import the busybox image (and one whose command does not exist)" eval '
    dk import --change "CMD [\"sh\"]" "$WORK/rootfs.tar" "$IMAGE" >/dev/null &&
    dk import --change "CMD [\"$BAD_PROGRAM\"]" "$WORK/rootfs.tar" "$BAD_IMAGE" >/dev/null'

t "run: output, exit status" eval '
    expect_output $'"'"'hello\n0'"'"' dk run --rm --network none "$IMAGE" sh -c "echo hello; id -u" &&
    { dk run --rm --network none "$IMAGE" sh -c "exit 3"; [[ $? -eq 3 ]]; }'

t "run -d, exec, logs" eval '
    dk run -d --name smoke --network none "$IMAGE" sh -c "trap \"echo got TERM; exit 0\" TERM; echo started; while :; do sleep 0.1; done" >/dev/null &&
    wait_until eval "dk logs smoke | grep -q started" &&
    expect_output "in exec: smoke-exec" dk exec --env X=smoke-exec smoke sh -c "echo in exec: \$X" &&
    expect_output started dk logs smoke'

t "exec -t: a terminal" eval 'expect_output /dev/pts/0 script -qec "dk exec -t smoke tty" /dev/null'

t "stop: SIGTERM reaches the process, which exits 0" eval '
    dk stop --time 10 smoke >/dev/null &&
    expect_output $'"'"'started\ngot TERM'"'"' dk logs smoke &&
    expect_output "0 exited" dk inspect smoke --format "{{.State.ExitCode}} {{.State.Status}}"'

t "rm: the container and its runtime state are gone" eval '
    dk rm smoke >/dev/null && [[ -z $(dk ps --all --quiet) ]] &&
    [[ -z $("$RUNTIME" --root "$docker_exec_root/runtime-runcs-under-test/moby" list -q) ]]'

t "run -t: a terminal, output streamed" eval '
    expect_output /dev/pts/0 script -qec "dk run --rm -t --network none $IMAGE tty" /dev/null'

t "an image whose command does not exist: the runtime's error reaches the user, no hang" \
    expect_error "stat $BAD_PROGRAM: no such file or directory" dk run --rm --network none "$BAD_IMAGE"

t "a limit the runtime cannot grant (nofile above its hard limit): its error reaches the user" \
    expect_error "RLIMIT_NOFILE hard limit 99999999 is above the runtime's own" \
    dk run --rm --network none --ulimit nofile=99999999:99999999 "$IMAGE" true

t "nothing is left: containers, cgroups" eval '
    [[ -z $(dk ps --all --quiet) ]] &&
    [[ -z $(find /sys/fs/cgroup -mindepth 2 -maxdepth 5 -type d -path "*${docker_cg}/*") ]]'

docker_teardown >/dev/null 2>&1
