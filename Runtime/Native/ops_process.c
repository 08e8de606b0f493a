/*
 * Process operations: identity, capabilities, limits, the console,
 * the exec fifo, hooks run from inside the container, and execve itself.
 */
#define _GNU_SOURCE
#include "executor_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void do_capbset_keep(struct executor *ex, uint64_t keep, int last_cap)
{
	for (int cap = 0; cap <= last_cap; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			executor_fail(ex, errno, NULL);
	}
}

static void do_capset(struct executor *ex, uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {
		{ (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
		{ (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
	};
	if (syscall(SYS_capset, &header, data) < 0)
		executor_fail(ex, errno, NULL);
}

static void do_ambient(struct executor *ex, uint64_t raise)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		executor_fail(ex, errno, NULL);
	/* C# has already warned about ambient capabilities that cannot be raised
	 * (not both permitted and inheritable); runc goes on without them too. */
	for (int cap = 0; cap < 64; cap++)
		if (raise & (1ULL << cap))
			prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
}

/*
 * Creates the container's terminal inside its own devpts, hands the master to
 * the console socket and makes the peer the process's controlling terminal
 * and stdio. The peer is reached through TIOCGPTPEER and /dev/console is
 * bound from that descriptor, so no path under /dev/pts is ever looked up
 * (a container could have swapped it: CVE-2025-52565).
 */
/*
 * Where the pty is bound: /dev/console in the new root, made if missing.
 * CVE-2025-52565: a container image that controls /dev (no tmpfs over it)
 * could make it a symbolic link to a procfs file and have the pty mounted
 * over that; so no symbolic link on the way, and only a plain file or a
 * device node that is not on procfs or sysfs.
 */
static int open_console_target(struct executor *ex, const char *path)
{
	int fd = root_open_no_symlinks(ex, path);
	if (fd == -ENOENT) {
		int made = root_resolve(ex, path, TARGET_FILE);
		if (made < 0)
			executor_fail(ex, -made, path);
		close(made);
		fd = root_open_no_symlinks(ex, path);
	}
	if (fd == -ELOOP)
		executor_fail(ex, 0, "/dev/console is a symbolic link: refusing to mount the console over what it points to");
	if (fd < 0)
		executor_fail(ex, -fd, path);
	struct stat st;
	struct statfs fs;
	if (fstat(fd, &st) < 0 || fstatfs(fd, &fs) < 0)
		executor_fail(ex, errno, path);
	if (!(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)) || fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC)
		executor_fail(ex, 0, "/dev/console is not a plain file or device node of the container's /dev");
	return fd;
}

static void do_console(struct executor *ex, const struct op *op)
{
	int sock = (int)op->ints[0];
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		executor_fail(ex, errno, "/dev/ptmx");
	int unlock = 0;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		executor_fail(ex, errno, "/dev/ptmx");
	int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		executor_fail(ex, errno, "pty peer");
	if (op->ints[1] > 0 && op->ints[2] > 0) {
		struct winsize ws = { .ws_row = (unsigned short)op->ints[1], .ws_col = (unsigned short)op->ints[2] };
		ioctl(master, TIOCSWINSZ, &ws);
	}
	if (op->nstrs > 0 && op->lens[0] > 0) {
		int console = open_console_target(ex, op->strs[0]);
		char source[32], target[32];
		fd_path(source, peer);
		fd_path(target, console);
		if (mount(source, target, NULL, MS_BIND, NULL) < 0)
			executor_fail(ex, errno, op->strs[0]);
		close(console);
	}
	if (executor_send_fd(sock, master, "/dev/ptmx", 9) < 0)
		executor_fail(ex, errno, "console socket");
	close(master);
	close(sock);
	if (setsid() < 0 && errno != EPERM)
		executor_fail(ex, errno, "setsid");
	if (ioctl(peer, TIOCSCTTY, 0) < 0)
		executor_fail(ex, errno, "controlling terminal");
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(peer, fd) < 0)
			executor_fail(ex, errno, "stdio");
	close(peer);
}

/* The hex number after the third ';' of KEYCTL_DESCRIBE's "type;uid;gid;perm;description". */
static long parse_key_perm(const char *text)
{
	int fields = 0;
	for (; *text && fields < 3; text++)
		fields += *text == ';';
	long perm = 0;
	for (; *text && *text != ';'; text++) {
		int digit = *text >= '0' && *text <= '9' ? *text - '0'
			  : *text >= 'a' && *text <= 'f' ? *text - 'a' + 10 : -1;
		if (digit < 0)
			return -1;
		perm = perm * 16 + digit;
	}
	return perm;
}

/*
 * A session keyring of the container's own, so it does not share the
 * runtime's (runc does the same unless --no-new-keyring); the added
 * permission bits let the container's user search it. Kernels without
 * keyrings (ENOSYS) go on without one.
 */
static void do_join_session_keyring(struct executor *ex, const struct op *op)
{
	long serial = syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, op->strs[0], 0, 0, 0);
	if (serial < 0) {
		if (errno == ENOSYS)
			return;
		executor_fail(ex, errno, op->strs[0]);
	}
	char description[256];
	long n = syscall(SYS_keyctl, 6 /* KEYCTL_DESCRIBE */, serial, description, sizeof(description) - 1, 0);
	if (n < 0)
		executor_fail(ex, errno, "describe the session keyring");
	description[n < (long)sizeof(description) ? n : (long)sizeof(description) - 1] = '\0';
	long perm = parse_key_perm(description);
	if (perm < 0)
		executor_fail(ex, EPROTO, "session keyring permissions");
	if (syscall(SYS_keyctl, 5 /* KEYCTL_SETPERM */, serial, (unsigned long)(perm | op->ints[0]), 0, 0) < 0)
		executor_fail(ex, errno, "set the session keyring permissions");
}

static void do_cloexec_from(struct executor *ex, unsigned first)
{
	if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	/* Before Linux 5.11: mark every descriptor the process may hold. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		executor_fail(ex, errno, NULL);
	for (rlim_t fd = first; fd < rl.rlim_cur && fd < (1 << 20); fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

/* What Go's exec.LookPath accepts, which is what runc checks before start. */
static int is_executable(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

static void do_lookup(struct executor *ex, const char *file, const char *path_env)
{
	int has_slash = 0;
	for (const char *c = file; *c; c++)
		has_slash |= *c == '/';
	if (has_slash) {
		int rc = is_executable(file);
		if (rc < 0)
			executor_fail(ex, -rc, file);
		str_copy(ex->exec_path, file, sizeof(ex->exec_path));
		return;
	}
	const char *dir = path_env;
	while (1) {
		const char *end = dir;
		while (*end && *end != ':')
			end++;
		char candidate[PATH_MAX];
		size_t dir_len = (size_t)(end - dir);
		if (dir_len == 0) {
			candidate[0] = '.';
			dir_len = 1;
		} else if (dir_len < sizeof(candidate) - 2) {
			memcpy(candidate, dir, dir_len);
		}
		if (dir_len + 2 + str_len(file) < sizeof(candidate)) {
			candidate[dir_len] = '/';
			str_copy(candidate + dir_len + 1, file, sizeof(candidate) - dir_len - 1);
			if (is_executable(candidate) == 0) {
				str_copy(ex->exec_path, candidate, sizeof(ex->exec_path));
				return;
			}
		}
		if (!*end)
			break;
		dir = end + 1;
	}
	executor_fail(ex, ENOENT, file);
}

static void do_wait_exec_fifo(struct executor *ex, int dir_fd, const char *name)
{
	/* Blocks until `runcs start` opens the other end. */
	int fd = openat(dir_fd, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		executor_fail(ex, errno, name);
	if (write(fd, "0", 1) != 1)
		executor_fail(ex, errno, name);
	close(fd);
	close(dir_fd);
}

static void wait_with_timeout(struct executor *ex, pid_t pid, int timeout_seconds)
{
	int status;
	if (timeout_seconds > 0) {
		int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd >= 0) {
			struct pollfd pfd = { pidfd, POLLIN, 0 };
			int ready;
			do
				ready = poll(&pfd, 1, timeout_seconds * 1000);
			while (ready < 0 && errno == EINTR);
			close(pidfd);
			if (ready == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				executor_fail(ex, ETIMEDOUT, NULL);
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			executor_fail(ex, errno, NULL);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	char detail[64];
	if (WIFEXITED(status))
		append_uint(str_copy(detail, "exit status ", sizeof(detail)), (unsigned)WEXITSTATUS(status));
	else
		append_uint(str_copy(detail, "killed by signal ", sizeof(detail)), (unsigned)WTERMSIG(status));
	executor_fail(ex, 0, detail);
}

/*
 * execve(), or for a program inside a container, execveat() of the sealed
 * trampoline that execs it (CVE-2019-5736: see Trampoline/trampoline.c).
 * report_fd, when there is one, goes to the trampoline so that it can report
 * a failed execve as this executor would; seccomp_fd, when there is one, is a
 * filter for the trampoline to load (Trampoline/seccomp_handoff.h). Returns
 * only on failure, -errno.
 */
static int exec_program(const struct executor *ex, int trampoline_fd, int report_fd, int seccomp_fd,
			const char *path, char **argv, char **envp)
{
	if (trampoline_fd < 0) {
		execve(path, argv, envp);
		return -errno;
	}
	size_t argc = 0;
	while (argv[argc])
		argc++;
	char **targv = mmap(NULL, (argc + 6) * sizeof(char *), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (targv == MAP_FAILED)
		return -errno;
	char fd_text[24] = "-1", index_text[24], seccomp_text[24] = "-1";
	if (report_fd >= 0)
		append_uint(fd_text, (unsigned)report_fd);
	append_uint(index_text, (unsigned)ex->index);
	if (seccomp_fd >= 0)
		append_uint(seccomp_text, (unsigned)seccomp_fd);
	targv[0] = "runcs-exec";
	targv[1] = fd_text;
	targv[2] = index_text;
	targv[3] = seccomp_text;
	targv[4] = (char *)path;
	for (size_t i = 0; i <= argc; i++)
		targv[5 + i] = argv[i];
	/* The report descriptor must live through this execve; the trampoline closes it at the next. */
	if (report_fd >= 0)
		fcntl(report_fd, F_SETFD, 0);
	syscall(SYS_execveat, trampoline_fd, "", targv, envp, AT_EMPTY_PATH);
	int err = errno;
	if (report_fd >= 0)
		fcntl(report_fd, F_SETFD, FD_CLOEXEC);
	return -err;
}

/* Runs a hook from inside the container with the state document on its stdin. */
static void do_hook(struct executor *ex, const struct op *op)
{
	char **argv, **envp;
	int rc = executor_build_argv(op, 1, 1, &argv, &envp);
	if (rc < 0)
		executor_fail(ex, -rc, NULL);
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		executor_fail(ex, errno, NULL);
	pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		executor_fail(ex, errno, NULL);
	if (pid == 0) {
		if (dup2(pipefd[0], STDIN_FILENO) < 0)
			_exit(127);
		/* A hook's failure shows in its exit status: no report descriptor. */
		exec_program(ex, op->nints > 3 ? (int)op->ints[3] : -1, -1, -1, op->strs[0], argv, envp);
		_exit(127);
	}
	close(pipefd[0]);
	size_t done = 0;
	while (done < ex->state_len) {
		ssize_t n = write(pipefd[1], ex->state_doc + done, ex->state_len - done);
		if (n <= 0)
			break; /* a hook that does not read its stdin is not an error */
		done += (size_t)n;
	}
	close(pipefd[1]);
	wait_with_timeout(ex, pid, (int)op->ints[0]);
}

static void do_execve(struct executor *ex, const struct op *op)
{
	char **argv, **envp;
	int rc = executor_build_argv(op, 0, 0, &argv, &envp);
	if (rc < 0)
		executor_fail(ex, -rc, NULL);
	const char *path = ex->exec_path[0] ? ex->exec_path : argv[0];
	int trampoline_fd = op->nints > 2 ? (int)op->ints[2] : -1;
	if (ex->seccomp_handoff_fd >= 0 && trampoline_fd < 0)
		executor_fail(ex, EINVAL, "a seccomp filter was left for a trampoline that is not there");
	rc = exec_program(ex, trampoline_fd, ex->sync_fd, ex->seccomp_handoff_fd, path, argv, envp);
	executor_fail(ex, -rc, path);
}

int run_process_op(struct executor *ex, const struct op *op)
{
	switch (op->code) {
	case OP_SETHOSTNAME:
		if (sethostname(op->strs[0], op->lens[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_SETDOMAINNAME:
		if (setdomainname(op->strs[0], op->lens[0]) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	case OP_UMASK:
		umask((mode_t)op->ints[0]);
		return 0;
	case OP_SETRLIMIT: {
		struct rlimit rl = { (rlim_t)op->ints[1], (rlim_t)op->ints[2] };
		if (setrlimit((int)op->ints[0], &rl) < 0)
			executor_fail(ex, errno, NULL);
		return 0;
	}
	case OP_CAP_BOUNDING_KEEP:
		do_capbset_keep(ex, (uint64_t)op->ints[0], (int)op->ints[1]);
		return 0;
	case OP_CAPSET:
		do_capset(ex, (uint64_t)op->ints[0], (uint64_t)op->ints[1], (uint64_t)op->ints[2]);
		return 0;
	case OP_CAP_AMBIENT:
		do_ambient(ex, (uint64_t)op->ints[0]);
		return 0;
	case OP_CONSOLE:
		do_console(ex, op);
		return 0;
	case OP_DUP2:
		if (op->ints[0] == op->ints[1]) {
			if (fcntl((int)op->ints[0], F_SETFD, 0) < 0)
				executor_fail(ex, errno, NULL);
		} else if (dup2((int)op->ints[0], (int)op->ints[1]) < 0) {
			executor_fail(ex, errno, NULL);
		}
		return 0;
	case OP_CLOEXEC_FROM:
		do_cloexec_from(ex, (unsigned)op->ints[0]);
		return 0;
	case OP_JOIN_SESSION_KEYRING:
		do_join_session_keyring(ex, op);
		return 0;
	case OP_LOOKUP_EXEC:
		do_lookup(ex, op->strs[0], op->strs[1]);
		return 0;
	case OP_WAIT_EXEC_FIFO:
		do_wait_exec_fifo(ex, (int)op->ints[0], op->strs[0]);
		return 0;
	case OP_HOOK:
		do_hook(ex, op);
		return 0;
	case OP_EXECVE:
		do_execve(ex, op);
		return 0;
	default:
		return -1;
	}
}
