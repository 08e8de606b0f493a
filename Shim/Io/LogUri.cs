namespace Runcs.Shim.Io;

/// <summary>
/// What a stdout/stderr string names: a plain path or fifo:// is a fifo,
/// binary:// and file:// are logs (containerd's runc shim reads them the same way).
/// </summary>
internal static class LogUri
{
    /// <summary>The URI for binary:// and file://; null for a fifo path (or nothing).</summary>
    public static Uri? Parse(string value)
    {
        if (value.StartsWith("binary://", StringComparison.Ordinal) || value.StartsWith("file://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
                throw new ArgumentException($"invalid log uri {value}");
            return uri;
        }
        return null;
    }
}
