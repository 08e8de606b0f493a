using Runcs.Spec;

namespace Runcs.Runtime.Container;

/// <summary>An OCI bundle on disk: config.json read and validated, the rootfs found.</summary>
public static class Bundle
{
    public const string ConfigFile = "config.json";

    /// <summary>Reads and validates BUNDLE/config.json; the first problem becomes the error, naming the file and field.</summary>
    public static Config Read(string bundle) => Read(bundle, out _);

    /// <summary>Also returns the bytes read, which create keeps in the state directory.</summary>
    public static Config Read(string bundle, out byte[] bytes)
    {
        if (!Directory.Exists(bundle))
            throw new RuntimeException($"bundle {bundle}: no such directory");
        var path = Path.Combine(bundle, ConfigFile);
        Config config;
        try
        {
            bytes = SpecReader.ReadBytes(path);
            config = SpecReader.Parse(bytes, path, SpecJsonContext.Default.Config);
        }
        catch (SpecException e)
        {
            throw new RuntimeException(e.Message, e);
        }
        var errors = ConfigValidator.Validate(config);
        if (errors.Count > 0)
            throw new RuntimeException($"{path}: {errors[0]}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""));
        if (!config.Linux?.Namespaces?.Any(n => n.Type == "mount") ?? true)
            throw new RuntimeException($"{path}: linux.namespaces: a mount namespace is required");
        return config;
    }

    /// <summary>root.path made absolute (relative to the bundle), which must be a directory.</summary>
    public static string Rootfs(string bundle, Config config)
    {
        var root = config.Root!.Path;
        var rootfs = Path.GetFullPath(Path.IsPathRooted(root) ? root : Path.Combine(bundle, root));
        if (!Directory.Exists(rootfs))
            throw new RuntimeException($"invalid rootfs: stat {rootfs}: no such file or directory");
        return rootfs;
    }
}
