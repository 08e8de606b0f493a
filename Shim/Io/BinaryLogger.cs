using Runcs.Runtime.Native;
using Runcs.Shim.Native;

namespace Runcs.Shim.Io;

/// <summary>
/// A binary:// log URI: a program that reads the process's stdout and stderr
/// from descriptors 3 and 4 and closes descriptor 5 when it is ready, with
/// CONTAINER_ID and CONTAINER_NAMESPACE in its environment and the URI's
/// query as arguments (key, value, ...), as containerd's runc shim runs it.
/// It is started through the plan executor like every child of the shim.
/// </summary>
internal static class BinaryLogger
{
    public static void Start(Uri uri, int stdoutRead, int stderrRead, string id, string ns)
    {
        var (readyRead, readyWrite) = Fd.Pipe();
        // High copies, so the dup2s onto 3, 4 and 5 cannot overwrite a source.
        int o = Fd.DupAbove(stdoutRead, 10), e = Fd.DupAbove(stderrRead, 10), r = Fd.DupAbove(readyWrite, 10);
        try
        {
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            DetachedSpawn.Run([o, e, r], plan =>
            {
                plan.LookupExec(path, "");
                plan.Execve([path, .. QueryArguments(uri)], [$"CONTAINER_ID={id}", $"CONTAINER_NAMESPACE={ns}", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
            }, $"logging binary {path}");
        }
        finally
        {
            Fd.Close(ref o);
            Fd.Close(ref e);
            Fd.Close(ref r);
            Fd.Close(ref readyWrite);
        }
        // Ready: the logger closed (or wrote to) descriptor 5; end of file also comes if it died.
        Fd.Read(readyRead, new byte[1]);
        Fd.Close(ref readyRead);
    }

    private static IEnumerable<string> QueryArguments(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
            yield break;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            yield return Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            if (eq >= 0)
                yield return Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
    }
}
