/*
 * The sealed copy of the trampoline (Trampoline/trampoline.c) that every
 * program started inside a container is exec'd through. Called by the
 * runtime, not by the executor: it allocates nothing a child would need.
 */
#define _GNU_SOURCE
#include "executor.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

extern const unsigned char runcs_trampoline_start[];
extern const unsigned char runcs_trampoline_end[];

int runcs_trampoline_memfd(void)
{
	/* MFD_EXEC: hosts with vm.memfd_noexec set refuse to exec a memfd that did not ask (Linux 6.3+). */
	int fd = memfd_create("runcs-trampoline", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("runcs-trampoline", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	const unsigned char *p = runcs_trampoline_start;
	while (p < runcs_trampoline_end) {
		ssize_t n = write(fd, p, (size_t)(runcs_trampoline_end - p));
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close(fd);
			return -err;
		}
		p += n;
	}
	/* Sealed: not the owner, not root, not the container can change it any more. */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	return fd;
}
