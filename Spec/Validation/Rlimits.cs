namespace Runcs.Spec;

/// <summary>Resource names <c>process.rlimits[].type</c> may use, with their setrlimit(2) numbers.</summary>
public static class Rlimits
{
    /// <summary>
    /// Name to resource number, in number order. The numbers are asm-generic's (x86-64, arm64, riscv64, ...);
    /// MIPS, SPARC and Alpha number some resources differently and are not targets.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Known { get; } = new Dictionary<string, int>
    {
        ["RLIMIT_CPU"] = 0,
        ["RLIMIT_FSIZE"] = 1,
        ["RLIMIT_DATA"] = 2,
        ["RLIMIT_STACK"] = 3,
        ["RLIMIT_CORE"] = 4,
        ["RLIMIT_RSS"] = 5,
        ["RLIMIT_NPROC"] = 6,
        ["RLIMIT_NOFILE"] = 7,
        ["RLIMIT_MEMLOCK"] = 8,
        ["RLIMIT_AS"] = 9,
        ["RLIMIT_LOCKS"] = 10,
        ["RLIMIT_SIGPENDING"] = 11,
        ["RLIMIT_MSGQUEUE"] = 12,
        ["RLIMIT_NICE"] = 13,
        ["RLIMIT_RTPRIO"] = 14,
        ["RLIMIT_RTTIME"] = 15,
    };
}
