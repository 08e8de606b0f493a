using Runcs.Runtime.Cgroups;

namespace Runcs.Integration.Tests.Support;

/// <summary>
/// Test containers put their cgroups below TestParent, relative to the test
/// process's own cgroup in each hierarchy, so they never touch cgroups the
/// tests did not make.
/// </summary>
public static class CgroupLeaks
{
    public const string TestParent = "runcs-it";

    private static readonly Lazy<CgroupLayout> Layout = new(CgroupLayout.Detect);

    /// <summary>The cgroup directories a container with this id would have.</summary>
    public static IEnumerable<string> DirectoriesOf(string id) =>
        CgroupPath.Resolve(Layout.Value, TestParent + "/" + id, id, systemdDriver: false).Values;

    public static IEnumerable<string> Leftovers(string id) => DirectoriesOf(id).Where(Directory.Exists);

    public static void RemoveTestParents()
    {
        foreach (var dir in DirectoriesOf("x").Select(Path.GetDirectoryName).OfType<string>())
        {
            try
            {
                if (Directory.Exists(dir))
                    Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Not empty: a test leaked, and its own check has said so.
            }
        }
    }
}
