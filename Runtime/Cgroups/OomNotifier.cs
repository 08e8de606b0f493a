namespace Runcs.Runtime.Cgroups;

/// <summary>What one wake-up of an <see cref="OomNotifier"/> found.</summary>
public readonly record struct OomReading(int Kills, bool CgroupGone);

/// <summary>
/// A descriptor that becomes readable when the kernel OOM-kills in a
/// container's memory cgroup (or the cgroup goes away), so that `runcs events`
/// can wait on it with poll() between its statistics.
/// </summary>
public abstract class OomNotifier : IDisposable
{
    /// <summary>Poll this for POLLIN.</summary>
    public abstract int Fd { get; }

    /// <summary>Called once Fd is readable.</summary>
    public abstract OomReading Read();

    public abstract void Dispose();
}
