using System.Text;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace Runcs.Runtime.Logging;

/// <summary>
/// runc's logging, which callers parse: logrus text lines
/// (time="..." level=error msg="...") or JSON lines ({"level","msg","time"})
/// to --log or, without it, to stderr. containerd's shim reads the last
/// error line of the --log file as the reason a command failed.
/// NLog is set up on the first message only: most commands log nothing,
/// and start-up time matters.
/// </summary>
public sealed class RuntimeLog(string? logFile, bool json, bool debug)
{
    private Logger? logger;

    public string? LogFile { get; } = logFile;

    public bool DebugEnabled { get; } = debug;

    public void Error(string message) => Write(LogLevel.Error, message);

    public void Warn(string message) => Write(LogLevel.Warn, message);

    public void Info(string message) => Write(LogLevel.Info, message);

    public void Debug(string message)
    {
        if (DebugEnabled)
            Write(LogLevel.Debug, message);
    }

    /// <summary>
    /// The error a command ends with: logged as an error line, and when that
    /// line went to a --log file, also printed bare on stderr (as runc does)
    /// so a person at a terminal sees it.
    /// </summary>
    public void Fatal(string message)
    {
        Error(message);
        if (LogFile is not null)
            System.Console.Error.WriteLine(message);
    }

    public void Flush() => logger?.Factory.Flush();

    private void Write(LogLevel level, string message) => (logger ??= Configure()).Log(level, message);

    private Logger Configure()
    {
        var factory = new LogFactory();
        factory.Setup().SetupExtensions(e =>
        {
            e.RegisterLayoutRenderer("golevel", info => GoLevel(info.Level));
            e.RegisterLayoutRenderer("gotime", info => GoTime.Rfc3339(info.TimeStamp));
            e.RegisterLayoutRenderer("goquoted", info => GoQuote(info.FormattedMessage));
        });
        Layout layout = json
            ? new JsonLayout
            {
                Attributes =
                {
                    new JsonAttribute("level", "${golevel}"),
                    new JsonAttribute("msg", "${message}"),
                    new JsonAttribute("time", "${gotime}"),
                },
            }
            : Layout.FromString("time=\"${gotime}\" level=${golevel} msg=${goquoted}");
        Target target = LogFile is not null
            ? new FileTarget("log") { FileName = LogFile, Layout = layout, KeepFileOpen = false, LineEnding = LineEndingMode.LF }
            : new ConsoleTarget("stderr") { StdErr = true, Layout = layout, AutoFlush = true };
        var config = new LoggingConfiguration(factory);
        config.AddRule(DebugEnabled ? LogLevel.Debug : LogLevel.Info, LogLevel.Fatal, target);
        factory.Configuration = config;
        return factory.GetLogger("runcs");
    }

    /// <summary>logrus's level names ("warning", not "warn").</summary>
    private static string GoLevel(LogLevel level) =>
        level == LogLevel.Warn ? "warning" : level == LogLevel.Fatal ? "fatal" : level.Name.ToLowerInvariant();

    /// <summary>Go's %q: the text in double quotes with \ " and control characters escaped.</summary>
    public static string GoQuote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                        sb.Append($"\\x{(int)c:x2}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
