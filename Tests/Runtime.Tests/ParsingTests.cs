using Runcs.Runtime.Logging;
using Runcs.Runtime.Process;
using Runcs.Runtime.Rootfs;
using Runcs.Runtime.State;

namespace Runcs.Runtime.Tests;

/// <summary>The small parsers and formatters callers depend on.</summary>
public class ParsingTests
{
    [TestCase("KILL", 9)]
    [TestCase("SIGKILL", 9)]
    [TestCase("sigterm", 15)]
    [TestCase("term", 15)]
    [TestCase("9", 9)]
    [TestCase("0", null)]
    [TestCase("65", null)]
    [TestCase("RTMIN", 34)]
    [TestCase("SIGRTMIN+2", 36)]
    [TestCase("RTMAX-1", 63)]
    [TestCase("FOO", null)]
    public void Signals_parse_like_kill(string text, int? expected) => Signals.Parse(text).Should().Be(expected);

    [Test]
    public void Mount_options_split_into_flags_propagation_and_data()
    {
        var options = MountOptions.Parse(["nosuid", "ro", "rw", "strictatime", "mode=755", "rslave", "size=1m", "noexec"]);
        options.Flags.Should().Be(MountFlags.NoSuid | MountFlags.StrictAtime | MountFlags.NoExec, "rw clears ro");
        options.Propagation.Should().Equal(MountFlags.Slave | MountFlags.Rec);
        options.Data.Should().Be("mode=755,size=1m");
        MountOptions.Parse(["rbind"]).IsBind.Should().BeTrue();
    }

    [Test]
    public void Acl_noacl_and_tmpcopyup_are_runcs_options_not_filesystem_data()
    {
        MountOptions.Parse(["acl"]).Flags.Should().Be(MountFlags.PosixAcl);
        MountOptions.Parse(["acl", "noacl"]).Flags.Should().Be(MountFlags.None);
        var copyUp = MountOptions.Parse(["tmpcopyup", "mode=755"]);
        copyUp.TmpCopyUp.Should().BeTrue();
        copyUp.Data.Should().Be("mode=755");
        MountOptions.KnownOptions.Should().Contain(["acl", "noacl", "tmpcopyup"]);
    }

    [Test]
    public void Times_are_printed_the_way_go_prints_them()
    {
        var t = new DateTime(2026, 11, 24, 13, 24, 20, DateTimeKind.Utc).AddTicks(1909750);
        Runtime.GoTime.Rfc3339Nano(t).Should().Be("2026-11-24T13:24:20.190975Z");
        Runtime.GoTime.Rfc3339Nano(t.AddTicks(-1909750)).Should().Be("2026-11-24T13:24:20Z");
        Runtime.GoTime.Rfc3339(t).Should().Be("2026-11-24T13:24:20Z");
    }

    [Test]
    public void Log_messages_are_quoted_like_go()
    {
        RuntimeLog.GoQuote("a \"b\" \\ c\nd\t\u0001").Should().Be("\"a \\\"b\\\" \\\\ c\\nd\\t\\x01\"");
    }

    [TestCase("c1", true)]
    [TestCase("my.container_1+x-y", true)]
    [TestCase("a/b", false)]
    [TestCase("..", false)]
    [TestCase(".", false)]
    [TestCase("", false)]
    [TestCase("with space", false)]
    public void Container_ids_follow_runcs_rule(string id, bool valid)
    {
        var act = () => StateStore.ValidateId(id);
        if (valid)
            act.Should().NotThrow();
        else
            act.Should().Throw<RuntimeException>().WithMessage("invalid container id format*");
    }

    [Test]
    public void Mountinfo_lines_unescape_paths_and_find_the_mount_of_a_path()
    {
        var entries = MountInfo.Parse("""
            1 0 8:1 / / rw - ext4 /dev/sda1 rw
            2 1 0:5 / /with\040space rw shared:1 - tmpfs tmpfs rw
            3 1 0:6 / /with rw - tmpfs tmpfs rw
            """);
        entries[1].MountPoint.Should().Be("/with space");
        entries[1].IsShared.Should().BeTrue();
        MountInfo.MountOf(entries, "/with space/x")!.Id.Should().Be(2);
        MountInfo.MountOf(entries, "/without")!.Id.Should().Be(1);
    }

    [Test]
    public void Proc_stat_fields_survive_a_command_name_with_spaces_and_parentheses()
    {
        // Our own process: its state is R or S, and its start time is the same on every read.
        var first = ProcStat.Read(Environment.ProcessId)!;
        ProcStat.Read(Environment.ProcessId)!.StartTime.Should().Be(first.StartTime);
        ProcStat.Read(int.MaxValue).Should().BeNull();
    }
}
