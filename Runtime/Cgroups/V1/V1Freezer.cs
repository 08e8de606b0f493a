namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// The v1 freezer controller (freezer.state). Freezing is asynchronous and
/// can stall in FREEZING while new tasks keep arriving (a fork, an exec
/// joining): re-write FROZEN until the state settles, and thaw once in a
/// while to let stragglers in before trying again.
/// </summary>
public static class V1Freezer
{
    private const string State = "freezer.state";

    public static bool IsFrozen(string dir) => CgroupFile.Read(dir, State)?.Trim() is "FROZEN" or "FREEZING";

    public static void Freeze(string dir)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            if (attempt % 50 == 49)
            {
                Thaw(dir);
                Thread.Sleep(10);
            }
            CgroupFile.Write(dir, State, "FROZEN");
            var state = CgroupFile.Read(dir, State)?.Trim();
            if (state == "FROZEN")
                return;
            if (state != "FREEZING")
                throw new RuntimeException($"freeze {dir}: unexpected freezer state \"{state}\"");
            if (attempt % 25 == 24)
                Thread.Sleep(1);
        }
        Thaw(dir); // never leave a container half frozen
        throw new RuntimeException($"freeze {dir}: processes kept the cgroup in FREEZING");
    }

    public static void Thaw(string dir) => CgroupFile.Write(dir, State, "THAWED");
}
