namespace Runcs.Runtime.Process;

/// <summary>The fields of /proc/PID/stat the runtime needs (proc(5)).</summary>
public sealed record ProcStat(char State, ulong StartTime)
{
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>Null when the process does not exist.</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // comm (field 2) may hold spaces and parentheses: fields restart after the last ')'.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
        return rest.Length > 19 && ulong.TryParse(rest[19], out var start) ? new ProcStat(rest[0][0], start) : null;
    }
}
