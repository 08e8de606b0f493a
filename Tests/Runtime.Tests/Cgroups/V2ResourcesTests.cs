using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Cgroups.Bpf;
using Runcs.Runtime.Cgroups.Devices;
using Runcs.Runtime.Cgroups.V2;
using Runcs.Spec;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>Every file linux.resources writes on a cgroup v2 host, with runc's conversions, over a fake cgroupfs.</summary>
public class V2ResourcesTests
{
    private FakeCgroupTree tree = null!;
    private string dir = null!;
    private readonly List<string> warnings = [];
    private readonly List<(string Dir, IReadOnlyList<BpfInstruction> Program)> programs = [];

    [SetUp]
    public void MakeTree()
    {
        tree = new FakeCgroupTree();
        warnings.Clear();
        programs.Clear();
        tree.Cgroup("", "cgroup.controllers=cpuset cpu io memory hugetlb pids rdma", "cgroup.subtree_control=");
        tree.Cgroup("pod", "cgroup.controllers=cpuset cpu io memory hugetlb pids rdma", "cgroup.subtree_control=cpu");
        dir = tree.Cgroup("pod/c", "cgroup.controllers=cpuset cpu io memory hugetlb pids rdma", "cgroup.subtree_control=", "cgroup.freeze=0", "cgroup.events=populated 1\nfrozen 0",
            "cgroup.kill", "memory.max", "memory.swap.max", "memory.low", "memory.high", "memory.current=5000000", "cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle",
            "cpuset.cpus", "cpuset.mems", "io.weight", "io.max", "pids.max", "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max", "rdma.max");
    }

    [TearDown]
    public void RemoveTree() => tree.Dispose();

    private void Apply(LinuxResources resources, bool update = false) =>
        new V2Manager(new Dictionary<string, string> { ["unified"] = dir })
            .Apply(resources, new ApplyOptions { IsUpdate = update, Warn = warnings.Add, AttachDeviceProgram = (d, p) => programs.Add((d, p)) });

    [Test]
    public void Every_field_lands_in_its_v2_file_converted_as_runc_does()
    {
        Apply(new LinuxResources
        {
            Memory = new LinuxMemory { Limit = 100 << 20, Swap = 300 << 20, Reservation = 50 << 20 },
            Cpu = new LinuxCpu { Shares = 1024, Quota = 50000, Period = 200000, Burst = 10000, Cpus = "0-1", Mems = "0", Idle = 0 },
            Pids = new LinuxPids { Limit = 64 },
            BlockIo = new LinuxBlockIo
            {
                Weight = 500,
                WeightDevice = [new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 1000 }],
                ThrottleReadBpsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
                ThrottleWriteBpsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 16, Rate = 2097152 }],
                ThrottleReadIopsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 16, Rate = 70 }],
                ThrottleWriteIopsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 50 }],
            },
            HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }],
            Rdma = new() { ["mlx5_1"] = new LinuxRdma { HcaObjects = 10000 } },
            Unified = new() { ["memory.high"] = "90M" },
        });

        FakeCgroupTree.Value(dir, "memory.swap.max").Should().Be("209715200", "v1's memory+swap less memory");
        FakeCgroupTree.Value(dir, "memory.max").Should().Be("104857600");
        FakeCgroupTree.Value(dir, "memory.low").Should().Be("52428800");
        FakeCgroupTree.Value(dir, "memory.high").Should().Be("90M");
        FakeCgroupTree.Value(dir, "cpu.weight").Should().Be("100", "the default share is the default weight");
        FakeCgroupTree.Value(dir, "cpu.max").Should().Be("50000 200000");
        FakeCgroupTree.Value(dir, "cpu.max.burst").Should().Be("10000");
        FakeCgroupTree.Value(dir, "cpu.idle").Should().Be("0");
        FakeCgroupTree.Value(dir, "cpuset.cpus").Should().Be("0-1");
        FakeCgroupTree.Value(dir, "cpuset.mems").Should().Be("0");
        FakeCgroupTree.Value(dir, "pids.max").Should().Be("64");
        FakeCgroupTree.Lines(dir, "io.weight").Should().Equal("4950", "8:0 10000");
        FakeCgroupTree.Lines(dir, "io.max").Should().BeEquivalentTo("8:0 rbps=1048576", "8:16 wbps=2097152", "8:16 riops=70", "8:0 wiops=50");
        FakeCgroupTree.Value(dir, "hugetlb.2MB.max").Should().Be("4194304");
        FakeCgroupTree.Value(dir, "hugetlb.2MB.rsvd.max").Should().Be("4194304");
        FakeCgroupTree.Value(dir, "rdma.max").Should().Be("mlx5_1 hca_object=10000");
        programs.Should().ContainSingle().Which.Dir.Should().Be(dir);
        warnings.Should().BeEmpty();
    }

    [Test]
    public void With_bfq_weights_keep_the_v1_scale()
    {
        tree.Cgroup("pod/c", "io.bfq.weight");
        Apply(new LinuxResources { BlockIo = new LinuxBlockIo { Weight = 500, WeightDevice = [new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 1000 }] } });
        FakeCgroupTree.Lines(dir, "io.bfq.weight").Should().Equal("500", "8:0 1000");
        FakeCgroupTree.Lines(dir, "io.weight").Should().BeEmpty();
    }

    [Test]
    public void The_device_program_attached_at_create_enforces_the_default_rules()
    {
        Apply(new LinuxResources { Devices = [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }] });
        var program = BpfInstruction.Encode(programs.Single().Program);
        BpfInterpreter.Allows(program, DeviceKind.Char, 1, 3, DeviceAccess.Read | DeviceAccess.Write).Should().BeTrue("/dev/null");
        BpfInterpreter.Allows(program, DeviceKind.Char, 1, 11, DeviceAccess.Read).Should().BeFalse("/dev/kmsg");
    }

    [Test]
    public void A_quota_without_a_period_gets_the_kernels_default_period_and_no_quota_is_max()
    {
        Apply(new LinuxResources { Cpu = new LinuxCpu { Quota = 25000 } });
        Apply(new LinuxResources { Cpu = new LinuxCpu { Quota = -1, Period = 50000 } });
        FakeCgroupTree.Lines(dir, "cpu.max").Should().Equal("25000 100000", "max 50000");
    }

    [Test]
    public void Unlimited_memory_is_max_for_memory_and_swap()
    {
        Apply(new LinuxResources { Memory = new LinuxMemory { Limit = -1 } });
        FakeCgroupTree.Value(dir, "memory.swap.max").Should().Be("max");
        FakeCgroupTree.Value(dir, "memory.max").Should().Be("max");
    }

    [Test]
    public void Knobs_v2_does_not_have_are_warnings_or_errors()
    {
        Apply(new LinuxResources
        {
            Memory = new LinuxMemory { Kernel = 1 << 20, KernelTcp = 1 << 20, Swappiness = 10, DisableOomKiller = true, UseHierarchy = false },
            BlockIo = new LinuxBlockIo { LeafWeight = 100 },
            Network = new LinuxNetwork { ClassId = 1 },
        });
        warnings.Should().HaveCount(7).And.AllSatisfy(w => w.Should().StartWith("linux.resources.").And.Contain(" is ignored: "));
        var realtime = () => Apply(new LinuxResources { Cpu = new LinuxCpu { RealtimeRuntime = 1000 } });
        realtime.Should().Throw<RuntimeException>().WithMessage("linux.resources.cpu.realtimeRuntime: cgroup v2 has no realtime CPU bandwidth control");
    }

    [Test]
    public void A_controller_missing_from_the_cgroup_is_an_error_naming_the_field_and_what_there_is()
    {
        File.WriteAllText(Path.Combine(dir, "cgroup.controllers"), "hugetlb\n");
        var act = () => Apply(new LinuxResources { Pids = new LinuxPids { Limit = 10 } });
        act.Should().Throw<RuntimeException>().WithMessage("linux.resources.pids.limit: the pids controller is not available in */pod/c (available: hugetlb)");
        var unknown = () => Apply(new LinuxResources { Unified = new() { ["hugetlb.3MB.max"] = "1" } });
        unknown.Should().Throw<RuntimeException>().WithMessage("linux.resources.unified.hugetlb.3MB.max: no such cgroup file: */pod/c/hugetlb.3MB.max");
    }

    [Test]
    public void Check_before_update_refuses_a_limit_below_usage()
    {
        var act = () => Apply(new LinuxResources { Memory = new LinuxMemory { Limit = 1000000, CheckBeforeUpdate = true } }, update: true);
        act.Should().Throw<RuntimeException>().WithMessage("linux.resources.memory.limit: rejecting memory limit 1000000 below current usage 5000000*");
        programs.Should().BeEmpty("an update does not touch device rules");
    }

    [Test]
    public void Create_enables_every_available_controller_in_each_ancestor()
    {
        V2Controllers.EnableAbove(dir);
        FakeCgroupTree.Lines(tree.Root, "cgroup.subtree_control").Should().Equal("+cpuset +cpu +io +memory +hugetlb +pids +rdma");
        FakeCgroupTree.Lines(Path.Combine(tree.Root, "pod"), "cgroup.subtree_control").Should().Equal("cpu", "+cpuset +io +memory +hugetlb +pids +rdma");
        FakeCgroupTree.Lines(dir, "cgroup.subtree_control").Should().BeEmpty("the container's own cgroup holds its processes");
    }

    [Test]
    public void Freeze_waits_for_frozen_and_kill_uses_cgroup_kill()
    {
        File.WriteAllText(Path.Combine(dir, "cgroup.events"), "populated 1\nfrozen 1\n");
        var manager = new V2Manager(new Dictionary<string, string> { ["unified"] = dir });
        manager.Freeze();
        manager.Thaw();
        FakeCgroupTree.Lines(dir, "cgroup.freeze").Should().Equal("0", "1", "0");
        manager.TryKillAll().Should().BeTrue();
        FakeCgroupTree.Value(dir, "cgroup.kill").Should().Be("1");
    }
}
