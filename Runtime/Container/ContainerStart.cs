using Runcs.Runtime.Hooks;
using Runcs.Runtime.Native;
using Runcs.Runtime.State;
using Tmds.Linux;

namespace Runcs.Runtime.Container;

public sealed partial class Container
{
    /// <summary>
    /// Lets a created container's init go on to exec the user's process: opening
    /// the exec fifo releases it. Returns as soon as the init has taken the
    /// signal, without waiting for the process; then runs the poststart hooks.
    /// </summary>
    public void Start()
    {
        switch (Status)
        {
            case ContainerStatus.Running or ContainerStatus.Paused:
                throw new RuntimeException("cannot start an already running container");
            case ContainerStatus.Stopped:
                throw new RuntimeException("cannot start a container that has stopped");
        }
        ReleaseInit();
        File.Delete(ExecFifoPath);
        HookRunner.RunWarning("poststart", Config.Hooks?.Poststart, OciState(ContainerStatus.Running), Context.Warn);
    }

    /// <summary>
    /// Opens the fifo without blocking and waits until the init writes to it,
    /// or dies first: a blocking open would wait forever for a dead init.
    /// </summary>
    private unsafe void ReleaseInit()
    {
        using var fifo = new OwnedFd(FileDescriptors.Open(ExecFifoPath, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC));
        if (fifo.Fd < 0)
            throw new RuntimeException($"open exec fifo {ExecFifoPath}: {Syscalls.Describe(-fifo.Fd)}");
        using var pidfd = new OwnedFd(Syscalls.PidfdOpen(Record.Pid));
        var fds = stackalloc pollfd[2];
        fds[0] = new pollfd { fd = fifo.Fd, events = (short)LibC.POLLIN };
        fds[1] = new pollfd { fd = pidfd.Fd, events = (short)LibC.POLLIN };
        while (true)
        {
            int ready = LibC.poll(fds, (ulong_t)(ulong)(pidfd.Fd >= 0 ? 2 : 1), -1);
            if (ready < 0 && Syscalls.LastErrno == LibC.EINTR)
                continue;
            if (ready < 0)
                throw new RuntimeException($"wait for container init: {Syscalls.Describe(Syscalls.LastErrno)}");
            if ((fds[0].revents & LibC.POLLIN) != 0)
                break;
            if (fds[1].revents != 0 || (fds[0].revents & LibC.POLLHUP) != 0)
                throw new RuntimeException("cannot start a container that has stopped");
        }
        byte b;
        if (LibC.read(fifo.Fd, &b, 1) != 1)
            throw new RuntimeException("cannot start a container that has stopped");
    }
}
