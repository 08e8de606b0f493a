using Runcs.Runtime.Cgroups.Devices;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// The device rules on the v1 devices controller: the default goes to
/// devices.deny or devices.allow as an 'a' rule (which also clears every
/// exception), then each exception to the other file. The init has not
/// joined yet, so there is no moment where it runs with a partial list.
/// </summary>
public static class V1Devices
{
    public static void Apply(string dir, DeviceCgroupModel model)
    {
        // A fresh cgroup inherits its parent's list; when that already allows everything and so should we, leave it
        // (writing "a" to devices.allow is refused below a parent that restricts devices, as inside another container).
        if (model.AllowsEverything && CgroupFile.Read(dir, "devices.list")?.Trim() == "a *:* rwm")
            return;
        CgroupFile.Write(dir, model.DefaultAllow ? "devices.allow" : "devices.deny", "a", "devices");
        foreach (var exception in model.Exceptions)
            CgroupFile.Write(dir, exception.Allow ? "devices.allow" : "devices.deny", exception.CgroupLine, "devices");
    }
}
