namespace Runcs.Runtime.Cgroups.Devices;

/// <summary>
/// The cgroup v1 devices controller, modelled: a default behaviour (allow or
/// deny every device) and a list of exceptions to it, changed by rules the
/// way the kernel's devcgroup_update_access changes them. The same model
/// drives both layouts: on v1 its state is written to devices.allow and
/// devices.deny, on v2 it is compiled into an eBPF program, so a config means
/// the same thing on either host.
/// </summary>
public sealed class DeviceCgroupModel
{
    private readonly Dictionary<(DeviceKind Kind, long Major, long Minor), DeviceAccess> exceptions = [];

    /// <summary>True when devices are allowed unless an exception denies them (the kernel's DEVCG_DEFAULT_ALLOW).</summary>
    public bool DefaultAllow { get; private set; }

    /// <summary>True when every device is allowed and nothing is excepted.</summary>
    public bool AllowsEverything => DefaultAllow && exceptions.Count == 0;

    /// <summary>The exceptions, each an allow rule when the default is deny and a deny rule otherwise, in a stable order.</summary>
    public IReadOnlyList<DeviceRule> Exceptions =>
        exceptions.OrderBy(e => e.Key.Major).ThenBy(e => e.Key.Minor).ThenBy(e => e.Key.Kind == DeviceKind.Block ? 'b' : 'c')
            .Select(e => new DeviceRule(e.Key.Kind, e.Key.Major, e.Key.Minor, e.Value, !DefaultAllow))
            .ToList();

    /// <summary>A model that starts by denying everything and applies the rules in order; a rule the controller cannot express fails naming its field.</summary>
    public static DeviceCgroupModel From(IEnumerable<(DeviceRule Rule, string? Field)> rules)
    {
        var model = new DeviceCgroupModel();
        foreach (var (rule, field) in rules)
            model.Apply(rule, field);
        return model;
    }

    /// <summary>
    /// A rule of kind 'a' resets the default and drops every exception. Any
    /// other rule either adds to an exception (when it goes against the
    /// default) or takes access away from the exception of exactly that
    /// device. Taking access away from a device that a wildcard exception
    /// covers cannot work (the kernel would silently keep the wildcard), so
    /// that is an error, as in runc. Field is null for the rules runc adds to
    /// every container.
    /// </summary>
    public void Apply(DeviceRule rule, string? field)
    {
        if (rule.Kind == DeviceKind.All)
        {
            DefaultAllow = rule.Allow;
            exceptions.Clear();
            return;
        }
        var key = (rule.Kind, rule.Major, rule.Minor);
        if (rule.Allow != DefaultAllow)
        {
            exceptions[key] = exceptions.GetValueOrDefault(key) | rule.Access;
            return;
        }
        foreach (var wider in new[] { (rule.Kind, DeviceRule.Any, rule.Minor), (rule.Kind, rule.Major, DeviceRule.Any), (rule.Kind, DeviceRule.Any, DeviceRule.Any) })
        {
            if (wider != key && (exceptions.GetValueOrDefault(wider) & rule.Access) != 0)
            {
                var covering = new DeviceRule(wider.Kind, wider.Item2, wider.Item3, exceptions[wider], !DefaultAllow);
                var what = field is null ? "the rule every container gets" : "rule";
                throw ResourceField.Error(field ?? "devices", $"cannot {(rule.Allow ? "allow" : "deny")} {what} \"{rule.CgroupLine}\" inside the earlier \"{covering.CgroupLine}\" (the devices cgroup cannot punch a hole in a wildcard rule)");
            }
        }
        var left = exceptions.GetValueOrDefault(key) & ~rule.Access;
        if (left == DeviceAccess.None)
            exceptions.Remove(key);
        else
            exceptions[key] = left;
    }

    /// <summary>
    /// Whether an access is allowed, as the kernel decides it: with a deny
    /// default, one exception must grant all of the access asked for; with an
    /// allow default, an exception that denies any part of it refuses it.
    /// </summary>
    public bool Allows(DeviceKind kind, long major, long minor, DeviceAccess access)
    {
        foreach (var ((k, exMajor, exMinor), exAccess) in exceptions)
        {
            if (k != kind || (exMajor != DeviceRule.Any && exMajor != major) || (exMinor != DeviceRule.Any && exMinor != minor))
                continue;
            if (DefaultAllow && (access & exAccess) != 0)
                return false;
            if (!DefaultAllow && (access & ~exAccess) == 0)
                return true;
        }
        return DefaultAllow;
    }
}
