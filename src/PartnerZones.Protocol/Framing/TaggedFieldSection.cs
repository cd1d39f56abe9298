using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Framing;

/// <summary>A tagged-field section whose fields are all unknown to us (headers define none we use).</summary>
internal static class TaggedFieldSection
{
    public static List<TaggedField>? Read(ref KafkaReader reader)
    {
        var count = reader.ReadUVarint();
        if (count > (uint)reader.Remaining)
        {
            throw reader.Fail($"{count} tagged fields cannot fit in {reader.Remaining} bytes");
        }

        List<TaggedField>? fields = null;
        for (var i = 0u; i < count; i++)
        {
            var data = reader.ReadTaggedField(out var tag);
            (fields ??= []).Add(new TaggedField(tag, data));
        }

        return fields;
    }

    public static void Write(KafkaWriter writer, List<TaggedField>? fields)
    {
        writer.WriteUVarint((uint)(fields?.Count ?? 0));
        if (fields is null)
        {
            return;
        }

        foreach (var field in fields)
        {
            writer.WriteTaggedField(field.Tag, field.Data.Span);
        }
    }
}
