using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Framing;

/// <summary>The header in front of every request body (versions 0, 1 and 2).</summary>
public sealed class RequestHeader
{
    public short ApiKey { get; set; }

    public short ApiVersion { get; set; }

    public int CorrelationId { get; set; }

    /// <summary>Present from header v1. Always a classic (non-compact) nullable string, even in v2.</summary>
    public string? ClientId { get; set; }

    /// <summary>Header v2 tagged fields, kept so a forwarded header carries them unchanged.</summary>
    public List<TaggedField>? UnknownTaggedFields { get; set; }

    /// <summary>Reads the header from the start of a request frame (after the size prefix), choosing the
    /// header version from the API key and version; the reader is left at the start of the body.</summary>
    public static RequestHeader Read(ref KafkaReader reader)
    {
        reader.Api = "RequestHeader";
        reader.Field = "RequestHeader.ApiKey";
        var header = new RequestHeader { ApiKey = reader.ReadInt16() };
        reader.Field = "RequestHeader.ApiVersion";
        header.ApiVersion = reader.ReadInt16();
        var version = HeaderVersions.Request(header.ApiKey, header.ApiVersion);
        reader.Version = version;
        reader.Field = "RequestHeader.CorrelationId";
        header.CorrelationId = reader.ReadInt32();
        if (version >= 1)
        {
            reader.Field = "RequestHeader.ClientId";
            header.ClientId = reader.ReadNullableString(compact: false);
        }

        if (version >= 2)
        {
            reader.Field = "RequestHeader tagged fields";
            header.UnknownTaggedFields = TaggedFieldSection.Read(ref reader);
        }

        return header;
    }

    public void Write(KafkaWriter writer)
    {
        var version = HeaderVersions.Request(ApiKey, ApiVersion);
        writer.WriteInt16(ApiKey);
        writer.WriteInt16(ApiVersion);
        writer.WriteInt32(CorrelationId);
        if (version >= 1)
        {
            writer.WriteNullableString(ClientId, compact: false);
        }

        if (version >= 2)
        {
            TaggedFieldSection.Write(writer, UnknownTaggedFields);
        }
    }
}
