using System.Text.RegularExpressions;
using Runcs.Runtime.Native;

namespace Runcs.Runtime.Tests;

/// <summary>The C executor and C# agree on every number they exchange (executor.h is the source).</summary>
public class ExecutorHeaderTests
{
    private static readonly string Header = File.ReadAllText(Path.Combine(RepoRoot(), "Runtime", "Native", "executor.h"));

    private static Dictionary<string, int> Constants(string prefix) =>
        Regex.Matches(Header, $@"\b({prefix}[A-Z_0-9]+)\s*=\s*(\d+)")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));

    /// <summary>OP_SET_RES_UID and SetResUid: compare names without underscores or case.</summary>
    private static string Key(string name) => name.Replace("_", "").ToLowerInvariant();

    [Test]
    public void Every_operation_has_the_same_number_on_both_sides()
    {
        var c = Constants("OP_").ToDictionary(p => Key(p.Key[3..]), p => p.Value);
        var cs = Enum.GetValues<PlanOp>().ToDictionary(o => Key(o.ToString()), o => (int)o);
        cs.Should().BeEquivalentTo(c);
    }

    [Test]
    public void Mount_target_kinds_and_messages_match()
    {
        Constants("TARGET_").Values.Order().Should().Equal(Enum.GetValues<MountTarget>().Select(t => (int)t).Order());
        Constants("MSG_").ToDictionary(p => Key(p.Key[4..]), p => p.Value)
            .Should().BeEquivalentTo(Enum.GetValues<ExecutorMessage>().ToDictionary(m => Key(m.ToString()), m => (int)m));
    }

    [Test]
    public void The_plan_header_carries_the_magic_and_version_the_executor_checks()
    {
        var plan = new PlanBuilder().Build();
        BitConverter.ToUInt64(plan.Bytes, 0).Should().Be(Convert.ToUInt64(Regex.Match(Header, @"RUNCS_PLAN_MAGIC (0x[0-9a-fA-F]+)ULL").Groups[1].Value, 16));
        BitConverter.ToUInt32(plan.Bytes, 8).Should().Be(uint.Parse(Regex.Match(Header, @"RUNCS_PLAN_VERSION (\d+)").Groups[1].Value));
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OciRuntime.sln")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
