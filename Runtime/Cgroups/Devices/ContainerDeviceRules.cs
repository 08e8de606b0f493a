using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.Devices;

/// <summary>
/// The device rules a container's cgroup gets, in the order they apply: those of
/// linux.resources.devices, then the ones runc appends to every container (mknod
/// of any device, the standard /dev nodes, ptys, /dev/ptmx and tun/tap). Appending
/// them last means a config cannot take them away; runc does the same and callers
/// (docker, containerd) count on it. A standard node that linux.devices redefines
/// by path loses its automatic rule, again as in runc.
/// </summary>
public static class ContainerDeviceRules
{
    private static readonly (string? Path, DeviceRule Rule)[] AlwaysAllowed =
    [
        (null, new DeviceRule(DeviceKind.Char, DeviceRule.Any, DeviceRule.Any, DeviceAccess.Mknod, true)),
        (null, new DeviceRule(DeviceKind.Block, DeviceRule.Any, DeviceRule.Any, DeviceAccess.Mknod, true)),
        ("/dev/null", Node(1, 3)),
        ("/dev/random", Node(1, 8)),
        ("/dev/full", Node(1, 7)),
        ("/dev/tty", Node(5, 0)),
        ("/dev/zero", Node(1, 5)),
        ("/dev/urandom", Node(1, 9)),
        (null, Node(136, DeviceRule.Any)), // /dev/pts/*
        (null, Node(5, 2)), // /dev/ptmx
        (null, Node(10, 200)), // /dev/net/tun
    ];

    /// <summary>Each rule with the JSON field it came from (null for the automatic ones).</summary>
    public static IReadOnlyList<(DeviceRule Rule, string? Field)> For(LinuxResources? resources, IReadOnlyList<LinuxDevice>? devices)
    {
        var rules = new List<(DeviceRule, string?)>();
        var configured = resources?.Devices ?? [];
        for (int i = 0; i < configured.Count; i++)
        {
            var d = configured[i];
            var field = $"devices[{i}]";
            try
            {
                rules.Add((new DeviceRule(DeviceRule.ParseKind(d.Type), d.Major ?? DeviceRule.Any, d.Minor ?? DeviceRule.Any, DeviceRule.ParseAccess(d.Access), d.Allow), field));
            }
            catch (ArgumentException e)
            {
                throw ResourceField.Error(field, e.Message);
            }
        }
        var redefined = (devices ?? []).Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, rule) in AlwaysAllowed)
            if (path is null || !redefined.Contains(path))
                rules.Add((rule, null));
        return rules;
    }

    private static DeviceRule Node(long major, long minor) => new(DeviceKind.Char, major, minor, DeviceAccess.All, true);
}
