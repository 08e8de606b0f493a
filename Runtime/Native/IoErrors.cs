namespace Runcs.Runtime.Native;

/// <summary>
/// The system's words for a failed file operation ("no such file or directory"): in the
/// published binaries .NET's own messages are bare resource keys (UseSystemResourceKeys),
/// so the text comes from the errno the exception stands for.
/// </summary>
public static class IoErrors
{
    private const int ENOENT = 2, EACCES = 13, ENAMETOOLONG = 36;

    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Syscalls.Describe(ENOENT),
        UnauthorizedAccessException => Syscalls.Describe(EACCES),
        PathTooLongException => Syscalls.Describe(ENAMETOOLONG),
        // On Linux, other IOExceptions carry the errno itself as their HResult.
        IOException { HResult: > 0 and < 4096 } io => Syscalls.Describe(io.HResult),
        _ => e.Message,
    };
}
