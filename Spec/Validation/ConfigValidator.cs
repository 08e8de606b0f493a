namespace Runcs.Spec;

/// <summary>
/// Checks that a config read by <see cref="SpecReader"/> can be run, before anything is created, so that a bad bundle
/// fails with the JSON path of the bad value instead of halfway through a create. Types were checked by the reader;
/// these checks are about values: ranges, known names, absolute paths, and settings that need a namespace.
/// Every problem is reported, not just the first.
/// </summary>
public static class ConfigValidator
{
    /// <summary>Checks a whole config.json.</summary>
    public static IReadOnlyList<ValidationError> Validate(Config config)
    {
        var errors = new ValidationErrors();
        CheckVersion(config.OciVersion, errors);
        CheckRoot(config.Root, errors);
        if (config.Process is null)
            errors.Add("process", "must be set");
        else
            ProcessChecks.Check(config.Process, "process", errors);
        MountChecks.Check(config, errors);
        HookChecks.Check(config.Hooks, errors);
        NamespaceChecks.Check(config, errors);
        if (config.Linux is { } linux)
        {
            DeviceChecks.Check(linux.Devices, errors);
            LinuxChecks.Check(linux, errors);
            if (linux.Seccomp is not null)
                SeccompChecks.Check(linux.Seccomp, errors);
            if (linux.Resources is not null)
                ResourceChecks.Check(linux.Resources, "linux.resources", errors);
        }
        return errors;
    }

    /// <summary>Checks the process.json of <c>exec --process</c>; paths are relative to that document ("args").</summary>
    public static IReadOnlyList<ValidationError> ValidateProcess(Process process)
    {
        var errors = new ValidationErrors();
        ProcessChecks.Check(process, "", errors);
        return errors;
    }

    /// <summary>Checks the document of <c>update --resources</c>; paths are relative to that document ("devices[0].type").</summary>
    public static IReadOnlyList<ValidationError> ValidateResources(LinuxResources resources)
    {
        var errors = new ValidationErrors();
        ResourceChecks.Check(resources, "", errors);
        return errors;
    }

    private static void CheckVersion(string version, ValidationErrors errors)
    {
        if (version.Length == 0)
            errors.Add("ociVersion", "must be set");
        else if (!SpecVersion.TryParse(version, out _, out _, out _))
            errors.Add("ociVersion", $"\"{version}\" is not a semantic version");
        else if (!SpecVersion.IsSupported(version))
            errors.Add("ociVersion", $"version \"{version}\" is not supported (supported: {SpecVersion.Minimum} to 1.3.x)");
    }

    private static void CheckRoot(Root? root, ValidationErrors errors)
    {
        if (root is null)
            errors.Add("root", "must be set");
        else if (root.Path.Length == 0)
            errors.Add("root.path", "must not be empty");
    }
}
