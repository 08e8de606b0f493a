namespace Runcs.Runtime.Capabilities;

/// <summary>
/// The runtime's own capabilities, which decide what it may do for a
/// container: raise a hard rlimit (CAP_SYS_RESOURCE), write any uid or gid
/// map (CAP_SETUID, CAP_SETGID).
/// </summary>
public static class RuntimeCapabilities
{
    public const int CapSetgid = 6;
    public const int CapSetuid = 7;
    public const int CapSysResource = 24;

    /// <summary>Whether the runtime's effective set has a capability (/proc/self/status CapEff).</summary>
    public static bool Has(int capability)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                return (Convert.ToUInt64(line[7..].Trim(), 16) & (1UL << capability)) != 0;
        return false;
    }
}
