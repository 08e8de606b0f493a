namespace Runcs.Spec;

/// <summary>The kernel's list format for CPUs and NUMA nodes: comma-separated numbers and ranges, "0-3,7".</summary>
internal static class CpuList
{
    public static bool IsValid(string list) => list.Split(',').All(IsValidItem);

    private static bool IsValidItem(string item)
    {
        var dash = item.IndexOf('-');
        if (dash < 0)
            return IsNumber(item);
        var (first, last) = (item[..dash], item[(dash + 1)..]);
        return IsNumber(first) && IsNumber(last) && uint.Parse(first) <= uint.Parse(last);
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit) && uint.TryParse(text, out _);
}
