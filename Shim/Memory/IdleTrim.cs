using System.Runtime.InteropServices;

namespace Runcs.Shim.Memory;

/// <summary>
/// A shim spends nearly all its life waiting, one per container, so what it
/// keeps resident between calls is what every container pays. A moment after
/// the last call (never on a call's path) it gives back what it does not
/// need while idle:
/// - the heap: an aggressive full collection compacts and decommits what
///   creating a container allocated (the config's JSON, plans, messages);
/// - code and read-only data: pages of files mapped read-only (this binary,
///   libc) are dropped from the process with MADV_DONTNEED. They are clean
///   copies of the file, so they stay in the page cache, shared with every
///   other shim, and the next call maps back what it runs with minor faults.
///   Without this, each shim would keep every page it ever ran resident.
/// </summary>
public sealed partial class IdleTrim : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A second pass a while later: what runs right after the first (the
    /// runtime's threads settling down after the collection) maps some code
    /// back in, and only then is the shim truly idle.
    /// </summary>
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(5);

    private int pass;
    private const int MADV_DONTNEED = 4;
    private readonly Timer timer;

    public IdleTrim() => timer = new Timer(_ => OnQuiet(), null, Timeout.Infinite, Timeout.Infinite);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);

    /// <summary>A call finished: trim once nothing else has happened for a moment.</summary>
    public void Poke()
    {
        Volatile.Write(ref pass, 0);
        timer.Change(Quiet, Timeout.InfiniteTimeSpan);
    }

    private void OnQuiet()
    {
        Trim();
        if (Interlocked.Increment(ref pass) == 1)
            timer.Change(Settled, Timeout.InfiniteTimeSpan);
    }

    private static void Trim()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        DropReadOnlyFilePages();
    }

    /// <summary>
    /// Every private, read-only file mapping ("r-xp" code, "r--p" constants) in
    /// /proc/self/smaps that holds no page of its own: a mapping with anonymous
    /// pages (relocated data made read-only after relocation, RELRO) would lose
    /// them, so it is left alone.
    /// </summary>
    private static void DropReadOnlyFilePages()
    {
        string[] smaps;
        try
        {
            smaps = File.ReadAllLines("/proc/self/smaps");
        }
        catch (IOException)
        {
            return;
        }
        // Collect first, drop last: code that runs after a drop maps its pages back, 64 KiB around each
        // fault (the kernel's fault-around), so the parsing must be over before the first madvise.
        var drop = new List<(nint Start, nint End)>();
        (nint Start, nint End)? candidate = null;
        foreach (var line in smaps)
        {
            var first = line.Split(' ', 2)[0];
            if (first.Contains('-') && !first.EndsWith(':'))
            {
                candidate = ReadOnlyFileMapping(line); // a new mapping's header
                continue;
            }
            if (candidate is { } mapping && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                if (line.AsSpan("Anonymous:".Length).Trim().SequenceEqual("0 kB"))
                    drop.Add(mapping);
                candidate = null;
            }
        }
        foreach (var (start, end) in drop)
            madvise(start, (nuint)(end - start), MADV_DONTNEED);
    }

    /// <summary>"start-end perms offset dev inode /path": the range of a private read-only mapping of a file, else null.</summary>
    private static (nint Start, nint End)? ReadOnlyFileMapping(string header)
    {
        var fields = header.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 6 || !fields[5].StartsWith('/') || fields[1] is not ("r-xp" or "r--p"))
            return null;
        var range = fields[0].Split('-');
        return (nint.Parse(range[0], System.Globalization.NumberStyles.HexNumber), nint.Parse(range[1], System.Globalization.NumberStyles.HexNumber));
    }

    public void Dispose() => timer.Dispose();
}
