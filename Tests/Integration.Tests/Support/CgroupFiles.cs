using Runcs.Runtime.Cgroups;

namespace Runcs.Integration.Tests.Support;

/// <summary>A test container's cgroup files, as the host sees them.</summary>
public static class CgroupFiles
{
    private static readonly Lazy<CgroupLayout> Layout = new(CgroupLayout.Detect);

    /// <summary>The container's directory in the hierarchy holding controller ("memory", "cpu", "unified").</summary>
    public static string Dir(string id, string controller) =>
        CgroupPath.Resolve(Layout.Value, CgroupLeaks.TestParent + "/" + id, id, systemdDriver: false)
            .First(p => p.Key == controller || p.Key.Split(',').Contains(controller)).Value;

    /// <summary>The top of the host's cgroup v2 hierarchy (/sys/fs/cgroup/unified on a hybrid host).</summary>
    public static string V2Root => Layout.Value.Unified?.MountPoint ?? throw new InvalidOperationException("this host mounts no cgroup v2 hierarchy");

    /// <summary>A cgroup file's content without the trailing newline.</summary>
    public static string Read(string dir, string file) => File.ReadAllText(Path.Combine(dir, file)).TrimEnd('\n');

    /// <summary>major:minor of the host's first real disk (not a ram, loop or zram device), for block I/O limits.</summary>
    public static (long Major, long Minor) RootDisk()
    {
        var disk = Directory.GetDirectories("/sys/block")
            .Where(d => !Path.GetFileName(d).StartsWith("loop", StringComparison.Ordinal) && !Path.GetFileName(d).StartsWith("ram", StringComparison.Ordinal)
                && !Path.GetFileName(d).StartsWith("zram", StringComparison.Ordinal))
            .Order().First();
        var numbers = File.ReadAllText(Path.Combine(disk, "dev")).Trim().Split(':');
        return (long.Parse(numbers[0]), long.Parse(numbers[1]));
    }
}
