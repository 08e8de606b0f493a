using System.Text.Json;
using System.Text.RegularExpressions;
using Runcs.Runtime.Native;
using Runcs.Runtime.Seccomp;
using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.State;

/// <summary>
/// The state root (--root, /run/runcs by default): one directory per container
/// holding state.json and, until start, exec.fifo. Operations on one container
/// are serialised with flock() on its directory; state.json is replaced
/// atomically (write a temporary file, rename) so a reader never sees half a
/// file. No fsync: the state root lives in tmpfs (/run) and would not survive
/// a reboot anyway, and an fsync costs more than the rest of create.
/// </summary>
public sealed partial class StateStore(string root)
{
    public const string DefaultRoot = "/run/runcs";
    private const string StateFile = "state.json";

    public string Root { get; } = Path.GetFullPath(root);

    [GeneratedRegex(@"^[\w+\-\.]+$")]
    private static partial Regex IdPattern();

    /// <summary>runc's rule for ids: word characters, '+', '-' and '.', and not "." or "..".</summary>
    public static void ValidateId(string id)
    {
        if (id.Length == 0 || id == "." || id == ".." || !IdPattern().IsMatch(id))
            throw new RuntimeException($"invalid container id format: {id}");
    }

    public string DirectoryOf(string id) => Path.Combine(Root, id);

    /// <summary>Makes the container's directory; fails if the id is taken. Returns it locked.</summary>
    public ContainerLock CreateContainerDirectory(string id)
    {
        ValidateId(id);
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var dir = DirectoryOf(id);
        // mkdir is the atomic test-and-set that makes ids unique.
        var path = FileDescriptors.CString(dir);
        unsafe
        {
            fixed (byte* p = path)
            {
                if (LibC.mkdir(p, 0x1c9 /* 0711: the container may traverse it to reach exec.fifo */) < 0)
                {
                    int errno = Syscalls.LastErrno;
                    if (errno == LibC.EEXIST)
                        throw new RuntimeException("container with given ID already exists");
                    throw new RuntimeException($"create state directory {dir}: {Syscalls.Describe(errno)}");
                }
            }
        }
        return ContainerLock.Acquire(dir) ?? throw new RuntimeException($"lock state directory {dir}");
    }

    /// <summary>Locks an existing container's directory, or fails with runc's "container does not exist".</summary>
    public ContainerLock Lock(string id)
    {
        ValidateId(id);
        return ContainerLock.Acquire(DirectoryOf(id)) ?? throw new ContainerNotFoundException();
    }

    public bool Exists(string id) => File.Exists(Path.Combine(DirectoryOf(id), StateFile));

    public ContainerRecord Load(string id)
    {
        ValidateId(id);
        var file = Path.Combine(DirectoryOf(id), StateFile);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContainerNotFoundException();
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, RuntimeJsonContext.Default.ContainerRecord)
                ?? throw new RuntimeException($"{file}: empty state");
        }
        catch (JsonException e)
        {
            throw new RuntimeException($"{file}: corrupt state: {e.Message}");
        }
    }

    public void Save(ContainerRecord record)
    {
        var dir = DirectoryOf(record.Id);
        var tmp = Path.Combine(dir, StateFile + ".tmp");
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 4096))
        {
            JsonSerializer.Serialize(stream, record, RuntimeJsonContext.Default.ContainerRecord);
        }
        File.Move(tmp, Path.Combine(dir, StateFile), overwrite: true);
    }

    public const string ConfigFile = "config.json";

    /// <summary>Keeps the config a container was created from (see ContainerRecord).</summary>
    public void SaveConfig(string id, byte[] bytes) => File.WriteAllBytes(Path.Combine(DirectoryOf(id), ConfigFile), bytes);

    public Config LoadConfig(string id) => SpecReader.ReadConfig(Path.Combine(DirectoryOf(id), ConfigFile));

    private const string ProcessFile = "process.json";
    private const string SeccompFile = "seccomp.bpf";

    /// <summary>
    /// What every exec starts from, kept apart from config.json: the container's
    /// process and its compiled seccomp filter. Reading the whole config costs an
    /// exec more than a millisecond of JSON set-up, and compiling a profile again
    /// more still; an exec with --process (containerd's way) reads neither.
    /// </summary>
    public void SaveExecDefaults(string id, Spec.Process process, SeccompFilter? seccomp)
    {
        File.WriteAllBytes(Path.Combine(DirectoryOf(id), ProcessFile), JsonSerializer.SerializeToUtf8Bytes(process, SpecJsonContext.Default.Process));
        if (seccomp is not null)
            File.WriteAllBytes(Path.Combine(DirectoryOf(id), SeccompFile), seccomp.ToBytes());
    }

    public Spec.Process LoadProcess(string id) => SpecReader.ReadProcess(Path.Combine(DirectoryOf(id), ProcessFile));

    public SeccompFilter? LoadSeccomp(string id)
    {
        var path = Path.Combine(DirectoryOf(id), SeccompFile);
        return File.Exists(path) ? SeccompFilter.FromBytes(File.ReadAllBytes(path)) : null;
    }

    public void Remove(string id)
    {
        var dir = DirectoryOf(id);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }

    /// <summary>Ids of every container with a state file, sorted.</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(Root))
            return [];
        return Directory.GetDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, StateFile)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>runc's wording, which callers (containerd's shim among them) match on.</summary>
public sealed class ContainerNotFoundException() : RuntimeException("container does not exist");

/// <summary>An exclusive flock() on a container's state directory, held until disposed.</summary>
public sealed class ContainerLock : IDisposable
{
    private int fd;

    private ContainerLock(int fd, string directory)
    {
        this.fd = fd;
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The lock, or null when the directory does not exist.</summary>
    public static ContainerLock? Acquire(string directory)
    {
        int fd = FileDescriptors.Open(directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd < 0)
            return null;
        while (Syscalls.flock(fd, Syscalls.LOCK_EX) < 0)
        {
            if (Syscalls.LastErrno != LibC.EINTR)
            {
                LibC.close(fd);
                throw new RuntimeException($"lock {directory}: {Syscalls.Describe(Syscalls.LastErrno)}");
            }
        }
        return new ContainerLock(fd, directory);
    }

    public void Dispose()
    {
        if (fd >= 0)
        {
            LibC.close(fd);
            fd = -1;
        }
    }
}
