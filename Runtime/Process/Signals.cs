namespace Runcs.Runtime.Process;

/// <summary>Signal names and numbers as kill(1) and runc accept them: "KILL", "SIGKILL", "9".</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> ByName = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6,
        ["BUS"] = 7, ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13,
        ["ALRM"] = 14, ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19,
        ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25,
        ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28, ["IO"] = 29, ["POLL"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    public const int SIGRTMIN = 34;
    public const int SIGRTMAX = 64;

    /// <summary>The signal number, or null when the text names no signal.</summary>
    public static int? Parse(string text)
    {
        if (int.TryParse(text, out var number))
            return number is > 0 and <= SIGRTMAX ? number : null;
        var name = text.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal))
            name = name[3..];
        if (ByName.TryGetValue(name, out var n))
            return n;
        return ParseRealtime(name);
    }

    /// <summary>RTMIN, RTMIN+3, RTMAX-2.</summary>
    private static int? ParseRealtime(string name)
    {
        foreach (var (prefix, bas, sign) in new[] { ("RTMIN", SIGRTMIN, 1), ("RTMAX", SIGRTMAX, -1) })
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var rest = name[prefix.Length..];
            if (rest.Length == 0)
                return bas;
            if ((rest[0] == '+' || rest[0] == '-') && int.TryParse(rest[1..], out var offset) && (rest[0] == '+' ? 1 : -1) == sign)
            {
                var n = bas + sign * offset;
                return n is >= SIGRTMIN and <= SIGRTMAX ? n : null;
            }
        }
        return null;
    }

    /// <summary>"killed" as Go prints a signal in wait statuses.</summary>
    public static string NameOf(int signal) => signal switch
    {
        1 => "hangup",
        2 => "interrupt",
        3 => "quit",
        6 => "aborted",
        9 => "killed",
        11 => "segmentation fault",
        13 => "broken pipe",
        14 => "alarm clock",
        15 => "terminated",
        _ => $"signal {signal}",
    };
}
