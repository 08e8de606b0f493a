/*
 * CVE-2019-5736: a container can make the runtime execute itself inside the
 * container. A command that is a symlink to /proc/self/exe, or a script whose
 * interpreter is, makes the kernel run the runtime's own binary in the
 * container when the init or an exec'd process calls execve(), because at
 * that moment /proc/self/exe is still the runtime. A process of the container
 * keeps that binary open through /proc/PID/exe and, once the runtime has
 * exited, writes to it: the next runcs started on the host runs its code.
 *
 * So a runcs that will start container processes (create, run, exec) first
 * re-executes itself from a copy no one can write, before the .NET runtime
 * starts (ELF constructors run before NativeAOT's main, in one thread):
 *
 * - the binary seen through an overlayfs that has only lower layers (its own
 *   directory, and /dev as the second layer overlayfs needs) and is mounted
 *   read-only and detached: writes fail whatever the mount flags say, and
 *   nothing is copied (runc 1.2+ does the same);
 * - failing that (no overlayfs, no CAP_SYS_ADMIN), a memfd copy sealed
 *   against writes (runc 1.1, crun).
 *
 * A binary on a read-only mount is left as it is: the container cannot make
 * a host mount writable. This file is linked into the runcs executable only,
 * not into the library the unit tests load.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Set in the environment of the re-executed process, so a copy that still looks writable cannot loop. */
#define SEALED_ENV "_RUNCS_SEALED_EXE"

/* The commands that start processes in containers; a word anywhere in argv is enough (a false match costs an exec). */
static int starts_container_processes(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "create") || !strcmp(argv[i], "run") || !strcmp(argv[i], "exec"))
			return 1;
	return 0;
}

/* Whether the open executable cannot be written: on a read-only mount, or a memfd sealed against writes. */
static int is_unwritable(int fd)
{
	struct statvfs sv;
	if (fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY))
		return 1;
	int seals = fcntl(fd, F_GET_SEALS);
	return seals >= 0 && (seals & F_SEAL_WRITE);
}

/* Copies a directory path into dst, escaping what overlayfs reads as layer separators. */
static int escape_layer(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	for (; *src; src++) {
		if ((*src == ':' || *src == '\\') && n + 1 < size)
			dst[n++] = '\\';
		if (n + 1 >= size)
			return -1;
		dst[n++] = *src;
	}
	dst[n] = '\0';
	return 0;
}

/* The binary through a detached, read-only overlayfs of its directory; a descriptor or -1. */
static int open_through_overlay(void)
{
	char path[4096], layers[8200];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return -1;
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return -1; /* the binary's directory is "/": it overlaps every second layer */
	*slash = '\0';
	const char *name = slash + 1;
	if (escape_layer(layers, sizeof(layers), path) < 0 || strlen(layers) + sizeof(":/dev") > sizeof(layers))
		return -1;
	strcat(layers, ":/dev");

	int ctx = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
	if (ctx < 0)
		return -1;
	int fd = -1;
	if (syscall(SYS_fsconfig, ctx, FSCONFIG_SET_STRING, "lowerdir", layers, 0) == 0) {
		/* xino would only add log lines when the layers are on different file systems. */
		(void)syscall(SYS_fsconfig, ctx, FSCONFIG_SET_STRING, "xino", "off", 0);
		if (syscall(SYS_fsconfig, ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
			int mnt = (int)syscall(SYS_fsmount, ctx, FSMOUNT_CLOEXEC,
					       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
			if (mnt >= 0) {
				fd = openat(mnt, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
				close(mnt);
			}
		}
	}
	close(ctx);
	return fd;
}

/* A memfd copy of the binary, sealed against any change; a descriptor or -1. */
static int sealed_memfd_copy(int exe)
{
	struct stat st;
	if (fstat(exe, &st) < 0)
		return -1;
	int fd = memfd_create("runcs", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	off_t offset = 0;
	while (offset < st.st_size) {
		ssize_t sent = sendfile(fd, exe, &offset, (size_t)(st.st_size - offset));
		if (sent <= 0) {
			close(fd);
			return -1;
		}
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* envp with SEALED_ENV=1 added, in memory that execve() releases. */
static char **with_sealed_env(char **envp)
{
	size_t count = 0;
	while (envp[count])
		count++;
	char **env = calloc(count + 2, sizeof(char *));
	if (!env)
		return envp;
	memcpy(env, envp, count * sizeof(char *));
	env[count] = SEALED_ENV "=1";
	return env;
}

__attribute__((noreturn)) static void fail(const char *why)
{
	fprintf(stderr, "runcs: cannot run from a sealed copy of its binary (protection against CVE-2019-5736): %s\n", why);
	_exit(1);
}

__attribute__((constructor)) static void runcs_run_sealed(int argc, char **argv, char **envp)
{
	if (!starts_container_processes(argc, argv))
		return;
	int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		fail(strerror(errno));
	if (is_unwritable(exe)) {
		close(exe);
		unsetenv(SEALED_ENV); /* the runtime passes its environment on to hooks */
		return;
	}
	if (getenv(SEALED_ENV))
		fail("the copy it runs from is still writable");

	int sealed = open_through_overlay();
	if (sealed < 0)
		sealed = sealed_memfd_copy(exe);
	if (sealed < 0)
		fail(strerror(errno));
	close(exe);
	syscall(SYS_execveat, sealed, "", argv, with_sealed_env(envp), AT_EMPTY_PATH);
	fail(strerror(errno));
}
