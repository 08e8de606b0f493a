namespace Runcs.Spec;

/// <summary>
/// The closed sets of strings the spec allows in enum-like fields. The model keeps these fields as strings so that
/// the validator, not the JSON reader, reports an unknown value (with its path); <c>features</c> lists them too.
/// </summary>
public static class KnownNames
{
    public static IReadOnlyList<string> NamespaceTypes { get; } =
        ["pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"];

    public static IReadOnlyList<string> RootfsPropagations { get; } =
        ["private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable"];

    /// <summary>Values of <c>linux.devices[].type</c>: character, block, unbuffered character, FIFO.</summary>
    public static IReadOnlyList<string> DeviceTypes { get; } = ["c", "b", "u", "p"];

    /// <summary>Values of <c>linux.resources.devices[].type</c>: all, character, block.</summary>
    public static IReadOnlyList<string> DeviceCgroupTypes { get; } = ["a", "c", "b"];

    public static IReadOnlyList<string> SeccompActions { get; } =
    [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ];

    public static IReadOnlyList<string> SeccompOperators { get; } =
        ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"];

    /// <summary>libseccomp 2.6's architecture names.</summary>
    public static IReadOnlyList<string> SeccompArchitectures { get; } =
    [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
        "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ];

    public static IReadOnlyList<string> SeccompFlags { get; } =
    [
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ];

    public static IReadOnlyList<string> SchedulerPolicies { get; } =
        ["SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE"];

    public static IReadOnlyList<string> SchedulerFlags { get; } =
    [
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX",
    ];

    public static IReadOnlyList<string> IoPriorityClasses { get; } = ["IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"];

    public static IReadOnlyList<string> MemoryPolicyModes { get; } =
    [
        "MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED",
        "MPOL_PREFERRED_MANY", "MPOL_LOCAL",
    ];

    public static IReadOnlyList<string> MemoryPolicyFlags { get; } =
        ["MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES"];

    public static IReadOnlyList<string> PersonalityDomains { get; } = ["LINUX", "LINUX32"];

    /// <summary>Clocks a time namespace can offset (keys of <c>linux.timeOffsets</c>).</summary>
    public static IReadOnlyList<string> TimeNamespaceClocks { get; } = ["monotonic", "boottime"];

    /// <summary>Keys of <c>hooks</c>.</summary>
    public static IReadOnlyList<string> Hooks { get; } =
        ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"];
}
