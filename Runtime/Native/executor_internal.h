/*
 * Shared by the executor's files; not part of the interface C# sees.
 *
 * Everything here runs in a child cloned from a multithreaded process, so it
 * keeps to async-signal-safe work: system calls, no malloc, no stdio, no locks.
 * Scratch memory comes from the stack or from mmap().
 */
#ifndef RUNCS_EXECUTOR_INTERNAL_H
#define RUNCS_EXECUTOR_INTERNAL_H

#include "executor.h"

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_INTS 32
#define MAX_STRS 8

/* One decoded operation of the plan. */
struct op {
	uint16_t code;
	uint16_t nints;
	uint16_t nstrs;
	const char *description;
	int64_t ints[MAX_INTS];
	/* The first MAX_STRS strings; every string, for argv and env, through first_str. */
	const char *strs[MAX_STRS];
	uint32_t lens[MAX_STRS];
	const uint8_t *first_str;
};

/* What the executor carries from one operation to the next. */
struct executor {
	int sync_fd;
	int root_fd;                /* where "in root" paths are resolved, -1 until OP_OPEN_ROOT */
	int index;                  /* index of the operation being run, for error reports */
	const struct op *op;
	char exec_path[PATH_MAX];   /* filled by OP_LOOKUP_EXEC */
	char *state_doc;            /* the state JSON the parent sent with a sync answer, for hooks (slot 0) */
	size_t state_len;
	char *listener_doc;         /* the container process state for a seccomp listener (slot 1) */
	size_t listener_len;
	int seccomp_handoff_fd;     /* a filter for the trampoline to load (Trampoline/seccomp_handoff.h), -1: none */
};

/* Reports the failure of the current operation to the parent and exits. */
__attribute__((noreturn)) void executor_fail(struct executor *ex, int err, const char *detail);

/* Sends one message to the parent; returns 0 or -1. */
int executor_send(struct executor *ex, uint32_t type, int32_t value, int32_t err,
		  const void *payload, uint32_t len);

/* Sends one descriptor with SCM_RIGHTS and a payload (which must not be empty); returns 0 or -1. */
int executor_send_fd(int sock, int fd, const void *payload, size_t len);

/* Decodes argv and env of an operation whose ints[first] and ints[first+1]
 * are argc and envc, starting at string number `skip`; the arrays live in
 * mmap()ed memory that execve() releases. Returns 0 or -errno. */
int executor_build_argv(const struct op *op, int first, int skip, char ***argv, char ***envp);

/* Resolves a path inside the root slot without leaving it. `create` is one
 * of enum runcs_mount_target; TARGET_HOST_PATH means "do not create".
 * Returns an O_PATH descriptor or -errno. */
int root_resolve(struct executor *ex, const char *path, int create);

/* Opens a path inside the root slot (O_PATH) with no symbolic link anywhere
 * on the way: -ELOOP when there is one, -ENOENT when it is missing. */
int root_open_no_symlinks(struct executor *ex, const char *path);

/* tmpcopyup: copies what from_dir holds into to_dir, keeping modes, owners and
 * times and following no symbolic link. Returns 0 or -errno; on failure the
 * entry's name is in failed (COPY_UP_NAME_MAX bytes). */
#define COPY_UP_NAME_MAX 256
int copy_dir_contents(int from_dir, int to_dir, char *failed);

/* Formats "/proc/self/fd/N" into buf (at least 32 bytes). */
void fd_path(char *buf, int fd);

/* Operation groups, each in its own file. They return 0 when done (or call
 * executor_fail), -1 for an operation that is not theirs. */
int run_fs_op(struct executor *ex, const struct op *op);
int run_process_op(struct executor *ex, const struct op *op);
int run_confine_op(struct executor *ex, const struct op *op);

/* Small helpers that stand in for stdio. */
size_t str_len(const char *s);
char *str_copy(char *dst, const char *src, size_t size);
char *append_uint(char *dst, unsigned long long value);

#endif
