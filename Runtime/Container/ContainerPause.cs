using Runcs.Runtime.State;

namespace Runcs.Runtime.Container;

public sealed partial class Container
{
    /// <summary>
    /// Freezes every process of a running (or created) container through the
    /// cgroup freezer; `state` then says "paused". runc's words on failure.
    /// </summary>
    public void Pause()
    {
        if (Status is not (ContainerStatus.Running or ContainerStatus.Created))
            throw new RuntimeException("container not running");
        Cgroups.Freeze();
    }

    /// <summary>Thaws a paused container.</summary>
    public void Resume()
    {
        if (Status != ContainerStatus.Paused)
            throw new RuntimeException("container not paused");
        Cgroups.Thaw();
    }
}
