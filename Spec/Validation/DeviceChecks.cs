namespace Runcs.Spec;

/// <summary>Checks of <c>linux.devices</c>: what mknod(2) needs to make each node.</summary>
internal static class DeviceChecks
{
    public static void Check(List<LinuxDevice>? devices, ValidationErrors errors)
    {
        for (var i = 0; i < (devices?.Count ?? 0); i++)
            CheckDevice(devices![i], JsonPath.Element("linux.devices", i), errors);
    }

    private static void CheckDevice(LinuxDevice device, string path, ValidationErrors errors)
    {
        if (!device.Path.StartsWith('/'))
            errors.Add(JsonPath.Member(path, "path"), $"must be an absolute path, got \"{device.Path}\"");
        if (!KnownNames.DeviceTypes.Contains(device.Type))
        {
            errors.Add(JsonPath.Member(path, "type"), $"unknown device type \"{device.Type}\" (expected c, b, u or p)");
            return;
        }
        // A FIFO has no device number; every other node type needs both halves.
        if (device.Type == "p")
            return;
        if (device.Major is null)
            errors.Add(JsonPath.Member(path, "major"), $"must be set for a \"{device.Type}\" device");
        if (device.Minor is null)
            errors.Add(JsonPath.Member(path, "minor"), $"must be set for a \"{device.Type}\" device");
    }
}
