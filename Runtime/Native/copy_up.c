/*
 * runc's "tmpcopyup": what a directory held before a tmpfs was mounted over it
 * is copied into the tmpfs, so that a tmpfs on /etc still has the image's
 * files. Files, directories, symbolic links and device nodes keep their mode,
 * owner and times; nothing is followed, so a symbolic link in the image cannot
 * make the copy read from or write to anywhere else.
 *
 * Runs in the executor: system calls only, scratch space on the stack.
 */
#define _GNU_SOURCE
#include "executor_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Deeper trees than this are refused rather than risking the stack. */
#define MAX_DEPTH 128

struct dirent64_raw {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Plain read and write: the files are small, and it works between any two filesystems. */
static int copy_file_data(int from, int to)
{
	char buf[16384];
	while (1) {
		ssize_t n = read(from, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(to, buf + done, (size_t)(n - done));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			done += w;
		}
	}
}

static int copy_entry(int from_dir, int to_dir, const char *name, int depth, char *failed);

/* Copies every entry of from_dir into to_dir. */
static int copy_entries(int from_dir, int to_dir, int depth, char *failed)
{
	if (depth > MAX_DEPTH)
		return -ELOOP;
	char buf[4096];
	while (1) {
		long n = syscall(SYS_getdents64, from_dir, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (long off = 0; off < n;) {
			struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
			off += d->reclen;
			if (d->name[0] == '.' && (d->name[1] == 0 || (d->name[1] == '.' && d->name[2] == 0)))
				continue;
			int rc = copy_entry(from_dir, to_dir, d->name, depth, failed);
			if (rc < 0)
				return rc;
		}
	}
}

static int copy_one(int from_dir, int to_dir, const char *name, int depth, char *failed)
{
	struct stat st;
	int rc = 0;
	if (fstatat(from_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	mode_t perm = st.st_mode & 07777;
	if (S_ISDIR(st.st_mode)) {
		if (mkdirat(to_dir, name, 0700) < 0 && errno != EEXIST)
			return -errno;
		int from = openat(from_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int to = openat(to_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (from < 0 || to < 0)
			rc = -errno;
		else
			rc = copy_entries(from, to, depth + 1, failed);
		if (from >= 0)
			close(from);
		if (to >= 0)
			close(to);
		if (rc < 0)
			return rc;
	} else if (S_ISREG(st.st_mode)) {
		int from = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (from < 0)
			return -errno;
		int to = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		rc = to < 0 ? -errno : copy_file_data(from, to);
		close(from);
		if (to >= 0)
			close(to);
		if (rc < 0)
			return rc;
	} else if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t len = readlinkat(from_dir, name, target, sizeof(target) - 1);
		if (len < 0)
			return -errno;
		target[len] = 0;
		if (symlinkat(target, to_dir, name) < 0)
			return -errno;
	} else {
		if (mknodat(to_dir, name, st.st_mode, st.st_rdev) < 0)
			return -errno;
	}
	/* Owner before mode: a change of owner clears the set-id bits. */
	if (fchownat(to_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISLNK(st.st_mode) && fchmodat(to_dir, name, perm, 0) < 0)
		return -errno;
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	if (utimensat(to_dir, name, times, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return 0;
}

/* Names the deepest entry that failed in failed (COPY_UP_NAME_MAX bytes). */
static int copy_entry(int from_dir, int to_dir, const char *name, int depth, char *failed)
{
	int rc = copy_one(from_dir, to_dir, name, depth, failed);
	if (rc < 0 && !failed[0])
		str_copy(failed, name, COPY_UP_NAME_MAX);
	return rc;
}

int copy_dir_contents(int from_dir, int to_dir, char *failed)
{
	failed[0] = 0;
	return copy_entries(from_dir, to_dir, 0, failed);
}
