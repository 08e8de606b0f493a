using Runcs.Spec;

namespace Runcs.Integration.Tests.Support;

/// <summary>
/// What must hold whatever the host's cgroup layout: device rules refuse what
/// they deny, pause stops all progress and resume restarts it, kill --all
/// reaches every process, delete --force of a paused container leaves nothing.
/// Each layout's fixture derives from this and says where its freezer and
/// process list are.
/// </summary>
public abstract class CgroupBehaviourTests : ContainerTest
{
    /// <summary>The file that lists the container's processes.</summary>
    protected abstract string ProcsFile(string id);

    /// <summary>Checks the cgroup files say the container is frozen.</summary>
    protected abstract void ShouldBeFrozen(string id);

    protected string RunDetached(Action<Config> edit)
    {
        var id = NewId();
        RuncsOk("run", "-d", "--bundle", Bundle(id, edit).Dir, id);
        return id;
    }

    [Test]
    public void A_device_that_is_not_allowed_cannot_be_opened()
    {
        var result = RunContainer(c =>
        {
            c.Linux!.Devices = [new LinuxDevice { Path = "/dev/kmsg", Type = "c", Major = 1, Minor = 11, FileMode = 0x1a4 }];
            c.Process!.Args = ["sh", "-c", "echo x > /dev/null && echo null-ok; head -c 1 /dev/kmsg || echo kmsg-refused"];
        });
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("null-ok").And.Contain("kmsg-refused");
        result.Stderr.Should().Contain("Operation not permitted");
    }

    [Test]
    public void A_device_rule_can_deny_mknod()
    {
        var result = RunContainer(c =>
        {
            c.Linux!.Resources = new LinuxResources
            {
                Devices = [new LinuxDeviceCgroup { Allow = true, Access = "rwm" }, new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 1, Access = "m" }],
            };
            var caps = c.Process!.Capabilities!;
            foreach (var set in new[] { caps.Bounding!, caps.Effective!, caps.Permitted! })
                set.Add("CAP_MKNOD");
            c.Process.Args = ["sh", "-c", "mknod /dev/zero2 c 1 5 && echo zero-made; mknod /dev/mem c 1 1 || echo mem-refused"];
        });
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("zero-made").And.Contain("mem-refused");
        result.Stderr.Should().Contain("Operation not permitted");
    }

    [Test]
    public void Pause_freezes_the_container_and_resume_thaws_it()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Root!.Readonly = false;
            c.Process!.Args = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.02; done"];
        });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        var counter = Path.Combine(bundle.Rootfs, "tmp", "count");
        WaitUntil(() => File.Exists(counter) && File.ReadAllText(counter).Length > 0, "the counter to start");

        RuncsOk("pause", id);
        State(id).Status.Should().Be("paused");
        ShouldBeFrozen(id);
        var frozenAt = File.ReadAllText(counter);
        Thread.Sleep(300);
        File.ReadAllText(counter).Should().Be(frozenAt, "a paused process makes no progress");
        Runcs("pause", id).Stderr.Should().Contain("container not running");

        RuncsOk("resume", id);
        State(id).Status.Should().Be("running");
        WaitUntil(() => File.ReadAllText(counter) != frozenAt, "the counter to move again");
        Runcs("resume", id).Stderr.Should().Contain("container not paused");
    }

    [Test]
    public void Kill_all_with_sigkill_empties_a_paused_container()
    {
        var id = RunDetached(c => c.Process!.Args = ["sh", "-c", "sleep 1000 & sleep 1000 & sleep 1000"]);
        var procs = ProcsFile(id);
        WaitUntil(() => File.ReadAllLines(procs).Length == 3, "three processes");
        RuncsOk("pause", id);
        RuncsOk("kill", "--all", id, "KILL");
        WaitForStatus(id, "stopped");
        WaitUntil(() => File.ReadAllLines(procs).Length == 0, "every process gone");
    }

    [Test]
    public void Delete_force_of_a_paused_container_leaves_no_cgroup_in_any_hierarchy()
    {
        var id = RunDetached(c => c.Process!.Args = ["sleep", "1000"]);
        RuncsOk("pause", id);
        RuncsOk("delete", "--force", id);
        CgroupLeaks.Leftovers(id).Should().BeEmpty();
    }
}
