/* checker.c: the conformance checker's entry point, reporting, and the
 * process checks (args, env, cwd, user, capabilities, rlimits,
 * noNewPrivileges, oomScoreAdj, umask).
 *
 *   /conformance/checker [--config FILE] [--facts FILE] [--only AREA]... [-- ignored args]
 *
 * Exit status: 0 when every comparison held, 1 when one did not, 2 when the
 * checker could not run. The last line is "checker: N checks, N failed". */
#define _GNU_SOURCE
#include "checker.h"

#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static int checks, failures;
static char *facts_text;

static void vreport(int ok, const char *fmt, va_list ap)
{
    checks++;
    if (!ok)
        failures++;
    printf("%s - ", ok ? "ok" : "not ok");
    vprintf(fmt, ap);
    putchar('\n');
}

void pass(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(1, fmt, ap);
    va_end(ap);
}

void failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(0, fmt, ap);
    va_end(ap);
}

void expect(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(cond, fmt, ap);
    va_end(ap);
}

void expect_str(const char *what, const char *expected, const char *actual)
{
    if (actual && strcmp(expected, actual) == 0)
        pass("%s is \"%s\"", what, expected);
    else
        failf("%s: expected \"%s\", got %s%s%s", what, expected, actual ? "\"" : "", actual ? actual : "nothing",
              actual ? "\"" : "");
}

void expect_u64(const char *what, uint64_t expected, uint64_t actual)
{
    if (expected == actual)
        pass("%s is %llu", what, (unsigned long long)expected);
    else
        failf("%s: expected %llu, got %llu", what, (unsigned long long)expected, (unsigned long long)actual);
}

void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

const char *fact(const char *key)
{
    static char value[4096];
    size_t len = strlen(key);
    for (const char *line = facts_text; line && *line;) {
        const char *end = strchrnul(line, '\n');
        if ((size_t)(end - line) > len && strncmp(line, key, len) == 0 && line[len] == '=') {
            size_t n = (size_t)(end - line) - len - 1;
            if (n >= sizeof value)
                n = sizeof value - 1;
            memcpy(value, line + len + 1, n);
            value[n] = '\0';
            return value;
        }
        line = *end ? end + 1 : end;
    }
    return NULL;
}

char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0, n;
    char *text = malloc(cap);
    while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap)
            text = realloc(text, cap *= 2);
    }
    fclose(f);
    if (text)
        text[len] = '\0';
    return text;
}

const char *read_line(const char *path)
{
    static char line[4096];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    return line;
}

const char *proc_status(const char *key)
{
    static char value[1024];
    char line[1024];
    size_t len = strlen(key);
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return NULL;
    const char *found = NULL;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, len) == 0 && line[len] == ':') {
            const char *v = line + len + 1;
            v += strspn(v, " \t");
            snprintf(value, sizeof value, "%.*s", (int)strcspn(v, "\n"), v);
            found = value;
        }
    }
    fclose(f);
    return found;
}

int has_word(const char *list, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, word, len) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* process.args: the checker is args[0], so its argv is exactly what the runtime executed. */
static void check_args(const struct json *config, int argc, char **argv)
{
    const struct json *args = json_path(config, "process.args");
    int same = (size_t)argc == json_length(args);
    for (int i = 0; same && i < argc; i++)
        same = strcmp(argv[i], json_string(json_at(args, (size_t)i))) == 0;
    expect(same, "process.args: argv has the %zu arguments of the config (argc %d)", json_length(args), argc);
}

/* process.env: every variable as given; nothing else but HOME, which runc sets from /etc/passwd when the config does not. */
static void check_env(const struct json *config)
{
    const struct json *env = json_path(config, "process.env");
    for (size_t i = 0; i < json_length(env); i++) {
        const char *entry = json_string(json_at(env, i));
        const char *eq = strchr(entry, '=');
        char *name = strndup(entry, eq ? (size_t)(eq - entry) : strlen(entry));
        char what[300];
        snprintf(what, sizeof what, "process.env[%zu] %s", i, name);
        expect_str(what, eq ? eq + 1 : "", getenv(name));
        free(name);
    }
    for (char **e = environ; *e; e++) {
        size_t n = strcspn(*e, "=");
        int listed = strncmp(*e, "HOME=", 5) == 0;
        for (size_t i = 0; !listed && i < json_length(env); i++)
            listed = strncmp(json_string(json_at(env, i)), *e, n + 1) == 0 || strcmp(json_string(json_at(env, i)), *e) == 0;
        expect(listed, "environment: %.*s comes from process.env (or is HOME)", (int)n, *e);
    }
}

void check_process(const struct json *config, int argc, char **argv)
{
    check_args(config, argc, argv);
    check_env(config);

    char cwd[4096];
    expect_str("process.cwd", json_string(json_path(config, "process.cwd")), getcwd(cwd, sizeof cwd));

    int nnp = json_bool(json_path(config, "process.noNewPrivileges"), 0);
    expect_str("process.noNewPrivileges (NoNewPrivs)", nnp ? "1" : "0", proc_status("NoNewPrivs"));

    const struct json *oom = json_path(config, "process.oomScoreAdj");
    if (oom) {
        char expected[32];
        snprintf(expected, sizeof expected, "%lld", (long long)json_int(oom, 0));
        expect_str("process.oomScoreAdj", expected, read_line("/proc/self/oom_score_adj"));
    }
}

/* process.user: uid, gid, additionalGids and umask (0022 when not given, as runc). */
void check_user(const struct json *config)
{
    const struct json *user = json_path(config, "process.user");
    uint64_t uid = json_uint(json_get(user, "uid"), 0), gid = json_uint(json_get(user, "gid"), 0);
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    expect(r == uid && e == uid && s == uid, "process.user.uid: real, effective and saved uid are %llu (got %u %u %u)",
           (unsigned long long)uid, r, e, s);
    expect(gr == gid && ge == gid && gs == gid, "process.user.gid: real, effective and saved gid are %llu (got %u %u %u)",
           (unsigned long long)gid, gr, ge, gs);

    /* The supplementary groups are exactly additionalGids; the primary gid may appear among them too. */
    gid_t groups[256];
    int n = getgroups(256, groups);
    const struct json *extra = json_get(user, "additionalGids");
    int same = n >= 0;
    for (size_t i = 0; same && i < json_length(extra); i++) {
        int found = 0;
        for (int j = 0; j < n; j++)
            found |= groups[j] == json_uint(json_at(extra, i), 0);
        same = found;
    }
    for (int j = 0; same && j < n; j++) {
        int listed = groups[j] == gid;
        for (size_t i = 0; i < json_length(extra); i++)
            listed |= groups[j] == json_uint(json_at(extra, i), 0);
        same = listed;
    }
    expect(same, "process.user.additionalGids: the supplementary groups are [%s] (got %d groups)",
           json_length(extra) ? "as listed" : "none", n);

    const struct json *umask_value = json_get(user, "umask");
    char expected[16];
    snprintf(expected, sizeof expected, "%04llo", (unsigned long long)json_uint(umask_value, 022));
    expect_str(umask_value ? "process.user.umask" : "umask (not in config: 0022)", expected, proc_status("Umask"));
}

/* Capability names, in bit order (linux/capability.h). */
static const char *const cap_names[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
    "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
    "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
    "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
    "CHECKPOINT_RESTORE",
};

static uint64_t cap_mask(const struct json *names, uint64_t known)
{
    uint64_t mask = 0;
    for (size_t i = 0; i < json_length(names); i++) {
        const char *name = json_string(json_at(names, i));
        for (size_t bit = 0; bit < sizeof cap_names / sizeof *cap_names; bit++)
            if (name && strncmp(name, "CAP_", 4) == 0 && strcmp(name + 4, cap_names[bit]) == 0)
                mask |= 1ull << bit;
    }
    return mask & known; /* names newer than this kernel cannot be held */
}

void check_capabilities(const struct json *config)
{
    const struct json *caps = json_path(config, "process.capabilities");
    const char *last = read_line("/proc/sys/kernel/cap_last_cap");
    uint64_t known = last ? (2ull << atoi(last)) - 1 : ~0ull;
    static const struct { const char *field, *status; } sets[] = {
        { "bounding", "CapBnd" }, { "effective", "CapEff" }, { "permitted", "CapPrm" },
        { "inheritable", "CapInh" }, { "ambient", "CapAmb" },
    };
    uint64_t masks[5];
    for (int i = 0; i < 5; i++)
        masks[i] = cap_mask(json_get(caps, sets[i].field), known);
    /* The kernel keeps an ambient capability only while it is permitted and inheritable. */
    masks[4] &= masks[2] & masks[3];
    /* The runtime sets the sets before execve; execve of the checker (no file capabilities) then
     * recomputes permitted and effective (capabilities(7)): root gets bounding | inheritable |
     * ambient, limited to what it had under no_new_privs; any other user keeps only ambient. */
    /* The effective uid from /proc: a seccomp rule may make geteuid() fail. */
    const char *uids = proc_status("Uid");
    unsigned euid = 0;
    if (!uids || sscanf(uids, "%*u %u", &euid) != 1)
        failf("cannot read the effective uid from /proc/self/status");
    if (euid == 0) {
        uint64_t gained = masks[0] | masks[3] | masks[4];
        if (json_bool(json_path(config, "process.noNewPrivileges"), 0))
            gained &= masks[2];
        masks[1] = masks[2] = gained;
    } else {
        masks[1] = masks[2] = masks[4];
    }
    for (int i = 0; i < 5; i++) {
        char what[64], expected[32];
        snprintf(what, sizeof what, "process.capabilities.%s (%s)", sets[i].field, sets[i].status);
        snprintf(expected, sizeof expected, "%016llx", (unsigned long long)masks[i]);
        expect_str(what, expected, proc_status(sets[i].status));
    }
}

static const struct { const char *name; int resource; } rlimit_names[] = {
    { "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_DATA", RLIMIT_DATA },
    { "RLIMIT_STACK", RLIMIT_STACK }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
    { "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
    { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
    { "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

void check_rlimits(const struct json *config)
{
    const struct json *limits = json_path(config, "process.rlimits");
    for (size_t i = 0; i < json_length(limits); i++) {
        const struct json *limit = json_at(limits, i);
        const char *type = json_string(json_get(limit, "type"));
        int resource = -1;
        for (size_t j = 0; j < sizeof rlimit_names / sizeof *rlimit_names; j++)
            if (type && strcmp(type, rlimit_names[j].name) == 0)
                resource = rlimit_names[j].resource;
        if (resource < 0) {
            failf("process.rlimits[%zu]: unknown type %s", i, type ? type : "(none)");
            continue;
        }
        struct rlimit got;
        getrlimit(resource, &got);
        uint64_t soft = json_uint(json_get(limit, "soft"), 0), hard = json_uint(json_get(limit, "hard"), 0);
        expect(got.rlim_cur == soft && got.rlim_max == hard, "process.rlimits[%zu] %s is %llu/%llu (got %llu/%llu)", i,
               type, (unsigned long long)soft, (unsigned long long)hard, (unsigned long long)got.rlim_cur,
               (unsigned long long)got.rlim_max);
    }
}

static const struct area {
    const char *name;
    void (*check)(const struct json *config);
} areas[] = {
    { "user", check_user }, { "capabilities", check_capabilities }, { "rlimits", check_rlimits },
    { "mounts", check_mounts }, { "root", check_root }, { "paths", check_masked_and_readonly },
    { "devices", check_devices }, { "namespaces", check_namespaces }, { "idmaps", check_id_mappings },
    { "uts", check_uts }, { "sysctl", check_sysctl }, { "seccomp", check_seccomp }, { "cgroups", check_cgroups },
    { "scheduling", check_scheduling }, { "terminal", check_terminal },
};

int main(int argc, char **argv)
{
    const char *config_path = "/conformance/config.json", *facts_path = "/conformance/facts";
    const char *only[32];
    int nonly = 0;
    /* The checker's own options come first; "--" ends them. argv as a whole is still compared with process.args. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config_path = argv[++i];
        else if (strcmp(argv[i], "--facts") == 0 && i + 1 < argc)
            facts_path = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc && nonly < 32)
            only[nonly++] = argv[++i];
        else
            break;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct json *config = json_parse_file(config_path);
    if (!config)
        return 2;
    facts_text = read_all(facts_path);

    int all = nonly == 0;
    for (int i = 0; i < nonly; i++)
        all |= strcmp(only[i], "process") == 0;
    if (all)
        check_process(config, argc, argv);
    for (size_t a = 0; a < sizeof areas / sizeof *areas; a++) {
        int run = nonly == 0;
        for (int i = 0; i < nonly; i++)
            run |= strcmp(only[i], areas[a].name) == 0;
        if (run)
            areas[a].check(config);
    }
    printf("checker: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
