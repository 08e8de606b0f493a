# Last: whatever the runtime made during the suite is gone once every container was deleted.

leaks_none() {
    local left
    left=$(find "$STATE" -mindepth 1 -maxdepth 1 2>/dev/null)
    [[ -z $left ]] || fail "state directories left in $STATE: $left" || return 1
    left=$(awk -v w="$WORK" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo)
    [[ -z $left ]] || fail "mounts left under $WORK: $left" || return 1
    # Only the (empty) parents may remain: every container's own directory must be gone.
    left=$(find /sys/fs/cgroup -mindepth 2 -maxdepth 8 -type d -path "*/$CG_PARENT/*" 2>/dev/null)
    [[ -z $left ]] || fail "cgroups left: $left" || return 1
    left=$(pgrep -f "$WORK/bundles" || true)
    [[ -z $left ]] || fail "processes left: $(ps -o pid=,args= -p "$(tr '\n' ',' <<<"$left" | sed 's/,$//')")"
}
register leaks "nothing is left behind: state, mounts, cgroups, processes" leaks_none
