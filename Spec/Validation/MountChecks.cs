namespace Runcs.Spec;

/// <summary>Checks of <c>mounts</c> and of the mount-related <c>linux</c> fields.</summary>
internal static class MountChecks
{
    public static void Check(Config config, ValidationErrors errors)
    {
        var hasUserNamespace = config.Linux?.Namespaces?.Any(n => n.Type == "user") == true;
        for (var i = 0; i < (config.Mounts?.Count ?? 0); i++)
        {
            CheckMount(config.Mounts![i], JsonPath.Element("mounts", i), errors);
            CheckIdMapped(config.Mounts[i], JsonPath.Element("mounts", i), hasUserNamespace, errors);
        }

        if (config.Linux is not { } linux)
            return;
        if (!string.IsNullOrEmpty(linux.RootfsPropagation) && !KnownNames.RootfsPropagations.Contains(linux.RootfsPropagation))
            errors.Add("linux.rootfsPropagation", $"unknown propagation \"{linux.RootfsPropagation}\"");
        CheckAbsolute(linux.MaskedPaths, "linux.maskedPaths", errors);
        CheckAbsolute(linux.ReadonlyPaths, "linux.readonlyPaths", errors);
    }

    /// <summary>
    /// A relative destination is accepted: runc reads it as relative to "/" (with a deprecation warning), and
    /// bundles in the wild rely on it.
    /// </summary>
    private static void CheckMount(Mount mount, string path, ValidationErrors errors)
    {
        if (mount.Destination.Length == 0)
            errors.Add(JsonPath.Member(path, "destination"), "must not be empty");

        // An idmapped mount needs both halves of the mapping: the kernel takes one user namespace for both.
        var hasUid = mount.UidMappings is { Count: > 0 };
        var hasGid = mount.GidMappings is { Count: > 0 };
        if (hasUid && !hasGid)
            errors.Add(JsonPath.Member(path, "gidMappings"), "must be set when uidMappings is (idmapped mounts need both)");
        if (hasGid && !hasUid)
            errors.Add(JsonPath.Member(path, "uidMappings"), "must be set when gidMappings is (idmapped mounts need both)");
        IdMappingChecks.Check(mount.UidMappings, JsonPath.Member(path, "uidMappings"), errors);
        IdMappingChecks.Check(mount.GidMappings, JsonPath.Member(path, "gidMappings"), errors);
    }

    /// <summary>
    /// Id-mapped mounts, as runc takes them: the mappings, or the "idmap"/"ridmap" options, which without mappings
    /// borrow the container's user namespace. The kernel id-maps only mounts it has not attached yet, which runcs
    /// makes for bind mounts alone (runc too).
    /// </summary>
    private static void CheckIdMapped(Mount mount, string path, bool hasUserNamespace, ValidationErrors errors)
    {
        var options = mount.Options ?? [];
        var hasMappings = mount.UidMappings is { Count: > 0 } || mount.GidMappings is { Count: > 0 };
        var hasOption = options.Contains("idmap") || options.Contains("ridmap");
        if (!hasMappings && !hasOption)
            return;
        var field = hasMappings ? JsonPath.Member(path, "uidMappings") : JsonPath.Member(path, "options");
        var isBind = mount.Type == "bind" || options.Contains("bind") || options.Contains("rbind");
        if (!isBind)
            errors.Add(field, "id-mapped mounts are only supported for bind mounts");
        else if (!hasMappings && !hasUserNamespace)
            errors.Add(field, "\"idmap\" without uidMappings and gidMappings takes the container's user namespace mappings, and there is no user namespace");
    }

    private static void CheckAbsolute(List<string>? paths, string path, ValidationErrors errors)
    {
        for (var i = 0; i < (paths?.Count ?? 0); i++)
        {
            if (!paths![i].StartsWith('/'))
                errors.Add(JsonPath.Element(path, i), $"must be an absolute path, got \"{paths[i]}\"");
        }
    }
}
