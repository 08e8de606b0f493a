using Runcs.Runtime.Capabilities;
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
    public static void Emit(PlanBuilder plan, SpecProcess process, string path = "process")
    {
        var rlimits = process.Rlimits ?? [];
        bool mayRaise = RuntimeCapabilities.Has(RuntimeCapabilities.CapSysResource);
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
}
