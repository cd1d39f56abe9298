using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Framing;

/// <summary>The header in front of every response body: the correlation id, and tagged fields in v1.</summary>
public sealed class ResponseHeader
{
    public int CorrelationId { get; set; }

    public List<TaggedField>? UnknownTaggedFields { get; set; }

    /// <summary>Reads a header whose version the caller derived from the request it answers
    /// (<see cref="HeaderVersions.Response"/>).</summary>
    public static ResponseHeader Read(ref KafkaReader reader, short headerVersion)
    {
        reader.Api = "ResponseHeader";
        reader.Version = headerVersion;
        reader.Field = "ResponseHeader.CorrelationId";
        var header = new ResponseHeader { CorrelationId = reader.ReadInt32() };
        if (headerVersion >= 1)
        {
            reader.Field = "ResponseHeader tagged fields";
            header.UnknownTaggedFields = TaggedFieldSection.Read(ref reader);
        }

        return header;
    }

    public void Write(KafkaWriter writer, short headerVersion)
    {
        writer.WriteInt32(CorrelationId);
        if (headerVersion >= 1)
        {
            TaggedFieldSection.Write(writer, UnknownTaggedFields);
        }
    }
}
