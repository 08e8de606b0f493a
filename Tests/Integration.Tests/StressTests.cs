using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests;

/// <summary>Many lifecycles in a row and in parallel: no hang, no leak (the base class checks what is left).</summary>
public class StressTests : ContainerTest
{
    [Test]
    public void Two_hundred_create_start_delete_cycles_in_a_row()
    {
        var id = NewId("seq");
        var bundle = Bundle(id);
        for (int i = 0; i < 200; i++)
            Cycle(bundle, id);
        ZombieChildren().Should().Be(0);
    }

    [Test]
    public void Two_times_a_hundred_cycles_in_parallel()
    {
        var ids = new[] { NewId("par"), NewId("par") };
        var bundles = ids.Select(id => Bundle(id)).ToArray();
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
                Cycle(bundles[w], ids[w]);
        })).ToArray();
        Task.WaitAll(workers, TimeSpan.FromMinutes(10)).Should().BeTrue("no cycle may hang");
    }

    /// <summary>create, start, wait for the process to exit, delete.</summary>
    private void Cycle(TestBundle bundle, string id)
    {
        RuncsOk("create", "--bundle", bundle.Dir, id);
        RuncsOk("start", id);
        WaitForStatus(id, "stopped");
        RuncsOk("delete", id);
    }

    /// <summary>Zombies left by exited containers would be children of this test process.</summary>
    private static int ZombieChildren() =>
        Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Count(d =>
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(d, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return fields[0] == "Z" && fields[1] == Environment.ProcessId.ToString();
                }
                catch (IOException)
                {
                    return false;
                }
            });
}
