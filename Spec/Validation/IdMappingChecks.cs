namespace Runcs.Spec;

/// <summary>Checks a uid or gid mapping list, of the container (<c>linux.uidMappings</c>) or of an idmapped mount.</summary>
internal static class IdMappingChecks
{
    public static void Check(List<LinuxIdMapping>? mappings, string path, ValidationErrors errors)
    {
        for (var i = 0; i < (mappings?.Count ?? 0); i++)
        {
            var mapping = mappings![i];
            var mappingPath = JsonPath.Element(path, i);
            if (mapping.Size == 0)
                errors.Add(JsonPath.Member(mappingPath, "size"), "must be greater than zero");
            else if ((ulong)mapping.ContainerId + mapping.Size > uint.MaxValue || (ulong)mapping.HostId + mapping.Size > uint.MaxValue)
                errors.Add(mappingPath, "the mapped range goes past the largest id");
        }
    }
}
