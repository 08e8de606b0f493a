namespace Runcs.Runtime.Cgroups;

/// <summary>
/// linux.resources.unified: cgroup v2 files written as given, after every
/// converted value so that they have the last word. A key must name a file of
/// an enabled controller ("memory.high") or of the cgroup core ("cgroup.max.depth");
/// anything else is an error naming the key, never a silent skip.
/// </summary>
public static class UnifiedFiles
{
    public static void Write(string dir, IReadOnlyDictionary<string, string> files)
    {
        var available = V2.V2Controllers.Available(dir);
        foreach (var (key, value) in files)
        {
            var field = "unified." + key;
            var dot = key.IndexOf('.');
            if (dot <= 0 || dot == key.Length - 1)
                throw ResourceField.Error(field, $"\"{key}\" is not a cgroup v2 file name (CONTROLLER.KNOB)");
            var controller = key[..dot];
            if (controller != "cgroup" && !available.Contains(controller) && !CgroupFile.Exists(dir, key))
                throw ResourceField.Error(field, $"the {controller} controller is not available in {dir} (available: {(available.Count == 0 ? "none" : string.Join(' ', available.Order()))})");
            if (!CgroupFile.Exists(dir, key))
                throw ResourceField.Error(field, $"no such cgroup file: {Path.Combine(dir, key)}");
            // Files such as io.max take one entry per write: write the value line by line, as runc does.
            foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                CgroupFile.Write(dir, key, line, field);
        }
    }
}
