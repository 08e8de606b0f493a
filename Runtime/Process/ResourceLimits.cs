using Runcs.Runtime.Native;
using SpecProcess = Runcs.Spec.Process;

namespace Runcs.Runtime.Process;

/// <summary>
/// process.rlimits. Raising a hard limit above the one the runtime itself has
/// needs CAP_SYS_RESOURCE; without it (a root in a restricted container, a
/// rootless runtime) the config asks for the impossible, which is reported
/// with the limit's name before anything is created.
/// </summary>
public static class ResourceLimits
{
    private const int CapSysResource = 24;

    public static void Emit(PlanBuilder plan, SpecProcess process, string path = "process")
    {
        var rlimits = process.Rlimits ?? [];
        bool mayRaise = HasCapability(CapSysResource);
        for (int i = 0; i < rlimits.Count; i++)
        {
            var rlimit = rlimits[i];
            int resource = Runcs.Spec.Rlimits.Known.TryGetValue(rlimit.Type, out var r) ? r
                : throw new RuntimeException($"{path}.rlimits[{i}].type: unknown resource limit \"{rlimit.Type}\"");
            if (!mayRaise && CurrentHard(resource) is ulong hard && rlimit.Hard > hard)
                throw new RuntimeException(
                    $"{path}.rlimits[{i}]: {rlimit.Type} hard limit {rlimit.Hard} is above the runtime's own ({hard}), and raising it needs CAP_SYS_RESOURCE");
            plan.SetRlimit(resource, rlimit.Soft, rlimit.Hard, rlimit.Type);
        }
    }

    private static ulong? CurrentHard(int resource) =>
        Syscalls.getrlimit(resource, out var limit) == 0 ? limit.Max : null;

    /// <summary>Whether the runtime's effective set has a capability (/proc/self/status CapEff).</summary>
    private static bool HasCapability(int capability)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                return (Convert.ToUInt64(line[7..].Trim(), 16) & (1UL << capability)) != 0;
        return false;
    }
}
