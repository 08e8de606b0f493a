using System.Text.Json;
using Runcs.Runtime.Cgroups.Stats;
using Runcs.Runtime.Cgroups.V1;
using Runcs.Runtime.Cgroups.V2;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>`runcs events` reads the kernel's counters and prints them in runc's JSON, member for member.</summary>
public class StatsTests
{
    private static string Json(CgroupEvent e) => JsonSerializer.Serialize(e, EventsJsonContext.Compact.CgroupEvent);

    [Test]
    public void An_oom_event_is_type_and_id_only() =>
        Json(new CgroupEvent { Type = "oom", Id = "c1" }).Should().Be("""{"type":"oom","id":"c1"}""");

    [Test]
    public void V1_counters_read_into_runcs_shape()
    {
        using var tree = new FakeCgroupTree();
        var dirs = new Dictionary<string, string>
        {
            ["cpuacct"] = tree.Cgroup("cpuacct", "cpuacct.usage=3000", "cpuacct.usage_percpu=1000 2000", "cpuacct.usage_percpu_sys=100 0",
                "cpuacct.usage_percpu_user=900 2000", "cpuacct.stat=user 2\nsystem 1"),
            ["cpu"] = tree.Cgroup("cpu", "cpu.stat=nr_periods 4\nnr_throttled 1\nthrottled_time 500"),
            ["cpuset"] = tree.Cgroup("cpuset", "cpuset.cpus=0-1", "cpuset.mems=0", "cpuset.sched_load_balance=1", "cpuset.sched_relax_domain_level=-1"),
            ["memory"] = tree.Cgroup("memory", "memory.stat=cache 4096\nrss 8192", "memory.usage_in_bytes=12288", "memory.max_usage_in_bytes=16384",
                "memory.limit_in_bytes=1048576", "memory.failcnt=2", "memory.memsw.limit_in_bytes=2097152", "memory.memsw.usage_in_bytes=12288"),
            ["pids"] = tree.Cgroup("pids", "pids.current=3", "pids.max=max"),
            ["blkio"] = tree.Cgroup("blkio", "blkio.throttle.io_service_bytes_recursive=254:0 Read 4096\n254:0 Write 0\nTotal 4096",
                "blkio.throttle.io_serviced_recursive=254:0 Read 1\nTotal 1"),
        };
        var stats = V1Stats.Read(dirs.GetValueOrDefault, []);
        // Lines of one JSON object: what runc 1.1 prints for the same counters.
        const string expected = """
            {"type":"stats","id":"c1","data":{"cpu":{"usage":{"total":3000,"percpu":[1000,2000],"percpu_kernel":[100,0],"percpu_user":[900,2000],"kernel":10000000,"user":20000000},
            "throttling":{"periods":4,"throttledPeriods":1,"throttledTime":500}},"cpuset":{"cpus":[0,1],"cpu_exclusive":0,"mems":[0],"mem_hardwall":0,"mem_exclusive":0,
            "memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":1,"sched_relax_domain_level":-1},
            "memory":{"cache":4096,"usage":{"limit":1048576,"usage":12288,"max":16384,"failcnt":2},"swap":{"limit":2097152,"usage":12288,"failcnt":0},
            "kernel":{"limit":0,"failcnt":0},"kernelTCP":{"limit":0,"failcnt":0},"raw":{"cache":4096,"rss":8192}},"pids":{"current":3},
            "blkio":{"ioServiceBytesRecursive":[{"major":254,"op":"Read","value":4096},{"major":254,"op":"Write"}],"ioServicedRecursive":[{"major":254,"op":"Read","value":1}]},
            "hugetlb":{},"intel_rdt":{},"network_interfaces":null}}
            """;
        Json(new CgroupEvent { Type = "stats", Id = "c1", Data = stats }).Should().Be(expected.Replace("\n", ""));
    }

    [Test]
    public void V2_counters_are_translated_to_v1s_units_and_meanings()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("c", "cpu.stat=usage_usec 30\nuser_usec 20\nsystem_usec 10\nnr_periods 2\nnr_throttled 1\nthrottled_usec 5",
            "cpuset.cpus.effective=1", "cpuset.mems.effective=0", "memory.current=1000", "memory.max=max", "memory.peak=3000", "memory.events=low 0\nhigh 0\nmax 4\noom 1\noom_kill 1",
            "memory.stat=anon 600\nfile 400", "memory.swap.current=50", "memory.swap.max=max", "pids.current=2", "pids.max=100",
            "io.stat=8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0");
        var stats = V2Stats.Read(dir);
        stats.Cpu.Usage.Total.Should().Be(30000, "microseconds become nanoseconds");
        stats.Cpu.Usage.User.Should().Be(20000);
        stats.Cpu.Usage.Kernel.Should().Be(10000);
        stats.Cpu.Throttling.ThrottledTime.Should().Be(5000);
        stats.Cpuset.Cpus.Should().Equal((ushort)1);
        stats.Memory.Cache.Should().Be(400, "v2 calls page cache \"file\"");
        stats.Memory.Usage.Limit.Should().Be(ulong.MaxValue);
        stats.Memory.Usage.Max.Should().Be(3000);
        stats.Memory.Usage.Failcnt.Should().Be(4, "times the limit was hit");
        stats.Memory.Swap.Usage.Should().Be(1050, "v1 reports memory+swap");
        stats.Pids.Limit.Should().Be(100);
        stats.Blkio.IoServiceBytesRecursive!.Select(e => (e.Op, e.Value)).Should().Equal(("Read", 4096UL), ("Write", 8192UL));
        stats.Blkio.IoServicedRecursive!.Select(e => (e.Op, e.Value)).Should().Equal(("Read", 1UL), ("Write", 2UL));
    }
}
