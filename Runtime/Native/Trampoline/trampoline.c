/*
 * The trampoline: every program runcs starts inside a container is exec'd
 * through this tiny static binary, run from a sealed memfd.
 *
 * CVE-2019-5736: when a container process is exec'd, whatever the kernel
 * resolves as /proc/self/exe at that moment is the binary of the process
 * calling execve(). The plan executor is a fork of runcs, so a container
 * command that is a symlink to /proc/self/exe (or a script whose interpreter
 * is) would make the kernel run the runcs binary inside the container, where
 * a container process could open it through /proc/PID/exe and overwrite it.
 * The executor execs this trampoline instead, and the trampoline execs the
 * container's program: at that second execve, /proc/self/exe is this sealed
 * memfd, which no one can write, whatever the container does with it.
 *
 * argv: [name, sync fd, plan index, seccomp fd, path, argv of the program...]
 * The sync fd (the executor's socket, -1 for none) reports a failed execve to
 * the runtime as the executor would (MSG_ERROR with the plan index); it is
 * made close-on-exec first, so the program never holds it. The seccomp fd
 * (-1 for none) holds a filter to load right before the execve
 * (seccomp_handoff.h): the container's profile then judges the program and
 * nothing of the runtime's own, as in runc.
 *
 * Freestanding: no libc (the binary is copied into a memfd for every
 * container), raw system calls for x86_64 and aarch64.
 */
#include <asm/unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>

#include "seccomp_handoff.h"

#if defined(__x86_64__)
__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call trampoline_main\n"
	"	hlt\n");

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl trampoline_main\n");

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
	return x0;
}
#else
#error "the trampoline knows x86_64 and aarch64"
#endif

static long sys3(long n, long a, long b, long c)
{
	return sys6(n, a, b, c, 0, 0, 0);
}

#define F_SETFD 2
#define FD_CLOEXEC 1
#define MSG_ERROR 3
#define PROT_READ 1
#define MAP_PRIVATE 2
#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define MSG_NOSIGNAL 0x4000

/* The kernel's struct msghdr and one SCM_RIGHTS control message (64-bit layouts). */
struct io_vec {
	const void *base;
	unsigned long len;
};

struct msg_header {
	void *name;
	int name_len;
	struct io_vec *iov;
	unsigned long iov_len;
	void *control;
	unsigned long control_len;
	int flags;
};

struct rights_message {
	unsigned long len;
	int level;
	int type;
	int fd;
	int pad;
};

static int parse_int(const char *s)
{
	int sign = 1, n = 0;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	return sign * n;
}

static long length(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	return n;
}

/* Without the runtime to tell (it has gone after start): a line on stderr. */
static void say_on_stderr(const char *path, int err)
{
	char digits[12];
	int n = 0;
	do {
		digits[sizeof(digits) - 1 - n++] = (char)('0' + err % 10);
		err /= 10;
	} while (err && n < (int)sizeof(digits));
	sys3(__NR_write, 2, (long)"runcs: exec ", 12);
	sys3(__NR_write, 2, (long)path, length(path));
	sys3(__NR_write, 2, (long)": errno ", 8);
	sys3(__NR_write, 2, (long)(digits + sizeof(digits) - n), n);
	sys3(__NR_write, 2, (long)"\n", 1);
}

/* Tells the runtime which plan step failed and why (or stderr, when it has gone), and exits. */
__attribute__((noreturn)) static void fail(int sync_fd, int index, long err, const char *what, int status)
{
	int32_t header[4] = { MSG_ERROR, index, (int32_t)err, 0 };
	if (sync_fd < 0 || sys3(__NR_write, sync_fd, (long)header, sizeof(header)) != sizeof(header))
		say_on_stderr(what, (int)err);
	sys3(__NR_exit_group, status, 0, 0);
	__builtin_unreachable();
}

/*
 * Loads the filter the executor left in seccomp_fd (seccomp_handoff.h); with
 * a listener socket, sends it the listener's descriptor and the state
 * document, as the executor would have. Returns 0 or -errno, and the failing
 * plan step in *index.
 */
static long load_seccomp(int seccomp_fd, int *index)
{
	struct seccomp_handoff handoff;
	if (sys6(__NR_pread64, seccomp_fd, (long)&handoff, sizeof(handoff), 0, 0, 0) != sizeof(handoff))
		return -5; /* EIO */
	*index = handoff.index;
	if (handoff.filter_len == 0 || handoff.filter_len % sizeof(struct sock_filter) != 0 ||
	    handoff.filter_len / sizeof(struct sock_filter) > 0xffff)
		return -22; /* EINVAL */
	unsigned long size = sizeof(handoff) + (unsigned long)handoff.filter_len + handoff.doc_len;
	long map = sys6(__NR_mmap, 0, (long)size, PROT_READ, MAP_PRIVATE, seccomp_fd, 0);
	sys3(__NR_close, seccomp_fd, 0, 0);
	if (map < 0)
		return map;
	const char *bytes = (const char *)map;
	struct sock_fprog prog = {
		.len = (unsigned short)(handoff.filter_len / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)(bytes + sizeof(handoff)),
	};

	long listener = sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, handoff.flags, (long)&prog);
	if (listener < 0 || handoff.listener_sock < 0)
		return listener < 0 ? listener : 0;
	struct io_vec iov = { bytes + sizeof(handoff) + handoff.filter_len, handoff.doc_len };
	struct rights_message rights = { 20 /* CMSG_LEN(sizeof(int)) */, SOL_SOCKET, SCM_RIGHTS, (int)listener, 0 };
	struct msg_header msg = { 0, 0, &iov, 1, &rights, sizeof(rights), 0 };
	long sent = sys3(__NR_sendmsg, handoff.listener_sock, (long)&msg, MSG_NOSIGNAL);
	sys3(__NR_close, listener, 0, 0);
	sys3(__NR_close, handoff.listener_sock, 0, 0);
	return sent < 0 ? sent : 0;
}

__attribute__((noreturn, used)) void trampoline_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	if (argc < 6)
		sys3(__NR_exit_group, 127, 0, 0);

	int sync_fd = parse_int(argv[1]);
	int index = parse_int(argv[2]);
	int seccomp_fd = parse_int(argv[3]);
	const char *path = argv[4];
	if (sync_fd >= 0 && sys3(__NR_fcntl, sync_fd, F_SETFD, FD_CLOEXEC) < 0) {
		/* Never let the program hold it: no error report is better than a leak. */
		sys3(__NR_close, sync_fd, 0, 0);
		sync_fd = -1;
	}

	if (seccomp_fd >= 0) {
		int seccomp_index = index;
		long err = load_seccomp(seccomp_fd, &seccomp_index);
		if (err < 0)
			fail(sync_fd, seccomp_index, -err, "load the seccomp filter", 1);
	}

	long err = -sys3(__NR_execve, (long)path, (long)(argv + 5), (long)envp);
	fail(sync_fd, index, err, path, err == 2 /* ENOENT */ ? 127 : 126);
}
