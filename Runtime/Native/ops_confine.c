/*
 * Confinement operations that come last, just before execve: the execution
 * domain (personality), scheduling (policy, I/O priority, CPU affinity) and
 * the seccomp filter. The filter is compiled to BPF by C# (Runtime/Seccomp);
 * here it is only loaded.
 */
#define _GNU_SOURCE
#include "executor_internal.h"
#include "Trampoline/seccomp_handoff.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

/* struct sched_attr of sched_setattr(2) (SCHED_ATTR_SIZE_VER0: glibc 2.36 has no wrapper). */
struct sched_attr_v0 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

#define IOPRIO_WHO_PROCESS 1

/*
 * Loads the filter. With a listener socket (SCMP_ACT_NOTIFY rules), the
 * kernel returns the listener's descriptor, which goes to the socket the
 * runtime connected to linux.seccomp.listenerPath, with the container process
 * state as the message, as runc sends it. Those last sendmsg() and close()
 * calls already pass through the filter (as in runc).
 */
static void load_seccomp(struct executor *ex, const struct op *op)
{
	struct sock_fprog prog = {
		.len = (unsigned short)(op->lens[0] / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)op->strs[0],
	};
	int sock = (int)op->ints[1];
	long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)op->ints[0], &prog);
	if (listener < 0)
		executor_fail(ex, errno, NULL);
	if (sock < 0)
		return;
	if (!ex->listener_doc)
		executor_fail(ex, EPROTO, "no container process state for the seccomp listener");
	if (executor_send_fd(sock, (int)listener, ex->listener_doc, ex->listener_len) < 0)
		executor_fail(ex, errno, "send the seccomp listener");
	close((int)listener);
	close(sock);
}

static void write_all(struct executor *ex, int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			executor_fail(ex, n < 0 ? errno : EIO, "hand the seccomp filter to the trampoline");
		p += n;
		len -= (size_t)n;
	}
}

/*
 * Leaves the filter for the trampoline to load right before the program's
 * execve() (Trampoline/seccomp_handoff.h): a memfd without close-on-exec, and
 * the listener socket kept open through the trampoline's execveat().
 */
static void hand_off_seccomp(struct executor *ex, const struct op *op)
{
	int sock = (int)op->ints[1];
	if (sock >= 0 && !ex->listener_doc)
		executor_fail(ex, EPROTO, "no container process state for the seccomp listener");
	struct seccomp_handoff handoff = {
		.flags = (uint32_t)op->ints[0],
		.filter_len = op->lens[0],
		.doc_len = sock >= 0 ? (uint32_t)ex->listener_len : 0,
		.listener_sock = sock,
		.index = ex->index,
	};
	int fd = memfd_create("runcs-seccomp", 0);
	if (fd < 0)
		executor_fail(ex, errno, "hand the seccomp filter to the trampoline");
	write_all(ex, fd, &handoff, sizeof(handoff));
	write_all(ex, fd, op->strs[0], handoff.filter_len);
	if (handoff.doc_len)
		write_all(ex, fd, ex->listener_doc, handoff.doc_len);
	if (sock >= 0 && fcntl(sock, F_SETFD, 0) < 0)
		executor_fail(ex, errno, "keep the seccomp listener socket for the trampoline");
	ex->seccomp_handoff_fd = fd;
}

static void do_seccomp(struct executor *ex, const struct op *op)
{
	if (op->nints > 2 && op->ints[2])
		hand_off_seccomp(ex, op);
	else
		load_seccomp(ex, op);
}

static void do_sched_setattr(struct executor *ex, const struct op *op)
{
	struct sched_attr_v0 attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_policy = (uint32_t)op->ints[0];
	attr.sched_flags = (uint64_t)op->ints[1];
	attr.sched_nice = (int32_t)op->ints[2];
	attr.sched_priority = (uint32_t)op->ints[3];
	attr.sched_runtime = (uint64_t)op->ints[4];
	attr.sched_deadline = (uint64_t)op->ints[5];
	attr.sched_period = (uint64_t)op->ints[6];
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		executor_fail(ex, errno, NULL);
}

int run_confine_op(struct executor *ex, const struct op *op)
{
	switch (op->code) {
	case OP_SECCOMP:
		do_seccomp(ex, op);
		return 0;
	case OP_PERSONALITY:
		if (personality((unsigned long)op->ints[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_SCHED_SETATTR:
		do_sched_setattr(ex, op);
		return 0;
	case OP_IOPRIO_SET:
		if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (int)op->ints[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_SET_AFFINITY:
		if (sched_setaffinity(0, op->lens[0], (const cpu_set_t *)op->strs[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	default:
		return -1;
	}
}
