namespace Runcs.Spec;

/// <summary>
/// Checks of <c>linux.namespaces</c>, of the id mappings, and of every setting that only makes sense inside a
/// namespace of the container's own (hostname needs a UTS namespace, time offsets a time namespace, ...).
/// </summary>
internal static class NamespaceChecks
{
    public static void Check(Config config, ValidationErrors errors)
    {
        var linux = config.Linux;
        var namespaces = linux?.Namespaces ?? [];
        CheckEntries(namespaces, errors);

        var user = Find(namespaces, "user");
        CheckMappings(linux?.UidMappings, "linux.uidMappings", user, errors);
        CheckMappings(linux?.GidMappings, "linux.gidMappings", user, errors);

        var uts = Find(namespaces, "uts");
        if (!string.IsNullOrEmpty(config.Hostname) && uts is null)
            errors.Add("hostname", "unable to set hostname without a private UTS namespace");
        if (!string.IsNullOrEmpty(config.Domainname) && uts is null)
            errors.Add("domainname", "unable to set domainname without a private UTS namespace");

        if (linux is null)
            return;
        CheckTimeOffsets(linux.TimeOffsets, Find(namespaces, "time"), errors);
        if (linux.NetDevices is { Count: > 0 } && Find(namespaces, "network") is null)
            errors.Add("linux.netDevices", "unable to move network devices without a network namespace");
        if ((linux.MaskedPaths is { Count: > 0 } || linux.ReadonlyPaths is { Count: > 0 }) && Find(namespaces, "mount") is null)
            errors.Add(linux.MaskedPaths is { Count: > 0 } ? "linux.maskedPaths" : "linux.readonlyPaths",
                "unable to restrict paths without a mount namespace");
    }

    private static void CheckEntries(List<LinuxNamespace> namespaces, ValidationErrors errors)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < namespaces.Count; i++)
        {
            var ns = namespaces[i];
            var path = JsonPath.Element("linux.namespaces", i);
            if (!KnownNames.NamespaceTypes.Contains(ns.Type))
                errors.Add(JsonPath.Member(path, "type"), $"unknown namespace type \"{ns.Type}\"");
            else if (!seen.Add(ns.Type))
                errors.Add(JsonPath.Member(path, "type"), $"namespace type \"{ns.Type}\" is given more than once");
            if (!string.IsNullOrEmpty(ns.Path) && !ns.Path.StartsWith('/'))
                errors.Add(JsonPath.Member(path, "path"), $"must be an absolute path, got \"{ns.Path}\"");
        }
    }

    /// <summary>
    /// Mappings need a user namespace to apply to, and a new user namespace needs both mappings: without them every
    /// id in it would be the overflow id and the process could not even setgid.
    /// </summary>
    private static void CheckMappings(List<LinuxIdMapping>? mappings, string path, LinuxNamespace? user, ValidationErrors errors)
    {
        if (user is null)
        {
            if (mappings is { Count: > 0 })
                errors.Add(path, "user namespace mappings need a \"user\" namespace in linux.namespaces");
        }
        else if (string.IsNullOrEmpty(user.Path) && mappings is not { Count: > 0 })
        {
            errors.Add(path, "must be set for a new user namespace");
        }
        IdMappingChecks.Check(mappings, path, errors);
    }

    private static void CheckTimeOffsets(Dictionary<string, LinuxTimeOffset>? offsets, LinuxNamespace? time, ValidationErrors errors)
    {
        if (offsets is null)
            return;
        if (time is null)
            errors.Add("linux.timeOffsets", "time offsets need a \"time\" namespace in linux.namespaces");
        else if (!string.IsNullOrEmpty(time.Path))
            errors.Add("linux.timeOffsets", "cannot be set when joining an existing time namespace");
        foreach (var clock in offsets.Keys)
        {
            if (!KnownNames.TimeNamespaceClocks.Contains(clock))
                errors.Add(JsonPath.Member("linux.timeOffsets", clock), $"unknown clock \"{clock}\" (expected \"monotonic\" or \"boottime\")");
        }
    }

    private static LinuxNamespace? Find(List<LinuxNamespace> namespaces, string type) =>
        namespaces.FirstOrDefault(ns => ns.Type == type);
}
