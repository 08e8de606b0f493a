using System.Globalization;
using System.Text.RegularExpressions;

namespace Runcs.Runtime.Cgroups;

/// <summary>
/// Sizes as runc's update flags take them (docker's units.RAMInBytes):
/// "512", "64m", "1.5G", "2GiB"; the suffixes count in powers of 1024.
/// </summary>
public static partial class MemorySize
{
    [GeneratedRegex(@"^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex Pattern();

    /// <summary>The size in bytes, or null when the text is not a size.</summary>
    public static long? Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return null;
        var power = match.Groups[3].Success ? "kmgtp".IndexOf(char.ToLowerInvariant(match.Groups[3].Value[0])) + 1 : 0;
        return (long)(number * Math.Pow(1024, power));
    }
}
