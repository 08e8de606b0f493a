/*
 * The plan executor: the only code that runs between clone() and execve().
 *
 * .NET is multithreaded before Main, so the child of a clone() may not run
 * managed code (see docs/ARCHITECTURE.md). C# compiles a container's config
 * into a plan -- a flat buffer of simple operations -- and this executor runs
 * it in the cloned child. Every decision is made in C#; the C side only
 * interprets, one operation after another, and reports the first failure.
 *
 * The numbers below are mirrored by Runtime/Native/PlanOp.cs; a unit test
 * reads this header and checks that both sides agree.
 */
#ifndef RUNCS_EXECUTOR_H
#define RUNCS_EXECUTOR_H

#include <stddef.h>
#include <stdint.h>

#define RUNCS_PLAN_MAGIC 0x4e414c5053434e52ULL /* "RNCSPLAN" little-endian */
#define RUNCS_PLAN_VERSION 1

/* Operations. ints[] and strs[] are the operation's arguments, in order. */
enum runcs_op {
	/* Namespaces and process stages. */
	OP_SETNS = 1,          /* ints: fd, nstype */
	OP_UNSHARE = 2,        /* ints: flags */
	OP_SYNC = 3,           /* ints: tag[, slot]. Ask the parent to act, wait for its answer; a document
	                        * in the answer is kept in the slot: 0 the state for hooks, 1 the seccomp listener's. */
	OP_FORK = 4,           /* ints: extra clone flags. The caller reports the child's pid and exits. */
	OP_PRCTL = 5,          /* ints: option, arg2, arg3, arg4, arg5 */
	OP_WRITE_FILE = 6,     /* strs: path, data. Host path, written before any pivot. */
	OP_SETRESUID = 7,      /* ints: uid */
	OP_SETRESGID = 8,      /* ints: gid */
	OP_SETGROUPS = 9,      /* ints: gid... */
	OP_CLOSE_EXCEPT = 10,  /* ints: first, last of a kept range, then single fds to keep. Closes the rest:
	                        * the runtime's own descriptors (its state lock among them) stay out of the container. */

	/* The root filesystem. Paths marked "in root" are resolved inside the
	 * root slot with openat2(RESOLVE_IN_ROOT), never following a symlink out. */
	OP_OPEN_ROOT = 20,     /* strs: path. Opens the directory every "in root" path is resolved in. */
	OP_MOUNT = 21,         /* ints: flags, target kind; strs: source, target (in root), fstype, data */
	OP_MKNOD = 22,         /* ints: mode, major, minor, uid, gid; strs: path (in root), host path to bind when mknod is refused */
	OP_SYMLINK = 23,       /* strs: link target, path (in root) */
	OP_MASK_PATH = 24,     /* strs: path (in root) */
	OP_READONLY_PATH = 25, /* strs: path (in root) */
	OP_PIVOT_ROOT = 26,    /* strs: new root */
	OP_MOVE_ROOT = 27,     /* strs: new root. --no-pivot: MS_MOVE onto / and chroot. */
	OP_CHDIR = 28,         /* strs: path */
	OP_REMOUNT_ROOT_READONLY = 29,
	OP_MOUNT_SETATTR = 30, /* ints: attr_set, attr_clr; strs: path (in root). Recursive (AT_RECURSIVE). */
	OP_ATTACH_MOUNT = 31,  /* ints: detached mount fd (open_tree), target kind; strs: target (in root).
	                        * The runtime made the mount before cloning (an id-mapped bind mount);
	                        * move_mount() puts it on the resolved target, then the fd is closed. */

	/* The process. */
	OP_SETHOSTNAME = 40,   /* strs: name */
	OP_SETDOMAINNAME = 41, /* strs: name */
	OP_UMASK = 42,         /* ints: mask */
	OP_SETRLIMIT = 43,     /* ints: resource, soft, hard */
	OP_CAP_BOUNDING_KEEP = 44,  /* ints: mask of capabilities to keep, last capability number */
	OP_CAPSET = 45,        /* ints: effective, permitted, inheritable (64-bit masks) */
	OP_CAP_AMBIENT = 46,   /* ints: mask to raise */
	OP_SECCOMP = 47,       /* ints: flags, listener socket fd (-1: none), hand off (1: the trampoline loads it);
	                        * strs: sock_filter array as bytes.
	                        * With a socket, the listener fd goes there with the slot 1 document (SCM_RIGHTS). */
	OP_CONSOLE = 48,       /* ints: console socket fd, rows, cols; strs: where to bind the pty (in the new root) */
	OP_DUP2 = 49,          /* ints: from, to */
	OP_CLOEXEC_FROM = 50,  /* ints: first fd that must not reach the process */
	OP_LOOKUP_EXEC = 51,   /* strs: argv0, PATH */
	OP_READY = 52,         /* Tell the parent the process waits only for start. */
	OP_WAIT_EXEC_FIFO = 53,/* ints: state directory fd (O_PATH); strs: fifo name in it */
	OP_HOOK = 54,          /* ints: timeout seconds (0 = none), argc, envc, trampoline fd; strs: path, argv..., env... */
	OP_EXECVE = 55,        /* ints: argc, envc, trampoline fd; strs: argv..., env... (the fd: -1 for a direct execve) */
	OP_SETSID = 56,
	OP_WRITE_FILE_IN_ROOT = 57, /* strs: path (in root), data */
	OP_SETNS_PATH = 58,    /* ints: nstype; strs: path. For namespaces joined from inside a stage. */
	OP_PERSONALITY = 59,   /* ints: persona */
	OP_SCHED_SETATTR = 60, /* ints: policy, flags, nice, priority, runtime, deadline, period */
	OP_IOPRIO_SET = 61,    /* ints: ioprio (class << 13 | level) */
	OP_SET_AFFINITY = 62,  /* strs: cpu_set_t mask as bytes */
	OP_JOIN_SESSION_KEYRING = 63, /* ints: permission bits to add; strs: keyring name */
	OP_MKDIR_IN_ROOT = 64, /* strs: path (in root). mkdir -p, mode 0755 under the plan's umask. */
};

/* Target kinds of OP_MOUNT: what to create when the target is missing. */
enum runcs_mount_target {
	TARGET_HOST_PATH = 0, /* not in root: a path of the executor's own view (e.g. "/" for propagation) */
	TARGET_DIR = 1,       /* in root; created as a directory */
	TARGET_FILE = 2,      /* in root; created as an empty file */
	TARGET_LIKE_SOURCE = 3, /* in root; a directory when the source is one, else a file */
	TARGET_DIR_COPY_UP = 4, /* in root; a directory whose contents are copied into the new mount (tmpcopyup) */
};

/* Messages from the executor to its parent on the sync socket. */
enum runcs_msg {
	MSG_SYNC = 1,  /* value: tag. The parent answers with a reply. */
	MSG_PID = 2,   /* value: pid of the next stage, as the parent sees it */
	MSG_ERROR = 3, /* value: index of the failed operation, err: errno; payload: detail */
	MSG_READY = 4, /* the process is set up and waits for start */
};

struct runcs_msg_header {
	uint32_t type;
	int32_t value;
	int32_t err;
	uint32_t len; /* payload bytes that follow */
};

/* The parent's answer to MSG_SYNC: status 0 goes on, anything else aborts.
 * A payload, when present, is kept as the state document for OP_HOOK. */
struct runcs_reply_header {
	uint32_t status;
	uint32_t len;
};

/*
 * Clones a child that runs the plan. Returns the child's pid (or -errno) and
 * stores the parent's end of the sync socket in *sync_fd. The plan buffer is
 * read by the child from its copy of the address space: the caller must keep
 * it unchanged (pinned) until the call returns.
 */
int runcs_spawn(const uint8_t *plan, size_t len, int *sync_fd);

/*
 * A sealed memfd holding the trampoline that programs started inside a
 * container are exec'd through (CVE-2019-5736, see Trampoline/trampoline.c);
 * a descriptor (close-on-exec) or -errno.
 */
int runcs_trampoline_memfd(void);

#endif
