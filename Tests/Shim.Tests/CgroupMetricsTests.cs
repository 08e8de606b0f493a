using Runcs.Shim.Stats;

namespace Runcs.Shim.Tests;

/// <summary>cgroup files (a fake tree in a temp dir) to containerd's metrics messages, v1 and v2.</summary>
public class CgroupMetricsTests
{
    private string root = "";

    [SetUp]
    public void MakeTree() => root = Directory.CreateTempSubdirectory("runcs-cgroups-").FullName;

    [TearDown]
    public void RemoveTree() => Directory.Delete(root, true);

    private string Dir(string name, params (string File, string Text)[] files)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        foreach (var (file, text) in files)
            File.WriteAllText(Path.Combine(dir, file), text);
        return dir;
    }

    [Test]
    public void V1_reads_each_controllers_hierarchy()
    {
        var paths = new Dictionary<string, string>
        {
            ["pids"] = Dir("pids", ("pids.current", "3\n"), ("pids.max", "max\n")),
            ["cpu,cpuacct"] = Dir("cpu", ("cpuacct.usage", "123456789\n"), ("cpuacct.usage_percpu", "100 200 \n"),
                ("cpuacct.stat", "user 5\nsystem 7\n"), ("cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 99\n")),
            ["memory"] = Dir("memory", ("memory.usage_in_bytes", "4096\n"), ("memory.limit_in_bytes", "16777216\n"),
                ("memory.max_usage_in_bytes", "8192\n"), ("memory.failcnt", "1\n"), ("memory.stat", "cache 10\nrss 20\ntotal_rss 30\n"),
                ("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")),
        };
        var m = CgroupMetrics.ReadV1(paths);
        (m.Pids.Current, m.Pids.Limit).Should().Be((3ul, 0ul), "\"max\" is no limit, as containerd reports it");
        m.Cpu.Usage.Total.Should().Be(123456789);
        m.Cpu.Usage.PerCpu.Should().Equal(100ul, 200ul);
        (m.Cpu.Usage.User, m.Cpu.Usage.Kernel).Should().Be((50_000_000ul, 70_000_000ul), "cpuacct.stat counts 10 ms ticks");
        (m.Cpu.Throttling.Periods, m.Cpu.Throttling.ThrottledPeriods, m.Cpu.Throttling.ThrottledTime).Should().Be((10ul, 2ul, 99ul));
        (m.Memory.Usage.Usage, m.Memory.Usage.Limit, m.Memory.Usage.Max, m.Memory.Usage.Failcnt).Should().Be((4096ul, 16777216ul, 8192ul, 1ul));
        (m.Memory.Cache, m.Memory.Rss, m.Memory.TotalRss).Should().Be((10ul, 20ul, 30ul));
        m.MemoryOomControl.OomKill.Should().Be(2);
    }

    [Test]
    public void V2_reads_the_unified_directory()
    {
        var dir = Dir("unified", ("pids.current", "2\n"), ("pids.max", "100\n"),
            ("cpu.stat", "usage_usec 1000\nuser_usec 600\nsystem_usec 400\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n"),
            ("memory.current", "65536\n"), ("memory.max", "max\n"), ("memory.stat", "anon 4096\nfile 8192\npgfault 12\n"),
            ("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n"));
        var m = CgroupMetrics.ReadV2(dir);
        (m.Pids.Current, m.Pids.Limit).Should().Be((2ul, 100ul));
        (m.Cpu.UsageUsec, m.Cpu.UserUsec, m.Cpu.SystemUsec).Should().Be((1000ul, 600ul, 400ul));
        (m.Memory.Usage, m.Memory.UsageLimit, m.Memory.Anon, m.Memory.File, m.Memory.Pgfault).Should().Be((65536ul, 0ul, 4096ul, 8192ul, 12ul));
        (m.MemoryEvents.Max, m.MemoryEvents.Oom, m.MemoryEvents.OomKill).Should().Be((3ul, 1ul, 1ul));
    }

    [Test]
    public void The_any_names_the_metrics_type_containerd_decodes()
    {
        var v2 = CgroupMetrics.Read("V2", new Dictionary<string, string> { ["unified"] = Dir("u", ("pids.current", "1")) });
        v2.TypeUrl.Should().Be("io.containerd.cgroups.v2.Metrics");
        var v1 = CgroupMetrics.Read("Hybrid", new Dictionary<string, string> { ["pids"] = Dir("p", ("pids.current", "1")) });
        v1.TypeUrl.Should().Be("io.containerd.cgroups.v1.Metrics", "hybrid hosts report v1 metrics, as containerd reads them");
    }
}
