/* kernel.c: what the container sees of the kernel's per-process state:
 * namespaces and id maps, hostname, sysctls, seccomp, cgroups, scheduling,
 * personality, time offsets, the terminal. */
#define _GNU_SOURCE
#include "checker.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* linux.namespaces[].type and the name of its /proc/self/ns link. */
static const struct { const char *type, *link; } ns_kinds[] = {
    { "pid", "pid" }, { "network", "net" }, { "mount", "mnt" }, { "ipc", "ipc" },
    { "uts", "uts" }, { "user", "user" }, { "cgroup", "cgroup" }, { "time", "time" },
};

static unsigned long long ns_inode(const char *link)
{
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/self/ns/%s", link);
    return stat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* A listed namespace is new (differs from the host's) or is the one at `path`; an unlisted one is the host's. */
void check_namespaces(const struct json *config)
{
    const struct json *list = json_path(config, "linux.namespaces");
    for (size_t k = 0; k < sizeof ns_kinds / sizeof *ns_kinds; k++) {
        const struct json *entry = NULL;
        for (size_t i = 0; i < json_length(list); i++)
            if (strcmp(json_string(json_get(json_at(list, i), "type")), ns_kinds[k].type) == 0)
                entry = json_at(list, i);
        char key[300];
        snprintf(key, sizeof key, "ns.%s", ns_kinds[k].link);
        const char *host = fact(key);
        unsigned long long mine = ns_inode(ns_kinds[k].link);
        if (!host) {
            note("no host fact for the %s namespace", ns_kinds[k].type);
            continue;
        }
        const char *path = json_string(json_get(entry, "path"));
        if (path) {
            snprintf(key, sizeof key, "nspath.%s", path);
            const char *want = fact(key);
            expect(want && strtoull(want, NULL, 10) == mine, "linux.namespaces %s: joined the namespace at %s (inode %s, got %llu)",
                   ns_kinds[k].type, path, want ? want : "unknown", mine);
        } else if (entry) {
            expect(mine != strtoull(host, NULL, 10), "linux.namespaces %s: a new namespace (host %s, got %llu)",
                   ns_kinds[k].type, host, mine);
        } else {
            expect(mine == strtoull(host, NULL, 10), "linux.namespaces: no %s entry, so the host's namespace (host %s, got %llu)",
                   ns_kinds[k].type, host, mine);
        }
        /* A new pid namespace makes the container's process pid 1. */
        if (strcmp(ns_kinds[k].type, "pid") == 0 && entry && !path)
            expect(getpid() == 1, "a new pid namespace makes the process pid 1 (got %d)", getpid());
    }
}

static void check_map(const char *field, const char *file, const struct json *mappings)
{
    char *text = read_all(file);
    size_t i = 0;
    int same = text != NULL;
    for (char *save, *line = text ? strtok_r(text, "\n", &save) : NULL; same && line; line = strtok_r(NULL, "\n", &save), i++) {
        unsigned long long inside, outside, size;
        const struct json *m = json_at(mappings, i);
        same = sscanf(line, "%llu %llu %llu", &inside, &outside, &size) == 3 && m &&
               inside == json_uint(json_get(m, "containerID"), 0) && outside == json_uint(json_get(m, "hostID"), 0) &&
               size == json_uint(json_get(m, "size"), 0);
    }
    expect(same && i == json_length(mappings), "%s: %s has the %zu mappings of the config", field, file, json_length(mappings));
    free(text);
}

void check_id_mappings(const struct json *config)
{
    const struct json *uids = json_path(config, "linux.uidMappings"), *gids = json_path(config, "linux.gidMappings");
    if (uids)
        check_map("linux.uidMappings", "/proc/self/uid_map", uids);
    if (gids)
        check_map("linux.gidMappings", "/proc/self/gid_map", gids);
}

void check_uts(const struct json *config)
{
    struct utsname u;
    uname(&u);
    const char *hostname = json_string(json_get(config, "hostname"));
    const char *domainname = json_string(json_get(config, "domainname"));
    if (hostname)
        expect_str("hostname", hostname, u.nodename);
    if (domainname)
        expect_str("domainname", domainname, u.domainname);
}

/* Compares with runs of white space made one space: the kernel prints some tuples with tabs. */
static void squeeze(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++)
        if (!(strchr(" \t\n", *p) && (o == s || o[-1] == ' ' || !p[1] || strchr(" \t\n", p[1]))))
            *o++ = strchr(" \t\n", *p) ? ' ' : *p;
    *o = '\0';
}

void check_sysctl(const struct json *config)
{
    const struct json *sysctl = json_path(config, "linux.sysctl");
    for (size_t i = 0; sysctl && i < sysctl->count; i++) {
        char path[512], want[512], what[300];
        snprintf(path, sizeof path, "/proc/sys/%s", sysctl->keys[i]);
        for (char *p = path + 10; *p; p++)
            if (*p == '.')
                *p = '/';
        char *have = read_all(path);
        snprintf(want, sizeof want, "%s", json_string(sysctl->items[i]));
        squeeze(want);
        if (have)
            squeeze(have);
        snprintf(what, sizeof what, "linux.sysctl %s", sysctl->keys[i]);
        expect_str(what, want, have);
        free(have);
    }
}

/* System calls the checker may call with any arguments, to probe a seccomp filter. */
static const struct { const char *name; long nr; } probes[] = {
    { "getppid", SYS_getppid }, { "getuid", SYS_getuid }, { "geteuid", SYS_geteuid }, { "getgid", SYS_getgid },
    { "getegid", SYS_getegid }, { "getpriority", SYS_getpriority }, { "sched_yield", SYS_sched_yield },
};

enum outcome { RETURNED, FAILED, KILLED };

/* Calls nr(a0, a1) in a child, so that a killing action kills only the child. */
static enum outcome probe(long nr, long a0, long a1, int *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return FAILED;
    pid_t pid = fork();
    if (pid == 0) {
        long r = syscall(nr, a0, a1, 0, 0, 0, 0);
        int result[2] = { r < 0 ? -1 : 0, errno };
        ssize_t ignored = write(fds[1], result, sizeof result);
        (void)ignored;
        _exit(0);
    }
    close(fds[1]);
    int status = 0, result[2] = { 0, 0 };
    ssize_t n = read(fds[0], result, sizeof result);
    close(fds[0]);
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
        return KILLED;
    *err = result[1];
    return n == sizeof result && result[0] == 0 ? RETURNED : FAILED;
}

/* The outcome an action asks for; -1 for actions the checker cannot observe. */
static int expected_outcome(const char *action, const struct json *errno_ret, int *err)
{
    if (!action)
        return -1;
    if (strcmp(action, "SCMP_ACT_ALLOW") == 0 || strcmp(action, "SCMP_ACT_LOG") == 0)
        return RETURNED;
    if (strcmp(action, "SCMP_ACT_ERRNO") == 0) {
        *err = (int)json_int(errno_ret, EPERM);
        return FAILED;
    }
    if (strcmp(action, "SCMP_ACT_TRACE") == 0) { /* no tracer attached: ENOSYS */
        *err = ENOSYS;
        return FAILED;
    }
    if (strncmp(action, "SCMP_ACT_KILL", 13) == 0 || strcmp(action, "SCMP_ACT_TRAP") == 0)
        return KILLED;
    return -1;
}

static void check_probe(const char *what, long nr, long a0, long a1, const char *action, const struct json *errno_ret)
{
    int want_err = 0, got_err = 0;
    int want = expected_outcome(action, errno_ret, &want_err);
    if (want < 0) {
        note("%s: %s is not observable from inside", what, action);
        return;
    }
    enum outcome got = probe(nr, a0, a1, &got_err);
    static const char *const names[] = { "returns", "fails", "is killed by SIGSYS" };
    expect((int)got == want && (want != FAILED || got_err == want_err), "%s: %s (%s%s%s), got: %s (errno %d)", what,
           names[want], action, want == FAILED ? ", errno " : "", want == FAILED ? strerror(want_err) : "", names[got],
           got_err);
}

void check_seccomp(const struct json *config)
{
    const struct json *seccomp = json_path(config, "linux.seccomp");
    if (!seccomp)
        return;
    expect_str("linux.seccomp: the process is filtered (Seccomp)", "2", proc_status("Seccomp"));
    const char *default_action = json_string(json_get(seccomp, "defaultAction"));
    const struct json *default_errno = json_get(seccomp, "defaultErrnoRet");
    const struct json *rules = json_get(seccomp, "syscalls");
    for (size_t i = 0; i < json_length(rules); i++) {
        const struct json *rule = json_at(rules, i), *names = json_get(rule, "names"), *args = json_get(rule, "args");
        const char *action = json_string(json_get(rule, "action"));
        for (size_t j = 0; j < json_length(names); j++) {
            const char *name = json_string(json_at(names, j));
            for (size_t p = 0; p < sizeof probes / sizeof *probes; p++) {
                if (strcmp(name, probes[p].name) != 0)
                    continue;
                char what[128];
                snprintf(what, sizeof what, "linux.seccomp.syscalls[%zu] %s", i, name);
                /* One SCMP_CMP_EQ condition on argument 0 or 1 is probed on both sides; others are called with zeros. */
                const struct json *cond = json_at(args, 0);
                const char *op = json_string(json_get(cond, "op"));
                unsigned index = (unsigned)json_uint(json_get(cond, "index"), 0);
                if (json_length(args) == 1 && op && strcmp(op, "SCMP_CMP_EQ") == 0 && index < 2) {
                    long value = (long)json_int(json_get(cond, "value"), 0), a[2] = { 0, 0 };
                    a[index] = value;
                    check_probe(what, probes[p].nr, a[0], a[1], action, json_get(rule, "errnoRet"));
                    a[index] = value + 1;
                    snprintf(what, sizeof what, "linux.seccomp.syscalls[%zu] %s with arg%u != %ld (default action)", i,
                             name, index, value);
                    check_probe(what, probes[p].nr, a[0], a[1], default_action, default_errno);
                } else if (json_length(args) == 0) {
                    check_probe(what, probes[p].nr, 0, 0, action, json_get(rule, "errnoRet"));
                } else {
                    note("%s: conditions not probed", what);
                }
            }
        }
    }
}

/* This process's directory in the hierarchy that has `controller` (v1), or the unified one (controller NULL). */
static int cgroup_dir(const char *controller, char *out, size_t size)
{
    char *text = read_all("/proc/self/cgroup"), *path = NULL;
    for (char *save, *line = text ? strtok_r(text, "\n", &save) : NULL; line && !path; line = strtok_r(NULL, "\n", &save)) {
        char *controllers = strchr(line, ':'), *p = controllers ? strchr(controllers + 1, ':') : NULL;
        if (!p)
            continue;
        *p = '\0';
        if (controller ? has_word(controllers + 1, controller) : controllers[1] == '\0')
            path = p + 1;
    }
    struct mount_entry *all;
    size_t n = mountinfo(&all);
    int found = 0;
    for (size_t i = n; path && !found && i-- > 0;) {
        int match = controller ? strcmp(all[i].fstype, "cgroup") == 0 && has_word(all[i].super, controller)
                               : strcmp(all[i].fstype, "cgroup2") == 0;
        size_t rlen = strcmp(all[i].root, "/") == 0 ? 0 : strlen(all[i].root);
        if (match && strncmp(path, all[i].root, rlen) == 0) {
            snprintf(out, size, "%s%s", all[i].point, path + rlen);
            found = 1;
        }
    }
    free(text);
    return found;
}

/* Reads FILE from the controller's v1 directory, or V2FILE from the unified one. */
static char *cgroup_read(const char *controller, const char *file, const char *v2file, int *v2)
{
    char dir[1024], path[1200];
    *v2 = 0;
    if (!cgroup_dir(controller, dir, sizeof dir)) {
        if (!v2file || !cgroup_dir(NULL, dir, sizeof dir))
            return NULL;
        *v2 = 1;
        file = v2file;
    }
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *text = read_all(path);
    if (text)
        text[strcspn(text, "\n")] = '\0';
    return text;
}

static void expect_cgroup(const char *field, const char *controller, const char *v1file, const char *v2file,
                          const char *want_v1, const char *want_v2)
{
    int v2;
    char *have = cgroup_read(controller, v1file, v2file, &v2);
    char what[256];
    snprintf(what, sizeof what, "%s (%s)", field, v2 ? v2file : v1file);
    if (!have)
        failf("%s: no %s controller file visible in the container (is /sys/fs/cgroup mounted?)", what, controller);
    else
        expect_str(what, v2 ? want_v2 : want_v1, have);
    free(have);
}

/* Whether device `type major:minor` is allowed by linux.resources.devices: the last matching rule decides. */
static int device_allowed(const struct json *rules, int type, long maj, long min)
{
    int allowed = 1;
    for (size_t i = 0; i < json_length(rules); i++) {
        const struct json *r = json_at(rules, i);
        const char *t = json_string(json_get(r, "type"));
        const struct json *ma = json_get(r, "major"), *mi = json_get(r, "minor");
        if ((!t || *t == 'a' || *t == type) && (!ma || json_int(ma, -1) == maj || json_int(ma, 0) == -1) &&
            (!mi || json_int(mi, -1) == min || json_int(mi, 0) == -1))
            allowed = json_bool(json_get(r, "allow"), 0);
    }
    return allowed;
}

/* Whether a multi-line cgroup file (throttle lists, io.max, memory.oom_control) has the line `want`. */
static void expect_cgroup_line(const char *field, const char *controller, const char *v1file, const char *v2file,
                               const char *want_v1, const char *want_v2)
{
    char dir[1024], path[1200], what[256];
    int v2 = !cgroup_dir(controller, dir, sizeof dir);
    if (v2 && (!v2file || !cgroup_dir(NULL, dir, sizeof dir))) {
        failf("%s: no %s controller file visible in the container", field, controller);
        return;
    }
    snprintf(path, sizeof path, "%s/%s", dir, v2 ? v2file : v1file);
    snprintf(what, sizeof what, "%s (%s)", field, v2 ? v2file : v1file);
    const char *want = v2 ? want_v2 : want_v1;
    char *text = read_all(path);
    int found = 0;
    for (char *save, *line = text ? strtok_r(text, "\n", &save) : NULL; line && !found; line = strtok_r(NULL, "\n", &save))
        found = strcmp(line, want) == 0 || (v2 && strncmp(line, want, strcspn(want, " ")) == 0 && strstr(line, strchr(want, ' ') + 1));
    expect(found, "%s: has \"%s\"", what, want);
    free(text);
}

/*
 * The resources beyond memory limits, pids, cpu shares/quota and cpusets: swap, swappiness, the
 * OOM killer, real-time time, burst, block I/O throttles, huge pages and unified (v2) files.
 */
static void check_more_resources(const struct json *res)
{
    const struct json *memory = json_get(res, "memory"), *cpu = json_get(res, "cpu"), *blkio = json_get(res, "blockIO");
    char want[128], want2[128];
    if (json_get(memory, "swap")) {
        long long swap = json_int(json_get(memory, "swap"), 0), limit = json_int(json_get(memory, "limit"), 0);
        snprintf(want, sizeof want, "%lld", swap);
        /* v2 counts swap apart from memory: memory.swap.max is swap - limit. */
        if (swap == -1)
            snprintf(want2, sizeof want2, "max");
        else
            snprintf(want2, sizeof want2, "%lld", swap - limit);
        expect_cgroup("linux.resources.memory.swap", "memory", "memory.memsw.limit_in_bytes", "memory.swap.max", want, want2);
    }
    if (json_get(memory, "swappiness")) {
        snprintf(want, sizeof want, "%llu", (unsigned long long)json_uint(json_get(memory, "swappiness"), 0));
        expect_cgroup("linux.resources.memory.swappiness", "memory", "memory.swappiness", NULL, want, want);
    }
    if (json_bool(json_get(memory, "disableOOMKiller"), 0))
        expect_cgroup_line("linux.resources.memory.disableOOMKiller", "memory", "memory.oom_control", NULL,
                           "oom_kill_disable 1", NULL);
    if (json_get(cpu, "realtimePeriod")) {
        snprintf(want, sizeof want, "%llu", (unsigned long long)json_uint(json_get(cpu, "realtimePeriod"), 0));
        expect_cgroup("linux.resources.cpu.realtimePeriod", "cpu", "cpu.rt_period_us", NULL, want, want);
    }
    if (json_get(cpu, "realtimeRuntime")) {
        snprintf(want, sizeof want, "%lld", (long long)json_int(json_get(cpu, "realtimeRuntime"), 0));
        expect_cgroup("linux.resources.cpu.realtimeRuntime", "cpu", "cpu.rt_runtime_us", NULL, want, want);
    }
    if (json_get(cpu, "burst")) {
        snprintf(want, sizeof want, "%llu", (unsigned long long)json_uint(json_get(cpu, "burst"), 0));
        expect_cgroup("linux.resources.cpu.burst", "cpu", "cpu.cfs_burst_us", "cpu.max.burst", want, want);
    }
    static const struct { const char *field, *v1file, *v2key; } throttles[] = {
        { "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps" },
        { "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps" },
        { "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops" },
        { "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops" },
    };
    for (size_t t = 0; t < sizeof throttles / sizeof throttles[0]; t++) {
        const struct json *list = json_get(blkio, throttles[t].field);
        for (size_t i = 0; i < json_length(list); i++) {
            const struct json *d = json_at(list, i);
            long long maj = json_int(json_get(d, "major"), 0), min = json_int(json_get(d, "minor"), 0);
            unsigned long long rate = json_uint(json_get(d, "rate"), 0);
            char field[96];
            snprintf(field, sizeof field, "linux.resources.blockIO.%s[%zu]", throttles[t].field, i);
            snprintf(want, sizeof want, "%lld:%lld %llu", maj, min, rate);
            snprintf(want2, sizeof want2, "%lld:%lld %s=%llu", maj, min, throttles[t].v2key, rate);
            expect_cgroup_line(field, "blkio", throttles[t].v1file, "io.max", want, want2);
        }
    }
    const struct json *pages = json_get(res, "hugepageLimits");
    for (size_t i = 0; i < json_length(pages); i++) {
        const struct json *h = json_at(pages, i);
        const char *size = json_string(json_get(h, "pageSize"));
        char v1file[64], v2file[64], field[64];
        snprintf(v1file, sizeof v1file, "hugetlb.%s.limit_in_bytes", size ? size : "?");
        snprintf(v2file, sizeof v2file, "hugetlb.%s.max", size ? size : "?");
        snprintf(field, sizeof field, "linux.resources.hugepageLimits[%zu]", i);
        snprintf(want, sizeof want, "%llu", (unsigned long long)json_uint(json_get(h, "limit"), 0));
        expect_cgroup(field, "hugetlb", v1file, v2file, want, want);
    }
    /* unified: each key is a file of the container's cgroup v2 directory holding the value. */
    const struct json *unified = json_get(res, "unified");
    for (size_t i = 0; unified && unified->type == JSON_OBJECT && i < unified->count; i++) {
        const char *key = unified->keys[i], *value = json_string(unified->items[i]);
        char dir[1024], path[1200], field[160];
        snprintf(field, sizeof field, "linux.resources.unified[\"%s\"]", key);
        if (!cgroup_dir(NULL, dir, sizeof dir)) {
            failf("%s: no cgroup v2 directory visible in the container", field);
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, key);
        char *have = read_all(path);
        if (have)
            have[strcspn(have, "\n")] = '\0';
        expect_str(field, value, have);
        free(have);
    }
}

void check_cgroups(const struct json *config)
{
    const struct json *res = json_path(config, "linux.resources");
    char want[64], want2[64];
    const char *path = json_string(json_path(config, "linux.cgroupsPath"));
    int has_cgroupns = 0;
    const struct json *list = json_path(config, "linux.namespaces");
    for (size_t i = 0; i < json_length(list); i++)
        has_cgroupns |= strcmp(json_string(json_get(json_at(list, i), "type")), "cgroup") == 0;
    /* linux.cgroupsPath: without a cgroup namespace, /proc/self/cgroup shows where the process was put. */
    char *self = read_all("/proc/self/cgroup");
    if (path && self && !has_cgroupns) {
        char suffix[600];
        snprintf(suffix, sizeof suffix, "%s%s", path[0] == '/' ? "" : "/", path);
        size_t slen = strlen(suffix);
        int everywhere = 1;
        for (char *save, *line = strtok_r(self, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            size_t len = strlen(line);
            /* name=systemd and other named hierarchies are not managed by the runtime. */
            if (strstr(line, ":name=") != NULL)
                continue;
            /* Absolute paths are the whole path; relative ones end the path (below the runtime's own cgroup). */
            const char *cg = strchr(strchr(line, ':') + 1, ':') + 1;
            int ok = path[0] == '/' ? strcmp(cg, suffix) == 0 : len >= slen && strcmp(line + len - slen, suffix) == 0;
            if (!ok)
                note("/proc/self/cgroup: %s", line);
            everywhere &= ok;
        }
        expect(everywhere, "linux.cgroupsPath: every hierarchy places the process at %s%s", path[0] == '/' ? "" : ".../", path);
    }
    free(self);
    if (!res)
        return;
    const struct json *memory = json_get(res, "memory"), *pids = json_get(res, "pids"), *cpu = json_get(res, "cpu");
    if (json_get(memory, "limit")) {
        snprintf(want, sizeof want, "%lld", (long long)json_int(json_get(memory, "limit"), 0));
        expect_cgroup("linux.resources.memory.limit", "memory", "memory.limit_in_bytes", "memory.max", want, want);
    }
    if (json_get(memory, "reservation")) {
        snprintf(want, sizeof want, "%lld", (long long)json_int(json_get(memory, "reservation"), 0));
        expect_cgroup("linux.resources.memory.reservation", "memory", "memory.soft_limit_in_bytes", "memory.low", want, want);
    }
    if (json_get(pids, "limit")) {
        long long limit = json_int(json_get(pids, "limit"), 0);
        snprintf(want, sizeof want, limit > 0 ? "%lld" : "max", limit);
        expect_cgroup("linux.resources.pids.limit", "pids", "pids.max", "pids.max", want, want);
    }
    if (json_get(cpu, "shares")) {
        unsigned long long shares = json_uint(json_get(cpu, "shares"), 0);
        snprintf(want, sizeof want, "%llu", shares);
        /* runc's conversion of shares [2, 262144] to weight [1, 10000]. */
        snprintf(want2, sizeof want2, "%llu", 1 + ((shares - 2) * 9999) / 262142);
        expect_cgroup("linux.resources.cpu.shares", "cpu", "cpu.shares", "cpu.weight", want, want2);
    }
    if (json_get(cpu, "quota")) {
        long long quota = json_int(json_get(cpu, "quota"), 0);
        unsigned long long period = json_uint(json_get(cpu, "period"), 100000);
        snprintf(want, sizeof want, "%lld", quota);
        snprintf(want2, sizeof want2, "%lld %llu", quota, period);
        expect_cgroup("linux.resources.cpu.quota", "cpu", "cpu.cfs_quota_us", "cpu.max", want, want2);
    }
    if (json_get(cpu, "period")) {
        snprintf(want, sizeof want, "%llu", (unsigned long long)json_uint(json_get(cpu, "period"), 0));
        int v2;
        char *have = cgroup_read("cpu", "cpu.cfs_period_us", NULL, &v2);
        if (have || !json_get(cpu, "quota"))
            expect_str("linux.resources.cpu.period (cpu.cfs_period_us)", want, have);
        free(have);
    }
    if (json_string(json_get(cpu, "cpus")))
        expect_cgroup("linux.resources.cpu.cpus", "cpuset", "cpuset.cpus", "cpuset.cpus", json_string(json_get(cpu, "cpus")),
                      json_string(json_get(cpu, "cpus")));
    if (json_string(json_get(cpu, "mems")))
        expect_cgroup("linux.resources.cpu.mems", "cpuset", "cpuset.mems", "cpuset.mems", json_string(json_get(cpu, "mems")),
                      json_string(json_get(cpu, "mems")));

    check_more_resources(res);

    /* linux.resources.devices: a node the config creates but the rules deny cannot be opened. */
    const struct json *rules = json_get(res, "devices"), *devices = json_path(config, "linux.devices");
    for (size_t i = 0; json_length(rules) && i < json_length(devices); i++) {
        const struct json *d = json_at(devices, i);
        const char *type = json_string(json_get(d, "type")), *dpath = json_string(json_get(d, "path"));
        int t = type && (*type == 'u' || *type == 'c') ? 'c' : type ? *type : '?';
        int allowed = device_allowed(rules, t, json_int(json_get(d, "major"), 0), json_int(json_get(d, "minor"), 0));
        int fd = open(dpath, O_RDONLY | O_NONBLOCK);
        int err = errno;
        if (fd >= 0)
            close(fd);
        if (allowed)
            expect(fd >= 0 || err != EPERM, "linux.resources.devices: %s is allowed, so opening it is not refused (%s)",
                   dpath, fd >= 0 ? "opened" : strerror(err));
        else
            expect(fd < 0 && err == EPERM, "linux.resources.devices: %s is denied, so opening it fails with EPERM (%s)",
                   dpath, fd >= 0 ? "opened" : strerror(err));
    }
}

static int parse_cpu_list(const char *list, cpu_set_t *set)
{
    CPU_ZERO(set);
    for (const char *p = list; p && *p;) {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;
        if (end == p)
            return 0;
        if (*end == '-')
            hi = strtol(end + 1, &end, 10);
        for (long c = lo; c <= hi; c++)
            CPU_SET((int)c, set);
        p = *end == ',' ? end + 1 : end;
    }
    return 1;
}

static const char *const policies[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", NULL, "SCHED_IDLE",
                                        "SCHED_DEADLINE" };

void check_scheduling(const struct json *config)
{
    const struct json *personality_value = json_path(config, "linux.personality");
    if (personality_value) {
        const char *domain = json_string(json_get(personality_value, "domain"));
        int want = domain && strcmp(domain, "LINUX32") == 0 ? PER_LINUX32 : PER_LINUX;
        int have = personality(0xffffffff) & 0xff;
        expect(have == want, "linux.personality.domain %s (personality %#x, got %#x)", domain, want, have);
    }
    const struct json *sched = json_path(config, "process.scheduler");
    if (sched) {
        const char *policy = json_string(json_get(sched, "policy"));
        int have = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
        expect(have >= 0 && have < 7 && policies[have] && strcmp(policies[have], policy) == 0,
               "process.scheduler.policy %s (got %s)", policy, have >= 0 && have < 7 && policies[have] ? policies[have] : "?");
        if (json_get(sched, "nice")) {
            errno = 0;
            int nice_value = getpriority(PRIO_PROCESS, 0);
            expect_u64("process.scheduler.nice", (uint64_t)json_int(json_get(sched, "nice"), 0), (uint64_t)nice_value);
        }
        if (json_get(sched, "priority")) {
            struct sched_param param;
            sched_getparam(0, &param);
            expect_u64("process.scheduler.priority", (uint64_t)json_int(json_get(sched, "priority"), 0),
                       (uint64_t)param.sched_priority);
        }
    }
    const struct json *io = json_path(config, "process.ioPriority");
    if (io) {
        static const char *const classes[] = { "IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE" };
        long have = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
        const char *cls = json_string(json_get(io, "class"));
        long want_class = 0;
        for (int c = 0; c < 4; c++)
            if (cls && strcmp(cls, classes[c]) == 0)
                want_class = c;
        long want = want_class << 13 | json_int(json_get(io, "priority"), 0);
        expect(have == want, "process.ioPriority %s/%lld (ioprio %#lx, got %#lx)", cls,
               (long long)json_int(json_get(io, "priority"), 0), want, have);
    }
    const char *final_cpus = json_string(json_path(config, "process.execCPUAffinity.final"));
    if (final_cpus) {
        cpu_set_t want, have;
        parse_cpu_list(final_cpus, &want);
        sched_getaffinity(0, sizeof have, &have);
        expect(CPU_EQUAL(&want, &have), "process.execCPUAffinity.final: the process runs on CPUs %s", final_cpus);
    }
    const struct json *offsets = json_path(config, "linux.timeOffsets");
    for (size_t i = 0; offsets && i < offsets->count; i++) {
        const char *clock = offsets->keys[i];
        long long secs = json_int(json_get(offsets->items[i], "secs"), 0);
        unsigned long long nanos = json_uint(json_get(offsets->items[i], "nanosecs"), 0);
        char *text = read_all("/proc/self/timens_offsets"), want[128];
        snprintf(want, sizeof want, "%s %lld %llu", clock, secs, nanos);
        int found = 0;
        for (char *save, *line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
            squeeze(line);
            found |= strcmp(line, want) == 0;
        }
        expect(found, "linux.timeOffsets.%s: /proc/self/timens_offsets has \"%s\"", clock, want);
        free(text);
    }
}

void check_terminal(const struct json *config)
{
    int terminal = json_bool(json_path(config, "process.terminal"), 0);
    int ttys = isatty(0) + isatty(1) + isatty(2);
    expect(terminal ? ttys == 3 : !isatty(1), "process.terminal %s: %s", terminal ? "true" : "false",
           terminal ? "stdin, stdout and stderr are a terminal" : "stdout is not a terminal");
    const struct json *size = json_path(config, "process.consoleSize");
    if (terminal && size) {
        struct winsize ws = { 0, 0, 0, 0 };
        ioctl(1, TIOCGWINSZ, &ws);
        expect(ws.ws_row == json_uint(json_get(size, "height"), 0) && ws.ws_col == json_uint(json_get(size, "width"), 0),
               "process.consoleSize is %llux%llu (got %ux%u)", (unsigned long long)json_uint(json_get(size, "width"), 0),
               (unsigned long long)json_uint(json_get(size, "height"), 0), ws.ws_col, ws.ws_row);
    }
}
