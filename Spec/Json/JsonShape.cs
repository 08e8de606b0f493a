using System.Collections;
using System.Text.Json.Serialization.Metadata;

namespace Runcs.Spec;

/// <summary>
/// Answers "what type of JSON value belongs here?" from the source-generated metadata, so that the reader can say
/// "expected string" instead of repeating System.Text.Json's CLR type names.
/// </summary>
internal static class JsonShape
{
    /// <summary>How a value of this type is spelled in an error message: "string", "object", "unsigned 32-bit integer".</summary>
    public static string Describe(JsonTypeInfo info)
    {
        if (info.Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary)
            return "object";
        if (info.Kind is JsonTypeInfoKind.Enumerable)
            return "array";
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return type == typeof(string) ? "string"
            : type == typeof(bool) ? "boolean"
            : type == typeof(int) ? "32-bit integer"
            : type == typeof(uint) ? "unsigned 32-bit integer"
            : type == typeof(ushort) ? "unsigned 16-bit integer"
            : type == typeof(long) ? "64-bit integer"
            : type == typeof(ulong) ? "unsigned 64-bit integer"
            : "value";
    }

    /// <summary>The metadata of the value at <paramref name="steps"/> below <paramref name="root"/>, or null when the path leaves the model.</summary>
    public static JsonTypeInfo? Resolve(JsonTypeInfo root, IEnumerable<JsonPathStep> steps)
    {
        JsonTypeInfo? info = root;
        foreach (var step in steps)
        {
            info = info.Kind switch
            {
                JsonTypeInfoKind.Object when step.Name is { } name => PropertyType(info, name),
                JsonTypeInfoKind.Dictionary when step.Name is not null => Metadata(info, info.ElementType),
                JsonTypeInfoKind.Enumerable when step.Name is null => Metadata(info, info.ElementType),
                _ => null,
            };
            if (info is null)
                return null;
        }
        return info;
    }

    /// <summary>
    /// Finds the first null element of a list or null value of a map anywhere in <paramref name="value"/>.
    /// The serializer lets those through (it enforces nullability on properties only), but no list or map of the model
    /// may hold a null. Returns the path and the metadata of the type that belongs there.
    /// </summary>
    public static (string Path, JsonTypeInfo Expected)? FindNullElement(object value, JsonTypeInfo info, string path = "")
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties)
                {
                    if (property.Get?.Invoke(value) is { } member
                        && FindNullElement(member, info.Options.GetTypeInfo(property.PropertyType), JsonPath.Member(path, property.Name)) is { } found)
                        return found;
                }
                return null;
            case JsonTypeInfoKind.Dictionary:
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    if (FindInElement(entry.Value, info, JsonPath.Member(path, (string)entry.Key)) is { } found)
                        return found;
                }
                return null;
            case JsonTypeInfoKind.Enumerable:
                var index = 0;
                foreach (var element in (IEnumerable)value)
                {
                    if (FindInElement(element, info, JsonPath.Element(path, index++)) is { } found)
                        return found;
                }
                return null;
            default:
                return null;
        }
    }

    private static (string Path, JsonTypeInfo Expected)? FindInElement(object? element, JsonTypeInfo collection, string path)
    {
        var elementInfo = Metadata(collection, collection.ElementType)!;
        return element is null ? (path, elementInfo) : FindNullElement(element, elementInfo, path);
    }

    private static JsonTypeInfo? PropertyType(JsonTypeInfo info, string jsonName)
    {
        // Members match case-insensitively when reading, as in Go, so the path may spell the name differently.
        var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, jsonName, StringComparison.OrdinalIgnoreCase));
        return Metadata(info, property?.PropertyType);
    }

    private static JsonTypeInfo? Metadata(JsonTypeInfo owner, Type? type) =>
        type is null ? null : owner.Options.GetTypeInfo(type);
}
