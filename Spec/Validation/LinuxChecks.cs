namespace Runcs.Spec;

/// <summary>Checks of the smaller <c>linux</c> fields: sysctl, personality, netDevices, memoryPolicy and intelRdt.</summary>
internal static class LinuxChecks
{
    /// <summary>IFNAMSIZ less the terminating NUL.</summary>
    private const int MaxInterfaceNameLength = 15;

    public static void Check(Linux linux, ValidationErrors errors)
    {
        foreach (var key in linux.Sysctl?.Keys ?? Enumerable.Empty<string>())
            CheckSysctlName(key, errors);
        if (linux.Personality is { } personality && !KnownNames.PersonalityDomains.Contains(personality.Domain))
            errors.Add("linux.personality.domain", $"unknown domain \"{personality.Domain}\" (expected LINUX or LINUX32)");
        foreach (var (hostName, device) in linux.NetDevices ?? [])
            CheckNetDevice(hostName, device, errors);
        if (linux.MemoryPolicy is { } policy)
            CheckMemoryPolicy(policy, errors);
        if (linux.IntelRdt?.ClosId is { } closId && (closId is "." or ".." || closId.Contains('/')))
            errors.Add("linux.intelRdt.closID", $"invalid resctrl group name \"{closId}\"");
    }

    /// <summary>
    /// A sysctl name becomes a path below /proc/sys ("net.ipv4.ip_forward" is net/ipv4/ip_forward; "/" may be used as
    /// the separator too), so an empty or ".." component could write outside of it.
    /// </summary>
    private static void CheckSysctlName(string name, ValidationErrors errors)
    {
        var path = JsonPath.Member("linux.sysctl", name);
        if (name.Length == 0)
            errors.Add(path, "sysctl name must not be empty");
        else if (name.Split('.', '/').Any(part => part is "" or ".."))
            errors.Add(path, $"invalid sysctl name \"{name}\"");
    }

    private static void CheckNetDevice(string hostName, LinuxNetDevice device, ValidationErrors errors)
    {
        var path = JsonPath.Member("linux.netDevices", hostName);
        if (!IsValidInterfaceName(hostName))
            errors.Add(path, $"invalid network device name \"{hostName}\"");
        if (!string.IsNullOrEmpty(device.Name) && !IsValidInterfaceName(device.Name))
            errors.Add(JsonPath.Member(path, "name"), $"invalid network device name \"{device.Name}\"");
    }

    /// <summary>The kernel's dev_valid_name(): 1 to 15 bytes, not "." or "..", no slash, colon or whitespace.</summary>
    private static bool IsValidInterfaceName(string name) =>
        name.Length is > 0 and <= MaxInterfaceNameLength
        && name is not ("." or "..")
        && !name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c));

    /// <summary>Which modes take a node list, as set_mempolicy(2) (and runc) decide it.</summary>
    private static void CheckMemoryPolicy(LinuxMemoryPolicy policy, ValidationErrors errors)
    {
        const string path = "linux.memoryPolicy";
        var hasNodes = !string.IsNullOrEmpty(policy.Nodes);
        if (hasNodes && !CpuList.IsValid(policy.Nodes!))
            errors.Add(JsonPath.Member(path, "nodes"), $"invalid node list \"{policy.Nodes}\" (expected a list like \"0-3,7\")");
        switch (policy.Mode)
        {
            case "MPOL_DEFAULT" or "MPOL_LOCAL" when hasNodes:
                errors.Add(JsonPath.Member(path, "nodes"), $"must be empty for {policy.Mode}");
                break;
            case "MPOL_BIND" or "MPOL_INTERLEAVE" or "MPOL_WEIGHTED_INTERLEAVE" or "MPOL_PREFERRED_MANY" when !hasNodes:
                errors.Add(JsonPath.Member(path, "nodes"), $"must name at least one node for {policy.Mode}");
                break;
            case var mode when !KnownNames.MemoryPolicyModes.Contains(mode):
                errors.Add(JsonPath.Member(path, "mode"), $"unknown memory policy mode \"{mode}\"");
                break;
        }
        for (var i = 0; i < (policy.Flags?.Count ?? 0); i++)
        {
            if (!KnownNames.MemoryPolicyFlags.Contains(policy.Flags![i]))
                errors.Add(JsonPath.Element(JsonPath.Member(path, "flags"), i), $"unknown memory policy flag \"{policy.Flags[i]}\"");
        }
    }
}
