namespace Runcs.Runtime.Cgroups.Devices;

/// <summary>What a device rule is about: the kernel's DEVCG_DEV_* kinds ('a' is every device).</summary>
public enum DeviceKind
{
    All,
    Char,
    Block,
}

/// <summary>The kernel's DEVCG_ACC_* bits, the values the cgroup device eBPF context carries.</summary>
[Flags]
public enum DeviceAccess
{
    None = 0,
    Mknod = 1,
    Read = 2,
    Write = 4,
    All = Mknod | Read | Write,
}

/// <summary>
/// One entry of the device allow-list, as the v1 devices controller reads it
/// ("c 1:3 rwm" written to devices.allow or devices.deny). A major or minor of
/// -1 is the wildcard '*'.
/// </summary>
public readonly record struct DeviceRule(DeviceKind Kind, long Major, long Minor, DeviceAccess Access, bool Allow)
{
    public const long Any = -1;

    /// <summary>The line devices.allow / devices.deny take, and devices.list shows.</summary>
    public string CgroupLine
    {
        get
        {
            var kind = Kind switch { DeviceKind.Char => 'c', DeviceKind.Block => 'b', _ => 'a' };
            return $"{kind} {Number(Major)}:{Number(Minor)} {AccessString(Access)}";
        }
    }

    public static string AccessString(DeviceAccess access) =>
        (access.HasFlag(DeviceAccess.Read) ? "r" : "") + (access.HasFlag(DeviceAccess.Write) ? "w" : "") + (access.HasFlag(DeviceAccess.Mknod) ? "m" : "");

    public static DeviceAccess ParseAccess(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return DeviceAccess.All; // the spec's default: absent access means all three
        var access = DeviceAccess.None;
        foreach (var c in text)
        {
            access |= c switch
            {
                'r' => DeviceAccess.Read,
                'w' => DeviceAccess.Write,
                'm' => DeviceAccess.Mknod,
                _ => throw new ArgumentException($"invalid access \"{text}\""),
            };
        }
        return access;
    }

    public static DeviceKind ParseKind(string? text) => text switch
    {
        null or "" or "a" => DeviceKind.All,
        "c" => DeviceKind.Char,
        "b" => DeviceKind.Block,
        _ => throw new ArgumentException($"unknown device type \"{text}\""),
    };

    public override string ToString() => (Allow ? "allow " : "deny ") + CgroupLine;

    private static string Number(long n) => n < 0 ? "*" : n.ToString();
}
