using System.Globalization;

namespace Runcs.Runtime;

/// <summary>Timestamps in the shapes runc prints them (Go's time formats), which callers parse.</summary>
public static class GoTime
{
    /// <summary>RFC 3339 with nanoseconds, trailing zeros trimmed: "2026-11-24T13:24:20.19097536Z".</summary>
    public static string Rfc3339Nano(DateTime time)
    {
        var utc = time.ToUniversalTime();
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        return fraction.Length > 0 ? $"{text}.{fraction}Z" : text + "Z";
    }

    /// <summary>RFC 3339 to the second, as logrus stamps log lines: "2026-11-24T13:24:20Z".</summary>
    public static string Rfc3339(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
