using CommandLine;
using Runcs.Runtime;
using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Container;
using Runcs.Spec;

namespace Runcs.Cli.Commands;

/// <summary>
/// runc's update: a LinuxResources document (-r FILE, or - for stdin, which is
/// what containerd sends), or the individual flags. Flags are read as text so
/// that an unset flag leaves its limit alone, and their errors are runc's.
/// </summary>
[Verb("update", HelpText = "update container resource constraints")]
public sealed class UpdateCommand : Command
{
    public override string Name => "update";

    [Option('r', "resources", HelpText = "path to the file containing the resources to update or '-' to read from the standard input; all other options are then ignored")]
    public string? Resources { get; set; }

    [Option("blkio-weight", HelpText = "Specifies per cgroup weight, range is from 10 to 1000")]
    public string? BlkioWeight { get; set; }

    [Option("cpu-period", HelpText = "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default")]
    public string? CpuPeriod { get; set; }

    [Option("cpu-quota", HelpText = "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period")]
    public string? CpuQuota { get; set; }

    [Option("cpu-burst", HelpText = "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst a given period")]
    public string? CpuBurst { get; set; }

    [Option("cpu-share", HelpText = "CPU shares (relative weight vs. other containers)")]
    public string? CpuShare { get; set; }

    /// <summary>The plural some documents use (this project's issue among them); runc knows only --cpu-share.</summary>
    [Option("cpu-shares", Hidden = true)]
    public string? CpuShares { get; set; }

    [Option("cpu-rt-period", HelpText = "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default")]
    public string? CpuRtPeriod { get; set; }

    [Option("cpu-rt-runtime", HelpText = "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period")]
    public string? CpuRtRuntime { get; set; }

    [Option("cpuset-cpus", HelpText = "CPU(s) to use")]
    public string? CpusetCpus { get; set; }

    [Option("cpuset-mems", HelpText = "Memory node(s) to use")]
    public string? CpusetMems { get; set; }

    [Option("cpu-idle", HelpText = "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE")]
    public string? CpuIdle { get; set; }

    [Option("memory", HelpText = "Memory limit (in bytes)")]
    public string? Memory { get; set; }

    [Option("memory-reservation", HelpText = "Memory reservation or soft_limit (in bytes)")]
    public string? MemoryReservation { get; set; }

    [Option("memory-swap", HelpText = "Total memory usage (memory + swap); set '-1' to enable unlimited swap")]
    public string? MemorySwap { get; set; }

    [Option("pids-limit", HelpText = "Maximum number of pids allowed in the container")]
    public string? PidsLimit { get; set; }

    [Value(0, MetaName = "container-id")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(1, Args);

    public override int Execute(CliContext context)
    {
        var id = Args.First();
        var resources = Resources is not null ? ReadDocument(Resources) : FromFlags();
        using (context.Runtime.Store.Lock(id))
            Container.Load(context.Runtime, id).Update(resources);
        return 0;
    }

    private static LinuxResources ReadDocument(string path)
    {
        if (path != "-")
            return SpecReader.ReadResources(path);
        using var stdin = System.Console.OpenStandardInput();
        return SpecReader.ReadResources(stdin);
    }

    private LinuxResources FromFlags()
    {
        var r = new LinuxResources();
        if (Number(BlkioWeight, "blkio-weight") is { } weight && weight != 0)
            (r.BlockIo = new LinuxBlockIo()).Weight = weight is > 0 and <= ushort.MaxValue ? (ushort)weight : throw Invalid("blkio-weight", BlkioWeight!, "out of range");
        if (Unsigned(CpuPeriod, "cpu-period") is { } period)
            Cpu(r).Period = period;
        if (Number(CpuQuota, "cpu-quota") is { } quota)
            Cpu(r).Quota = quota;
        if (Unsigned(CpuBurst, "cpu-burst") is { } burst)
            Cpu(r).Burst = burst;
        if (Unsigned(CpuShare ?? CpuShares, CpuShare is null && CpuShares is not null ? "cpu-shares" : "cpu-share") is { } shares)
            Cpu(r).Shares = shares;
        if (Unsigned(CpuRtPeriod, "cpu-rt-period") is { } rtPeriod)
            Cpu(r).RealtimePeriod = rtPeriod;
        if (Number(CpuRtRuntime, "cpu-rt-runtime") is { } rtRuntime)
            Cpu(r).RealtimeRuntime = rtRuntime;
        if (!string.IsNullOrEmpty(CpusetCpus))
            Cpu(r).Cpus = CpusetCpus;
        if (!string.IsNullOrEmpty(CpusetMems))
            Cpu(r).Mems = CpusetMems;
        if (Number(CpuIdle, "cpu-idle") is { } idle)
            Cpu(r).Idle = idle;
        if (Size(Memory, "memory") is { } limit)
            Mem(r).Limit = limit;
        if (Size(MemoryReservation, "memory-reservation") is { } reservation)
            Mem(r).Reservation = reservation;
        if (Size(MemorySwap, "memory-swap") is { } swap)
            Mem(r).Swap = swap;
        if (Number(PidsLimit, "pids-limit") is { } pids)
            r.Pids = new LinuxPids { Limit = pids };
        return r;
    }

    private static LinuxCpu Cpu(LinuxResources r) => r.Cpu ??= new LinuxCpu();

    private static LinuxMemory Mem(LinuxResources r) => r.Memory ??= new LinuxMemory();

    private static long? Number(string? text, string flag) =>
        string.IsNullOrEmpty(text) ? null : long.TryParse(text, out var n) ? n : throw Invalid(flag, text, "not an integer");

    private static ulong? Unsigned(string? text, string flag) =>
        string.IsNullOrEmpty(text) ? null : ulong.TryParse(text, out var n) ? n : throw Invalid(flag, text, "not an unsigned integer");

    /// <summary>A size ("64m", "1G") or -1 for no limit.</summary>
    private static long? Size(string? text, string flag) =>
        string.IsNullOrEmpty(text) ? null : text == "-1" ? -1 : MemorySize.Parse(text) ?? throw new RuntimeException($"invalid value for {flag}: invalid size: '{text}'");

    private static RuntimeException Invalid(string flag, string text, string why) => new($"invalid value for {flag}: \"{text}\" is {why}");
}
