namespace Runcs.Runtime.Cgroups.Stats;

/// <summary>Parsers for the text formats of cgroup statistics files.</summary>
public static class StatsText
{
    /// <summary>"12 34 56" (cpuacct.usage_percpu); null when empty.</summary>
    public static ulong[]? Numbers(string? text)
    {
        var numbers = (text ?? "").Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => ulong.TryParse(t, out var n) ? n : 0).ToArray();
        return numbers.Length > 0 ? numbers : null;
    }

    /// <summary>A CPU or node list ("0-1,3") expanded; null when empty.</summary>
    public static ushort[]? List(string? text)
    {
        var list = CpuList.Parse(text ?? "");
        return list is { Count: > 0 } ? list.Select(n => (ushort)n).ToArray() : null;
    }

    /// <summary>
    /// v1 blkio lines: "8:0 Read 4096", or "8:0 4096" for counters without an
    /// operation; the "Total" line is left out, as runc does. Null when empty.
    /// </summary>
    public static List<BlkioEntry>? BlkioEntries(string? text)
    {
        var entries = new List<BlkioEntry>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !TryDevice(fields[0], out var major, out var minor) || !ulong.TryParse(fields[^1], out var value))
                continue;
            entries.Add(new BlkioEntry { Major = major, Minor = minor, Op = fields.Length >= 3 ? fields[1] : null, Value = value });
        }
        return entries.Count > 0 ? entries : null;
    }

    public static bool TryDevice(string text, out ulong major, out ulong minor)
    {
        minor = 0;
        var parts = text.Split(':');
        return ulong.TryParse(parts[0], out major) && parts.Length == 2 && ulong.TryParse(parts[1], out minor);
    }
}
