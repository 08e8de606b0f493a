using Runcs.Runtime.Cgroups.Bpf;
using Runcs.Runtime.Cgroups.Stats;
using Runcs.Spec;

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

    /// <summary>
    /// Writes linux.resources into the cgroup's files. A field the host cannot
    /// enforce is an error naming it; one the host merely ignores (kernel
    /// memory, a v1-only knob on v2) is a warning.
    /// </summary>
    void Apply(LinuxResources resources, ApplyOptions options);

    /// <summary>Moves a process into the cgroup in every hierarchy.</summary>
    void Join(int pid);

    /// <summary>Every process in the cgroup and its descendants.</summary>
    IReadOnlyList<int> Pids();

    bool IsFrozen();

    /// <summary>Freezes every process in the cgroup and returns once the kernel reports it frozen.</summary>
    void Freeze();

    void Thaw();

    /// <summary>SIGKILLs every process of the cgroup at once with cgroup.kill; false when the host has no cgroup.kill.</summary>
    bool TryKillAll();

    /// <summary>Usage counters, in the shape `runc events` prints them.</summary>
    CgroupStats Stats();

    /// <summary>How many processes the kernel has OOM-killed in the cgroup (0 without a memory controller).</summary>
    ulong OomKills();

    /// <summary>A watch on the cgroup's OOM kills; null when the host has no memory controller for it.</summary>
    OomNotifier? NotifyOom();

    /// <summary>Removes the cgroup and any cgroup the container made below it. Processes must be gone.</summary>
    void Destroy();
}

/// <summary>How linux.resources is applied.</summary>
public sealed record ApplyOptions
{
    /// <summary>linux.devices: a standard node redefined here loses its automatic device rule.</summary>
    public IReadOnlyList<LinuxDevice>? ConfigDevices { get; init; }

    /// <summary>
    /// An update of a running container: device rules stay as created (runc's
    /// update cannot change them either), and memory.checkBeforeUpdate applies.
    /// </summary>
    public bool IsUpdate { get; init; }

    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>Puts a device filter program on a cgroup v2 directory: bpf(2) load and attach; unit tests look at the program instead.</summary>
    public Action<string, IReadOnlyList<BpfInstruction>> AttachDeviceProgram { get; init; } = DeviceFilter.Attach;
}

public static class CgroupManagers
{
    public static ICgroupManager For(CgroupMode mode, IReadOnlyDictionary<string, string> paths) =>
        mode == CgroupMode.V2 ? new V2.V2Manager(paths) : new V1.V1Manager(paths);
}
