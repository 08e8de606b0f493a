using Runcs.Runtime.Native;

namespace Runcs.Runtime.Process;

/// <summary>
/// Reads the container's /etc/passwd and /etc/group, resolved inside the rootfs
/// so that a symlink planted there cannot make the runtime read a host file.
/// </summary>
public static class Passwd
{
    /// <summary>One line of /etc/passwd.</summary>
    public sealed record Entry(string Name, uint Uid, uint Gid, string Home);

    public static string? HomeOf(string rootfs, uint uid) => Users(rootfs).FirstOrDefault(u => u.Uid == uid)?.Home;

    public static IEnumerable<Entry> Users(string rootfs)
    {
        foreach (var fields in Lines(rootfs, "/etc/passwd", 7))
        {
            if (uint.TryParse(fields[2], out var uid) && uint.TryParse(fields[3], out var gid))
                yield return new Entry(fields[0], uid, gid, fields[5]);
        }
    }

    /// <summary>Groups as (name, gid, member names).</summary>
    public static IEnumerable<(string Name, uint Gid, string[] Members)> Groups(string rootfs)
    {
        foreach (var fields in Lines(rootfs, "/etc/group", 4))
        {
            if (uint.TryParse(fields[2], out var gid))
                yield return (fields[0], gid, fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static IEnumerable<string[]> Lines(string rootfs, string path, int fieldCount)
    {
        int fd = FileDescriptors.OpenInRoot(rootfs, path, Tmds.Linux.LibC.O_RDONLY);
        if (fd < 0)
            return [];
        return FileDescriptors.ReadAllAndClose(fd)
            .Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= fieldCount);
    }
}
