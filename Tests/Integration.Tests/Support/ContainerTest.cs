using Runcs.Integration.Tests;
using System.Text.Json;
using Runcs.Runtime.State;
using Runcs.Spec;

namespace Runcs.Integration.Tests.Support;

/// <summary>
/// Base of every test that runs containers: a private state root, bundles,
/// a runcs to call, and a teardown that deletes every container the test
/// made (even when it failed) and then fails the test if anything is left:
/// a state directory, a cgroup, a mount or a process.
/// </summary>
public abstract class ContainerTest
{
    private readonly List<string> ids = [];
    private readonly List<string> bundles = [];

    protected string TestDir { get; private set; } = "";

    protected string StateRoot { get; private set; } = "";

    [SetUp]
    public void CreateTestDirectory()
    {
        TestDir = Path.Combine(TestRootfs.RunDirectory, TestContext.CurrentContext.Test.ID);
        StateRoot = Path.Combine(TestDir, "state");
        Directory.CreateDirectory(TestDir);
        ids.Clear();
        bundles.Clear();
    }

    [TearDown]
    public void DeleteContainersAndCheckForLeaks()
    {
        foreach (var id in ids)
            Runcs("delete", "--force", id);
        var leaks = Leaks().ToList();
        foreach (var id in ids)
            CleanUpAfterLeak(id);
        leaks.Should().BeEmpty("a test must leave nothing behind");
    }

    /// <summary>A fresh container id, deleted at teardown.</summary>
    protected string NewId(string prefix = "c")
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 40)];
        ids.Add(id);
        return id;
    }

    protected TestBundle Bundle(string id, Action<Config>? edit = null)
    {
        var dir = Path.Combine(TestDir, "bundle-" + id);
        bundles.Add(dir);
        return TestBundle.Create(dir, id, edit);
    }

    /// <summary>runcs --root STATE args...</summary>
    protected CommandResult Runcs(params string[] args) => RuncsWith(null, args);

    protected CommandResult RuncsWith(string? stdin, params string[] args)
    {
        var (file, arguments) = RuncsCommand(args);
        return ProcessRunner.Run(file, arguments, stdin);
    }

    /// <summary>How runcs is started: the binary with this test's state root. A test class may wrap it (in another mount namespace, say).</summary>
    protected virtual (string File, string[] Args) RuncsCommand(params string[] args) => (Paths.Runcs, ["--root", StateRoot, .. args]);

    protected CommandResult RuncsOk(params string[] args)
    {
        var result = Runcs(args);
        result.ExitCode.Should().Be(0, $"runcs {string.Join(' ', args)} should succeed:\n{result}");
        return result;
    }

    /// <summary>Runs a container in the foreground and returns what it printed.</summary>
    protected CommandResult RunContainer(Action<Config> edit, params string[] extraArgs)
    {
        var id = NewId();
        var bundle = Bundle(id, edit);
        return Runcs(["run", "--bundle", bundle.Dir, .. extraArgs, id]);
    }

    protected StateView State(string id)
    {
        var result = RuncsOk("state", id);
        return JsonSerializer.Deserialize(result.Stdout, RuntimeJsonContext.Default.StateView)!;
    }

    /// <summary>Polls a condition that a container reaches asynchronously; fails after 10 s.</summary>
    protected static void WaitUntil(Func<bool> condition, string what = "condition")
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{what} not reached within 10 s");
            Thread.Sleep(10);
        }
    }

    protected StateView WaitForStatus(string id, string status)
    {
        StateView? last = null;
        WaitUntil(() => (last = State(id)).Status == status, $"status {status} of {id}");
        return last!;
    }

    private IEnumerable<string> Leaks()
    {
        foreach (var id in ids)
        {
            if (Directory.Exists(Path.Combine(StateRoot, id)))
                yield return $"state directory of {id}";
            foreach (var dir in CgroupLeaks.Leftovers(id))
                yield return $"cgroup {dir}";
        }
        var mountinfo = File.ReadAllText("/proc/self/mountinfo");
        foreach (var bundle in bundles)
            if (mountinfo.Contains(bundle))
                yield return $"a mount below {bundle}";
        foreach (var pid in ProcessesRootedIn(bundles))
            yield return $"process {pid} runs in a test bundle";
    }

    /// <summary>Processes whose root directory is a test bundle's rootfs: container processes still alive.</summary>
    private static IEnumerable<int> ProcessesRootedIn(IReadOnlyList<string> bundles)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string? root;
            try
            {
                root = new FileInfo(Path.Combine(dir, "root")).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (root is not null && bundles.Any(b => root.StartsWith(b, StringComparison.Ordinal)))
                yield return pid;
        }
    }

    /// <summary>After a leak is recorded, remove it anyway so the next test starts clean.</summary>
    private void CleanUpAfterLeak(string id)
    {
        foreach (var pid in ProcessesRootedIn(bundles))
            ProcessRunner.Run("kill", ["-9", pid.ToString()]);
        foreach (var dir in CgroupLeaks.Leftovers(id))
            ProcessRunner.Run("rmdir", [dir]);
        var state = Path.Combine(StateRoot, id);
        if (Directory.Exists(state))
            Directory.Delete(state, true);
    }
}
