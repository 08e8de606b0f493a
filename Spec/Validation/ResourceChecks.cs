namespace Runcs.Spec;

/// <summary>
/// Checks of <c>linux.resources</c> (and of <c>update</c>'s resources document). Most limits are left for the kernel
/// to judge; what is checked here are the values that become cgroup file names, where a slash would leave the cgroup.
/// </summary>
internal static class ResourceChecks
{
    public static void Check(LinuxResources resources, string path, ValidationErrors errors)
    {
        var devicesPath = JsonPath.Member(path, "devices");
        for (var i = 0; i < (resources.Devices?.Count ?? 0); i++)
            CheckDeviceRule(resources.Devices![i], JsonPath.Element(devicesPath, i), errors);

        var hugepagePath = JsonPath.Member(path, "hugepageLimits");
        for (var i = 0; i < (resources.HugepageLimits?.Count ?? 0); i++)
        {
            var pageSize = resources.HugepageLimits![i].PageSize;
            if (!IsFileNamePart(pageSize))
                errors.Add(JsonPath.Member(JsonPath.Element(hugepagePath, i), "pageSize"), $"invalid page size \"{pageSize}\"");
        }

        foreach (var file in resources.Unified?.Keys ?? Enumerable.Empty<string>())
        {
            if (!IsFileNamePart(file) || file is "." or "..")
                errors.Add(JsonPath.Member(JsonPath.Member(path, "unified"), file), $"invalid cgroup file name \"{file}\"");
        }
    }

    private static void CheckDeviceRule(LinuxDeviceCgroup rule, string path, ValidationErrors errors)
    {
        if (!string.IsNullOrEmpty(rule.Type) && !KnownNames.DeviceCgroupTypes.Contains(rule.Type))
            errors.Add(JsonPath.Member(path, "type"), $"unknown device type \"{rule.Type}\" (expected a, c or b)");
        if (rule.Access is { } access && !access.All(c => c is 'r' or 'w' or 'm'))
            errors.Add(JsonPath.Member(path, "access"), $"invalid access \"{access}\" (expected letters from \"rwm\")");
    }

    private static bool IsFileNamePart(string name) => name.Length > 0 && !name.Contains('/') && !name.Contains('\0');
}
