namespace Runcs.Runtime.Cgroups;

/// <summary>
/// A container's cgroup in every hierarchy of the host's layout. The same
/// interface serves v1, hybrid and v2 hosts; state.json keeps Paths so that
/// later commands rebuild the manager without looking at the host again.
/// </summary>
public interface ICgroupManager
{
    /// <summary>The container's cgroup directory per hierarchy key.</summary>
    IReadOnlyDictionary<string, string> Paths { get; }

    /// <summary>Creates the cgroup directories (idempotent).</summary>
    void Create();

    /// <summary>Moves a process into the cgroup in every hierarchy.</summary>
    void Join(int pid);

    /// <summary>Every process in the cgroup and its descendants.</summary>
    IReadOnlyList<int> Pids();

    /// <summary>Removes the cgroup and any cgroup the container made below it. Processes must be gone.</summary>
    void Destroy();
}

public static class CgroupManagers
{
    public static ICgroupManager For(CgroupMode mode, IReadOnlyDictionary<string, string> paths) =>
        mode == CgroupMode.V2 ? new V2.V2Manager(paths) : new V1.V1Manager(paths);
}
