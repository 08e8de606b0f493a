namespace Runcs.Runtime.Cgroups;

/// <summary>
/// The kernel's list format for CPUs and memory nodes ("0-3,7"), as cpuset.cpus,
/// /sys/devices/system/cpu/online and linux.resources.cpu.cpus write it.
/// </summary>
public static class CpuList
{
    /// <summary>The numbers in a list, ascending; null when the text is not a list.</summary>
    public static SortedSet<int>? Parse(string text)
    {
        var numbers = new SortedSet<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Trim().Split('-');
            if (range.Length is < 1 or > 2 || !int.TryParse(range[0], out var first) || first < 0)
                return null;
            var last = first;
            if (range.Length == 2 && (!int.TryParse(range[1], out last) || last < first))
                return null;
            for (int n = first; n <= last; n++)
                numbers.Add(n);
        }
        return numbers;
    }

    /// <summary>Back to the kernel's compact form: consecutive numbers become ranges.</summary>
    public static string Format(IEnumerable<int> numbers)
    {
        var parts = new List<string>();
        int? start = null, previous = null;
        foreach (var n in numbers.Order())
        {
            if (previous == n - 1)
            {
                previous = n;
                continue;
            }
            if (start is not null)
                parts.Add(start == previous ? $"{start}" : $"{start}-{previous}");
            start = previous = n;
        }
        if (start is not null)
            parts.Add(start == previous ? $"{start}" : $"{start}-{previous}");
        return string.Join(',', parts);
    }
}
