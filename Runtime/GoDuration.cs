using System.Globalization;

namespace Runcs.Runtime;

/// <summary>Durations written as Go's time.ParseDuration reads them ("5s", "1m30s", "250ms", "1.5h"), as runc's flags take them.</summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>The duration, or null when the text is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        var s = text;
        int sign = 1;
        if (s.StartsWith('-') || s.StartsWith('+'))
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }
        if (s == "0")
            return TimeSpan.Zero;
        if (s.Length == 0)
            return null;
        double ticks = 0;
        while (s.Length > 0)
        {
            int numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
                numberEnd++;
            if (numberEnd == 0 || !double.TryParse(s[..numberEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return null;
            s = s[numberEnd..];
            var unit = Units.Where(u => s.StartsWith(u.Unit, StringComparison.Ordinal)).OrderByDescending(u => u.Unit.Length).FirstOrDefault();
            if (unit.Unit is null)
                return null;
            ticks += number * unit.Ticks;
            s = s[unit.Unit.Length..];
        }
        return TimeSpan.FromTicks((long)(sign * ticks));
    }
}
