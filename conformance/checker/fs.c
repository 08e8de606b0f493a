/* fs.c: what the container sees of its filesystem: mounts and their options,
 * the root, masked and read-only paths, device nodes. */
#define _GNU_SOURCE
#include "checker.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Splits one mountinfo line (proc(5)) in place. */
static int parse_mount(char *line, struct mount_entry *m)
{
    char *fields[32];
    int n = 0;
    for (char *save, *tok = strtok_r(line, " \n", &save); tok && n < 32; tok = strtok_r(NULL, " \n", &save))
        fields[n++] = tok;
    int dash = 6;
    while (dash < n && strcmp(fields[dash], "-") != 0)
        dash++;
    if (n < 10 || dash + 3 >= n + 1)
        return 0;
    m->id = (unsigned)atoi(fields[0]);
    m->parent = (unsigned)atoi(fields[1]);
    sscanf(fields[2], "%u:%u", &m->major, &m->minor);
    m->root = fields[3];
    m->point = fields[4];
    m->opts = fields[5];
    /* Optional fields (shared:N master:N unbindable) joined with commas, for has_word. */
    m->optional = calloc(1, 256);
    for (int i = 6; i < dash; i++) {
        strncat(m->optional, fields[i], 200 - strlen(m->optional));
        strcat(m->optional, ",");
    }
    m->fstype = fields[dash + 1];
    m->source = fields[dash + 2];
    m->super = dash + 3 < n ? fields[dash + 3] : "";
    /* mountinfo escapes space, tab, newline and backslash as octal; our paths have none of those. */
    return 1;
}

size_t mountinfo(struct mount_entry **entries)
{
    static struct mount_entry *cache;
    static size_t count;
    if (!cache) {
        char *text = read_all("/proc/self/mountinfo");
        size_t cap = 64;
        cache = calloc(cap, sizeof *cache);
        for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            if (count == cap)
                cache = realloc(cache, (cap *= 2) * sizeof *cache);
            char *copy = strdup(line);
            if (parse_mount(copy, &cache[count]))
                count++;
        }
    }
    *entries = cache;
    return count;
}

const struct mount_entry *mount_at(const char *path)
{
    struct mount_entry *all;
    size_t n = mountinfo(&all);
    /* Mounts stacked on one point are listed in the order they were made; the last is the visible one. */
    for (size_t i = n; i-- > 0;)
        if (strcmp(all[i].point, path) == 0)
            return &all[i];
    return NULL;
}

/* Mount options that are per-mount flags, shown in mountinfo's fifth field. */
static const char *const flag_options[] = { "ro", "rw", "nosuid", "nodev", "noexec", "noatime", "nodiratime",
                                            "relatime", NULL };
/* Options that clear a flag: "suid" means nosuid is absent, and so on. */
static const struct { const char *option, *absent; } clear_options[] = {
    { "suid", "nosuid" }, { "dev", "nodev" }, { "exec", "noexec" }, { "atime", "noatime" },
    { "diratime", "nodiratime" }, { "norelatime", "relatime" }, { "strictatime", "relatime" }, { NULL, NULL },
};
static const char *const propagation_options[] = { "shared", "rshared", "slave", "rslave", "private", "rprivate",
                                                   "unbindable", "runbindable", NULL };
/* Options the checker cannot see from inside, or that only steer how the mount is made. */
static const char *const invisible_options[] = { "bind", "rbind", "newinstance", "defaults", "sync", "async",
                                                 "remount", "loud", "silent", "tmpcopyup", "nosymfollow", NULL };

static int in_list(const char *const *list, const char *word)
{
    for (; *list; list++)
        if (strcmp(*list, word) == 0)
            return 1;
    return 0;
}

/* The propagation mountinfo shows: shared:N, master:N (a slave), unbindable, or none (private). */
static int propagation_matches(const struct mount_entry *m, const char *option)
{
    const char *o = option[0] == 'r' && option[1] != 'e' ? option + 1 : option; /* rshared → shared */
    int shared = strstr(m->optional, "shared:") != NULL, slave = strstr(m->optional, "master:") != NULL,
        unbindable = strstr(m->optional, "unbindable") != NULL;
    if (strcmp(o, "shared") == 0) return shared;
    if (strcmp(o, "slave") == 0) return slave;
    if (strcmp(o, "unbindable") == 0) return unbindable;
    return !shared && !slave && !unbindable; /* private */
}

/* A size as tmpfs shows it (1m is shown as 1024k): bytes. */
static unsigned long long size_bytes(const char *text, size_t len)
{
    char *end;
    unsigned long long n = strtoull(text, &end, 10);
    if ((size_t)(end - text) < len)
        switch (*end | 0x20) {
        case 'k': n <<= 10; break;
        case 'm': n <<= 20; break;
        case 'g': n <<= 30; break;
        }
    return n;
}

/* The host id of container id `id` by the map in `file` (the id itself outside a user namespace). */
static unsigned long long host_id(const char *file, unsigned long long id)
{
    char *text = read_all(file);
    unsigned long long result = id, inside, outside, count;
    for (char *save, *line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
        if (sscanf(line, "%llu %llu %llu", &inside, &outside, &count) == 3 && id >= inside && id - inside < count)
            result = outside + (id - inside);
    free(text);
    return result;
}

/* A filesystem data option (mode=755, size=64k, gid=5) as the super-block options show it. */
static int data_option_matches(const struct mount_entry *m, const char *option)
{
    const char *eq = strchr(option, '=');
    if (!eq)
        return has_word(m->super, option);
    size_t klen = (size_t)(eq - option);
    /* tmpfs leaves its default mode (1777) out of the options: the root directory's mode says it. */
    if (strcmp(m->fstype, "tmpfs") == 0 && strncmp(option, "mode=", 5) == 0) {
        struct stat st;
        return stat(m->point, &st) == 0 && (st.st_mode & 07777) == strtoul(eq + 1, NULL, 8);
    }
    for (const char *p = m->super; *p;) {
        size_t n = strcspn(p, ",");
        if (n > klen && strncmp(p, option, klen) == 0 && p[klen] == '=') {
            const char *want = eq + 1, *have = p + klen + 1;
            size_t have_len = n - klen - 1;
            if (strncmp(option, "size=", 5) == 0)
                return size_bytes(want, strlen(want)) == size_bytes(have, have_len);
            /* The kernel shows uid= and gid= as host ids: map the container's id through the user namespace. */
            if (strncmp(option, "uid=", 4) == 0 || strncmp(option, "gid=", 4) == 0)
                return host_id(option[0] == 'u' ? "/proc/self/uid_map" : "/proc/self/gid_map", strtoull(want, NULL, 10)) ==
                       strtoull(have, NULL, 10);
            /* Modes are octal: "0666" and "666" are the same. */
            while (*want == '0' && want[1]) want++;
            while (have_len > 1 && *have == '0') have++, have_len--;
            return strlen(want) == have_len && strncmp(want, have, have_len) == 0;
        }
        p += n + (p[n] == ',');
    }
    return 0;
}

static int is_bind(const struct json *options)
{
    for (size_t i = 0; i < json_length(options); i++) {
        const char *o = json_string(json_at(options, i));
        if (o && (strcmp(o, "bind") == 0 || strcmp(o, "rbind") == 0))
            return 1;
    }
    return 0;
}

/* Whether the mounts below `m` (recursive options: rro, rnosuid...) have `flag` too. */
static int submounts_have(const struct mount_entry *m, const char *flag, int *count)
{
    struct mount_entry *all;
    size_t n = mountinfo(&all), len = strlen(m->point);
    int ok = 1;
    *count = 0;
    for (size_t i = 0; i < n; i++)
        if (&all[i] != m && strncmp(all[i].point, m->point, len) == 0 && all[i].point[len] == '/') {
            ++*count;
            ok &= has_word(all[i].opts, flag);
        }
    return ok;
}

static void check_mount(const struct json *mount, size_t index)
{
    const char *dest = json_string(json_get(mount, "destination"));
    const char *type = json_string(json_get(mount, "type"));
    const struct json *options = json_get(mount, "options");
    const struct mount_entry *m = dest ? mount_at(dest) : NULL;
    if (!m) {
        failf("mounts[%zu]: nothing is mounted on %s", index, dest ? dest : "(no destination)");
        return;
    }
    pass("mounts[%zu]: %s is a mount point", index, dest);
    int bind = is_bind(options);
    /* On cgroup v1, runtimes mount a tmpfs with one mount per hierarchy in it; the flags matter on those. */
    int v1_cgroups = !bind && type && strcmp(type, "cgroup") == 0 && strcmp(m->fstype, "tmpfs") == 0;
    if (!bind && type) {
        if (strcmp(type, "cgroup") == 0) {
            /* cgroup v1 hosts get a tmpfs of per-controller mounts at the destination; v2 hosts a cgroup2 mount. */
            expect(strcmp(m->fstype, "tmpfs") == 0 || strcmp(m->fstype, "cgroup2") == 0,
                   "mounts[%zu]: %s has a cgroup file system (tmpfs of v1 hierarchies, or cgroup2); got %s", index, dest,
                   m->fstype);
        } else {
            expect_str(dest, type, m->fstype);
        }
    }
    if (bind) {
        /* The suite stat()ed the source on the host: the same inode must show here. */
        char key[300], have[64];
        snprintf(key, sizeof key, "mount.%zu.source", index);
        const char *want = fact(key);
        struct stat st;
        if (want && stat(dest, &st) == 0) {
            snprintf(have, sizeof have, "%u:%u:%llu", major(st.st_dev), minor(st.st_dev), (unsigned long long)st.st_ino);
            expect(strcmp(want, have) == 0, "mounts[%zu]: %s shows the source's inode (%s, got %s)", index, dest, want, have);
        } else {
            failf("mounts[%zu]: cannot compare %s with its source (%s)", index, dest, want ? "stat failed" : "no fact");
        }
    }
    for (size_t i = 0; i < json_length(options); i++) {
        const char *o = json_string(json_at(options, i));
        if (!o || in_list(invisible_options, o))
            continue;
        if (in_list(flag_options, o)) {
            int below = 0;
            if (v1_cgroups)
                expect(submounts_have(m, o, &below) && below > 0, "mounts[%zu]: the %d cgroup hierarchies in %s have %s",
                       index, below, dest, o);
            else
                expect(has_word(m->opts, o), "mounts[%zu]: %s has %s (mount options %s)", index, dest, o, m->opts);
            continue;
        }
        int clear = 0;
        for (int c = 0; clear_options[c].option; c++)
            if (strcmp(o, clear_options[c].option) == 0) {
                clear = 1;
                expect(!has_word(m->opts, clear_options[c].absent), "mounts[%zu]: %s has %s, so no %s (mount options %s)",
                       index, dest, o, clear_options[c].absent, m->opts);
            }
        if (clear)
            continue;
        if (in_list(propagation_options, o)) {
            expect(propagation_matches(m, o), "mounts[%zu]: %s propagation is %s (optional fields \"%s\")", index, dest, o,
                   m->optional);
            continue;
        }
        /* Recursive flags (rro, rnosuid, ...): the mount and everything below it. */
        if (o[0] == 'r' && in_list(flag_options, o + 1)) {
            int below = 0, ok = has_word(m->opts, o + 1) && submounts_have(m, o + 1, &below);
            expect(ok, "mounts[%zu]: %s and its %d submounts have %s", index, dest, below, o + 1);
            continue;
        }
        if (bind) {
            note("mounts[%zu]: option %s not checked on a bind mount", index, o);
            continue;
        }
        expect(data_option_matches(m, o), "mounts[%zu]: %s has data option %s (super options %s)", index, dest, o,
               m->super);
    }
}

void check_mounts(const struct json *config)
{
    const struct json *mounts = json_get(config, "mounts");
    for (size_t i = 0; i < json_length(mounts); i++) {
        /* A later mount on the same destination hides this one: only the last is visible. */
        const char *dest = json_string(json_get(json_at(mounts, i), "destination"));
        int hidden = 0;
        for (size_t j = i + 1; j < json_length(mounts); j++)
            hidden |= dest && json_string(json_get(json_at(mounts, j), "destination")) &&
                      strcmp(dest, json_string(json_get(json_at(mounts, j), "destination"))) == 0;
        if (!hidden)
            check_mount(json_at(mounts, i), i);
    }
}

void check_root(const struct json *config)
{
    struct statvfs sv;
    int readonly = json_bool(json_path(config, "root.readonly"), 0);
    expect(statvfs("/", &sv) == 0 && !!(sv.f_flag & ST_RDONLY) == readonly, "root.readonly: / is %s",
           readonly ? "read-only" : "writable");
    const char *propagation = json_string(json_path(config, "linux.rootfsPropagation"));
    if (propagation) {
        const struct mount_entry *m = mount_at("/");
        expect(m && propagation_matches(m, propagation), "linux.rootfsPropagation: / is %s (optional fields \"%s\")",
               propagation, m ? m->optional : "no mount");
    }
    /* The spec's default file systems and symbolic links (config-linux.md). */
    static const struct { const char *path, *target; } links[] = {
        { "/dev/fd", "/proc/self/fd" }, { "/dev/stdin", "/proc/self/fd/0" }, { "/dev/stdout", "/proc/self/fd/1" },
        { "/dev/stderr", "/proc/self/fd/2" },
    };
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        char target[256];
        ssize_t n = readlink(links[i].path, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = '\0';
        expect(n > 0 && strcmp(target, links[i].target) == 0, "default link %s -> %s (got %s)", links[i].path,
               links[i].target, n > 0 ? target : "none");
    }
}

/* maskedPaths cannot be read; readonlyPaths cannot be written. Paths that do not exist are skipped, as the spec allows. */
void check_masked_and_readonly(const struct json *config)
{
    const struct json *masked = json_path(config, "linux.maskedPaths");
    for (size_t i = 0; i < json_length(masked); i++) {
        const char *path = json_string(json_at(masked, i));
        struct stat st;
        if (lstat(path, &st) != 0) {
            note("linux.maskedPaths[%zu] %s does not exist", i, path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            /* Masked: a read-only mount of an empty file system (runc uses tmpfs) on the directory. */
            const struct mount_entry *m = mount_at(path);
            struct statvfs sv;
            int readonly = statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY);
            struct stat dir;
            int empty = stat(path, &dir) == 0 && dir.st_nlink <= 2; /* only . and .. */
            expect(m && readonly && empty, "linux.maskedPaths[%zu]: directory %s is covered by an empty read-only mount",
                   i, path);
        } else {
            char buf[16];
            int fd = open(path, O_RDONLY | O_NONBLOCK);
            ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
            if (fd >= 0)
                close(fd);
            stat(path, &st);
            expect(n <= 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
                   "linux.maskedPaths[%zu]: %s reads nothing (it is /dev/null: %s)", i, path,
                   S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3) ? "yes" : "no");
        }
    }
    const struct json *readonly = json_path(config, "linux.readonlyPaths");
    for (size_t i = 0; i < json_length(readonly); i++) {
        const char *path = json_string(json_at(readonly, i));
        struct statvfs sv;
        if (access(path, F_OK) != 0) {
            note("linux.readonlyPaths[%zu] %s does not exist", i, path);
            continue;
        }
        expect(statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY), "linux.readonlyPaths[%zu]: %s is read-only", i, path);
    }
}

static void check_node(const char *what, const char *path, int type, unsigned maj, unsigned min)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        failf("%s: %s does not exist", what, path);
        return;
    }
    int type_ok = (type == 'c' && S_ISCHR(st.st_mode)) || (type == 'b' && S_ISBLK(st.st_mode)) ||
                  (type == 'p' && S_ISFIFO(st.st_mode));
    int numbers_ok = type == 'p' || (major(st.st_rdev) == maj && minor(st.st_rdev) == min);
    expect(type_ok && numbers_ok, "%s: %s is %c %u:%u (got mode %o, %u:%u)", what, path, type, maj, min, st.st_mode,
           major(st.st_rdev), minor(st.st_rdev));
}

void check_devices(const struct json *config)
{
    /* The spec's default devices, which every container has. */
    static const struct { const char *path; unsigned maj, min; } defaults[] = {
        { "/dev/null", 1, 3 }, { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
        { "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
    };
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        check_node("default device", defaults[i].path, 'c', defaults[i].maj, defaults[i].min);
    struct stat st;
    expect(stat("/dev/ptmx", &st) == 0 && S_ISCHR(st.st_mode), "default device /dev/ptmx is a character device");

    const struct json *devices = json_path(config, "linux.devices");
    for (size_t i = 0; i < json_length(devices); i++) {
        const struct json *d = json_at(devices, i);
        const char *path = json_string(json_get(d, "path")), *type = json_string(json_get(d, "type"));
        char what[64];
        snprintf(what, sizeof what, "linux.devices[%zu]", i);
        int t = type && (*type == 'u' || *type == 'c') ? 'c' : type ? *type : '?';
        check_node(what, path, t, (unsigned)json_uint(json_get(d, "major"), 0), (unsigned)json_uint(json_get(d, "minor"), 0));
        if (stat(path, &st) != 0)
            continue;
        const struct json *mode = json_get(d, "fileMode"), *uid = json_get(d, "uid"), *gid = json_get(d, "gid");
        if (mode)
            expect((st.st_mode & 07777) == json_uint(mode, 0), "%s: %s has mode %04llo (got %04o)", what, path,
                   (unsigned long long)json_uint(mode, 0), st.st_mode & 07777);
        if (uid)
            expect_u64("linux.devices uid", json_uint(uid, 0), st.st_uid);
        if (gid)
            expect_u64("linux.devices gid", json_uint(gid, 0), st.st_gid);
    }
}
