using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Messages;

/// <summary>One-call encode and decode of message bodies, for code that is not on the hot path.</summary>
public static class MessageCodec
{
    /// <summary>Decodes a body. Byte fields of the result are slices of <paramref name="body"/>.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> body, short version)
        where T : IKafkaMessage, new()
    {
        var message = new T();
        var reader = new KafkaReader(body);
        message.Read(ref reader, version);
        return message;
    }

    public static byte[] Encode(this IKafkaMessage message, short version)
    {
        using var writer = new KafkaWriter();
        message.Write(writer, version);
        return writer.ToArray();
    }
}
