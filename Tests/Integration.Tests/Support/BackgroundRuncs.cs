using System.Diagnostics;

namespace Runcs.Integration.Tests.Support;

/// <summary>
/// A runcs command that keeps running while the test goes on (`events`):
/// its output goes to a file the test polls; disposing kills it if it is
/// still there.
/// </summary>
public sealed class BackgroundRuncs : IDisposable
{
    private readonly Process process;
    private readonly string outputFile = Path.GetTempFileName();

    public BackgroundRuncs((string File, string[] Args) command)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in (string[])["-c", "exec \"$0\" \"$@\" </dev/null >\"$RUNCS_OUT\" 2>&1", command.File, .. command.Args])
            info.ArgumentList.Add(a);
        info.Environment["RUNCS_OUT"] = outputFile;
        process = Process.Start(info)!;
    }

    /// <summary>What it printed so far (stdout and stderr).</summary>
    public string Output => File.ReadAllText(outputFile);

    public int WaitForExit()
    {
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            Assert.Fail($"runcs did not exit in time; it printed:\n{Output}");
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill();
        process.WaitForExit();
        process.Dispose();
        File.Delete(outputFile);
    }
}
