# Cgroup cases: linux.cgroupsPath and linux.resources (config-linux.md "Control groups"), read
# by the checker from the container's own cgroup files (v1 controllers, or cgroup v2).

# (linux.cgroupsPath is checked in every config case: each sets a relative path below the suite's parent.)

register cgroup-limits "linux.resources.memory: limit and reservation" check_config \
    '.linux.resources.memory = {limit: 67108864, reservation: 33554432}'

register cgroup-limits "linux.resources.pids.limit" check_config '.linux.resources.pids = {limit: 42}'

register cgroup-limits "linux.resources.cpu: shares, quota and period" check_config \
    '.linux.resources.cpu = {shares: 512, quota: 50000, period: 100000}'

register cgroup-limits "linux.resources.cpu: cpus and mems (cpuset)" check_config \
    '.linux.resources.cpu = {cpus: "0", mems: "0"}'

# The fuse node (c 10:229) is denied by the rules; tun (c 10:200) is allowed. The spec's
# default devices stay usable (the runtime allows them itself).
register cgroup-limits "linux.resources.devices: a denied node cannot be opened, an allowed one can" check_config \
    '.linux.devices = [{path: "/dev/denied", type: "c", major: 10, minor: 229, fileMode: 438},
                       {path: "/dev/allowed", type: "c", major: 10, minor: 200, fileMode: 438}]
     | .linux.resources.devices = [{allow: false, access: "rwm"},
                                   {allow: true, type: "c", major: 10, minor: 200, access: "rwm"}]'

register cgroup-limits "linux.resources.memory: swap, swappiness and disableOOMKiller" check_config \
    '.linux.resources.memory = {limit: 67108864, swap: 134217728, swappiness: 20, disableOOMKiller: true}'

# Real-time time: the suite's parent cgroup grants none, so the container can only be given none.
register cgroup-limits "linux.resources.cpu: burst, realtimePeriod and realtimeRuntime" check_config \
    '.linux.resources.cpu = {quota: 50000, period: 100000, burst: 5000, realtimePeriod: 900000, realtimeRuntime: 0}'

# Throttles need a real block device: the first disk this host has.
disk=$(for d in /sys/block/*; do case ${d##*/} in loop*|ram*|zram*) ;; *) cat "$d/dev"; break ;; esac; done 2>/dev/null)
if [[ $disk =~ ^([0-9]+):([0-9]+)$ ]]; then
    register cgroup-limits "linux.resources.blockIO: read and write throttles in bytes and operations" check_config \
        ".linux.resources.blockIO = {
            throttleReadBpsDevice: [{major: ${BASH_REMATCH[1]}, minor: ${BASH_REMATCH[2]}, rate: 1048576}],
            throttleWriteBpsDevice: [{major: ${BASH_REMATCH[1]}, minor: ${BASH_REMATCH[2]}, rate: 2097152}],
            throttleReadIOPSDevice: [{major: ${BASH_REMATCH[1]}, minor: ${BASH_REMATCH[2]}, rate: 70}],
            throttleWriteIOPSDevice: [{major: ${BASH_REMATCH[1]}, minor: ${BASH_REMATCH[2]}, rate: 50}]}"
fi

# On a hybrid host the v2 hierarchy (where hugetlb may live, and what unified writes to) is not
# under the container's /sys/fs/cgroup: bind it read-only at /cgroup2 for the checker to read.
v2_mount=$(findmnt -n -t cgroup2 -o TARGET 2>/dev/null | head -n 1)
see_v2='.'
[[ -n $v2_mount && $v2_mount != /sys/fs/cgroup ]] &&
    see_v2=".mounts += [{destination: \"/cgroup2\", type: \"bind\", source: \"$v2_mount\", options: [\"rbind\", \"ro\"]}]"

register cgroup-limits "linux.resources.hugepageLimits" check_config \
    "$see_v2 | .linux.resources.hugepageLimits = [{pageSize: \"2MB\", limit: 4194304}]"

register cgroup-limits "linux.resources.unified: a cgroup v2 file" check_config \
    "$see_v2 | .linux.resources.unified = {\"cgroup.max.descendants\": \"10\"}"
