using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Runtime.Console;

/// <summary>
/// The --console-socket a caller listens on: the container's init connects
/// to it (through the descriptor opened here) and sends the pty master with
/// SCM_RIGHTS, as runc does.
/// </summary>
public static unsafe class ConsoleSocket
{
    /// <summary>Connects to the caller's socket; returns the descriptor (close-on-exec).</summary>
    public static int Connect(string path) => UnixSocket.Connect(path, "console socket");

    /// <summary>Receives one descriptor sent with SCM_RIGHTS; -1 when the peer closed without sending.</summary>
    public static int ReceiveFd(int socket)
    {
        byte* data = stackalloc byte[4096];
        byte* control = stackalloc byte[64];
        var iov = new iovec { iov_base = data, iov_len = 4096 };
        var msg = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = 64 };
        long n;
        do
            n = LibC.recvmsg(socket, &msg, LibC.MSG_CMSG_CLOEXEC);
        while (n < 0 && Syscalls.LastErrno == LibC.EINTR);
        if (n <= 0)
            return -1;
        var cmsg = LibC.CMSG_FIRSTHDR(&msg);
        if (cmsg == null || cmsg->cmsg_level != LibC.SOL_SOCKET || cmsg->cmsg_type != LibC.SCM_RIGHTS)
            return -1;
        return *(int*)LibC.CMSG_DATA(cmsg);
    }
}
