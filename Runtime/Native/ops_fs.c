/*
 * Root filesystem operations: mounts, device nodes, symlinks, masked and
 * read-only paths, pivot_root.
 *
 * Every path inside the container's root is resolved with openat2() and
 * RESOLVE_IN_ROOT, and mounts go onto /proc/self/fd/N of the descriptor that
 * came back, never onto a path string resolved again: a symlink the container
 * swaps in (CVE-2019-16884, CVE-2021-30465) cannot point a mount at the host.
 */
#define _GNU_SOURCE
#include "executor_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int openat2_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	/* A leading "/" would still be taken as the root slot; skip it for clarity. */
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	int fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

static int mkdir_all_in_root(int root_fd, const char *path);

/* Splits a clean path into its parent (written to parent) and its last
 * component (returned, pointing into path). "a" has the parent ".". */
static const char *split_parent(const char *path, char *parent, size_t size)
{
	const char *slash = NULL;
	for (const char *c = path; *c; c++)
		if (*c == '/')
			slash = c;
	if (!slash) {
		str_copy(parent, ".", size);
		return path;
	}
	size_t n = (size_t)(slash - path);
	if (n == 0)
		n = 1; /* "/a": the parent is "/" */
	if (n >= size)
		n = size - 1;
	memcpy(parent, path, n);
	parent[n] = '\0';
	return slash + 1;
}

/* Opens the parent directory of path inside the root, creating it when missing. */
static int open_parent_in_root(int root_fd, const char *path, char *parent, size_t size, const char **name)
{
	*name = split_parent(path, parent, size);
	int rc = mkdir_all_in_root(root_fd, parent);
	if (rc < 0)
		return rc;
	return openat2_in_root(root_fd, parent, O_PATH | O_DIRECTORY);
}

/* mkdir -p inside the root, one component at a time, each resolved afresh. */
static int mkdir_all_in_root(int root_fd, const char *path)
{
	char prefix[PATH_MAX];
	size_t len = str_len(path);
	if (len >= sizeof(prefix))
		return -ENAMETOOLONG;
	/* Most parents exist already (/dev, /proc): one lookup instead of one per component. */
	int existing = openat2_in_root(root_fd, path, O_PATH | O_DIRECTORY);
	if (existing >= 0) {
		close(existing);
		return 0;
	}
	for (size_t i = 1; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		int fd = openat2_in_root(root_fd, prefix, O_PATH | O_DIRECTORY);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (fd != -ENOENT)
			return fd;
		char parent[PATH_MAX];
		const char *name = split_parent(prefix, parent, sizeof(parent));
		int parent_fd = openat2_in_root(root_fd, parent, O_PATH | O_DIRECTORY);
		if (parent_fd < 0)
			return parent_fd;
		int rc = mkdirat(parent_fd, name, 0755);
		int err = errno;
		close(parent_fd);
		if (rc < 0 && err != EEXIST)
			return -err;
	}
	return 0;
}

static int create_file_in_root(int root_fd, const char *path)
{
	char parent[PATH_MAX];
	const char *name;
	int parent_fd = open_parent_in_root(root_fd, path, parent, sizeof(parent), &name);
	if (parent_fd < 0)
		return parent_fd;
	int rc = mknodat(parent_fd, name, S_IFREG | 0644, 0);
	int err = errno;
	close(parent_fd);
	return rc < 0 && err != EEXIST ? -err : 0;
}

int root_resolve(struct executor *ex, const char *path, int create)
{
	if (ex->root_fd < 0)
		return -EBADF;
	int fd = openat2_in_root(ex->root_fd, path, O_PATH);
	if (fd != -ENOENT || create == TARGET_HOST_PATH)
		return fd;
	int rc = create == TARGET_DIR ? mkdir_all_in_root(ex->root_fd, path)
				      : create_file_in_root(ex->root_fd, path);
	if (rc < 0)
		return rc;
	return openat2_in_root(ex->root_fd, path, O_PATH);
}

int root_open_no_symlinks(struct executor *ex, const char *path)
{
	if (ex->root_fd < 0)
		return -EBADF;
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};
	while (*path == '/')
		path++;
	int fd = (int)syscall(SYS_openat2, ex->root_fd, *path ? path : ".", &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

/* Resolves the target of an operation, failing the operation when it cannot. */
static int target_fd(struct executor *ex, const char *path, int create, char *proc_path)
{
	int fd = root_resolve(ex, path, create);
	if (fd < 0)
		executor_fail(ex, -fd, path);
	fd_path(proc_path, fd);
	return fd;
}

/*
 * tmpcopyup: the directory is opened before the mount covers it, so that what
 * it held can still be read through that descriptor and copied into the new
 * mount, reached by resolving the path again.
 */
static void mount_with_copy_up(struct executor *ex, const char *source, const char *path,
			       const char *fstype, unsigned long flags, const char *data)
{
	char target[32];
	int fd = target_fd(ex, path, TARGET_DIR, target);
	int below = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (below < 0)
		executor_fail(ex, errno, path);
	if (mount(source, target, fstype, flags, data) < 0)
		executor_fail(ex, errno, path);
	close(fd);
	int top_path = root_resolve(ex, path, TARGET_HOST_PATH);
	if (top_path < 0)
		executor_fail(ex, -top_path, path);
	int top = openat(top_path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		executor_fail(ex, errno, path);
	char failed[COPY_UP_NAME_MAX];
	int rc = copy_dir_contents(below, top, failed);
	if (rc < 0)
		executor_fail(ex, -rc, failed[0] ? failed : path);
	close(top);
	close(top_path);
	close(below);
}

static void do_mount(struct executor *ex, const struct op *op)
{
	unsigned long flags = (unsigned long)op->ints[0];
	int kind = (int)op->ints[1];
	const char *source = op->lens[0] ? op->strs[0] : NULL;
	const char *fstype = op->lens[2] ? op->strs[2] : NULL;
	const char *data = op->lens[3] ? op->strs[3] : NULL;

	if (kind == TARGET_HOST_PATH) {
		if (mount(source, op->strs[1], fstype, flags, data) < 0)
			executor_fail(ex, errno, op->strs[1]);
		return;
	}
	if (kind == TARGET_LIKE_SOURCE) {
		struct stat st;
		if (stat(source, &st) < 0)
			executor_fail(ex, errno, source);
		kind = S_ISDIR(st.st_mode) ? TARGET_DIR : TARGET_FILE;
	}
	if (kind == TARGET_DIR_COPY_UP) {
		mount_with_copy_up(ex, source, op->strs[1], fstype, flags, data);
		return;
	}
	char target[32];
	int fd = target_fd(ex, op->strs[1], kind, target);
	if (mount(source, target, fstype, flags, data) < 0)
		executor_fail(ex, errno, op->strs[1]);
	close(fd);
}

static void do_mknod(struct executor *ex, const struct op *op)
{
	const char *path = op->strs[0];
	char parent[PATH_MAX];
	const char *name;
	int dir = open_parent_in_root(ex->root_fd, path, parent, sizeof(parent), &name);
	if (dir < 0)
		executor_fail(ex, -dir, path);
	mode_t mode = (mode_t)op->ints[0];
	dev_t dev = makedev((unsigned)op->ints[1], (unsigned)op->ints[2]);
	if (mknodat(dir, name, mode, dev) == 0) {
		if (fchownat(dir, name, (uid_t)op->ints[3], (gid_t)op->ints[4], AT_SYMLINK_NOFOLLOW) < 0)
			executor_fail(ex, errno, path);
	} else if (errno == EPERM && op->lens[1]) {
		/* In a user namespace mknod is refused: bind the host's node instead, as runc does. */
		close(dir);
		char target[32];
		int fd = target_fd(ex, path, TARGET_FILE, target);
		if (mount(op->strs[1], target, NULL, MS_BIND, NULL) < 0)
			executor_fail(ex, errno, path);
		close(fd);
		return;
	} else if (errno != EEXIST) {
		executor_fail(ex, errno, path);
	}
	close(dir);
}

static void do_symlink(struct executor *ex, const struct op *op)
{
	const char *path = op->strs[1];
	char parent[PATH_MAX];
	const char *name;
	int dir = open_parent_in_root(ex->root_fd, path, parent, sizeof(parent), &name);
	if (dir < 0)
		executor_fail(ex, -dir, path);
	if (symlinkat(op->strs[0], dir, name) < 0 && errno != EEXIST)
		executor_fail(ex, errno, path);
	close(dir);
}

/*
 * The container's /dev/null, checked to be the null device. A /dev shared
 * with another container (a volume) could hold a symlink or another file
 * there, and binding that over a masked path would expose what it points to,
 * /proc/sys/kernel/core_pattern say (CVE-2025-31133). Never followed, and
 * bound from the descriptor that was checked.
 */
static int open_null_device(struct executor *ex)
{
	int fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		executor_fail(ex, errno, "/dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		executor_fail(ex, 0, "/dev/null is not the null device (char 1:3): refusing to bind it over a masked path");
	return fd;
}

/* Hides a path: an empty read-only tmpfs over a directory, /dev/null over anything else. */
static void do_mask(struct executor *ex, const struct op *op)
{
	int fd = root_resolve(ex, op->strs[0], TARGET_HOST_PATH);
	if (fd == -ENOENT)
		return;
	if (fd < 0)
		executor_fail(ex, -fd, op->strs[0]);
	struct stat st;
	char target[32];
	fd_path(target, fd);
	if (fstat(fd, &st) < 0)
		executor_fail(ex, errno, op->strs[0]);
	int rc;
	if (S_ISDIR(st.st_mode)) {
		rc = mount("tmpfs", target, "tmpfs", MS_RDONLY, "size=0k");
	} else {
		char null_path[32];
		int null_fd = open_null_device(ex);
		fd_path(null_path, null_fd);
		rc = mount(null_path, target, NULL, MS_BIND, NULL);
		close(null_fd);
	}
	if (rc < 0)
		executor_fail(ex, errno, op->strs[0]);
	close(fd);
}

/* The mount flags a remount must keep: the kernel refuses to drop locked ones. */
static unsigned long kept_flags(int fd)
{
	struct statvfs sv;
	unsigned long flags = 0;
	if (fstatvfs(fd, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		flags |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		flags |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		flags |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		flags |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		flags |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		flags |= MS_RELATIME;
	return flags;
}

static void do_readonly(struct executor *ex, const struct op *op)
{
	int fd = root_resolve(ex, op->strs[0], TARGET_HOST_PATH);
	if (fd == -ENOENT)
		return;
	if (fd < 0)
		executor_fail(ex, -fd, op->strs[0]);
	char target[32];
	fd_path(target, fd);
	if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		executor_fail(ex, errno, op->strs[0]);
	close(fd);
	/* The bind made a new mount: resolve again to reach it, then remount it read-only. */
	fd = target_fd(ex, op->strs[0], TARGET_HOST_PATH, target);
	if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(fd), NULL) < 0)
		executor_fail(ex, errno, op->strs[0]);
	close(fd);
}

/* Recursive mount attributes (rro, rnosuid, ...): mount_setattr() on the whole
 * tree below the target, which mount(2) cannot do (Linux 5.12+). */
static void do_mount_setattr(struct executor *ex, const struct op *op)
{
	char target[32];
	int fd = target_fd(ex, op->strs[0], TARGET_HOST_PATH, target);
	struct mount_attr attr = {
		.attr_set = (uint64_t)op->ints[0],
		.attr_clr = (uint64_t)op->ints[1],
	};
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		executor_fail(ex, errno, op->strs[0]);
	close(fd);
}

/*
 * A mount the runtime made before cloning us (open_tree(OPEN_TREE_CLONE), an
 * id-mapped bind mount: MOUNT_ATTR_IDMAP can only be set on a mount that is
 * not attached yet). move_mount() attaches it to the target resolved inside
 * the root, given as that descriptor (MOVE_MOUNT_T_EMPTY_PATH), so no path
 * string is resolved again.
 */
static void do_attach_mount(struct executor *ex, const struct op *op)
{
	int tree = (int)op->ints[0];
	char target[32];
	int fd = target_fd(ex, op->strs[0], (int)op->ints[1], target);
	if (syscall(SYS_move_mount, tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		executor_fail(ex, errno, op->strs[0]);
	close(fd);
	close(tree);
}

static void do_pivot_root(struct executor *ex, const char *new_root)
{
	int old_root = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	int new_root_fd = open(new_root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (old_root < 0 || new_root_fd < 0)
		executor_fail(ex, errno, new_root);
	/* pivot_root(".", ".") stacks the old root on top of the new one; then
	 * detach it from there, never having to create a directory for it. */
	if (fchdir(new_root_fd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		executor_fail(ex, errno, new_root);
	if (fchdir(old_root) < 0)
		executor_fail(ex, errno, "old root");
	/* Unmounting must not propagate to the host. */
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		executor_fail(ex, errno, "old root");
	if (umount2(".", MNT_DETACH) < 0)
		executor_fail(ex, errno, "old root");
	if (chdir("/") < 0)
		executor_fail(ex, errno, "/");
	close(old_root);
	close(new_root_fd);
}

/*
 * chdir, then make sure the new cwd can be reached from the root: a path
 * through a magic link (/proc/self/fd/N of a descriptor the runtime still
 * holds, such as its state directory) would leave the process in a host
 * directory (CVE-2024-21626). The raw getcwd system call marks such a cwd
 * "(unreachable)" instead of a path starting with "/".
 */
static void do_chdir(struct executor *ex, const char *path)
{
	char cwd[PATH_MAX];
	if (chdir(path) < 0)
		executor_fail(ex, errno, path);
	long n = syscall(SYS_getcwd, cwd, sizeof(cwd));
	if (n < 0 && errno != ENAMETOOLONG)
		executor_fail(ex, errno, path);
	if (n > 0 && cwd[0] != '/')
		executor_fail(ex, 0, "the working directory is outside the container's root");
}

static void do_move_root(struct executor *ex, const char *new_root)
{
	if (chdir(new_root) < 0)
		executor_fail(ex, errno, new_root);
	if (mount(new_root, "/", NULL, MS_MOVE, NULL) < 0)
		executor_fail(ex, errno, new_root);
	if (chroot(".") < 0 || chdir("/") < 0)
		executor_fail(ex, errno, new_root);
}

static void do_open_root(struct executor *ex, const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		executor_fail(ex, errno, path);
	if (ex->root_fd >= 0)
		close(ex->root_fd);
	ex->root_fd = fd;
}

static void do_write_in_root(struct executor *ex, const struct op *op)
{
	char target[32];
	int path_fd = target_fd(ex, op->strs[0], TARGET_HOST_PATH, target);
	int fd = open(target, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		executor_fail(ex, errno, op->strs[0]);
	ssize_t n = write(fd, op->strs[1], op->lens[1]);
	if (n != (ssize_t)op->lens[1])
		executor_fail(ex, n < 0 ? errno : EIO, op->strs[0]);
	close(fd);
	close(path_fd);
}

int run_fs_op(struct executor *ex, const struct op *op)
{
	switch (op->code) {
	case OP_OPEN_ROOT:
		do_open_root(ex, op->strs[0]);
		break;
	case OP_MOUNT:
		do_mount(ex, op);
		break;
	case OP_MKNOD:
		do_mknod(ex, op);
		break;
	case OP_SYMLINK:
		do_symlink(ex, op);
		break;
	case OP_MASK_PATH:
		do_mask(ex, op);
		break;
	case OP_READONLY_PATH:
		do_readonly(ex, op);
		break;
	case OP_PIVOT_ROOT:
		do_pivot_root(ex, op->strs[0]);
		break;
	case OP_MOVE_ROOT:
		do_move_root(ex, op->strs[0]);
		break;
	case OP_MOUNT_SETATTR:
		do_mount_setattr(ex, op);
		break;
	case OP_ATTACH_MOUNT:
		do_attach_mount(ex, op);
		break;
	case OP_CHDIR:
		do_chdir(ex, op->strs[0]);
		break;
	case OP_REMOUNT_ROOT_READONLY: {
		int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(fd), NULL) < 0)
			executor_fail(ex, errno, "/");
		close(fd);
		break;
	}
	case OP_WRITE_FILE_IN_ROOT:
		do_write_in_root(ex, op);
		break;
	case OP_MKDIR_IN_ROOT: {
		int rc = ex->root_fd < 0 ? -EBADF : mkdir_all_in_root(ex->root_fd, op->strs[0]);
		if (rc < 0)
			executor_fail(ex, -rc, op->strs[0]);
		break;
	}
	default:
		return -1;
	}
	return 0;
}
