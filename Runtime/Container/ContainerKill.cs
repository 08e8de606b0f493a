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
            KillAll(signal);
            ThawIfKilledWhilePaused(signal);
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
        ThawIfKilledWhilePaused(signal);
    }

    /// <summary>A frozen task does not die of SIGKILL until it is thawed (v1's freezer): let it, as runc does.</summary>
    private void ThawIfKilledWhilePaused(int signal)
    {
        if (signal == LibC.SIGKILL && Cgroups.IsFrozen())
            Cgroups.Thaw();
    }

    /// <summary>
    /// Every process in the cgroup: SIGKILL through cgroup.kill where the host
    /// has it (one write, no race with forks); otherwise the cgroup is frozen
    /// while its processes are listed and signalled, so that none can fork a
    /// child that escapes the list. A paused container stays paused for any
    /// other signal (its processes get it once resumed).
    /// </summary>
    private void KillAll(int signal)
    {
        var cgroups = Cgroups;
        if (signal == LibC.SIGKILL && cgroups.TryKillAll())
            return;
        bool wasFrozen = cgroups.IsFrozen();
        bool froze = false;
        if (!wasFrozen)
        {
            try
            {
                cgroups.Freeze();
                froze = true;
            }
            catch (RuntimeException e)
            {
                Context.Warn(e.Message); // without a freezer, signal what is there
            }
        }
        try
        {
            foreach (var pid in cgroups.Pids())
                LibC.kill(pid, signal);
        }
        finally
        {
            if (froze)
                cgroups.Thaw();
        }
    }
}
