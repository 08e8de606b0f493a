using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Cgroups.V2;
using Tmds.Linux;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>
/// v2 OOM notifications over a fake cgroup directory: inotify works on any
/// filesystem, so rewriting memory.events and cgroup.events as the kernel does
/// wakes the notifier the way a real kill or the last exit would.
/// </summary>
public class V2OomNotifierTests
{
    private const string NoKills = "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0";

    private static string Events(int oomKills) => $"low 0\nhigh 0\nmax 3\noom {oomKills}\noom_kill {oomKills}\n";

    /// <summary>Whether the notifier's descriptor becomes readable within a second.</summary>
    private static unsafe bool Wakes(V2OomNotifier notifier)
    {
        var fd = new pollfd { fd = notifier.Fd, events = (short)LibC.POLLIN };
        return LibC.poll(&fd, 1, 1000) == 1;
    }

    [Test]
    public void An_oom_kill_wakes_it_with_the_number_of_new_kills()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("c1", $"memory.events={NoKills}", "cgroup.events=populated 1\nfrozen 0");
        using var notifier = V2OomNotifier.Register(dir);
        Wakes(notifier).Should().BeFalse("nothing has happened yet");

        File.WriteAllText(Path.Combine(dir, "memory.events"), Events(2));
        Wakes(notifier).Should().BeTrue();
        notifier.Read().Should().Be(new OomReading(Kills: 2, CgroupGone: false));

        File.WriteAllText(Path.Combine(dir, "memory.events"), Events(3));
        Wakes(notifier).Should().BeTrue();
        notifier.Read().Kills.Should().Be(1, "only the kills since the last reading count");
    }

    [Test]
    public void Kills_before_it_was_registered_do_not_count()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("c1", "cgroup.events=populated 1\nfrozen 0");
        File.WriteAllText(Path.Combine(dir, "memory.events"), Events(5));
        using var notifier = V2OomNotifier.Register(dir);

        File.WriteAllText(Path.Combine(dir, "memory.events"), Events(6));
        Wakes(notifier).Should().BeTrue();
        notifier.Read().Kills.Should().Be(1);
    }

    [Test]
    public void The_last_process_leaving_wakes_it_with_the_cgroup_gone()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("c1", $"memory.events={NoKills}", "cgroup.events=populated 1\nfrozen 0");
        using var notifier = V2OomNotifier.Register(dir);

        File.WriteAllText(Path.Combine(dir, "cgroup.events"), "populated 0\nfrozen 0\n");
        Wakes(notifier).Should().BeTrue();
        notifier.Read().Should().Be(new OomReading(Kills: 0, CgroupGone: true));
    }

    [Test]
    public void Without_the_memory_controller_it_hears_only_the_end_of_the_cgroup()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("c1", "cgroup.events=populated 1\nfrozen 0");
        using var notifier = V2OomNotifier.Register(dir);

        File.WriteAllText(Path.Combine(dir, "cgroup.events"), "populated 0\nfrozen 0\n");
        Wakes(notifier).Should().BeTrue();
        notifier.Read().Should().Be(new OomReading(Kills: 0, CgroupGone: true));
    }

    [Test]
    public void A_cgroup_directory_without_cgroup_events_is_refused_with_the_file_named()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("c1", $"memory.events={NoKills}");
        var register = () => V2OomNotifier.Register(dir);
        register.Should().Throw<RuntimeException>().WithMessage($"watch {dir}/cgroup.events: *");
    }
}
