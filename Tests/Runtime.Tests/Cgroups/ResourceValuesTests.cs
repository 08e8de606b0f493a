using Runcs.Runtime.Cgroups;
using Runcs.Spec;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>Conversions to v2's scales, the list and size formats, and checks of linux.resources before anything is made.</summary>
public class ResourceValuesTests
{
    private static readonly CgroupHost Host = new(new SortedSet<int> { 0, 1, 2, 3 }, new SortedSet<int> { 0 }, ["2MB", "1GB"]);

    [TestCase(0UL, 0UL)]
    [TestCase(2UL, 1UL)]
    [TestCase(1024UL, 100UL)]
    [TestCase(512UL, 59UL)]
    [TestCase(262144UL, 10000UL)]
    [TestCase(1000000UL, 10000UL)]
    public void Shares_convert_to_weights_keeping_the_defaults_together(ulong shares, ulong weight) =>
        CgroupValues.SharesToWeight(shares).Should().Be(weight);

    [TestCase((ushort)10, 1UL)]
    [TestCase((ushort)500, 4950UL)]
    [TestCase((ushort)1000, 10000UL)]
    public void Blkio_weights_scale_to_io_weights(ushort blkio, ulong io) => CgroupValues.BlkioWeightToIoWeight(blkio).Should().Be(io);

    [TestCase(100L, 300L, "200")]
    [TestCase(100L, 100L, "0")]
    [TestCase(100L, -1L, "max")]
    [TestCase(-1L, 0L, "max")]
    [TestCase(-1L, 300L, "300")]
    [TestCase(100L, 0L, null)]
    public void Memory_plus_swap_becomes_swap_alone(long memory, long memoryAndSwap, string? swapMax) =>
        CgroupValues.V2SwapMax(memory, memoryAndSwap).Should().Be(swapMax);

    [TestCase("0-3,7", new[] { 0, 1, 2, 3, 7 })]
    [TestCase("1", new[] { 1 })]
    [TestCase(" 0,2-3\n", new[] { 0, 2, 3 })]
    public void Cpu_lists_parse(string text, int[] cpus) => CpuList.Parse(text).Should().Equal(cpus);

    [TestCase("3-1")]
    [TestCase("a")]
    [TestCase("1-2-3")]
    [TestCase("-1")]
    public void Bad_cpu_lists_do_not_parse(string text) => CpuList.Parse(text).Should().BeNull();

    [Test]
    public void Cpu_lists_format_back_into_ranges() => CpuList.Format([0, 1, 2, 5, 7, 8]).Should().Be("0-2,5,7-8");

    [TestCase("512", 512L)]
    [TestCase("64m", 64L << 20)]
    [TestCase("1.5G", 3L << 29)]
    [TestCase("2GiB", 2L << 30)]
    [TestCase("10 kb", 10240L)]
    [TestCase("-5", null)]
    [TestCase("abc", null)]
    public void Memory_sizes_parse_as_runcs_flags_read_them(string text, long? bytes) => MemorySize.Parse(text).Should().Be(bytes);

    [TestCase("5s", 5000)]
    [TestCase("250ms", 250)]
    [TestCase("1m30s", 90000)]
    [TestCase("1.5h", 5400000)]
    [TestCase("0", 0)]
    [TestCase("5", null)]
    [TestCase("s", null)]
    public void Durations_parse_as_go_writes_them(string text, int? milliseconds) =>
        GoDuration.Parse(text).Should().Be(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

    private static IEnumerable<TestCaseData> BadResources()
    {
        yield return Case(new() { Memory = new() { Limit = -5 } }, "linux.resources.memory.limit: -5 is not a number of bytes (use -1 for no limit)");
        yield return Case(new() { Memory = new() { Reservation = -2 } }, "linux.resources.memory.reservation: -2 *");
        yield return Case(new() { Memory = new() { Swappiness = 200 } }, "linux.resources.memory.swappiness: invalid memory swappiness value: 200 (valid range is 0-100)");
        yield return Case(new() { Memory = new() { Limit = 200, Swap = 100 } }, "linux.resources.memory.swap: memory+swap limit 100 is below the memory limit 200");
        yield return Case(new() { Memory = new() { Swap = 100 } }, "linux.resources.memory.swap: needs memory.limit*");
        yield return Case(new() { Cpu = new() { Shares = 1 } }, "linux.resources.cpu.shares: 1 is outside the range the kernel allows (2 to 262144)");
        yield return Case(new() { Cpu = new() { Quota = -5 } }, "linux.resources.cpu.quota: -5 is not a CPU time*");
        yield return Case(new() { Cpu = new() { Quota = 500 } }, "linux.resources.cpu.quota: 500 is not a CPU time*");
        yield return Case(new() { Cpu = new() { Period = 10 } }, "linux.resources.cpu.period: 10 is outside the range*");
        yield return Case(new() { Cpu = new() { Quota = 10000, Burst = 20000 } }, "linux.resources.cpu.burst: 20000 is larger than cpu.quota 10000");
        yield return Case(new() { Cpu = new() { RealtimeRuntime = 2000, RealtimePeriod = 1000 } }, "linux.resources.cpu.realtimeRuntime: 2000 is longer than cpu.realtimePeriod 1000");
        yield return Case(new() { Cpu = new() { Idle = 2 } }, "linux.resources.cpu.idle: 2 must be 0 or 1");
        yield return Case(new() { Cpu = new() { Cpus = "0-7" } }, "linux.resources.cpu.cpus: \"0-7\" names CPUs this host does not have (4-7; online: 0-3)");
        yield return Case(new() { Cpu = new() { Cpus = "zero" } }, "linux.resources.cpu.cpus: \"zero\" is not a list like \"0-3,7\"");
        yield return Case(new() { Cpu = new() { Mems = "1" } }, "linux.resources.cpu.mems: \"1\" names memory nodes this host does not have (1; online: 0)");
        yield return Case(new() { Pids = new() { Limit = -2 } }, "linux.resources.pids.limit: -2 is not a number of tasks (use -1 for no limit)");
        yield return Case(new() { BlockIo = new() { Weight = 5 } }, "linux.resources.blockIO.weight: 5 is outside the range of block I/O weights (10 to 1000)");
        yield return Case(new() { BlockIo = new() { WeightDevice = [new() { Major = 8, Minor = 0 }] } }, "linux.resources.blockIO.weightDevice[0]: needs weight or leafWeight");
        yield return Case(new() { BlockIo = new() { ThrottleReadBpsDevice = [new() { Major = -8, Minor = 0, Rate = 1 }] } }, "linux.resources.blockIO.throttleReadBpsDevice[0].major: -8 is not a device number");
        yield return Case(new() { HugepageLimits = [new() { PageSize = "3MB", Limit = 1 }] }, "linux.resources.hugepageLimits[0].pageSize: this host has no \"3MB\" huge pages (it has: 2MB, 1GB)");
        yield return Case(new() { Devices = [new() { Allow = true, Major = -7 }] }, "linux.resources.devices[0].major: -7 is not a device number");
        yield return Case(new() { Rdma = new() { ["mlx5_1"] = new() } }, "linux.resources.rdma.mlx5_1: needs hcaHandles or hcaObjects");
        yield return Case(new() { Network = new() { Priorities = [new() { Name = "", Priority = 1 }] } }, "linux.resources.network.priorities[0].name: must name a network interface");
    }

    private static TestCaseData Case(LinuxResources resources, string message) => new TestCaseData(resources, message).SetName(message.Replace("\"", "'"));

    [TestCaseSource(nameof(BadResources))]
    public void Bad_values_are_refused_naming_the_field(LinuxResources resources, string message)
    {
        var act = () => ResourceValidation.Check(resources, Host);
        act.Should().Throw<RuntimeException>().WithMessage(message);
    }

    [Test]
    public void Good_values_and_the_unlimited_forms_pass()
    {
        var act = () => ResourceValidation.Check(new LinuxResources
        {
            Memory = new() { Limit = -1, Swap = -1, Reservation = 0, Swappiness = 100 },
            Cpu = new() { Shares = 2, Quota = -1, Period = 100000, Cpus = "0-3", Mems = "0", Idle = 1 },
            Pids = new() { Limit = -1 },
            BlockIo = new() { Weight = 10, LeafWeight = 1000 },
            HugepageLimits = [new() { PageSize = "1GB", Limit = 0 }],
            Devices = [new() { Allow = false, Major = -1 }],
        }, Host);
        act.Should().NotThrow();
    }
}
