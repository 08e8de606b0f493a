using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>
/// What confines the process besides seccomp, seen from inside: capability sets,
/// rlimits, oom_score_adj, personality, scheduling and I/O priority, and the
/// errors for what this host cannot do.
/// </summary>
public class ConfinementTests : ContainerTest
{
    private static Dictionary<string, ulong> CapabilitySets(string status) =>
        status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("Cap"))
            .ToDictionary(l => l.Split(':')[0], l => Convert.ToUInt64(l.Split('\t')[1], 16));

    [Test]
    public void Root_gets_exactly_the_configured_capability_sets()
    {
        const ulong chown = 1UL << 0, kill = 1UL << 5, netBind = 1UL << 10, sysAdmin = 1UL << 21;
        var output = RunContainer(c =>
        {
            c.Process!.Capabilities = new LinuxCapabilities
            {
                Bounding = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"],
                Permitted = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                Effective = ["CAP_CHOWN", "CAP_KILL"],
                Inheritable = ["CAP_NET_BIND_SERVICE"],
                Ambient = [],
            };
            c.Process.Args = ["grep", "^Cap", "/proc/self/status"];
        });
        var caps = CapabilitySets(output.Stdout);
        caps["CapBnd"].Should().Be(chown | kill | netBind | sysAdmin);
        caps["CapInh"].Should().Be(netBind);
        caps["CapAmb"].Should().Be(0);
        // Root exec'ing would regain every bounding capability, but no_new_privs (set in this
        // config, as in runc's example) keeps permitted as configured; for root effective follows it.
        caps["CapPrm"].Should().Be(chown | kill | netBind);
        caps["CapEff"].Should().Be(chown | kill | netBind);
    }

    [Test]
    public void Rlimits_are_applied_and_one_above_the_runtimes_hard_limit_is_refused_by_name()
    {
        var output = RunContainer(c =>
        {
            c.Process!.Rlimits =
            [
                new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 512, Hard = 1024 },
                new PosixRlimit { Type = "RLIMIT_CORE", Soft = 0, Hard = 0 },
            ];
            c.Process.Args = ["sh", "-c", "ulimit -n; ulimit -Hn; ulimit -c"];
        });
        output.Stdout.Should().Be("512\n1024\n0\n", output.ToString());

        // This machine's root lacks CAP_SYS_RESOURCE: no hard limit above its own can be set.
        ulong ownHard = ulong.Parse(ProcessRunner.Run("sh", ["-c", "ulimit -Hn"]).Stdout.Trim());
        bool canRaise = (Convert.ToUInt64(File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:"))[7..].Trim(), 16) & (1UL << 24)) != 0;
        if (canRaise)
            Assert.Ignore("this host's root has CAP_SYS_RESOURCE: every hard limit can be raised");
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Rlimits = [new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = ownHard * 2 }]);
        var refused = Runcs("create", "--bundle", bundle.Dir, id);
        refused.ExitCode.Should().Be(1);
        refused.Stderr.Should().Contain("process.rlimits[0]: RLIMIT_NOFILE hard limit").And.Contain("CAP_SYS_RESOURCE");
    }

    [Test]
    public void Oom_score_adj_umask_and_personality_are_the_configs()
    {
        var output = RunContainer(c =>
        {
            c.Process!.OomScoreAdj = 345;
            c.Process.User.Umask = 0x3f; // 077
            c.Linux!.Personality = new LinuxPersonality { Domain = "LINUX32" };
            c.Process.Args = ["sh", "-c", "cat /proc/self/oom_score_adj; umask; uname -m; grep Personality /proc/self/status || cat /proc/self/personality"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        var lines = output.Stdout.Split('\n');
        lines[0].Should().Be("345");
        lines[1].Should().Be("0077");
        lines[2].Should().Be("i686", "LINUX32 makes uname report a 32-bit machine");
    }

    [Test]
    public void Scheduler_and_io_priority_are_applied()
    {
        var output = RunContainer(c =>
        {
            c.Process!.Scheduler = new Scheduler { Policy = "SCHED_BATCH", Nice = 7 };
            c.Process.IoPriority = new IoPriority { Class = "IOPRIO_CLASS_IDLE", Priority = 0 };
            c.Process.Args = ["sh", "-c", "cut -d' ' -f19,41 /proc/self/stat"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("7 3\n", "nice 7, policy 3 (SCHED_BATCH)");

        var io = RunContainer(c =>
        {
            c.Process!.IoPriority = new IoPriority { Class = "IOPRIO_CLASS_BE", Priority = 6 };
            c.Process.Args = ["probe", "ioprio_get=252,1,0"];
        });
        io.Stdout.Should().Be($"ioprio_get {2 << 13 | 6}\n", "class BE (2) level 6");
    }

    [TestCase("apparmorProfile")]
    [TestCase("selinuxLabel")]
    public void A_security_module_label_on_a_host_without_the_module_is_a_clear_error(string field)
    {
        if (field == "apparmorProfile" && File.Exists("/sys/module/apparmor/parameters/enabled") && File.ReadAllText("/sys/module/apparmor/parameters/enabled").Trim() == "Y")
            Assert.Ignore("this host has AppArmor");
        if (field == "selinuxLabel" && File.Exists("/sys/fs/selinux/enforce"))
            Assert.Ignore("this host has SELinux");
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            if (field == "apparmorProfile")
                c.Process!.ApparmorProfile = "docker-default";
            else
                c.Process!.SelinuxLabel = "system_u:system_r:container_t:s0";
        });
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain($"process.{field}").And.Contain("is not enabled on this host");
    }
}
