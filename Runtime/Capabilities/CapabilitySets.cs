using Runcs.Spec;
using KnownCapabilities = Runcs.Spec.Capabilities;

namespace Runcs.Runtime.Capabilities;

/// <summary>
/// The five capability sets of a process as 64-bit masks, from the names in
/// process.capabilities. Names the running kernel does not know are dropped
/// with a warning (spec 1.1 and later); names nobody knows were refused by
/// the validator already.
/// </summary>
public sealed record CapabilitySets(ulong Bounding, ulong Effective, ulong Permitted, ulong Inheritable, ulong Ambient)
{
    private static int? lastCap;

    /// <summary>The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public static int LastCap => lastCap ??= ReadLastCap();

    private static int ReadLastCap()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 40; // CAP_CHECKPOINT_RESTORE, the newest in Linux 5.9+
        }
    }

    public static CapabilitySets FromConfig(LinuxCapabilities caps, Action<string> warn) => new(
        Mask(caps.Bounding, "bounding", warn),
        Mask(caps.Effective, "effective", warn),
        Mask(caps.Permitted, "permitted", warn),
        Mask(caps.Inheritable, "inheritable", warn),
        Mask(caps.Ambient, "ambient", warn));

    public static ulong Mask(IEnumerable<string>? names, string set, Action<string> warn) => Mask(names, set, warn, LastCap);

    /// <summary>The mask for a kernel whose newest capability is lastCap.</summary>
    public static ulong Mask(IEnumerable<string>? names, string set, Action<string> warn, int lastCap)
    {
        ulong mask = 0;
        foreach (var name in names ?? [])
        {
            if (!KnownCapabilities.Known.TryGetValue(name, out var number))
                throw new RuntimeException($"process.capabilities.{set}: unknown capability \"{name}\"");
            if (number > lastCap)
            {
                warn($"capability {name} is not supported by this kernel, ignoring it in the {set} set");
                continue;
            }
            mask |= 1UL << number;
        }
        return mask;
    }

    /// <summary>Names of the capabilities in a mask, for messages and the features command.</summary>
    public static IEnumerable<string> Names(ulong mask) =>
        KnownCapabilities.Known.Where(c => (mask & (1UL << c.Value)) != 0).OrderBy(c => c.Value).Select(c => c.Key);
}
