using Runcs.Runtime.Native;

namespace Runcs.Runtime.Seccomp;

/// <summary>The SECCOMP_FILTER_FLAG_* values seccomp(2) takes (linux/seccomp.h).</summary>
public static class SeccompFlags
{
    public const uint Tsync = 1;
    public const uint Log = 2;
    public const uint SpecAllow = 4;
    public const uint NewListener = 8;
    public const uint TsyncEsrch = 16;
    public const uint WaitKillableRecv = 32;

    /// <summary>The flags a config may name (linux.seccomp.flags), in the order features lists them.</summary>
    public static IReadOnlyDictionary<string, uint> Known { get; } = new Dictionary<string, uint>
    {
        ["SECCOMP_FILTER_FLAG_TSYNC"] = Tsync,
        ["SECCOMP_FILTER_FLAG_LOG"] = Log,
        ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"] = SpecAllow,
        ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] = WaitKillableRecv,
    };

    /// <summary>
    /// The known flags this kernel accepts. seccomp(SECCOMP_SET_MODE_FILTER)
    /// with no program fails with EFAULT for flags it knows and EINVAL for the
    /// others, so asking installs nothing (runc probes the same way).
    /// WAIT_KILLABLE_RECV is only valid with NEW_LISTENER, so it is asked with it.
    /// </summary>
    public static IEnumerable<string> SupportedByKernel() =>
        Known.Where(flag => Probe(flag.Value == WaitKillableRecv ? flag.Value | NewListener : flag.Value)).Select(flag => flag.Key);

    private static bool Probe(uint flags) => Syscalls.SeccompProbeFlags(flags) == Tmds.Linux.LibC.EFAULT;
}
