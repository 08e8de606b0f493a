/* checker.h: what the checker's parts share.
 *
 * The checker runs as the container's process. It reads the bundle's
 * config.json (copied into the rootfs at /conformance/config.json) and compares
 * every field it knows with what the kernel shows from inside: one line per
 * comparison, "ok - WHAT" or "not ok - WHAT: expected X, got Y". Facts only
 * the host can see (its namespace inodes, the inodes of bind-mount sources)
 * are written by the suite into /conformance/facts as key=value lines. */
#ifndef CHECKER_H
#define CHECKER_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

/* Reporting: each counts one comparison. */
void pass(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ok when cond, else "not ok"; the message names what was compared. */
void expect(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void expect_str(const char *what, const char *expected, const char *actual);
void expect_u64(const char *what, uint64_t expected, uint64_t actual);
/* A note that is not a comparison (why something was not checked). */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A fact the suite wrote about the host, or NULL. */
const char *fact(const char *key);

/* The first line of a file, without its newline, in a static buffer; NULL when unreadable. */
const char *read_line(const char *path);
/* A whole small file, malloc'd; NULL when unreadable. */
char *read_all(const char *path);
/* The value of "Key:\t..." in /proc/self/status. */
const char *proc_status(const char *key);

/* /proc/self/mountinfo, one entry per line. */
struct mount_entry {
    unsigned id, parent, major, minor;
    char *root, *point, *opts, *optional, *fstype, *source, *super;
};
size_t mountinfo(struct mount_entry **entries);
/* The topmost mount at `path` (the last one listed there), or NULL. */
const struct mount_entry *mount_at(const char *path);
/* Whether the comma-separated list has `word`. */
int has_word(const char *list, const char *word);

/* The checks, one per area of config.json. */
void check_process(const struct json *config, int argc, char **argv);
void check_user(const struct json *config);
void check_capabilities(const struct json *config);
void check_rlimits(const struct json *config);
void check_mounts(const struct json *config);
void check_root(const struct json *config);
void check_masked_and_readonly(const struct json *config);
void check_devices(const struct json *config);
void check_namespaces(const struct json *config);
void check_id_mappings(const struct json *config);
void check_uts(const struct json *config);
void check_sysctl(const struct json *config);
void check_seccomp(const struct json *config);
void check_cgroups(const struct json *config);
void check_scheduling(const struct json *config);
void check_terminal(const struct json *config);

#endif
