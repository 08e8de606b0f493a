using System.Diagnostics;
using System.Text.Json.Nodes;
using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>
/// linux.resources on this host's cgroups (v1 controllers, hybrid layout): each
/// limit is in the cgroup file and, where it can be seen from inside, holds.
/// </summary>
public class CgroupTests : CgroupBehaviourTests
{
    protected override string ProcsFile(string id) => Path.Combine(CgroupFiles.Dir(id, "pids"), "cgroup.procs");

    protected override void ShouldBeFrozen(string id) => CgroupFiles.Read(CgroupFiles.Dir(id, "freezer"), "freezer.state").Should().Be("FROZEN");

    private static readonly string[] Forever = ["sleep", "1000"];

    private static Action<Config> Limits(LinuxResources resources, params string[] args) => c =>
    {
        c.Linux!.Resources = resources;
        c.Process!.Args = [.. args];
    };

    [Test]
    public void A_memory_hog_is_oom_killed_and_events_reports_it()
    {
        var id = NewId();
        var bundle = Bundle(id, Limits(new LinuxResources { Memory = new LinuxMemory { Limit = 32 << 20, Swap = 32 << 20 } },
            "sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.05; done; x=0123456789abcdef; while :; do x=$x$x; done"));
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        var memory = CgroupFiles.Dir(id, "memory");
        CgroupFiles.Read(memory, "memory.limit_in_bytes").Should().Be("33554432");
        CgroupFiles.Read(memory, "memory.memsw.limit_in_bytes").Should().Be("33554432");

        using var events = new BackgroundRuncs(RuncsCommand("events", "--interval", "100ms", id));
        WaitUntil(() => events.Output.Contains("\"type\":\"stats\""), "the first statistics");
        File.WriteAllText(Path.Combine(bundle.Rootfs, "tmp", "go"), "");
        WaitForStatus(id, "stopped");
        WaitUntil(() => events.Output.Contains($$"""{"type":"oom","id":"{{id}}"}"""), "the OOM event");
        CgroupFiles.Read(memory, "memory.oom_control").Should().Contain("oom_kill 1");

        RuncsOk("delete", id);
        events.WaitForExit().Should().Be(0, "events ends once the container's cgroup is gone");
    }

    [Test]
    public void A_fork_bomb_stops_at_pids_max()
    {
        // A bounded bomb, so that a broken limit cannot take the host down: 20 forks against a limit of 5.
        var result = RunContainer(Limits(new LinuxResources { Pids = new LinuxPids { Limit = 5 } },
            "sh", "-c", "i=0; while [ $i -lt 20 ]; do sleep 10 & i=$((i+1)); done; echo all-forked"));
        result.Stderr.Should().Contain("can't fork: Resource temporarily unavailable");
        result.Stdout.Should().NotContain("all-forked");
        result.ExitCode.Should().Be(2, "busybox sh gives up when it cannot fork");
    }

    [Test]
    public void Pids_max_and_the_refused_forks_are_in_the_cgroup_files()
    {
        // A subshell forks until refused and gives up; the shell then becomes the container's last sleep without forking.
        var id = RunDetached(Limits(new LinuxResources { Pids = new LinuxPids { Limit = 5 } },
            "sh", "-c", "(for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done); exec sleep 1000"));
        var pids = CgroupFiles.Dir(id, "pids");
        CgroupFiles.Read(pids, "pids.max").Should().Be("5");
        WaitUntil(() => CgroupFiles.Read(pids, "pids.events").Contains("max ") && !CgroupFiles.Read(pids, "pids.events").Contains("max 0"), "a refused fork");
        int.Parse(CgroupFiles.Read(pids, "pids.current")).Should().BeInRange(1, 5);
        State(id).Status.Should().Be("running");
    }

    [Test]
    public void Cpuset_pins_the_process_to_the_cpus_asked_for()
    {
        var result = RunContainer(Limits(new LinuxResources { Cpu = new LinuxCpu { Cpus = "1", Mems = "0" } }, "grep", "_allowed_list", "/proc/self/status"));
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().MatchRegex(@"Cpus_allowed_list:\s+1\n").And.MatchRegex(@"Mems_allowed_list:\s+0\n");
    }

    [Test]
    public void A_cpu_quota_throttles_a_busy_loop()
    {
        var id = RunDetached(Limits(new LinuxResources { Cpu = new LinuxCpu { Shares = 512, Quota = 10000, Period = 100000 } }, "sh", "-c", "while :; do :; done"));
        var cpu = CgroupFiles.Dir(id, "cpu");
        CgroupFiles.Read(cpu, "cpu.shares").Should().Be("512");
        CgroupFiles.Read(cpu, "cpu.cfs_quota_us").Should().Be("10000");
        CgroupFiles.Read(cpu, "cpu.cfs_period_us").Should().Be("100000");

        var cpuacct = CgroupFiles.Dir(id, "cpuacct");
        var before = ulong.Parse(CgroupFiles.Read(cpuacct, "cpuacct.usage"));
        var clock = Stopwatch.StartNew();
        Thread.Sleep(1000);
        var used = ulong.Parse(CgroupFiles.Read(cpuacct, "cpuacct.usage")) - before;
        var elapsed = (ulong)clock.Elapsed.TotalNanoseconds;
        used.Should().BeLessThan(elapsed / 4, "10% of one CPU was allowed");
        CgroupFiles.Read(cpu, "cpu.stat").Should().MatchRegex(@"nr_throttled [1-9]");
    }

    [Test]
    public void Memory_knobs_are_in_the_cgroup_files()
    {
        var id = RunDetached(Limits(new LinuxResources
        {
            Memory = new LinuxMemory { Limit = 64 << 20, Reservation = 32 << 20, Swap = 96 << 20, KernelTcp = 16 << 20, Swappiness = 20, DisableOomKiller = true },
        }, Forever));
        var memory = CgroupFiles.Dir(id, "memory");
        CgroupFiles.Read(memory, "memory.limit_in_bytes").Should().Be((64 << 20).ToString());
        CgroupFiles.Read(memory, "memory.soft_limit_in_bytes").Should().Be((32 << 20).ToString());
        CgroupFiles.Read(memory, "memory.memsw.limit_in_bytes").Should().Be((96 << 20).ToString());
        CgroupFiles.Read(memory, "memory.kmem.tcp.limit_in_bytes").Should().Be((16 << 20).ToString());
        CgroupFiles.Read(memory, "memory.swappiness").Should().Be("20");
        CgroupFiles.Read(memory, "memory.oom_control").Should().Contain("oom_kill_disable 1");
    }

    [Test]
    public void Block_io_weight_and_throttles_are_in_the_cgroup_files()
    {
        var (major, minor) = CgroupFiles.RootDisk();
        var id = RunDetached(Limits(new LinuxResources
        {
            BlockIo = new LinuxBlockIo
            {
                Weight = 300,
                ThrottleReadBpsDevice = [new LinuxThrottleDevice { Major = major, Minor = minor, Rate = 1 << 20 }],
                ThrottleWriteIopsDevice = [new LinuxThrottleDevice { Major = major, Minor = minor, Rate = 100 }],
            },
        }, Forever));
        var blkio = CgroupFiles.Dir(id, "blkio");
        CgroupFiles.Read(blkio, "blkio.bfq.weight").Should().Be("300");
        CgroupFiles.Read(blkio, "blkio.throttle.read_bps_device").Should().Be($"{major}:{minor} {1 << 20}");
        CgroupFiles.Read(blkio, "blkio.throttle.write_iops_device").Should().Be($"{major}:{minor} 100");
    }

    [Test]
    public void Hugepage_limits_use_the_v2_hierarchy_when_no_v1_hierarchy_has_hugetlb()
    {
        Assume.That(CgroupLeaks.DirectoriesOf("probe").Any(d => d.Contains("hugetlb")), Is.False, "this host mounts hugetlb on v1");
        Assume.That(CgroupFiles.Read(CgroupFiles.V2Root, "cgroup.controllers").Split(' '), Does.Contain("hugetlb"));
        var id = RunDetached(Limits(new LinuxResources { HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }] }, Forever));
        CgroupFiles.Read(CgroupFiles.Dir(id, "unified"), "hugetlb.2MB.max").Should().Be((4 << 20).ToString());
        var stats = JsonNode.Parse(RuncsOk("events", "--stats", id).Stdout)!;
        stats["data"]!["hugetlb"]!["2MB"]!["failcnt"]!.GetValue<ulong>().Should().Be(0);
    }

    [Test]
    public void Update_changes_the_limits_of_a_running_container()
    {
        var id = RunDetached(Limits(new LinuxResources { Memory = new LinuxMemory { Limit = 64 << 20 }, Pids = new LinuxPids { Limit = 20 } }, Forever));
        RuncsOk("update", "--memory", "128m", "--memory-swap", "-1", "--cpu-share", "256", "--cpu-quota", "20000", "--cpu-period", "50000",
            "--pids-limit", "50", "--cpuset-cpus", "0", "--memory-reservation", "16M", id);
        CgroupFiles.Read(CgroupFiles.Dir(id, "memory"), "memory.limit_in_bytes").Should().Be((128 << 20).ToString());
        CgroupFiles.Read(CgroupFiles.Dir(id, "memory"), "memory.soft_limit_in_bytes").Should().Be((16 << 20).ToString());
        CgroupFiles.Read(CgroupFiles.Dir(id, "cpu"), "cpu.shares").Should().Be("256");
        CgroupFiles.Read(CgroupFiles.Dir(id, "cpu"), "cpu.cfs_quota_us").Should().Be("20000");
        CgroupFiles.Read(CgroupFiles.Dir(id, "cpu"), "cpu.cfs_period_us").Should().Be("50000");
        CgroupFiles.Read(CgroupFiles.Dir(id, "pids"), "pids.max").Should().Be("50");
        CgroupFiles.Read(CgroupFiles.Dir(id, "cpuset"), "cpuset.cpus").Should().Be("0");

        // What containerd sends: a LinuxResources document on stdin.
        var fromStdin = RuncsWith("""{"memory":{"limit":100663296},"pids":{"limit":-1}}""", "update", "-r", "-", id);
        fromStdin.ExitCode.Should().Be(0, fromStdin.ToString());
        CgroupFiles.Read(CgroupFiles.Dir(id, "memory"), "memory.limit_in_bytes").Should().Be((96 << 20).ToString());
        CgroupFiles.Read(CgroupFiles.Dir(id, "pids"), "pids.max").Should().Be("max");
        File.ReadAllText(Path.Combine(StateRoot, id, "config.json")).Should().Contain("\"limit\":100663296", "the container's copy of its config keeps the limits in force");
    }

    [Test]
    public void Update_sets_cpu_burst_real_time_scheduling_and_cpuset_mems()
    {
        var id = RunDetached(Limits(new LinuxResources { Cpu = new LinuxCpu { Quota = 20000, Period = 100000 } }, Forever));
        var cpu = CgroupFiles.Dir(id, "cpu");
        // Real-time group scheduling is a kernel option (CONFIG_RT_GROUP_SCHED); this machine's kernel has it.
        // The test cgroups' parent grants no real-time time, so the container can only be given none.
        File.Exists(Path.Combine(cpu, "cpu.rt_runtime_us")).Should().BeTrue("the test machine's kernel schedules real-time groups");
        RuncsOk("update", "--cpu-burst", "5000", "--cpu-rt-period", "900000", "--cpu-rt-runtime", "0", "--cpuset-mems", "0", id);
        CgroupFiles.Read(cpu, "cpu.cfs_burst_us").Should().Be("5000");
        CgroupFiles.Read(cpu, "cpu.rt_period_us").Should().Be("900000");
        CgroupFiles.Read(cpu, "cpu.rt_runtime_us").Should().Be("0");

        var tooMuch = Runcs("update", "--cpu-rt-runtime", "1000", id);
        tooMuch.ExitCode.Should().Be(1);
        tooMuch.Stderr.Should().Contain("linux.resources.cpu.realtimeRuntime: write \\\"1000\\\" to ").And.Contain("invalid argument");
        CgroupFiles.Read(CgroupFiles.Dir(id, "cpuset"), "cpuset.mems").Should().Be("0");
    }

    [Test]
    public void A_bad_update_names_the_field_and_changes_nothing()
    {
        var id = RunDetached(Limits(new LinuxResources { Cpu = new LinuxCpu { Cpus = "0" } }, Forever));
        var result = Runcs("update", "--cpuset-cpus", "0-99", id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("linux.resources.cpu.cpus: \\\"0-99\\\" names CPUs this host does not have");
        CgroupFiles.Read(CgroupFiles.Dir(id, "cpuset"), "cpuset.cpus").Should().Be("0");

        var tooLow = Runcs("update", "--memory", "4096", id);
        tooLow.ExitCode.Should().Be(1);
        tooLow.Stderr.Should().Contain("linux.resources.memory.limit: unable to set memory limit to 4096 (current usage: ");

        var stopped = NewId();
        RuncsOk("run", "-d", "--bundle", Bundle(stopped).Dir, stopped);
        WaitForStatus(stopped, "stopped");
        Runcs("update", "--memory", "1G", stopped).Stderr.Should().Contain("container not running");
    }

    [Test]
    public void Kill_all_reaches_every_process_of_the_container()
    {
        // sh as pid 1 ignores SIGTERM; its children do not, and once they are gone sh's wait returns.
        var id = RunDetached(c => c.Process!.Args = ["sh", "-c", "sleep 1000 & sleep 1000 & sleep 1000 & wait"]);
        var procs = Path.Combine(CgroupFiles.Dir(id, "pids"), "cgroup.procs");
        WaitUntil(() => File.ReadAllLines(procs).Length == 4, "four processes");
        RuncsOk("kill", "--all", id, "TERM");
        WaitForStatus(id, "stopped");
        File.ReadAllLines(procs).Should().BeEmpty();
    }

    [Test]
    public void Delete_removes_cgroups_made_below_the_containers_own()
    {
        var id = RunDetached(c => c.Process!.Args = ["sh", "-c", "sleep 1000 & sleep 1000"]);
        // As a container with a writable cgroup mount would: a child cgroup in every hierarchy, holding one of its processes.
        // The shell forks its background sleep after run -d has returned.
        var procs = Path.Combine(CgroupFiles.Dir(id, "pids"), "cgroup.procs");
        WaitUntil(() => File.ReadAllLines(procs).Length >= 2, "the background sleep");
        var child = File.ReadAllLines(procs).First(p => p != State(id).Pid.ToString());
        foreach (var dir in CgroupLeaks.DirectoriesOf(id))
        {
            Directory.CreateDirectory(Path.Combine(dir, "nested", "deeper"));
            if (File.Exists(Path.Combine(dir, "cpuset.cpus")))
                foreach (var level in new[] { "nested", "nested/deeper" })
                    foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
                        File.WriteAllText(Path.Combine(dir, level, file), File.ReadAllText(Path.Combine(dir, file)).Trim());
            File.WriteAllText(Path.Combine(dir, "nested", "deeper", "cgroup.procs"), child);
        }
        RuncsOk("delete", "--force", id);
        CgroupLeaks.Leftovers(id).Should().BeEmpty();
    }

    [Test]
    public void Events_stats_prints_runcs_json_shape_with_the_containers_numbers()
    {
        var id = RunDetached(Limits(new LinuxResources { Memory = new LinuxMemory { Limit = 64 << 20 }, Pids = new LinuxPids { Limit = 30 } }, Forever));
        var ours = JsonNode.Parse(RuncsOk("events", "--stats", id).Stdout)!;
        ours["type"]!.GetValue<string>().Should().Be("stats");
        ours["id"]!.GetValue<string>().Should().Be(id);
        ours["data"]!["memory"]!["usage"]!["limit"]!.GetValue<ulong>().Should().Be(64 << 20);
        ours["data"]!["pids"]!["limit"]!.GetValue<ulong>().Should().Be(30);
        ours["data"]!["pids"]!["current"]!.GetValue<ulong>().Should().Be(1);

        var runcRoot = Path.Combine(TestDir, "runc-state");
        var runcId = id + "-runc";
        var bundle = Path.Combine(TestDir, "bundle-" + id);
        try
        {
            Runc(runcRoot, "run", "-d", "--bundle", bundle, runcId).ExitCode.Should().Be(0);
            var theirs = JsonNode.Parse(Runc(runcRoot, "events", "--stats", runcId).Stdout)!;
            Keys(ours).Should().Equal(Keys(theirs));
            Keys(ours["data"]!).Should().Equal(Keys(theirs["data"]!));
            Keys(ours["data"]!["cpuset"]!).Should().Equal(Keys(theirs["data"]!["cpuset"]!));
            Keys(ours["data"]!["memory"]!["usage"]!).Should().Equal(Keys(theirs["data"]!["memory"]!["usage"]!));
            Keys(ours["data"]!["cpu"]!).Should().Equal(Keys(theirs["data"]!["cpu"]!));
        }
        finally
        {
            Runc(runcRoot, "delete", "--force", runcId);
        }
    }

    [Test]
    public void Events_refuses_a_stopped_container_in_runcs_words()
    {
        var id = RunDetached(c => c.Process!.Args = ["true"]);
        WaitForStatus(id, "stopped");
        var result = Runcs("events", "--stats", id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain($"container with id {id} is not running");
    }

    [TestCase("""{"memory":{"limit":-5}}""", "linux.resources.memory.limit: -5 is not a number of bytes")]
    [TestCase("""{"cpu":{"cpus":"0-99"}}""", "linux.resources.cpu.cpus: \\\"0-99\\\" names CPUs this host does not have")]
    [TestCase("""{"memory":{"swappiness":200}}""", "linux.resources.memory.swappiness: invalid memory swappiness value: 200")]
    [TestCase("""{"unified":{"memory.high":"1G"}}""", "linux.resources.unified.memory.high: the memory controller is not available in")]
    [TestCase("""{"hugepageLimits":[{"pageSize":"3MB","limit":1}]}""", "linux.resources.hugepageLimits[0].pageSize: this host has no \\\"3MB\\\" huge pages")]
    [TestCase("""{"pids":{"limit":-7}}""", "linux.resources.pids.limit: -7 is not a number of tasks")]
    [TestCase("""{"blockIO":{"weight":5000}}""", "linux.resources.blockIO.weight: 5000 is outside the range")]
    [TestCase("""{"memory":{"limit":4096}}""", "unable to start container process: container init exited before it was ready: it was OOM-killed (is linux.resources.memory.limit too low?)")]
    public void Bad_limits_fail_create_naming_the_field_and_leave_nothing(string resources, string message)
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Linux!.Resources = System.Text.Json.JsonSerializer.Deserialize(resources, SpecJsonContext.Default.LinuxResources));
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("runcs create failed: " + message);
        Directory.Exists(Path.Combine(StateRoot, id)).Should().BeFalse();
        CgroupLeaks.Leftovers(id).Should().BeEmpty();
    }

    private static CommandResult Runc(string root, params string[] args) => ProcessRunner.Run("runc", ["--root", root, .. args]);

    private static IEnumerable<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key);
}
