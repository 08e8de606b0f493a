/* recvtty: the other end of a runtime's --console-socket.
 *
 *   recvtty SOCKET OUTPUT
 *
 * Listens on the unix socket SOCKET, takes the one pseudo-terminal master the
 * runtime sends (SCM_RIGHTS), and copies everything the container writes to
 * its terminal into OUTPUT until the container side closes (EIO). Prints
 * "recvtty: ready" on stdout once listening, so the caller knows when to run
 * `create`. Exit status 0 when a terminal arrived, 1 otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int receive_fd(int conn)
{
    char byte[256];
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { byte, sizeof byte };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    if (recvmsg(conn, &msg, 0) < 0)
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
        return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: recvtty SOCKET OUTPUT\n");
        return 2;
    }
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", argv[1]);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(sock, 1) != 0) {
        fprintf(stderr, "recvtty: %s: %m\n", argv[1]);
        return 1;
    }
    printf("recvtty: ready\n");
    fflush(stdout);
    int conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
    int master = conn >= 0 ? receive_fd(conn) : -1;
    if (master < 0) {
        fprintf(stderr, "recvtty: no terminal received: %m\n");
        return 1;
    }
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char buf[4096];
    ssize_t n;
    /* read() fails with EIO once every slave descriptor is closed: the container is gone. */
    while ((n = read(master, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0 && write(out, buf, (size_t)n) != n)
            break;
    return 0;
}
