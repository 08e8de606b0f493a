namespace Runcs.Shim.Stats;

/// <summary>Reading cgroup files the way the statistics need them: a missing file or "max" reads as 0.</summary>
internal static class CgroupFiles
{
    public static ulong Number(string dir, string file)
    {
        var text = Text(dir, file)?.Trim();
        return text is null || text == "max" || !ulong.TryParse(text, out var value) ? 0 : value;
    }

    /// <summary>"key value" lines (memory.stat, cpu.stat, ...).</summary>
    public static Dictionary<string, ulong> KeyValues(string dir, string file)
    {
        var values = new Dictionary<string, ulong>();
        foreach (var line in (Text(dir, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && ulong.TryParse(parts[1].Trim(), out var value))
                values[parts[0]] = value;
        }
        return values;
    }

    public static IEnumerable<ulong> Numbers(string dir, string file) =>
        (Text(dir, file) ?? "").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(s => ulong.TryParse(s, out var v) ? v : 0);

    private static string? Text(string dir, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
