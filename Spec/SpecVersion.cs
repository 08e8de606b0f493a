namespace Runcs.Spec;

/// <summary>The runtime-spec versions this model implements, and the check config.json's <c>ociVersion</c> must pass.</summary>
public static class SpecVersion
{
    /// <summary>The spec version this model follows; what we write in states and report as <c>ociVersionMax</c>.</summary>
    public const string Current = "1.3.0";

    /// <summary>The oldest version we accept in config.json; reported as <c>ociVersionMin</c>.</summary>
    public const string Minimum = "1.0.0";

    /// <summary>
    /// Whether a bundle written for <paramref name="version"/> can be run: any 1.0.x to 1.3.x release, pre-release
    /// ("1.0.2-dev", what runc 1.1 writes) or build ("1.3.0+dev"). Pre-releases are judged by their x.y.z only, so
    /// that old "1.0.0-rc5" bundles keep working as they do with runc.
    /// </summary>
    public static bool IsSupported(string version) =>
        TryParse(version, out var major, out var minor, out _) && major == 1 && minor <= 3;

    /// <summary>Parses a SemVer 2.0.0 string into its x.y.z; false when it is not one.</summary>
    public static bool TryParse(string version, out int major, out int minor, out int patch)
    {
        major = minor = patch = 0;
        var core = version;
        var build = core.IndexOf('+');
        if (build >= 0)
        {
            if (!AreIdentifiers(core[(build + 1)..]))
                return false;
            core = core[..build];
        }
        var preRelease = core.IndexOf('-');
        if (preRelease >= 0)
        {
            if (!AreIdentifiers(core[(preRelease + 1)..]))
                return false;
            core = core[..preRelease];
        }
        var numbers = core.Split('.');
        return numbers.Length == 3
            && TryParseNumber(numbers[0], out major)
            && TryParseNumber(numbers[1], out minor)
            && TryParseNumber(numbers[2], out patch);
    }

    /// <summary>A version number: digits without a leading zero.</summary>
    private static bool TryParseNumber(string text, out int value)
    {
        value = 0;
        return text.Length > 0 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, out value);
    }

    /// <summary>Dot-separated, non-empty identifiers of letters, digits and hyphens (pre-release and build parts).</summary>
    private static bool AreIdentifiers(string text) =>
        text.Split('.').All(id => id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
}
