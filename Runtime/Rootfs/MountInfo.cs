namespace Runcs.Runtime.Rootfs;

/// <summary>One line of /proc/PID/mountinfo (proc(5)), the fields the runtime reads.</summary>
public sealed record MountInfoEntry(int Id, int ParentId, string Root, string MountPoint, string Options,
    IReadOnlyList<string> OptionalFields, string FsType, string Source, string SuperOptions)
{
    public bool IsShared => OptionalFields.Any(f => f.StartsWith("shared:", StringComparison.Ordinal));
}

public static class MountInfo
{
    public static IReadOnlyList<MountInfoEntry> Read(string path = "/proc/self/mountinfo") =>
        Parse(File.ReadAllText(path));

    public static IReadOnlyList<MountInfoEntry> Parse(string text)
    {
        var entries = new List<MountInfoEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-", 6);
            if (separator < 0 || separator + 2 >= fields.Length)
                continue;
            entries.Add(new MountInfoEntry(
                int.Parse(fields[0]), int.Parse(fields[1]), Unescape(fields[3]), Unescape(fields[4]), fields[5],
                fields[6..separator], fields[separator + 1], Unescape(fields[separator + 2]),
                separator + 3 < fields.Length ? fields[separator + 3] : ""));
        }
        return entries;
    }

    /// <summary>The mount a path lives on: the last-mounted entry whose mount point is its longest prefix.</summary>
    public static MountInfoEntry? MountOf(IReadOnlyList<MountInfoEntry> entries, string path)
    {
        MountInfoEntry? best = null;
        foreach (var e in entries)
        {
            bool under = path == e.MountPoint || e.MountPoint == "/" ||
                         path.StartsWith(e.MountPoint + "/", StringComparison.Ordinal);
            if (under && (best is null || e.MountPoint.Length >= best.MountPoint.Length))
                best = e;
        }
        return best;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('\\'))
            return s;
        var result = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsOctal(s, i + 1))
            {
                result.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(s[i]);
            }
        }
        return result.ToString();
    }

    private static bool IsOctal(string s, int start) =>
        start + 3 <= s.Length && s.AsSpan(start, 3).IndexOfAnyExceptInRange('0', '7') < 0;
}
