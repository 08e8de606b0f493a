# Config cases: each is base-config.json plus a jq edit, verified from inside by the checker,
# which compares every field of config.json it knows with what the container sees.
# (config.md and config-linux.md of the runtime spec.)

config_case "base config: runc's example, checked field by field" '.'

config_case "process: args with spaces and an empty argument, env, cwd" \
    '.process.args += ["--", "two words", "", "x=y"]
     | .process.env += ["SPACED=a b  c", "EMPTY=", "EQUALS=a=b"]
     | .process.cwd = "/tmp"'

config_case "process.cwd: a directory that does not exist yet is created" \
    '.process.cwd = "/new/work dir" | .root.readonly = false'

config_case "process.user: uid, gid, additionalGids, umask" \
    '.process.user = {uid: 1000, gid: 1000, additionalGids: [1001, 5], umask: 23}'

config_case "process.user: root with no additional groups" \
    '.process.user = {uid: 0, gid: 0}'

config_case "process.capabilities: every set, ambient for a non-root user" \
    '.process.user = {uid: 1000, gid: 1000}
     | .process.capabilities = {
         bounding: ["CAP_CHOWN", "CAP_NET_RAW", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL"],
         effective: ["CAP_NET_RAW", "CAP_NET_BIND_SERVICE"],
         permitted: ["CAP_NET_RAW", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
         inheritable: ["CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
         ambient: ["CAP_NET_BIND_SERVICE"]}'

config_case "process.capabilities: root whose bounding set is larger than its permitted set" \
    '.process.capabilities = {
         bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_SETGID", "CAP_SYS_ADMIN"],
         effective: ["CAP_KILL"], permitted: ["CAP_KILL", "CAP_CHOWN"], inheritable: []}'

config_case "process.capabilities: none at all" \
    '.process.capabilities = {bounding: [], effective: [], permitted: [], inheritable: [], ambient: []}'

config_case "process.noNewPrivileges: false" '.process.noNewPrivileges = false'

config_case "process.rlimits: several, soft below hard" \
    '.process.rlimits = [
        {type: "RLIMIT_NOFILE", soft: 100, hard: 200},
        {type: "RLIMIT_CORE", soft: 0, hard: 0},
        {type: "RLIMIT_NPROC", soft: 500, hard: 1000},
        {type: "RLIMIT_CPU", soft: 3600, hard: 7200},
        {type: "RLIMIT_MEMLOCK", soft: 65536, hard: 65536},
        {type: "RLIMIT_STACK", soft: 8388608, hard: 16777216},
        {type: "RLIMIT_MSGQUEUE", soft: 819200, hard: 819200}]'

config_case "process.oomScoreAdj" '.process.oomScoreAdj = 500'

config_case "hostname and domainname" '.hostname = "conformance-host" | .domainname = "example.org"'

config_case "root.readonly: false" '.root.readonly = false'

config_case "mounts: tmpfs with size, mode and flags" \
    '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs",
                  options: ["nosuid", "nodev", "noexec", "noatime", "size=1m", "mode=700"]}]'

config_case "mounts: read-only bind mount of a host directory" \
    '.mounts += [{destination: "/data", type: "bind", source: ($bundle + "/out"), options: ["rbind", "ro"]}]'

config_case "mounts: bind mount with nosuid, nodev, noexec" \
    '.mounts += [{destination: "/data", type: "none", source: ($bundle + "/out"),
                  options: ["bind", "nosuid", "nodev", "noexec"]}]'

# (A slave of a private host mount is private again: rslave needs a shared source to show.)
config_case "mounts: rprivate propagation on a bind mount" \
    '.mounts += [{destination: "/data", type: "bind", source: ($bundle + "/out"), options: ["rbind", "rprivate"]}]'

config_case "mounts: recursive options (rro, rnosuid, rnodev) on a bind mount" \
    '.mounts += [{destination: "/data", type: "bind", source: ($bundle + "/out"), options: ["rbind", "rro", "rnosuid", "rnodev"]}]'

config_case "mounts: bind mount of a single file" \
    '.mounts += [{destination: "/etc/bound-config.json", type: "bind", source: "config.json", options: ["bind", "ro"]}]'

config_case "mounts: a mount whose destination does not exist is created" \
    '.mounts += [{destination: "/does/not/exist/yet", type: "tmpfs", source: "tmpfs", options: ["mode=755"]}]'

config_case "mounts: later mounts go on top of earlier ones" \
    '.mounts += [{destination: "/stacked", type: "tmpfs", source: "tmpfs", options: ["mode=755"]},
                 {destination: "/stacked", type: "tmpfs", source: "tmpfs", options: ["mode=700", "ro"]}]'

config_case "linux.maskedPaths and linux.readonlyPaths: files, directories, missing paths" \
    '.root.readonly = false
     | .linux.maskedPaths += ["/etc/passwd", "/home", "/no/such/path"]
     | .linux.readonlyPaths += ["/var", "/etc/hostname", "/no/such/path/either"]'

config_case "linux.devices: character, block and fifo nodes with mode and owner" \
    '.linux.devices = [
        {path: "/dev/mynull", type: "c", major: 1, minor: 3, fileMode: 432, uid: 1000, gid: 1001},
        {path: "/dev/myloop", type: "b", major: 7, minor: 0, fileMode: 384, uid: 0, gid: 0},
        {path: "/dev/myfifo", type: "p", fileMode: 420},
        {path: "/dev/sub/dir/zero", type: "c", major: 1, minor: 5}]'

config_case "linux.sysctl: in the container's ipc and network namespaces" \
    '.linux.sysctl = {"kernel.shmmax": "8589934592", "net.ipv4.ip_forward": "1",
                      "net.ipv4.ip_local_port_range": "2000 40000", "kernel.msgmax": "16384"}'

config_case "namespaces: only a mount namespace (host pid, network, ipc, uts)" \
    '.linux.namespaces = [{type: "mount"}] | del(.hostname) | .linux.maskedPaths = [] | .linux.readonlyPaths = []
     | .mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))'

config_case "namespaces: a cgroup namespace" '.linux.namespaces += [{type: "cgroup"}]'

# Namespaces joined by path: network, ipc and uts of a process made on the host with unshare.
check_joined_namespaces() {
    local holder i
    unshare --net --ipc --uts sleep 1000 </dev/null >/dev/null 2>&1 &
    holder=$!
    disown "$holder" # no job notice when the cleanup kills it
    on_cleanup "kill -9 $holder"
    # unshare makes the namespaces, then execs sleep: wait until they are there.
    for ((i = 0; i < 200; i++)); do
        [[ $(readlink "/proc/$holder/ns/net") != "$(readlink /proc/self/ns/net)" ]] && break
        sleep 0.01
    done
    check_config ".linux.namespaces |= map(select(.type != \"network\" and .type != \"ipc\" and .type != \"uts\"))
        | .linux.namespaces += [{type: \"network\", path: \"/proc/$holder/ns/net\"},
                                {type: \"ipc\", path: \"/proc/$holder/ns/ipc\"},
                                {type: \"uts\", path: \"/proc/$holder/ns/uts\"}]"
}
register config "namespaces: network, ipc and uts joined by path" check_joined_namespaces

config_case "namespaces: a user namespace with uid and gid mappings" \
    '.linux.namespaces += [{type: "user"}]
     | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
     | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
     | .mounts |= map(select(.destination != "/sys/fs/cgroup"))'

config_case "namespaces: a time namespace with offsets" \
    '.linux.namespaces += [{type: "time"}]
     | .linux.timeOffsets = {monotonic: {secs: 86400, nanosecs: 0}, boottime: {secs: 3600, nanosecs: 500}}'

config_case "linux.rootfsPropagation: private" '.linux.rootfsPropagation = "private"'

config_case "linux.personality: LINUX32" '.linux.personality = {domain: "LINUX32"}'

config_case "process.scheduler: SCHED_BATCH with nice" '.process.scheduler = {policy: "SCHED_BATCH", nice: 5}'

config_case "process.ioPriority: best effort, level 6" '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6}'

config_case "linux.seccomp: errno, kill and trap actions" \
    '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"], syscalls: [
        {names: ["getppid"], action: "SCMP_ACT_ERRNO", errnoRet: 42},
        {names: ["geteuid"], action: "SCMP_ACT_ERRNO"},
        {names: ["getuid"], action: "SCMP_ACT_KILL_PROCESS"},
        {names: ["getgid"], action: "SCMP_ACT_TRAP"},
        {names: ["sched_yield"], action: "SCMP_ACT_TRACE"}]}'

config_case "linux.seccomp: the log action and the filter flags" \
    '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
        syscalls: [{names: ["getppid"], action: "SCMP_ACT_LOG"}, {names: ["geteuid"], action: "SCMP_ACT_ERRNO", errnoRet: 9}]}'

config_case "linux.seccomp: an argument condition" \
    '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["getpriority"], action: "SCMP_ACT_ERRNO", errnoRet: 13,
         args: [{index: 0, value: 1, op: "SCMP_CMP_EQ"}]}]}'

config_case "linux.seccomp: an allow list with defaultErrnoRet" \
    '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38, syscalls: [
        {names: ["getppid"], action: "SCMP_ACT_ERRNO", errnoRet: 7},
        {names: ["getuid", "execve", "execveat", "brk", "arch_prctl", "set_tid_address", "set_robust_list", "rseq",
                 "prlimit64", "mprotect", "readlinkat", "readlink", "uname", "getrandom", "mmap", "munmap", "openat",
                 "open", "read", "write", "close", "fstat", "newfstatat", "statx", "lseek", "getdents64", "getcwd",
                 "getpid", "getgid", "getegid", "geteuid", "getresuid", "getresgid", "getgroups", "prctl", "capget",
                 "getrlimit", "statfs", "fstatfs", "ioctl", "pipe2", "pipe", "clone", "clone3", "fork", "vfork", "wait4",
                 "exit", "exit_group", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "fcntl", "dup", "dup2", "dup3",
                 "sched_getaffinity", "sched_getscheduler", "sched_getparam", "getpriority", "ioprio_get",
                 "personality", "access", "faccessat", "faccessat2", "stat", "lstat", "futex", "madvise", "mremap",
                 "sysinfo", "restart_syscall", "nanosleep", "clock_nanosleep", "clock_gettime"],
         action: "SCMP_ACT_ALLOW"}]}'

# Docker's default profile (an allow list of ~350 calls; defaultAction SCMP_ACT_ERRNO), from the integration tests' fixtures.
check_docker_seccomp() {
    new_id cfg
    make_bundle "$ID" || return 1
    jq --slurpfile profile "$repo/Tests/Fixtures/seccomp/docker-default-oci-amd64.json" \
        '.linux.seccomp = $profile[0]' "$B/config.json" >"$B/config.json.new" \
        && mv "$B/config.json.new" "$B/config.json" && cp "$B/config.json" "$B/rootfs/conformance/config.json"
    run_checker "$ID"
}
register config "linux.seccomp: Docker's default profile" check_docker_seccomp
