using System.Diagnostics;

namespace Runcs.Integration.Tests.Support;

/// <summary>
/// A containerd of the tests' own (Debian's package), with its root, state,
/// socket and config in a temp dir, the published shim first on its PATH,
/// and the busybox image (scripts/make-image.sh) imported into a namespace
/// of its own. Stopped by pid; never touches the host's containerd.
/// </summary>
public sealed class PrivateContainerd
{
    public const string Runtime = "io.containerd.runcs.v2";
    public const string Image = "localhost/runcs-busybox:latest";

    private Process? process;

    private PrivateContainerd(string dir, string ns)
    {
        Dir = dir;
        Namespace = ns;
    }

    public string Dir { get; }

    public string Namespace { get; }

    public string Socket => Path.Combine(Dir, "containerd.sock");

    public string Log => Path.Combine(Dir, "containerd.log");

    /// <summary>The shims' state root in the runtime: beside containerd's socket, per namespace.</summary>
    public string RuntimeStateRoot => Path.Combine(Dir, "runcs", Namespace);

    public int Pid => process?.Id ?? 0;

    public static PrivateContainerd Start(string dir)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.toml"), $"""
            version = 2
            root = "{dir}/root"
            state = "{dir}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{dir}/containerd.sock"
            """);
        var containerd = new PrivateContainerd(dir, "runcs-it-" + Guid.NewGuid().ToString("N")[..8]);
        containerd.Launch();
        var image = Path.Combine(dir, "busybox.tar");
        var made = ProcessRunner.Run(Path.Combine(Paths.RepoRoot, "scripts", "make-image.sh"), [image]);
        if (made.ExitCode != 0)
            throw new InvalidOperationException("make-image.sh failed: " + made);
        containerd.CtrOk("image", "import", image);
        return containerd;
    }

    /// <summary>Starts containerd (again) on the same root and state, and waits until it answers.</summary>
    public void Launch()
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in (string[])["-c", "exec containerd --config \"$0/config.toml\" --log-level debug >>\"$0/containerd.log\" 2>&1 </dev/null", Dir])
            info.ArgumentList.Add(a);
        info.Environment["PATH"] = Path.GetDirectoryName(Paths.Shim) + ":" + Environment.GetEnvironmentVariable("PATH");
        process = Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Ctr("version").ExitCode != 0)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException("containerd did not start:\n" + File.ReadAllText(Log));
            Thread.Sleep(100);
        }
    }

    /// <summary>Kills containerd as a crash would (SIGKILL); its shims go on running.</summary>
    public void Kill()
    {
        process?.Kill();
        process?.WaitForExit();
    }

    /// <summary>Stops containerd (SIGTERM, by pid) and waits for it.</summary>
    public void Stop()
    {
        if (process is null || process.HasExited)
            return;
        ProcessRunner.Run("kill", ["-TERM", process.Id.ToString()]);
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            Kill();
    }

    /// <summary>ctr against this containerd and namespace; stdin from the given text.</summary>
    public CommandResult CtrWith(string? stdin, params string[] args) =>
        ProcessRunner.Run("ctr", ["--address", Socket, "--namespace", Namespace, .. args], stdin, TimeSpan.FromSeconds(60));

    public CommandResult Ctr(params string[] args) => CtrWith(null, args);

    public CommandResult CtrOk(params string[] args)
    {
        var result = Ctr(args);
        if (result.ExitCode != 0)
            Assert.Fail($"ctr {string.Join(' ', args)} failed:\n{result}");
        return result;
    }

    /// <summary>containerd's bundle directory for a task (where the shim finds config.json and writes its address).</summary>
    public string BundleOf(string id) => Path.Combine(Dir, "state", "io.containerd.runtime.v2.task", Namespace, id);
}
