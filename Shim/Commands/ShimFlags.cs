namespace Runcs.Shim.Commands;

/// <summary>
/// The command line containerd gives a shim, in Go's flag syntax (-name
/// value, -name=value, or with two dashes):
/// <c>-namespace NS -address SOCK -publish-binary BIN -id ID [-bundle DIR] [-debug] start|delete</c>,
/// plus -v and -info. No verb means "be the daemon" (how start re-executes the binary).
/// </summary>
public sealed record ShimFlags
{
    public string Namespace { get; init; } = "";
    public string Address { get; init; } = "";
    public string PublishBinary { get; init; } = "";
    public string Id { get; init; } = "";
    public string Bundle { get; init; } = "";
    public bool Debug { get; init; }
    public bool Version { get; init; }
    public bool Info { get; init; }

    /// <summary>"start", "delete", or "" for the daemon.</summary>
    public string Action { get; init; } = "";

    private static readonly HashSet<string> BoolFlags = ["debug", "v", "info"];

    /// <summary>Flags with a value; containerd 2.x also passes -socket and -debug-level, which the shim reads elsewhere.</summary>
    private static readonly HashSet<string> ValueFlags = ["namespace", "address", "publish-binary", "id", "bundle", "socket", "debug-level"];

    public static ShimFlags Parse(IReadOnlyList<string> args)
    {
        var flags = new ShimFlags();
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-" )
            {
                if (flags.Action.Length > 0)
                    throw new ArgumentException($"unexpected argument {arg}");
                flags = flags with { Action = arg };
                continue;
            }
            var name = arg.TrimStart('-');
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0)
                (name, value) = (name[..eq], name[(eq + 1)..]);
            if (BoolFlags.Contains(name))
            {
                bool on = value is null || value is "true" or "1";
                flags = name switch
                {
                    "debug" => flags with { Debug = on },
                    "v" => flags with { Version = on },
                    _ => flags with { Info = on },
                };
                continue;
            }
            if (!ValueFlags.Contains(name))
                throw new ArgumentException($"flag provided but not defined: -{name}");
            if (value is null)
            {
                if (i + 1 >= args.Count)
                    throw new ArgumentException($"flag needs an argument: -{name}");
                value = args[++i];
            }
            flags = name switch
            {
                "namespace" => flags with { Namespace = value },
                "address" => flags with { Address = value },
                "publish-binary" => flags with { PublishBinary = value },
                "id" => flags with { Id = value },
                "bundle" => flags with { Bundle = value },
                _ => flags,
            };
        }
        return flags;
    }

    /// <summary>Where this shim's containers live in the runtime's state root: beside containerd's socket, per namespace.</summary>
    public string StateRoot()
    {
        var containerdDir = Path.GetDirectoryName(Address) is { Length: > 0 } d ? d : "/run/containerd";
        return Path.Combine(containerdDir, "runcs", Namespace);
    }
}
