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
