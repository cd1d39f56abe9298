using System.Buffers.Binary;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// Where a down-converted message set starts for a fetch offset. A magic 0/1 consumer cannot skip inside a
/// batch the way a magic-2 consumer does: each uncompressed message stands alone, so Kafka's down-conversion
/// leaves out the messages of an uncompressed batch that lie before the fetch offset (some librdkafka versions
/// rely on it). A compressed batch stays whole, as one wrapper whose offset is its last record's. Offsets rise
/// through a message set, so those left out are always a prefix, and the answer is a slice, not a copy.
/// </summary>
public static class MessageSetStart
{
    // A message-set entry: offset int64, size int32, then the message: crc int32, magic int8, attributes int8.
    private const int LogOverhead = 12;
    private const int AttributesAt = 17;
    private const int CodecMask = 0x07;

    public static ReadOnlyMemory<byte> From(byte[] messageSet, long fetchOffset)
    {
        var position = 0;
        while (messageSet.Length - position > AttributesAt)
        {
            var entry = messageSet.AsSpan(position);
            var size = BinaryPrimitives.ReadInt32BigEndian(entry[8..]);
            var compressed = (entry[AttributesAt] & CodecMask) != 0;
            if (compressed || BinaryPrimitives.ReadInt64BigEndian(entry) >= fetchOffset || size < 0 || size > entry.Length - LogOverhead)
            {
                break;
            }

            position += LogOverhead + size;
        }

        return messageSet.AsMemory(position);
    }
}
