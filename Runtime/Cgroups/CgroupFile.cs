using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Runtime.Cgroups;

/// <summary>
/// Reads and writes the interface files of one cgroup directory. A write opens
/// the file without O_CREAT (cgroupfs has a fixed set of files: a missing one
/// means the controller or the knob is not there, and must not be created in a
/// test's fake tree either) and with O_APPEND, which cgroupfs ignores and which
/// lets a fake tree keep every line written to a multi-entry file such as
/// devices.allow or io.max. Each write ends with a newline, as `echo` does;
/// every cgroup parser accepts it.
/// </summary>
public static unsafe class CgroupFile
{
    /// <summary>Writes value to dir/file; errno on failure, 0 on success.</summary>
    public static int TryWrite(string dir, string file, string value)
    {
        int fd = FileDescriptors.Open(Path.Combine(dir, file), LibC.O_WRONLY | LibC.O_APPEND | LibC.O_CLOEXEC);
        if (fd < 0)
            return -fd;
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(value + "\n");
            fixed (byte* p = bytes)
            {
                while (true)
                {
                    var written = (long)LibC.write(fd, p, (size_t)(ulong)bytes.Length);
                    if (written >= 0)
                        return 0;
                    if (Syscalls.LastErrno != LibC.EINTR)
                        return Syscalls.LastErrno;
                }
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>Writes value to dir/file or fails naming the linux.resources field it came from (when it came from one).</summary>
    public static void Write(string dir, string file, string value, string? field = null)
    {
        int errno = TryWrite(dir, file, value);
        if (errno != 0)
            throw WriteFailed(dir, file, value, field, errno);
    }

    public static RuntimeException WriteFailed(string dir, string file, string value, string? field, int errno)
    {
        var detail = $"write \"{value}\" to {Path.Combine(dir, file)}: {Syscalls.Describe(errno)}";
        return field is null ? new RuntimeException(detail) : new CgroupWriteException(field, detail, errno);
    }

    public static bool Exists(string dir, string file) => File.Exists(Path.Combine(dir, file));

    /// <summary>The file's content without the trailing newline; null when it cannot be read.</summary>
    public static string? Read(string dir, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, file)).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A file holding one number; "max" reads as ulong.MaxValue, as runc reports it.</summary>
    public static ulong ReadNumber(string dir, string file) => ParseNumber(Read(dir, file));

    public static ulong ParseNumber(string? text)
    {
        text = text?.Trim();
        if (text == "max")
            return ulong.MaxValue;
        return ulong.TryParse(text, out var n) ? n : 0;
    }

    /// <summary>"key value" lines (memory.stat, cpu.stat, memory.events) as a dictionary.</summary>
    public static Dictionary<string, ulong> ReadKeyValues(string dir, string file)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in (Read(dir, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && ulong.TryParse(parts[1].Trim(), out var value))
                values[parts[0]] = value;
        }
        return values;
    }
}

/// <summary>A cgroup file refused a value from linux.resources; the message starts with the field's JSON path.</summary>
public sealed class CgroupWriteException(string field, string detail, int errno)
    : RuntimeException($"{ResourceField.Path(field)}: {detail}")
{
    public int Errno { get; } = errno;
}

/// <summary>Names of linux.resources fields in error messages.</summary>
public static class ResourceField
{
    public const string Prefix = "linux.resources";

    /// <summary>"memory.limit" → "linux.resources.memory.limit".</summary>
    public static string Path(string field) => field.Length == 0 ? Prefix : Prefix + "." + field;

    public static RuntimeException Error(string field, string message) => new($"{Path(field)}: {message}");
}
