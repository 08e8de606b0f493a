using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests;

/// <summary>
/// The busybox-static rootfs every test bundle copies, made once per test
/// run by scripts/make-rootfs.sh (the same script users run).
/// </summary>
[SetUpFixture]
public sealed class TestRootfs
{
    public static string Template { get; private set; } = "";

    /// <summary>Everything a test run makes goes below this directory.</summary>
    public static string RunDirectory { get; private set; } = "";

    [OneTimeSetUp]
    public void MakeRootfs()
    {
        if (!File.Exists(Paths.Runcs))
            Assert.Fail($"{Paths.Runcs} does not exist: publish runcs first (dotnet publish Runtime/Cli/Cli.csproj -c Release -o out)");
        RunDirectory = Directory.CreateTempSubdirectory("runcs-it-").FullName;
        // Containers in a user namespace run as an unprivileged host uid, which must reach their rootfs.
        File.SetUnixFileMode(RunDirectory, (UnixFileMode)0x1ed /* 0755 */);
        Template = Path.Combine(RunDirectory, "rootfs");
        var result = ProcessRunner.Run(Path.Combine(Paths.RepoRoot, "scripts", "make-rootfs.sh"), [Template]);
        if (result.ExitCode != 0)
            Assert.Fail("make-rootfs.sh failed: " + result);
        // /bin/probe makes raw system calls for the seccomp and confinement tests;
        // /bin/exe-attacker tries to overwrite the runtime binary for the CVE tests.
        foreach (var tool in new[] { "probe", "exe-attacker" })
        {
            var build = ProcessRunner.Run("gcc", ["-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", Path.Combine(Template, "bin", tool),
                Path.Combine(Paths.RepoRoot, "Tests", "Integration.Tests", "Support", tool + ".c")]);
            if (build.ExitCode != 0)
                Assert.Fail($"building {tool} failed: " + build);
        }
    }

    [OneTimeTearDown]
    public void RemoveRunDirectory()
    {
        CgroupLeaks.RemoveTestParents();
        if (Directory.Exists(RunDirectory))
            ProcessRunner.Run("rm", ["-rf", "--one-file-system", RunDirectory]);
    }
}
