using Runcs.Runtime.Native;

namespace Runcs.Runtime.State;

/// <summary>--pid-file: the decimal pid, no newline, written to a hidden file beside it and renamed into place, as runc does.</summary>
public static class PidFile
{
    public static void Write(string path, int pid)
    {
        var dir = Path.GetDirectoryName(path) ?? "/";
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path));
        try
        {
            File.WriteAllText(tmp, pid.ToString());
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeException($"write pid file {path}: {IoErrors.Describe(e)}");
        }
    }
}
