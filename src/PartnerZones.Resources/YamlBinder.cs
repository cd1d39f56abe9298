using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace PartnerZones.Resources;

/// <summary>
/// Binds a YAML node to a resource type strictly: camelCase keys map to properties, an unknown key or a
/// value of the wrong shape is an error naming its path ("spec.topics[1].permission") and line, and every
/// error is collected instead of stopping at the first.
/// </summary>
public static class YamlBinder
{
    /// <summary>Fields users copy from other products that this one does not enforce: refused with a
    /// message saying so, never stored and silently ignored. The JSON reader shares this list.</summary>
    internal static readonly Dictionary<string, string> NotSupported = new(StringComparer.Ordinal)
    {
    };

    public static T Bind<T>(ResourceDocument document, List<string> errors)
        where T : new() =>
        (T)Bind(typeof(T), document.Root, "", document.Describe(), errors)!;

    private static object? Bind(Type type, YamlNode node, string path, string owner, List<string> errors)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (node is YamlScalarNode { Value: null or "~" or "null" } && (type.IsClass || underlying != type) && node.Tag.IsEmpty)
        {
            return null;
        }

        if (underlying == typeof(string))
        {
            return Scalar(node, path, owner, "a string", errors);
        }

        if (underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(bool) || underlying == typeof(DateTimeOffset))
        {
            var text = Scalar(node, path, owner, KindName(underlying), errors);
            if (text is null)
            {
                return null;
            }

            object? value = underlying == typeof(int) ? (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null)
                : underlying == typeof(long) ? (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null)
                : underlying == typeof(bool) ? (bool.TryParse(text, out var b) ? b : null)
                : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
            if (value is null)
            {
                errors.Add($"{owner}: {path} is '{text}' (line {node.Start.Line}); it must be {KindName(underlying)}.");
            }

            return value;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            if (node is not YamlMappingNode map)
            {
                errors.Add($"{owner}: {path} must be a mapping of names to values (line {node.Start.Line}).");
                return null;
            }

            var dictionary = (IDictionary)Activator.CreateInstance(underlying)!;
            foreach (var (key, value) in map.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? "";
                dictionary[name] = Bind(underlying.GetGenericArguments()[1], value, $"{path}.{name}", owner, errors);
            }

            return dictionary;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (node is not YamlSequenceNode sequence)
            {
                errors.Add($"{owner}: {path} must be a list (line {node.Start.Line}); write each item on a line starting with '- '.");
                return null;
            }

            var list = (IList)Activator.CreateInstance(underlying)!;
            var index = 0;
            foreach (var item in sequence.Children)
            {
                list.Add(Bind(underlying.GetGenericArguments()[0], item, $"{path}[{index++}]", owner, errors));
            }

            return list;
        }

        return BindObject(underlying, node, path, owner, errors);
    }

    private static object? BindObject(Type type, YamlNode node, string path, string owner, List<string> errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add($"{owner}: {(path.Length == 0 ? "the document" : path)} must be a mapping of fields (line {node.Start.Line}).");
            return null;
        }

        var target = Activator.CreateInstance(type)!;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var fieldPath = path.Length == 0 ? key : $"{path}.{key}";
            if (!properties.TryGetValue(key, out var property))
            {
                errors.Add(NotSupported.TryGetValue(key, out var why)
                    ? $"{owner}: {fieldPath} (line {keyNode.Start.Line}) is not accepted: {why}; remove the field."
                    : $"{owner}: unknown field {fieldPath} (line {keyNode.Start.Line}); remove it or check its spelling (known fields here: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}).");
                continue;
            }

            var value = Bind(property.PropertyType, valueNode, fieldPath, owner, errors);
            // A null in YAML leaves a non-nullable property at its default; the validator reports it as missing.
            if (value is not null || new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable)
            {
                property.SetValue(target, value);
            }
        }

        return target;
    }

    private static string? Scalar(YamlNode node, string path, string owner, string expected, List<string> errors)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        errors.Add($"{owner}: {path} must be {expected} (line {node.Start.Line}), not a {(node is YamlSequenceNode ? "list" : "mapping")}.");
        return null;
    }

    private static string KindName(Type type) =>
        type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(DateTimeOffset) ? "a date and time (ISO 8601)"
        : "a string";
}
