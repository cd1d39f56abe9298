using System.Collections;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>
/// Finds tagged fields a decoded message kept only as unknown bytes, by walking the generated
/// classes' public properties (each struct keeps them in <c>UnknownTaggedFields</c>).
/// </summary>
public static class UnknownTaggedFields
{
    /// <summary>"Path: tags" for every struct holding unknown tagged fields.</summary>
    public static List<string> In(object message)
    {
        var found = new List<string>();
        Walk(message, message.GetType().Name, found);
        return found;
    }

    private static void Walk(object value, string path, List<string> found)
    {
        foreach (var property in value.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var child = property.GetValue(value);
            if (child is List<TaggedField> { Count: > 0 } tagged)
            {
                found.Add($"{path}: tags {string.Join(", ", tagged.Select(t => t.Tag))}");
            }
            else if (child is IList list and not byte[])
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item && IsGenerated(item.GetType()))
                    {
                        Walk(item, $"{path}.{property.Name}[{i}]", found);
                    }
                }
            }
            else if (child is not null && IsGenerated(child.GetType()))
            {
                Walk(child, $"{path}.{property.Name}", found);
            }
        }
    }

    // Generated message structs live in the Messages namespace; everything else is a leaf.
    private static bool IsGenerated(Type type) =>
        type.IsClass && type.Namespace == typeof(IKafkaMessage).Namespace;
}
