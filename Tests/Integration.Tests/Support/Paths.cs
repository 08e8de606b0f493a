namespace Runcs.Integration.Tests.Support;

/// <summary>Where the things under test are.</summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The published binary: RUNCS_BINARY, or the repository's out/runcs that .ci/run publishes.</summary>
    public static string Runcs { get; } =
        Environment.GetEnvironmentVariable("RUNCS_BINARY") is { Length: > 0 } b ? b : Path.Combine(RepoRoot, "out", "runcs");

    /// <summary>The published shim: RUNCS_SHIM_BINARY, or the repository's out/containerd-shim-runcs-v2.</summary>
    public static string Shim { get; } =
        Environment.GetEnvironmentVariable("RUNCS_SHIM_BINARY") is { Length: > 0 } s ? s : Path.Combine(RepoRoot, "out", "containerd-shim-runcs-v2");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OciRuntime.sln")))
                return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (OciRuntime.sln) above " + AppContext.BaseDirectory);
    }
}
