/*
 * probe: makes raw system calls and prints what each one returned, for the
 * seccomp and confinement tests. Built static by the test fixture into the
 * test rootfs as /bin/probe.
 *
 *   probe NAME=NR[,ARG...] ...
 *
 * prints "NAME <result>" per call: the return value, or -errno. Arguments
 * are C numbers (0x... too) and may be negative. stdout is flushed before
 * each call, so a call that kills the process still leaves the lines before it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *spec = argv[i];
		char *eq = strchr(spec, '=');
		if (!eq) {
			fprintf(stderr, "probe: expected NAME=NR[,ARG...], got %s\n", spec);
			return 2;
		}
		*eq = '\0';
		long nr = strtol(eq + 1, &eq, 0);
		unsigned long args[6] = { 0 };
		for (int a = 0; a < 6 && *eq == ','; a++)
			args[a] = strtoull(eq + 1, &eq, 0);
		fflush(stdout);
		long rc = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
		printf("%s %ld\n", spec, rc < 0 ? -(long)errno : rc);
	}
	return 0;
}
