namespace Runcs.Runtime.Cgroups;

/// <summary>Reads whether a container's cgroup is frozen: v1's freezer.state or v2's cgroup.freeze.</summary>
public static class Freezer
{
    public static bool IsFrozen(string mode, IReadOnlyDictionary<string, string> paths)
    {
        try
        {
            if (mode == nameof(CgroupMode.V2))
                return paths.TryGetValue("unified", out var dir) && File.ReadAllText(Path.Combine(dir, "cgroup.freeze")).Trim() == "1";
            return paths.TryGetValue("freezer", out var freezer) && File.ReadAllText(Path.Combine(freezer, "freezer.state")).Trim() is "FROZEN" or "FREEZING";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Thaws a frozen cgroup; failures are ignored (used on the way to removing it).</summary>
    public static void Thaw(string mode, IReadOnlyDictionary<string, string> paths)
    {
        try
        {
            if (mode == nameof(CgroupMode.V2) && paths.TryGetValue("unified", out var dir))
                File.WriteAllText(Path.Combine(dir, "cgroup.freeze"), "0");
            else if (paths.TryGetValue("freezer", out var freezer))
                File.WriteAllText(Path.Combine(freezer, "freezer.state"), "THAWED");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cgroup is already gone.
        }
    }
}
