using Runcs.Runtime.Native;

namespace Runcs.Runtime.Cgroups;

/// <summary>File-level work on cgroup directories shared by every layout.</summary>
public static class CgroupDirectories
{
    public static void CreateAll(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeException($"create cgroup {dir}: {IoErrors.Describe(e)}");
        }
    }

    public static void AddProcess(string dir, int pid)
    {
        try
        {
            File.WriteAllText(Path.Combine(dir, "cgroup.procs"), pid.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeException($"add pid {pid} to cgroup {dir}: {IoErrors.Describe(e)}");
        }
    }

    /// <summary>The processes of dir and every cgroup below it.</summary>
    public static IEnumerable<int> Processes(string dir)
    {
        if (!Directory.Exists(dir))
            yield break;
        var procs = Path.Combine(dir, "cgroup.procs");
        string[] lines = [];
        try
        {
            lines = File.ReadAllLines(procs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone while we looked: the cgroup has no processes.
        }
        foreach (var line in lines)
            if (int.TryParse(line, out var pid))
                yield return pid;
        foreach (var child in SafeSubdirectories(dir))
            foreach (var pid in Processes(child))
                yield return pid;
    }

    /// <summary>
    /// Removes dir and its children, deepest first. A cgroup whose last process
    /// has just died can still be busy for a moment, so EBUSY is retried briefly.
    /// </summary>
    public static void RemoveTree(string dir)
    {
        foreach (var child in SafeSubdirectories(dir))
            RemoveTree(child);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(dir);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException e) when (attempt < 50)
            {
                _ = e;
                Thread.Sleep(Math.Min(2 << attempt, 20));
            }
            catch (IOException e)
            {
                throw new RuntimeException($"remove cgroup {dir}: {IoErrors.Describe(e)}");
            }
        }
    }

    private static string[] SafeSubdirectories(string dir)
    {
        try
        {
            return Directory.GetDirectories(dir);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }
}
