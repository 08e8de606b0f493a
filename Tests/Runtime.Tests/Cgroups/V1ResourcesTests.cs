using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Cgroups.V1;
using Runcs.Spec;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>Every file linux.resources writes on a v1 host, over a fake cgroupfs with the controllers of a v1 kernel.</summary>
public class V1ResourcesTests
{
    private const string Unlimited = "9223372036854771712";

    private FakeCgroupTree tree = null!;
    private Dictionary<string, string> paths = null!;
    private readonly List<string> warnings = [];

    [SetUp]
    public void MakeTree()
    {
        tree = new FakeCgroupTree();
        warnings.Clear();
        paths = new Dictionary<string, string>
        {
            ["memory"] = tree.Cgroup("memory/c", $"memory.limit_in_bytes={Unlimited}", $"memory.memsw.limit_in_bytes={Unlimited}", "memory.soft_limit_in_bytes",
                $"memory.kmem.limit_in_bytes={Unlimited}", "memory.kmem.tcp.limit_in_bytes", "memory.swappiness", "memory.oom_control", "memory.use_hierarchy",
                "memory.usage_in_bytes=2000000", "memory.max_usage_in_bytes=3000000"),
            ["cpu,cpuacct"] = tree.Cgroup("cpu,cpuacct/c", "cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.cfs_burst_us", "cpu.rt_period_us", "cpu.rt_runtime_us", "cpu.idle"),
            ["cpuset"] = tree.Cgroup("cpuset/c", "cpuset.cpus", "cpuset.mems"),
            ["pids"] = tree.Cgroup("pids/c", "pids.max"),
            ["blkio"] = tree.Cgroup("blkio/c", "blkio.bfq.weight", "blkio.bfq.weight_device", "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
                "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"),
            ["devices"] = tree.Cgroup("devices/c", "devices.allow", "devices.deny", "devices.list=a *:* rwm"),
            ["hugetlb"] = tree.Cgroup("hugetlb/c", "hugetlb.2MB.limit_in_bytes", "hugetlb.2MB.rsvd.limit_in_bytes"),
            ["net_cls,net_prio"] = tree.Cgroup("net_cls,net_prio/c", "net_cls.classid", "net_prio.ifpriomap"),
            ["rdma"] = tree.Cgroup("rdma/c", "rdma.max"),
            ["name=systemd"] = tree.Cgroup("systemd/c"),
            ["unified"] = tree.Cgroup("unified/c", "cgroup.controllers=", "cgroup.max.depth"),
        };
    }

    [TearDown]
    public void RemoveTree() => tree.Dispose();

    private void Apply(LinuxResources resources, bool update = false) =>
        new V1Manager(paths).Apply(resources, new ApplyOptions { IsUpdate = update, Warn = warnings.Add });

    private string Dir(string key) => paths[key];

    [Test]
    public void Every_field_lands_in_its_controllers_file()
    {
        Apply(new LinuxResources
        {
            Memory = new LinuxMemory { Limit = 100 << 20, Swap = 200 << 20, Reservation = 50 << 20, KernelTcp = 10 << 20, Swappiness = 30, DisableOomKiller = true, UseHierarchy = true },
            Cpu = new LinuxCpu { Shares = 512, Quota = 50000, Period = 100000, Burst = 10000, RealtimeRuntime = 1000, RealtimePeriod = 10000, Cpus = "0-1", Mems = "0", Idle = 1 },
            Pids = new LinuxPids { Limit = 64 },
            BlockIo = new LinuxBlockIo
            {
                Weight = 300,
                WeightDevice = [new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 500 }],
                ThrottleReadBpsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
                ThrottleWriteBpsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 2097152 }],
                ThrottleReadIopsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 16, Rate = 100 }],
                ThrottleWriteIopsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 16, Rate = 50 }],
            },
            HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }],
            Network = new LinuxNetwork { ClassId = 0x100001, Priorities = [new LinuxInterfacePriority { Name = "eth0", Priority = 5 }] },
            Rdma = new() { ["mlx5_1"] = new LinuxRdma { HcaHandles = 3, HcaObjects = 10000 } },
            Unified = new() { ["cgroup.max.depth"] = "3" },
        });

        var memory = Dir("memory");
        FakeCgroupTree.Lines(memory, "memory.limit_in_bytes").Should().Equal(Unlimited, "104857600");
        FakeCgroupTree.Lines(memory, "memory.memsw.limit_in_bytes").Should().Equal(Unlimited, "209715200");
        FakeCgroupTree.Value(memory, "memory.soft_limit_in_bytes").Should().Be("52428800");
        FakeCgroupTree.Value(memory, "memory.kmem.tcp.limit_in_bytes").Should().Be("10485760");
        FakeCgroupTree.Value(memory, "memory.swappiness").Should().Be("30");
        FakeCgroupTree.Value(memory, "memory.oom_control").Should().Be("1");
        FakeCgroupTree.Value(memory, "memory.use_hierarchy").Should().Be("1");

        var cpu = Dir("cpu,cpuacct");
        FakeCgroupTree.Value(cpu, "cpu.shares").Should().Be("512");
        FakeCgroupTree.Value(cpu, "cpu.cfs_period_us").Should().Be("100000");
        FakeCgroupTree.Value(cpu, "cpu.cfs_quota_us").Should().Be("50000");
        FakeCgroupTree.Value(cpu, "cpu.cfs_burst_us").Should().Be("10000");
        FakeCgroupTree.Value(cpu, "cpu.rt_period_us").Should().Be("10000");
        FakeCgroupTree.Value(cpu, "cpu.rt_runtime_us").Should().Be("1000");
        FakeCgroupTree.Value(cpu, "cpu.idle").Should().Be("1");
        FakeCgroupTree.Value(Dir("cpuset"), "cpuset.cpus").Should().Be("0-1");
        FakeCgroupTree.Value(Dir("cpuset"), "cpuset.mems").Should().Be("0");
        FakeCgroupTree.Value(Dir("pids"), "pids.max").Should().Be("64");

        var blkio = Dir("blkio");
        FakeCgroupTree.Value(blkio, "blkio.bfq.weight").Should().Be("300");
        FakeCgroupTree.Value(blkio, "blkio.bfq.weight_device").Should().Be("8:0 500");
        FakeCgroupTree.Value(blkio, "blkio.throttle.read_bps_device").Should().Be("8:0 1048576");
        FakeCgroupTree.Value(blkio, "blkio.throttle.write_bps_device").Should().Be("8:0 2097152");
        FakeCgroupTree.Value(blkio, "blkio.throttle.read_iops_device").Should().Be("8:16 100");
        FakeCgroupTree.Value(blkio, "blkio.throttle.write_iops_device").Should().Be("8:16 50");

        FakeCgroupTree.Value(Dir("hugetlb"), "hugetlb.2MB.limit_in_bytes").Should().Be("4194304");
        FakeCgroupTree.Value(Dir("hugetlb"), "hugetlb.2MB.rsvd.limit_in_bytes").Should().Be("4194304");
        FakeCgroupTree.Value(Dir("net_cls,net_prio"), "net_cls.classid").Should().Be("1048577");
        FakeCgroupTree.Value(Dir("net_cls,net_prio"), "net_prio.ifpriomap").Should().Be("eth0 5");
        FakeCgroupTree.Value(Dir("rdma"), "rdma.max").Should().Be("mlx5_1 hca_handle=3 hca_object=10000");
        FakeCgroupTree.Value(Dir("unified"), "cgroup.max.depth").Should().Be("3");
        FakeCgroupTree.Lines(Dir("devices"), "devices.deny").Should().Equal("a");
        warnings.Should().BeEmpty();
    }

    [Test]
    public void Lifting_the_memory_limit_lifts_the_swap_limit_first()
    {
        Apply(new LinuxResources { Memory = new LinuxMemory { Limit = -1 } });
        FakeCgroupTree.Lines(Dir("memory"), "memory.memsw.limit_in_bytes").Should().Equal(Unlimited, "-1");
        FakeCgroupTree.Lines(Dir("memory"), "memory.limit_in_bytes").Should().Equal(Unlimited, "-1");
    }

    [Test]
    public void A_write_the_kernel_refuses_names_the_field_the_file_and_the_reason()
    {
        File.Delete(Path.Combine(Dir("memory"), "memory.limit_in_bytes"));
        var act = () => Apply(new LinuxResources { Memory = new LinuxMemory { Limit = 1000 } });
        act.Should().Throw<RuntimeException>().WithMessage("linux.resources.memory.limit: write \"1000\" to */memory.limit_in_bytes: no such file or directory");
    }

    [Test]
    public void Pids_limit_minus_one_is_max_and_zero_is_zero()
    {
        Apply(new LinuxResources { Pids = new LinuxPids { Limit = -1 } });
        Apply(new LinuxResources { Pids = new LinuxPids { Limit = 0 } });
        FakeCgroupTree.Lines(Dir("pids"), "pids.max").Should().Equal("max", "0");
    }

    [Test]
    public void Kernel_memory_that_the_kernel_ignores_is_a_warning()
    {
        Apply(new LinuxResources { Memory = new LinuxMemory { Kernel = 1 << 20 } });
        warnings.Should().ContainSingle().Which.Should().Be("linux.resources.memory.kernel is ignored: this kernel no longer limits kernel memory");
    }

    [Test]
    public void A_controller_the_host_does_not_mount_is_an_error_naming_the_field()
    {
        paths.Remove("hugetlb");
        var act = () => Apply(new LinuxResources { HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 1 }] });
        act.Should().Throw<RuntimeException>().WithMessage("linux.resources.hugepageLimits: the hugetlb controller is not mounted on this host");
        paths.Remove("net_cls,net_prio");
        var network = () => Apply(new LinuxResources { Network = new LinuxNetwork { ClassId = 1 } });
        network.Should().Throw<RuntimeException>().WithMessage("linux.resources.network.classID: the net_cls controller is not mounted on this host");
    }

    [Test]
    public void A_hybrid_host_takes_hugetlb_from_its_v2_hierarchy_when_no_v1_hierarchy_has_it()
    {
        paths.Remove("hugetlb");
        tree.Cgroup("unified", "cgroup.controllers=hugetlb", "cgroup.subtree_control=");
        var unified = tree.Cgroup("unified/c", "cgroup.controllers=hugetlb", "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max");
        Apply(new LinuxResources { HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }] });
        FakeCgroupTree.Value(Path.Combine(tree.Root, "unified"), "cgroup.subtree_control").Should().Be("+hugetlb");
        FakeCgroupTree.Value(unified, "hugetlb.2MB.max").Should().Be("4194304");
        FakeCgroupTree.Value(unified, "hugetlb.2MB.rsvd.max").Should().Be("4194304");
    }

    [Test]
    public void Unified_keys_need_a_v2_hierarchy_and_must_exist_there()
    {
        var unknown = () => Apply(new LinuxResources { Unified = new() { ["memory.high"] = "1G" } });
        unknown.Should().Throw<RuntimeException>().WithMessage("linux.resources.unified.memory.high: the memory controller is not available in */unified/c (available: none)");
        var bad = () => Apply(new LinuxResources { Unified = new() { ["nodot"] = "1" } });
        bad.Should().Throw<RuntimeException>().WithMessage("linux.resources.unified.nodot: \"nodot\" is not a cgroup v2 file name*");
        paths.Remove("unified");
        var v1Only = () => Apply(new LinuxResources { Unified = new() { ["cgroup.max.depth"] = "3" } });
        v1Only.Should().Throw<RuntimeException>().WithMessage("linux.resources.unified: cgroup v2 files cannot be set on this host*");
    }

    [Test]
    public void An_update_leaves_device_rules_alone()
    {
        Apply(new LinuxResources { Devices = [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }] }, update: true);
        FakeCgroupTree.Lines(Dir("devices"), "devices.deny").Should().BeEmpty();
    }

    [Test]
    public void Cfq_weights_and_leaf_weights_go_to_the_cfq_files()
    {
        tree.Cgroup("blkio/c", "blkio.weight", "blkio.weight_device", "blkio.leaf_weight", "blkio.leaf_weight_device");
        Apply(new LinuxResources
        {
            BlockIo = new LinuxBlockIo { Weight = 400, LeafWeight = 200, WeightDevice = [new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 500, LeafWeight = 100 }] },
        });
        FakeCgroupTree.Value(Dir("blkio"), "blkio.weight").Should().Be("400");
        FakeCgroupTree.Value(Dir("blkio"), "blkio.leaf_weight").Should().Be("200");
        FakeCgroupTree.Value(Dir("blkio"), "blkio.weight_device").Should().Be("8:0 500");
        FakeCgroupTree.Value(Dir("blkio"), "blkio.leaf_weight_device").Should().Be("8:0 100");
        FakeCgroupTree.Lines(Dir("blkio"), "blkio.bfq.weight").Should().BeEmpty();
    }

    [Test]
    public void Weights_need_a_scheduler_that_has_them()
    {
        File.Delete(Path.Combine(Dir("blkio"), "blkio.bfq.weight"));
        var act = () => Apply(new LinuxResources { BlockIo = new LinuxBlockIo { Weight = 500 } });
        act.Should().Throw<RuntimeException>().WithMessage("linux.resources.blockIO.weight: this host's I/O scheduler has no blkio.bfq.weight*");
    }
}
