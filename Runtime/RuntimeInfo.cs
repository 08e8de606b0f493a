using System.Reflection;

namespace Runcs.Runtime;

/// <summary>Versions runcs reports.</summary>
public static class RuntimeInfo
{
    /// <summary>The runtime-spec version runcs implements.</summary>
    public const string SpecVersion = "1.3.0";

    public static string Version { get; } =
        typeof(RuntimeInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
