using System.Reflection;
using System.Text.Json;

namespace PartnerZones.Resources;

/// <summary>Walks a JSON value against a resource type and collects every problem with its path, in the
/// same words as <see cref="YamlBinder"/> (JSON has no line numbers to give).</summary>
internal static class JsonShape
{
    public static void Check(Type type, JsonElement value, string path, string owner, List<string> errors, bool nullable = false)
    {
        var at = path.Length == 0 ? "the document" : path;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable)
            {
                errors.Add($"{owner}: {at} is null; give it a value or leave the field out.");
            }

            return;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            Expect(value, JsonValueKind.String, at, owner, "a string", errors);
        }
        else if (underlying == typeof(int) || underlying == typeof(long))
        {
            if (value.ValueKind != JsonValueKind.Number || (underlying == typeof(int) ? !value.TryGetInt32(out _) : !value.TryGetInt64(out _)))
            {
                errors.Add($"{owner}: {at} is {Show(value)}; it must be a whole number.");
            }
        }
        else if (underlying == typeof(bool))
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{owner}: {at} is {Show(value)}; it must be true or false.");
            }
        }
        else if (underlying == typeof(DateTimeOffset))
        {
            if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out _))
            {
                errors.Add($"{owner}: {at} is {Show(value)}; it must be a date and time (ISO 8601).");
            }
        }
        else if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            if (Expect(value, JsonValueKind.Object, at, owner, "an object of names to values", errors))
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in value.EnumerateObject())
                {
                    var memberPath = $"{path}.{member.Name}";
                    if (!seen.Add(member.Name))
                    {
                        errors.Add($"{owner}: {memberPath} is given twice; keep one.");
                    }

                    Check(underlying.GetGenericArguments()[1], member.Value, memberPath, owner, errors);
                }
            }
        }
        else if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (Expect(value, JsonValueKind.Array, at, owner, "a list", errors))
            {
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(underlying.GetGenericArguments()[0], item, $"{path}[{index++}]", owner, errors);
                }
            }
        }
        else
        {
            CheckObject(underlying, value, path, owner, errors);
        }
    }

    private static void CheckObject(Type type, JsonElement value, string path, string owner, List<string> errors)
    {
        if (!Expect(value, JsonValueKind.Object, path.Length == 0 ? "the document" : path, owner, "an object of fields", errors))
        {
            return;
        }

        // The same members System.Text.Json binds: public settable properties, camelCase, minus [JsonIgnore].
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in value.EnumerateObject())
        {
            var fieldPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            if (!seen.Add(member.Name))
            {
                errors.Add($"{owner}: {fieldPath} is given twice; keep one.");
                continue;
            }

            if (!properties.TryGetValue(member.Name, out var property))
            {
                errors.Add(YamlBinder.NotSupported.TryGetValue(member.Name, out var why)
                    ? $"{owner}: {fieldPath} is not accepted: {why}; remove the field."
                    : $"{owner}: unknown field {fieldPath}; remove it or check its spelling (known fields here: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}).");
                continue;
            }

            var nullable = new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;
            Check(property.PropertyType, member.Value, fieldPath, owner, errors, nullable);
        }
    }

    private static bool Expect(JsonElement value, JsonValueKind kind, string at, string owner, string expected, List<string> errors)
    {
        if (value.ValueKind == kind)
        {
            return true;
        }

        errors.Add($"{owner}: {at} must be {expected}, not {Show(value)}.");
        return false;
    }

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string {Truncate(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
