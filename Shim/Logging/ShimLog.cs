namespace Runcs.Shim.Logging;

/// <summary>
/// The shim's log: logrus-style text lines on stderr, which the daemon points
/// at the bundle's "log" fifo, so containerd shows them in its own log as it
/// does the runc shim's.
/// </summary>
public static class ShimLog
{
    private static readonly Lock WriteLock = new();

    public static bool DebugEnabled { get; set; }

    public static void Info(string message) => Write("info", message);

    public static void Warn(string message) => Write("warning", message);

    public static void Error(string message) => Write("error", message);

    public static void Debug(string message)
    {
        if (DebugEnabled)
            Write("debug", message);
    }

    private static void Write(string level, string message)
    {
        var line = $"time=\"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ}\" level={level} msg=\"{message.Replace("\"", "\\\"").Replace("\n", "\\n")}\" runtime=io.containerd.runcs.v2\n";
        lock (WriteLock)
        {
            try
            {
                Console.Error.Write(line);
                Console.Error.Flush();
            }
            catch (IOException)
            {
                // Nobody reads the log any more (containerd went away): logging must not take the shim down.
            }
        }
    }
}
