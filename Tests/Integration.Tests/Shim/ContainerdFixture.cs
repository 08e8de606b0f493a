using Runcs.Integration.Tests.Support;
using Runcs.Runtime.Cgroups;

namespace Runcs.Integration.Tests.Shim;

/// <summary>One private containerd for every shim test, with the busybox image imported.</summary>
[SetUpFixture]
public sealed class ContainerdFixture
{
    public static PrivateContainerd Containerd { get; private set; } = null!;

    /// <summary>containerd's fifo and shim socket directories are the host's; what was there before the tests is not ours.</summary>
    public static IReadOnlySet<string> FifosBefore { get; private set; } = new HashSet<string>();

    public static IReadOnlySet<string> SocketsBefore { get; private set; } = new HashSet<string>();

    [OneTimeSetUp]
    public void StartContainerd()
    {
        if (!File.Exists(Paths.Shim))
            Assert.Fail($"{Paths.Shim} does not exist: publish the shim first (dotnet publish Shim/Cli/ShimCli.csproj -c Release -o out)");
        FifosBefore = ContainerdLeaks.Fifos().ToHashSet();
        SocketsBefore = ContainerdLeaks.ShimSockets().ToHashSet();
        Containerd = PrivateContainerd.Start(Path.Combine(TestRootfs.RunDirectory, "containerd"));
    }

    [OneTimeTearDown]
    public void StopContainerd()
    {
        Containerd.Stop();
        // containerd leaves the namespace's parent cgroup (as with runc); the tests made it, so they remove it.
        foreach (var dir in ContainerdLeaks.CgroupParents(Containerd.Namespace))
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Not empty: a test leaked, and said so.
            }
        }
    }
}

/// <summary>What a container run through containerd and the shim could leave behind.</summary>
public static class ContainerdLeaks
{
    public const string FifoDir = "/run/containerd/fifo";

    public static IEnumerable<string> Fifos() => Directory.Exists(FifoDir) ? Directory.GetFileSystemEntries(FifoDir) : [];

    /// <summary>Shim sockets (/run/containerd/s, where every containerd's shims listen).</summary>
    public static IEnumerable<string> ShimSockets() =>
        Directory.Exists(Runcs.Shim.Commands.ShimSocket.Directory) ? Directory.GetFileSystemEntries(Runcs.Shim.Commands.ShimSocket.Directory) : [];

    /// <summary>/sys/fs/cgroup/HIERARCHY/NAMESPACE in every hierarchy: ctr puts containers at /NAMESPACE/ID.</summary>
    public static IEnumerable<string> CgroupParents(string ns) =>
        CgroupLayout.Detect().Hierarchies.Select(h => Path.Combine(h.MountPoint, ns)).Where(Directory.Exists);

    /// <summary>Shim processes serving this namespace.</summary>
    public static IEnumerable<int> Shims(string ns)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            if (cmdline.Contains("containerd-shim-runcs-v2") && cmdline.Contains($"-namespace {ns} "))
                yield return pid;
        }
    }

    public static IEnumerable<string> Everything(PrivateContainerd containerd)
    {
        foreach (var pid in Shims(containerd.Namespace))
            yield return $"shim process {pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace((char)0, (char)32)}";
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(containerd.Dir + "/state")))
            yield return $"mount: {line}";
        foreach (var parent in CgroupParents(containerd.Namespace))
            foreach (var dir in Directory.GetDirectories(parent))
                yield return $"cgroup {dir}";
        if (Directory.Exists(containerd.RuntimeStateRoot))
            foreach (var dir in Directory.GetDirectories(containerd.RuntimeStateRoot))
                yield return $"runtime state {dir}";
        foreach (var fifo in Fifos().Where(f => !ContainerdFixture.FifosBefore.Contains(f)))
            yield return $"fifo {fifo}";
        foreach (var socket in ShimSockets().Where(s => !ContainerdFixture.SocketsBefore.Contains(s)))
            yield return $"shim socket {socket}";
    }
}
