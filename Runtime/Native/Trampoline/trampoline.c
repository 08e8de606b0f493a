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
 * argv: [name, sync fd, plan index, path, argv of the program...]
 * The sync fd (the executor's socket, -1 for none) reports a failed execve to
 * the runtime as the executor would (MSG_ERROR with the plan index); it is
 * made close-on-exec first, so the program never holds it.
 *
 * Freestanding: no libc (the binary is copied into a memfd for every
 * container), raw system calls for x86_64 and aarch64.
 */
#include <asm/unistd.h>
#include <stdint.h>

#if defined(__x86_64__)
__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call trampoline_main\n"
	"	hlt\n");

static long sys3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl trampoline_main\n");

static long sys3(long n, long a, long b, long c)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}
#else
#error "the trampoline knows x86_64 and aarch64"
#endif

#define F_SETFD 2
#define FD_CLOEXEC 1
#define MSG_ERROR 3

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

__attribute__((noreturn, used)) void trampoline_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	if (argc < 5)
		sys3(__NR_exit_group, 127, 0, 0);

	int sync_fd = parse_int(argv[1]);
	int index = parse_int(argv[2]);
	if (sync_fd >= 0 && sys3(__NR_fcntl, sync_fd, F_SETFD, FD_CLOEXEC) < 0) {
		/* Never let the program hold it: no error report is better than a leak. */
		sys3(__NR_close, sync_fd, 0, 0);
		sync_fd = -1;
	}

	long err = -sys3(__NR_execve, (long)argv[3], (long)(argv + 4), (long)envp);

	int32_t header[4] = { MSG_ERROR, index, (int32_t)err, 0 };
	if (sync_fd < 0 || sys3(__NR_write, sync_fd, (long)header, sizeof(header)) != sizeof(header))
		say_on_stderr(argv[3], (int)err);
	sys3(__NR_exit_group, err == 2 /* ENOENT */ ? 127 : 126, 0, 0);
	__builtin_unreachable();
}
