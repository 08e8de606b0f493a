using Runcs.Runtime.Native;
using Runcs.Runtime.State;
using Tmds.Linux;

namespace Runcs.Runtime.Container;

public sealed partial class Container
{
    /// <summary>
    /// Sends a signal to the init, or with all to every process in the
    /// container's cgroup. The init is signalled through a pidfd opened after
    /// checking its start time, so a reused pid is never hit.
    /// </summary>
    public void Kill(int signal, bool all)
    {
        if (Status == ContainerStatus.Stopped)
        {
            if (all)
                return; // runc: nothing to signal is not an error with --all
            throw new RuntimeException("container not running");
        }
        if (all)
        {
            foreach (var pid in Cgroups.Pids())
                LibC.kill(pid, signal);
            return;
        }
        using var pidfd = new OwnedFd(Syscalls.PidfdOpen(Record.Pid));
        if (pidfd.Fd < 0 || !InitIsAlive())
            throw new RuntimeException("container not running");
        if (Syscalls.PidfdSendSignal(pidfd.Fd, signal) < 0)
        {
            var errno = Syscalls.LastErrno;
            if (errno == LibC.ESRCH)
                throw new RuntimeException("container not running");
            throw new RuntimeException($"unable to signal init: {Syscalls.Describe(errno)}");
        }
    }
}
