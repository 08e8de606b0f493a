namespace Runcs.Runtime.Cgroups.V2;

/// <summary>
/// cgroup v2's freezer: cgroup.freeze asks, and "frozen 1" in cgroup.events
/// says when every task has stopped. Also what a hybrid host without the v1
/// freezer uses, since its v2 hierarchy holds the container's processes too.
/// </summary>
public static class V2Freezer
{
    public static bool IsFrozen(string dir) => CgroupFile.Read(dir, "cgroup.freeze")?.Trim() == "1";

    public static bool IsAvailable(string dir) => CgroupFile.Exists(dir, "cgroup.freeze");

    public static void Freeze(string dir)
    {
        CgroupFile.Write(dir, "cgroup.freeze", "1");
        var deadline = Environment.TickCount64 + 10_000;
        while (!CgroupFile.ReadKeyValues(dir, "cgroup.events").TryGetValue("frozen", out var frozen) || frozen != 1)
        {
            if (Environment.TickCount64 > deadline)
            {
                Thaw(dir);
                throw new RuntimeException($"freeze {dir}: not frozen after 10 s");
            }
            Thread.Sleep(10);
        }
    }

    public static void Thaw(string dir) => CgroupFile.Write(dir, "cgroup.freeze", "0");
}
