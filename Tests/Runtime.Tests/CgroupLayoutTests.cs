using Runcs.Runtime.Cgroups;

namespace Runcs.Runtime.Tests;

/// <summary>Reading the host's cgroup layout and placing a container in it, for v1, hybrid and v2 hosts.</summary>
public class CgroupLayoutTests
{
    private const string HybridMountinfo = """
        30 23 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        31 30 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
        32 30 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,memory
        33 30 0:29 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        34 30 0:30 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
        35 30 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
        """;

    private const string HybridProcCgroup = """
        5:name=systemd:/user.slice
        4:cpuset:/
        3:memory:/tests/m
        2:cpu,cpuacct:/tests
        0::/user.slice
        """;

    public static CgroupLayout HybridLayout() => CgroupLayout.FromText(HybridMountinfo, HybridProcCgroup);

    [Test]
    public void A_hybrid_host_has_v1_hierarchies_and_the_unified_one()
    {
        var layout = HybridLayout();
        layout.Mode.Should().Be(CgroupMode.Hybrid);
        layout.Hierarchies.Select(h => h.Key).Should().Equal("cpu,cpuacct", "memory", "cpuset", "name=systemd", "unified");
        layout.Unified!.MountPoint.Should().Be("/sys/fs/cgroup/unified");
    }

    [Test]
    public void A_pure_v2_host_and_a_pure_v1_host_are_told_apart()
    {
        CgroupLayout.FromText("25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/init.scope\n").Mode.Should().Be(CgroupMode.V2);
        CgroupLayout.FromText(HybridMountinfo.Split('\n')[2] + "\n", "3:memory:/\n").Mode.Should().Be(CgroupMode.V1);
    }

    [Test]
    public void A_relative_cgroups_path_and_the_default_sit_below_the_runtimes_own_cgroup()
    {
        var layout = HybridLayout();
        var paths = CgroupPath.Resolve(layout, "pod/c1", "c1", false);
        paths["memory"].Should().Be("/sys/fs/cgroup/memory/tests/m/pod/c1");
        paths["cpu,cpuacct"].Should().Be("/sys/fs/cgroup/cpu,cpuacct/tests/pod/c1");
        paths["unified"].Should().Be("/sys/fs/cgroup/unified/user.slice/pod/c1");
        CgroupPath.Resolve(layout, null, "c2", false)["cpuset"].Should().Be("/sys/fs/cgroup/cpuset/c2");
    }

    [Test]
    public void An_absolute_cgroups_path_starts_at_each_hierarchys_top()
    {
        CgroupPath.Resolve(HybridLayout(), "/machine/c1", "c1", false)["memory"].Should().Be("/sys/fs/cgroup/memory/machine/c1");
    }

    [Test]
    public void A_hierarchy_mounted_from_a_sub_cgroup_maps_paths_below_its_root()
    {
        var layout = CgroupLayout.FromText("25 20 0:22 /kubepods /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/kubepods/pod1\n");
        CgroupPath.Resolve(layout, "c1", "c1", false)["unified"].Should().Be("/sys/fs/cgroup/pod1/c1");
    }

    [Test]
    public void Dot_dot_the_root_and_the_systemd_driver_are_refused()
    {
        var layout = HybridLayout();
        ((Action)(() => CgroupPath.Resolve(layout, "../escape", "c1", false))).Should().Throw<RuntimeException>().WithMessage("linux.cgroupsPath:*\"..\"*");
        ((Action)(() => CgroupPath.Resolve(layout, "/", "c1", false))).Should().Throw<RuntimeException>().WithMessage("linux.cgroupsPath:*root*");
        ((Action)(() => CgroupPath.Resolve(layout, "a:b:c", "c1", true))).Should().Throw<RuntimeException>().WithMessage("*systemd*not supported*");
    }
}
