using Runcs.Integration.Tests.Support;
using Runcs.Shim.Api;

namespace Runcs.Integration.Tests.Shim;

/// <summary>The shim binary's own command line, outside containerd.</summary>
public class ShimBinaryTests
{
    [Test]
    public void Info_prints_a_RuntimeInfo_with_the_runtimes_features()
    {
        var output = Path.Combine(TestRootfs.RunDirectory, "info.pb");
        var result = ProcessRunner.Run("/bin/sh", ["-c", $"exec \"{Paths.Shim}\" -info > {output}"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var info = RuntimeInfo.Parser.ParseFrom(File.ReadAllBytes(output));
        info.Name.Should().Be("io.containerd.runcs.v2");
        info.Version.Version.Should().NotBeEmpty();
        info.Features.TypeUrl.Should().Be("types.containerd.io/opencontainers/runtime-spec/1/features/Features");
        info.Features.Value.ToStringUtf8().Should().Contain("\"ociVersionMin\"");
    }

    /// <summary>What containerd reads back from `delete` after a shim died: a DeleteResponse saying SIGKILL.</summary>
    [Test]
    public void Delete_prints_a_DeleteResponse_even_for_a_container_that_never_was()
    {
        var bundle = Directory.CreateDirectory(Path.Combine(TestRootfs.RunDirectory, "delete-bundle")).FullName;
        var output = Path.Combine(TestRootfs.RunDirectory, "delete.pb");
        var result = ProcessRunner.Run("/bin/sh", ["-c",
            $"exec \"{Paths.Shim}\" -namespace runcs-delete-test -address /run/no-such-containerd.sock -id never-was -bundle {bundle} delete > {output}"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var response = DeleteResponse.Parser.ParseFrom(File.ReadAllBytes(output));
        response.ExitStatus.Should().Be(128 + 9);
        response.Pid.Should().Be(0);
        response.ExitedAt.Should().NotBeNull();
    }

    [Test]
    public void V_prints_the_version_and_a_bad_flag_is_refused()
    {
        ProcessRunner.Run(Paths.Shim, ["-v"]).Stdout.Should().Contain("Version:");
        var bad = ProcessRunner.Run(Paths.Shim, ["-no-such-flag"]);
        bad.ExitCode.Should().NotBe(0);
        bad.Stderr.Should().Contain("flag provided but not defined: -no-such-flag");
    }
}
