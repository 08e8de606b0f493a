namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>
/// A cgroupfs stand-in in a temporary directory: the files a controller has,
/// empty or with the kernel's initial value. Writes never create files (as on
/// cgroupfs) and append, so every line written to a file can be read back.
/// </summary>
public sealed class FakeCgroupTree : IDisposable
{
    public FakeCgroupTree()
    {
        Root = Directory.CreateTempSubdirectory("runcs-fake-cgroup-").FullName;
    }

    public string Root { get; }

    /// <summary>Makes dir (relative to the root) with the given files; "name=value" gives a file its initial content.</summary>
    public string Cgroup(string dir, params string[] files)
    {
        var path = Path.Combine(Root, dir);
        Directory.CreateDirectory(path);
        foreach (var file in files)
        {
            var (name, content) = file.IndexOf('=') is var eq and > 0 ? (file[..eq], file[(eq + 1)..] + "\n") : (file, "");
            File.WriteAllText(Path.Combine(path, name), content);
        }
        return path;
    }

    /// <summary>The lines written to (or initially in) a file.</summary>
    public static string[] Lines(string dir, string file) =>
        File.ReadAllText(Path.Combine(dir, file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The file's one line, failing when it has several.</summary>
    public static string Value(string dir, string file) => Lines(dir, file).Should().ContainSingle().Subject;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
