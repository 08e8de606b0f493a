using System.Diagnostics;

namespace Runcs.Integration.Tests.Support;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs a program to completion with a timeout. Its stdio are files, not
/// pipes: `runcs create` hands its stdio to the container (as runc does),
/// and a pipe would not reach end-of-file until the container is gone.
/// </summary>
public static class ProcessRunner
{
    public static CommandResult Run(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var dir = Directory.CreateTempSubdirectory("runcs-cmd-").FullName;
        try
        {
            var (inPath, outPath, errPath) = (Path.Combine(dir, "in"), Path.Combine(dir, "out"), Path.Combine(dir, "err"));
            File.WriteAllText(inPath, stdin ?? "");
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            foreach (var a in (string[])["-c", "exec \"$0\" \"$@\" <\"$RUNCS_IN\" >\"$RUNCS_OUT\" 2>\"$RUNCS_ERR\"", file, .. args])
                info.ArgumentList.Add(a);
            info.Environment["RUNCS_IN"] = inPath;
            info.Environment["RUNCS_OUT"] = outPath;
            info.Environment["RUNCS_ERR"] = errPath;
            using var process = Process.Start(info)!;
            if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time\n{File.ReadAllText(outPath)}\n{File.ReadAllText(errPath)}");
            }
            return new CommandResult(process.ExitCode, File.ReadAllText(outPath), File.ReadAllText(errPath));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
