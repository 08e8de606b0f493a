using Runcs.Integration.Tests;
using System.Text.Json;
using Runcs.Runtime.Container;
using Runcs.Spec;

namespace Runcs.Integration.Tests.Support;

/// <summary>
/// An OCI bundle for one test: a private copy of the busybox rootfs and a
/// config.json that starts as `runcs spec` writes it (runc's example),
/// made non-interactive, and then edited by the test.
/// </summary>
public sealed class TestBundle
{
    public TestBundle(string dir, Config config)
    {
        Dir = dir;
        Config = config;
    }

    public string Dir { get; }

    public string Rootfs => Path.Combine(Dir, "rootfs");

    public string ConfigPath => Path.Combine(Dir, "config.json");

    public Config Config { get; }

    /// <summary>The default test config: no terminal, `true` as the process, cgroups below the test's own.</summary>
    public static Config DefaultConfig(string id)
    {
        var config = ExampleConfig.Create(rootless: false);
        config.Process!.Terminal = false;
        config.Process.Args = ["true"];
        config.Linux!.CgroupsPath = CgroupLeaks.TestParent + "/" + id;
        return config;
    }

    public static TestBundle Create(string dir, string id, Action<Config>? edit)
    {
        Directory.CreateDirectory(dir);
        var copy = ProcessRunner.Run("cp", ["-a", TestRootfs.Template, Path.Combine(dir, "rootfs")]);
        if (copy.ExitCode != 0)
            throw new InvalidOperationException("copying the rootfs failed: " + copy);
        var bundle = new TestBundle(dir, DefaultConfig(id));
        edit?.Invoke(bundle.Config);
        bundle.Save();
        return bundle;
    }

    /// <summary>Writes config.json again after more edits.</summary>
    public void Save() => File.WriteAllText(ConfigPath, JsonSerializer.Serialize(Config, SpecJsonContext.Indented.Config));

    /// <summary>Sets the process to `sh -c script`.</summary>
    public static Action<Config> Shell(string script) => c => c.Process!.Args = ["sh", "-c", script];
}
