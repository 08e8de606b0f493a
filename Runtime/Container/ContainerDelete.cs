using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Hooks;
using Runcs.Runtime.Native;
using Runcs.Runtime.State;
using Tmds.Linux;

namespace Runcs.Runtime.Container;

public sealed partial class Container
{
    /// <summary>
    /// Deletes a container: a created or stopped one always, a running or paused
    /// one only with force (its processes are killed first). Removes the cgroups,
    /// runs the poststop hooks and removes the state directory.
    /// </summary>
    public void Delete(bool force)
    {
        var status = Status;
        if (status is ContainerStatus.Running or ContainerStatus.Paused && !force)
            throw new RuntimeException($"cannot delete container {Id} that is not stopped: {status.Name()}");
        if (status != ContainerStatus.Stopped)
            KillEverything(status == ContainerStatus.Paused);
        Destroy();
    }

    /// <summary>SIGKILL the init and every process in the cgroup, and wait until the init is gone.</summary>
    private void KillEverything(bool paused)
    {
        var cgroups = Cgroups;
        if (InitIsAlive())
            LibC.kill(Record.Pid, LibC.SIGKILL);
        if (!cgroups.TryKillAll())
            foreach (var pid in cgroups.Pids())
                LibC.kill(pid, LibC.SIGKILL);
        if (paused)
            ThawQuietly(cgroups); // so that the killed tasks run to their end and leave the cgroup
        ProcessWait.ForExit(Record.Pid, TimeSpan.FromSeconds(10));
    }

    private void Destroy()
    {
        var cgroups = Cgroups;
        // Processes the container left behind (when its init was not a pid namespace's init) go too.
        foreach (var pid in cgroups.Pids())
            LibC.kill(pid, LibC.SIGKILL);
        if (cgroups.IsFrozen())
            ThawQuietly(cgroups); // a cgroup left frozen (its init killed while paused) must let its tasks finish dying
        cgroups.Destroy();
        HookRunner.RunWarning("poststop", Config.Hooks?.Poststop, OciState(ContainerStatus.Stopped, withPid: false), Context.Warn);
        Context.Store.Remove(Id);
    }

    private void ThawQuietly(ICgroupManager cgroups)
    {
        try
        {
            cgroups.Thaw();
        }
        catch (RuntimeException e)
        {
            Context.Warn(e.Message);
        }
    }
}
