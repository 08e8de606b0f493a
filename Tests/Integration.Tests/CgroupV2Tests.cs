using System.Text.Json.Nodes;
using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>
/// The cgroup v2 code paths on real cgroupfs: every runcs call runs in a
/// private mount namespace where /sys/fs/cgroup is the cgroup2 hierarchy
/// alone, so runcs sees a pure v2 host. On a hybrid host the v1 hierarchies
/// keep the classic controllers, so this exercises what v2 owns there: the
/// freezer, cgroup.kill, eBPF device filters, hugetlb when it is not bound to
/// v1, unified keys, statistics; limits of controllers v2 lacks must fail
/// naming the field. The cgroup seen here as /sys/fs/cgroup/X is the host's
/// /sys/fs/cgroup/unified/X, which is where the leak check looks. As runc does
/// on a v2 host, creating a container enables the hierarchy's free controllers
/// (hugetlb here) in cgroup.subtree_control from its top down; that stays.
/// </summary>
public class CgroupV2Tests : CgroupBehaviourTests
{
    private const string PureV2 = "umount -R /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec \"$@\"";

    protected override (string File, string[] Args) RuncsCommand(params string[] args) =>
        ("unshare", ["--mount", "--propagation", "private", "sh", "-c", PureV2, "v2", Paths.Runcs, "--root", StateRoot, .. args]);

    private static string V2Dir(string id) => CgroupFiles.Dir(id, "unified");

    protected override string ProcsFile(string id) => Path.Combine(V2Dir(id), "cgroup.procs");

    protected override void ShouldBeFrozen(string id)
    {
        CgroupFiles.Read(V2Dir(id), "cgroup.freeze").Should().Be("1");
        CgroupFiles.Read(V2Dir(id), "cgroup.events").Should().Contain("frozen 1");
    }

    private static void RequireV2Controller(string controller) =>
        Assume.That(V2Controllers().Contains(controller), $"the {controller} controller is bound to a v1 hierarchy on this host");

    private static string[] V2Controllers() => CgroupFiles.Read(CgroupFiles.V2Root, "cgroup.controllers").Split(' ');

    [Test]
    public void A_container_lives_in_the_v2_hierarchy_and_state_says_so()
    {
        var id = RunDetached(c => c.Process!.Args = ["sleep", "1000"]);
        var pid = State(id).Pid;
        File.ReadAllText(Path.Combine(StateRoot, id, "state.json")).Should().Contain("\"cgroupMode\":\"V2\"");
        CgroupFiles.Read(V2Dir(id), "cgroup.procs").Should().Be(pid.ToString());
        File.ReadAllText($"/proc/{pid}/cgroup").Should().Contain($"0::/{CgroupLeaks.TestParent}/{id}\n");
    }

    [Test]
    public void Hugepage_limits_and_unified_keys_land_in_v2_files_and_update_changes_them()
    {
        RequireV2Controller("hugetlb");
        var id = RunDetached(c =>
        {
            c.Linux!.Resources = new LinuxResources
            {
                HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }],
                Unified = new() { ["cgroup.max.descendants"] = "2" },
            };
            c.Process!.Args = ["sleep", "1000"];
        });
        CgroupFiles.Read(V2Dir(id), "hugetlb.2MB.max").Should().Be((4 << 20).ToString());
        CgroupFiles.Read(V2Dir(id), "cgroup.max.descendants").Should().Be("2");

        var update = RuncsWith("""{"hugepageLimits":[{"pageSize":"2MB","limit":8388608}],"unified":{"hugetlb.2MB.rsvd.max":"2097152"}}""", "update", "-r", "-", id);
        update.ExitCode.Should().Be(0, update.ToString());
        CgroupFiles.Read(V2Dir(id), "hugetlb.2MB.max").Should().Be((8 << 20).ToString());
        CgroupFiles.Read(V2Dir(id), "hugetlb.2MB.rsvd.max").Should().Be((2 << 20).ToString());
    }

    [Test]
    public void A_limit_whose_controller_v2_does_not_have_here_fails_naming_the_field()
    {
        var missing = new[] { "memory", "pids", "cpu" }.FirstOrDefault(c => !V2Controllers().Contains(c));
        Assume.That(missing, Is.Not.Null, "every controller is on v2 here");
        var id = NewId();
        var bundle = Bundle(id, c => c.Linux!.Resources = new LinuxResources { Pids = new LinuxPids { Limit = 10 }, Memory = new LinuxMemory { Limit = 64 << 20 }, Cpu = new LinuxCpu { Shares = 512 } });
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().MatchRegex(@"runcs create failed: linux\.resources\.(pids\.limit|memory|cpu\.shares): the \w+ controller is not available in /sys/fs/cgroup/");
        CgroupLeaks.Leftovers(id).Should().BeEmpty();
    }

    [Test]
    public void Events_stats_reads_v2_counters()
    {
        var id = RunDetached(c => c.Process!.Args = ["sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1000"]);
        WaitUntil(() => CgroupFiles.Read(V2Dir(id), "cpu.stat").Contains("usage_usec") && !CgroupFiles.Read(V2Dir(id), "cpu.stat").StartsWith("usage_usec 0\n"), "some CPU time");
        var stats = JsonNode.Parse(RuncsOk("events", "--stats", id).Stdout)!;
        stats["type"]!.GetValue<string>().Should().Be("stats");
        stats["data"]!["cpu"]!["usage"]!["total"]!.GetValue<ulong>().Should().BeGreaterThan(0);
    }
}
