/* logwrap: records how a container manager calls the runtime, then becomes the runtime.
 *
 * Built by managers/run.sh once per manager with the paths compiled in:
 *   gcc -DREAL_RUNTIME='"/path/to/runcs"' -DCALL_LOG='"/path/runtime-calls.log"' logwrap.c
 * Each call appends one block to CALL_LOG:
 *   === <time>
 *   argv: <args, each in single quotes>
 *   env: <NAME=value ...>
 *   fds: <n=target ...>          (the descriptors the manager left open, before this program opens any)
 * and then execv()s REAL_RUNTIME with the same arguments: same pid, same descriptors.
 * A shell script cannot do this faithfully: bash keeps descriptors of its own open. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    (void)argc;
    /* The descriptors first, while none of ours is open. */
    char fds[8192] = "";
    size_t used = 0;
    for (int fd = 0; fd < 1024 && used < sizeof fds - 600; fd++) {
        char link[64], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n < 0)
            continue;
        target[n] = '\0';
        used += (size_t)snprintf(fds + used, sizeof fds - used, " %d=%s", fd, target);
    }
    FILE *log = fopen(CALL_LOG, "ae");
    if (log) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        fprintf(log, "=== %lld.%09ld\nargv:", (long long)now.tv_sec, now.tv_nsec);
        for (char **a = argv + 1; *a; a++)
            fprintf(log, " '%s'", *a);
        fprintf(log, "\nenv:");
        for (char **e = environ; *e; e++)
            fprintf(log, " %s", *e);
        fprintf(log, "\nfds:%s\n", fds);
        fclose(log);
    }
    argv[0] = (char *)REAL_RUNTIME;
    execv(REAL_RUNTIME, argv);
    perror("logwrap: execv " REAL_RUNTIME);
    return 127;
}
