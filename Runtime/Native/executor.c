/*
 * The executor's core: cloning the child, decoding the plan, the sync socket
 * and the operations that move a process between namespaces and stages.
 */
#define _GNU_SOURCE
#include "executor_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

char *str_copy(char *dst, const char *src, size_t size)
{
	size_t i = 0;
	for (; src[i] && i + 1 < size; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return dst + i;
}

char *append_uint(char *dst, unsigned long long value)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n)
		*dst++ = digits[--n];
	*dst = '\0';
	return dst;
}

void fd_path(char *buf, int fd)
{
	append_uint(str_copy(buf, "/proc/self/fd/", 32), (unsigned)fd);
}

int executor_send(struct executor *ex, uint32_t type, int32_t value, int32_t err,
		  const void *payload, uint32_t len)
{
	struct runcs_msg_header header = { type, value, err, len };
	struct iovec iov[2] = {
		{ &header, sizeof(header) },
		{ (void *)payload, len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	/* MSG_NOSIGNAL: a parent that went away must not kill us with SIGPIPE. */
	return sendmsg(ex->sync_fd, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

void executor_fail(struct executor *ex, int err, const char *detail)
{
	uint32_t len = detail ? (uint32_t)str_len(detail) : 0;
	if (executor_send(ex, MSG_ERROR, ex->index, err, detail, len) < 0) {
		/* Nobody listens any more (create has returned): stderr is all we have. */
		const char *what = ex->op && ex->op->description ? ex->op->description : "runcs init";
		const char *why = err ? strerrordesc_np(err) : detail;
		if (!why)
			why = "failed";
		struct iovec line[5] = {
			{ (void *)"runcs: ", 7 },
			{ (void *)what, str_len(what) },
			{ (void *)": ", 2 },
			{ (void *)why, str_len(why) },
			{ (void *)"\n", 1 },
		};
		(void)!writev(STDERR_FILENO, line, 5);
	}
	_exit(1);
}

/* Reads one answer to a sync request. A payload is kept in the operation's slot. */
static void await_reply(struct executor *ex, int slot)
{
	static char header_and_payload[1 << 16];
	static char slots[2][1 << 16];
	ssize_t n = recv(ex->sync_fd, header_and_payload, sizeof(header_and_payload), 0);
	if (n == 0)
		_exit(1); /* the parent is gone: nothing left to do */
	if (n < (ssize_t)sizeof(struct runcs_reply_header))
		executor_fail(ex, n < 0 ? errno : EPROTO, "sync reply");
	struct runcs_reply_header reply;
	memcpy(&reply, header_and_payload, sizeof(reply));
	if (reply.status != 0)
		_exit(1); /* the parent failed and will report why */
	size_t len = (size_t)n - sizeof(reply);
	if (reply.len == 0 || len == 0)
		return;
	if (len > reply.len)
		len = reply.len;
	/* A copy: the next answer reuses the receive buffer. */
	char *kept = slots[slot == 1 ? 1 : 0];
	memcpy(kept, header_and_payload + sizeof(reply), len);
	if (slot == 1) {
		ex->listener_doc = kept;
		ex->listener_len = len;
	} else {
		ex->state_doc = kept;
		ex->state_len = len;
	}
}

int executor_send_fd(int sock, int fd, const void *payload, size_t len)
{
	char control[CMSG_SPACE(sizeof(int))];
	memset(control, 0, sizeof(control));
	struct iovec iov = { (void *)payload, len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static pid_t clone_like_fork(unsigned long flags)
{
	/* The raw system call: glibc's fork() would run atfork handlers that may
	 * take locks held by threads that do not exist in the child. */
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

static int is_kept(const struct executor *ex, const struct op *op, unsigned fd)
{
	if ((int)fd == ex->sync_fd || (fd >= (unsigned)op->ints[0] && fd <= (unsigned)op->ints[1]))
		return 1;
	for (int i = 2; i < op->nints; i++)
		if (fd == (unsigned)op->ints[i])
			return 1;
	return 0;
}

/* Closes every descriptor not named in the operation, gap by gap. */
static void close_except(struct executor *ex, const struct op *op)
{
	struct rlimit rl;
	unsigned limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (1u << 20) ? (unsigned)rl.rlim_cur : (1u << 20);
	unsigned fd = 0;
	while (fd < limit) {
		if (is_kept(ex, op, fd)) {
			fd++;
			continue;
		}
		unsigned last = fd;
		while (last + 1 < limit && !is_kept(ex, op, last + 1))
			last++;
		if (syscall(SYS_close_range, fd, last == limit - 1 ? ~0U : last, 0) < 0)
			for (unsigned f = fd; f <= last; f++)
				close((int)f);
		fd = last + 1;
	}
}

static int run_stage_op(struct executor *ex, const struct op *op)
{
	switch (op->code) {
	case OP_SETNS:
		if (setns((int)op->ints[0], (int)op->ints[1]) < 0)
			executor_fail(ex, errno, NULL);
		close((int)op->ints[0]);
		return 0;
	case OP_SETNS_PATH: {
		int fd = open(op->strs[0], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, (int)op->ints[0]) < 0)
			executor_fail(ex, errno, op->strs[0]);
		close(fd);
		return 0;
	}
	case OP_UNSHARE:
		if (unshare((int)op->ints[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_SYNC:
		if (executor_send(ex, MSG_SYNC, (int32_t)op->ints[0], 0, NULL, 0) < 0)
			_exit(1);
		await_reply(ex, op->nints > 1 ? (int)op->ints[1] : 0);
		return 0;
	case OP_FORK: {
		pid_t pid = clone_like_fork(CLONE_PARENT | (unsigned long)op->ints[0]);
		if (pid < 0)
			executor_fail(ex, errno, NULL);
		if (pid > 0) {
			executor_send(ex, MSG_PID, pid, 0, NULL, 0);
			_exit(0);
		}
		return 0;
	}
	case OP_PRCTL:
		if (prctl((int)op->ints[0], (unsigned long)op->ints[1], (unsigned long)op->ints[2],
			  (unsigned long)op->ints[3], (unsigned long)op->ints[4]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_WRITE_FILE: {
		int fd = open(op->strs[0], O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			executor_fail(ex, errno, op->strs[0]);
		ssize_t n = write(fd, op->strs[1], op->lens[1]);
		if (n != (ssize_t)op->lens[1])
			executor_fail(ex, n < 0 ? errno : EIO, op->strs[0]);
		close(fd);
		return 0;
	}
	case OP_SETRESUID:
		if (syscall(SYS_setresuid, op->ints[0], op->ints[0], op->ints[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_SETRESGID:
		if (syscall(SYS_setresgid, op->ints[0], op->ints[0], op->ints[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_SETGROUPS: {
		gid_t groups[MAX_INTS];
		for (int i = 0; i < op->nints; i++)
			groups[i] = (gid_t)op->ints[i];
		/* The raw call: glibc's setgroups() signals every thread (there is one). */
		if (syscall(SYS_setgroups, (size_t)op->nints, groups) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	}
	case OP_CLOSE_EXCEPT:
		close_except(ex, op);
		return 0;
	case OP_SETSID:
		if (setsid() < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_READY:
		if (executor_send(ex, MSG_READY, 0, 0, NULL, 0) < 0)
			_exit(1);
		return 0;
	default:
		return -1;
	}
}

static uint32_t read_u32(const uint8_t **p)
{
	uint32_t v;
	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}

/* Decodes the operation at *p into op and advances *p; 0, or -1 when malformed. */
static int decode_op(const uint8_t **p, const uint8_t *end, struct op *op)
{
	const uint8_t *q = *p;
	if (end - q < 12)
		return -1;
	uint16_t head[4];
	memcpy(head, q, sizeof(head));
	q += sizeof(head);
	op->code = head[0];
	op->nints = head[1];
	op->nstrs = head[2];
	if (op->nints > MAX_INTS)
		return -1;

	uint32_t desc_len = read_u32(&q);
	if ((size_t)(end - q) < (size_t)desc_len + 1)
		return -1;
	op->description = (const char *)q;
	q += desc_len + 1;

	if ((size_t)(end - q) < (size_t)op->nints * 8)
		return -1;
	memcpy(op->ints, q, (size_t)op->nints * 8);
	q += (size_t)op->nints * 8;

	op->first_str = q;
	for (int i = 0; i < op->nstrs; i++) {
		if (end - q < 4)
			return -1;
		uint32_t len = read_u32(&q);
		if ((size_t)(end - q) < (size_t)len + 1)
			return -1;
		if (i < MAX_STRS) {
			op->strs[i] = (const char *)q;
			op->lens[i] = len;
		}
		q += len + 1;
	}
	*p = q;
	return 0;
}

int executor_build_argv(const struct op *op, int first, int skip, char ***argv, char ***envp)
{
	size_t argc = (size_t)op->ints[first], envc = (size_t)op->ints[first + 1];
	size_t bytes = (argc + 1 + envc + 1) * sizeof(char *);
	char **arrays = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arrays == MAP_FAILED)
		return -errno;
	const uint8_t *q = op->first_str;
	for (size_t i = 0; i < (size_t)skip + argc + envc; i++) {
		uint32_t len = read_u32(&q);
		size_t slot = i - (size_t)skip;
		if (i >= (size_t)skip)
			arrays[slot < argc ? slot : slot + 1] = (char *)q;
		q += len + 1;
	}
	arrays[argc] = NULL;
	arrays[argc + 1 + envc] = NULL;
	*argv = arrays;
	*envp = arrays + argc + 1;
	return 0;
}

__attribute__((noreturn)) static void run_plan(const uint8_t *plan, size_t len, int sync_fd)
{
	struct executor ex = { .sync_fd = sync_fd, .root_fd = -1, .index = -1, .seccomp_handoff_fd = -1 };
	const uint8_t *p = plan, *end = plan + len;
	uint64_t magic;
	memcpy(&magic, p, sizeof(magic));
	p += sizeof(magic);
	uint32_t version = read_u32(&p);
	uint32_t count = read_u32(&p);
	if (magic != RUNCS_PLAN_MAGIC || version != RUNCS_PLAN_VERSION)
		executor_fail(&ex, EPROTO, "plan header");

	for (uint32_t i = 0; i < count; i++) {
		struct op op;
		ex.index = (int)i;
		ex.op = NULL;
		if (decode_op(&p, end, &op) < 0)
			executor_fail(&ex, EPROTO, "plan operation");
		ex.op = &op;
		/* Each group runs the operations it knows and returns -1 for the others. */
		if (run_stage_op(&ex, &op) < 0 && run_fs_op(&ex, &op) < 0 && run_process_op(&ex, &op) < 0 &&
		    run_confine_op(&ex, &op) < 0)
			executor_fail(&ex, EPROTO, "unknown plan operation");
	}
	_exit(0);
}

int runcs_spawn(const uint8_t *plan, size_t len, int *sync_fd)
{
	int sv[2];
	if (len < 16)
		return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/*
	 * Every signal stays blocked from the clone until the child has reset the
	 * runtime's handlers (posix_spawn's way): a signal arriving in between
	 * must not run a .NET handler in the child's copy of the runtime. All of
	 * them, by hand and by the raw system call: glibc's sigfillset() and
	 * sigprocmask() leave its own two signals open.
	 */
	sigset_t all, old;
	memset(&all, 0xff, sizeof(all));
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, _NSIG / 8);
	pid_t pid = clone_like_fork(0);
	if (pid == 0) {
		close(sv[0]);
		for (int sig = 1; sig < _NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				signal(sig, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		run_plan(plan, len, sv[1]);
	}
	int clone_errno = errno;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, _NSIG / 8);
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -clone_errno;
	}
	close(sv[1]);
	*sync_fd = sv[0];
	return pid;
}
