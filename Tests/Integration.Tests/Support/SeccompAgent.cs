using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Integration.Tests.Support;

/// <summary>
/// A seccomp notify agent, as a container engine would run one: listens on
/// linux.seccomp.listenerPath, receives the listener descriptor with the
/// container process state, and answers every notified system call with an
/// errno of its choosing (SECCOMP_IOCTL_NOTIF_RECV / _SEND).
/// </summary>
public sealed unsafe partial class SeccompAgent : IDisposable
{
    private const ulong NotifRecv = 0xc0502100; // _IOWR('!', 0, struct seccomp_notif)
    private const ulong NotifSend = 0xc0182101; // _IOWR('!', 1, struct seccomp_notif_resp)

    [StructLayout(LayoutKind.Sequential)]
    private struct Notif
    {
        public ulong Id;
        public uint Pid;
        public uint Flags;
        public int Nr;
        public uint Arch;
        public ulong InstructionPointer;
        public fixed ulong Args[6];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NotifResp
    {
        public ulong Id;
        public long Val;
        public int Error;
        public uint Flags;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, void* arg);

    private readonly int listenFd;
    private readonly int answerErrno;
    private readonly CancellationTokenSource stop = new();
    private readonly Task work;

    public SeccompAgent(string path, int answerErrno)
    {
        this.answerErrno = answerErrno;
        listenFd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        var address = new sockaddr_un { sun_family = (ushort)LibC.AF_UNIX };
        var bytes = Encoding.UTF8.GetBytes(path);
        for (int i = 0; i < bytes.Length; i++)
            address.sun_path[i] = bytes[i];
        if (LibC.bind(listenFd, (sockaddr*)&address, sizeof(sockaddr_un)) < 0 || LibC.listen(listenFd, 1) < 0)
            throw new InvalidOperationException($"agent socket {path}: errno {Marshal.GetLastPInvokeError()}");
        work = Task.Run(Serve);
    }

    /// <summary>The document that came with the listener.</summary>
    public ContainerProcessState? State { get; private set; }

    /// <summary>System call numbers the agent answered, in order.</summary>
    public List<int> Answered { get; } = [];

    private void Serve()
    {
        int connection = LibC.accept4(listenFd, null, null, LibC.SOCK_CLOEXEC);
        if (connection < 0)
            return;
        int listener = ReceiveListener(connection);
        LibC.close(connection);
        if (listener < 0)
            return;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var pfd = new pollfd { fd = listener, events = LibC.POLLIN };
                if (LibC.poll(&pfd, 1, 100) <= 0)
                    continue;
                if ((pfd.revents & LibC.POLLHUP) != 0)
                    return; // every process under the filter is gone
                var notif = new Notif();
                if (ioctl(listener, NotifRecv, &notif) < 0)
                    continue; // the caller went away before we read it
                var resp = new NotifResp { Id = notif.Id, Val = 0, Error = -answerErrno, Flags = 0 };
                lock (Answered)
                    Answered.Add(notif.Nr);
                ioctl(listener, NotifSend, &resp);
            }
        }
        finally
        {
            LibC.close(listener);
        }
    }

    private int ReceiveListener(int connection)
    {
        var data = new byte[64 * 1024];
        byte* control = stackalloc byte[64];
        fixed (byte* p = data)
        {
            var iov = new iovec { iov_base = p, iov_len = data.Length };
            var msg = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = 64 };
            long n = LibC.recvmsg(connection, &msg, LibC.MSG_CMSG_CLOEXEC);
            if (n <= 0)
                return -1;
            State = JsonSerializer.Deserialize(data.AsSpan(0, (int)n), SpecJsonContext.Default.ContainerProcessState);
            var cmsg = LibC.CMSG_FIRSTHDR(&msg);
            return cmsg == null || cmsg->cmsg_type != LibC.SCM_RIGHTS ? -1 : *(int*)LibC.CMSG_DATA(cmsg);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        LibC.shutdown(listenFd, LibC.SHUT_RDWR);
        LibC.close(listenFd);
        work.Wait(TimeSpan.FromSeconds(5));
    }
}
