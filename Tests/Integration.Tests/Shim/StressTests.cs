namespace Runcs.Integration.Tests.Shim;

/// <summary>Many containers through containerd: each shim goes away with its container (the teardown checks).</summary>
public class ShimStressTests : ShimTest
{
    [Test]
    public void Fifty_containers_in_a_row_leave_no_shim_mount_cgroup_or_fifo_behind()
    {
        for (int i = 0; i < 50; i++)
        {
            var result = Run(NewId("many"), "true");
            result.ExitCode.Should().Be(0, $"run {i}: {result}");
        }
    }
}
